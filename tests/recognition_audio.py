"""Feeding real speech to a recogniser the way a call session does: 0.1 s chunks of PCM."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from pathlib import Path

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.recognition.base import (
    FinalResult,
    PartialResult,
    RecognitionEvent,
    Recognizer,
)

CHUNK_BYTES = SAMPLE_RATE // 10 * SAMPLE_WIDTH

# Words a recogniser may drop or swap without the sentence losing its meaning.
_FUNCTION_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have"}
    | {"i", "in", "is", "it", "me", "my", "of", "on", "or", "so", "that", "the", "this", "to"}
    | {"was", "we", "with", "would", "you"}
)


def read_pcm(wav_path: Path) -> bytes:
    with wave.open(str(wav_path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (
            SAMPLE_RATE,
            1,
            SAMPLE_WIDTH,
        )
        return wav.readframes(wav.getnframes())


def silence(seconds: float) -> bytes:
    return bytes(round(seconds * SAMPLE_RATE) * SAMPLE_WIDTH)


def duration(pcm: bytes) -> float:
    return len(pcm) / SAMPLE_WIDTH / SAMPLE_RATE


def stream(recognizer: Recognizer, pcm: bytes, chunk: int = CHUNK_BYTES) -> list[RecognitionEvent]:
    """Accept `pcm` chunk by chunk; the caller decides whether to flush."""
    events: list[RecognitionEvent] = []
    for offset in range(0, len(pcm), chunk):
        events += recognizer.accept(pcm[offset : offset + chunk])
    return events


def finals(events: list[RecognitionEvent]) -> list[FinalResult]:
    return [event for event in events if isinstance(event, FinalResult)]


def partials(events: list[RecognitionEvent]) -> list[PartialResult]:
    return [event for event in events if isinstance(event, PartialResult)]


def content_recall(reference: str, heard: str) -> float:
    """Share of the reference's content words that were heard, in any order."""
    wanted = [w for w in re.findall(r"[a-z']+", reference.lower()) if w not in _FUNCTION_WORDS]
    got = set(heard.lower().split())
    return sum(word in got for word in wanted) / len(wanted)


def have_korean_tts() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def render_korean(text: str, out: Path) -> Path:
    """Speak Korean with espeak-ng into `out` as 16 kHz mono 16-bit WAV."""
    raw = out.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(out)], check=True
    )
    raw.unlink()
    return out
