"""Labelled call lines rendered as one-microphone mock calls and recognised, with caches.

A set (bench/data/call_lines_*.jsonl: text, labels, kind = objection | negative | clinician)
becomes one mock call per reviewer voice and channel: the reviewer's lines (objections and
small talk) in that voice through that channel, the clinician's lines interleaved in another
voice straight into the microphone, one second apart — the speakerphone call as the microphone
hears it, so the recogniser's state carries from one speaker to the other as it does live.
Each line's hypothesis is the recognised words whose middle falls in its turn.

Rendered calls are cached under tmp/cache/call-lines by a hash of the script, recognised words
by a hash of the audio and of the recogniser's source, so re-runs only redo what changed.
"""

from __future__ import annotations

import hashlib
import json
import wave
from dataclasses import dataclass
from pathlib import Path

from common import REPO

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.vocabulary import VoiceChannel
from p2p_assist.matching.evaluation import load_labelled
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import Channels, MockScript, Voice, Voices
from p2p_assist.mock.timeline import Timeline, load_timeline, timeline_path
from p2p_assist.recognition import pocketsphinx_engine
from p2p_assist.recognition.base import FinalResult

DATA = REPO / "bench" / "data"
CACHE = REPO / "tmp" / "cache" / "call-lines"
VOICES: tuple[Voice, ...] = ("slt", "rms", "awb", "kal16")
CHANNELS: tuple[VoiceChannel, ...] = ("clean", "phone", "speakerphone")
PAUSE_SECONDS = 1.0
CLINICIAN_EVERY = 4  # a clinician line after every few reviewer lines, as in a real exchange
WORD_SLACK_SECONDS = 0.4


@dataclass(frozen=True)
class Line:
    text: str
    labels: frozenset[str]
    kind: str  # objection | negative | clinician

    @property
    def speaker(self) -> str:
        return "clinician" if self.kind == "clinician" else "reviewer"


@dataclass(frozen=True)
class Heard:
    line: Line
    hypothesis: str


def load_lines(name: str) -> list[Line]:
    rows = load_labelled(DATA / f"call_lines_{name}.jsonl")
    return [
        Line(str(row["text"]), frozenset(row["labels"]), str(row["kind"]))  # type: ignore[arg-type]
        for row in rows
    ]


def call_order(lines: list[Line]) -> list[Line]:
    """Reviewer lines in file order with the clinician's lines spread between them."""
    reviewer = [line for line in lines if line.speaker == "reviewer"]
    clinician = [line for line in lines if line.speaker == "clinician"]
    ordered: list[Line] = []
    for number, line in enumerate(reviewer, 1):
        ordered.append(line)
        if number % CLINICIAN_EVERY == 0 and clinician:
            ordered.append(clinician.pop(0))
    return ordered + clinician


def call_script(lines: list[Line], voice: Voice, channel: VoiceChannel) -> MockScript:
    clinician_voice: Voice = "kal16" if voice == "slt" else "slt"
    turns = [
        {"speaker": line.speaker, "text": line.text, "pause_after": PAUSE_SECONDS}
        for line in call_order(lines)
    ]
    return MockScript(
        title=f"call lines, reviewer {voice} over {channel}",
        voices=Voices(reviewer=voice, clinician=clinician_voice),
        channel=Channels(reviewer=channel, clinician="clean"),
        turns=turns,  # type: ignore[arg-type]
    )


def rendered_call(lines: list[Line], voice: Voice, channel: VoiceChannel) -> Path:
    script = call_script(lines, voice, channel)
    digest = _digest(script.model_dump_json().encode(), _RENDER_CODE)
    wav = CACHE / "audio" / f"{voice}-{channel}-{digest}.wav"
    if not wav.is_file():
        render_script(script, wav)
    return wav


def recognised_words(wav: Path) -> list[tuple[str, float, float]]:
    """Every word pocketsphinx hears in the call, streamed as live, with its times."""
    digest = _digest(wav.read_bytes(), _RECOGNISER_CODE)
    cached = CACHE / "words" / f"{wav.stem}-{digest}.json"
    if cached.is_file():
        return [tuple(word) for word in json.loads(cached.read_text())]  # type: ignore[misc]
    recognizer = pocketsphinx_engine.PocketsphinxRecognizer()
    words: list[tuple[str, float, float]] = []
    source = WavFileSource(wav)
    for chunk in source.chunks():
        words += _final_words(recognizer.accept(chunk))
    words += _final_words(recognizer.flush())
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(words))
    return words


def heard_lines(lines: list[Line], voice: Voice, channel: VoiceChannel) -> list[Heard]:
    wav = rendered_call(lines, voice, channel)
    timeline = load_timeline(timeline_path(wav))
    texts = _words_per_turn(recognised_words(wav), timeline)
    return [Heard(line, text) for line, text in zip(call_order(lines), texts, strict=True)]


def audio_seconds(wav: Path) -> float:
    with wave.open(str(wav)) as reader:
        return reader.getnframes() / reader.getframerate()


def _final_words(events: list[object]) -> list[tuple[str, float, float]]:
    return [
        (word.text, word.start, word.end)
        for event in events
        if isinstance(event, FinalResult)
        for word in event.words
    ]


def _words_per_turn(words: list[tuple[str, float, float]], timeline: Timeline) -> list[str]:
    """Each word goes to the turn nearest its middle (turns are a second apart)."""
    per_turn: list[list[str]] = [[] for _ in timeline.turns]
    for text, start, end in words:
        middle = (start + end) / 2
        distances = [max(turn.start - middle, 0.0, middle - turn.end) for turn in timeline.turns]
        nearest = min(range(len(distances)), key=distances.__getitem__)
        if distances[nearest] <= WORD_SLACK_SECONDS:
            per_turn[nearest].append(text)
    return [" ".join(turn) for turn in per_turn]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def _code(package: str) -> bytes:
    """The package's source and data (a language model, a word list) as this process loaded
    them (read once, so edits made while a benchmark runs cannot mislabel its cache)."""
    folder = REPO / "p2p_assist" / package
    files = sorted(path for path in folder.iterdir() if path.suffix in {".py", ".bin", ".dict"})
    return _digest(*(path.read_bytes() for path in files)).encode()


_RENDER_CODE = _code("mock")
_RECOGNISER_CODE = _code("recognition")
