"""Rendering a mock-call script to a 16 kHz mono WAV and its timeline.

Each turn is synthesised with its speaker's voice (flite, or espeak-ng when flite
is missing), converted by sox, and trimmed to where the voice is audible so the
timeline's start and end mark the speech itself; the script's pauses are then
inserted as exact digital silence. Each turn then reaches the one microphone through
its speaker's channel (`channel.py`): by default the reviewer over a speakerphone and
the clinician straight in. The turns are mixed as one microphone hears them, so a
speakerphone turn's room ring runs on into the pause after it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.vocabulary import VoiceChannel
from p2p_assist.mock.channel import REVERB_TAIL_SECONDS, apply_channel
from p2p_assist.mock.script import MockScript, Turn, Voice
from p2p_assist.mock.timeline import Timeline, TimelineTurn, timeline_path

SpeechEngine = Literal["flite", "espeak-ng"]
Pcm = npt.NDArray[np.int16]

LEAD_SECONDS = 0.5
# Closest espeak-ng voice (language + variant) to each flite voice, so speakers still differ.
_ESPEAK_VOICES: dict[Voice, str] = {
    "slt": "en-us+f3",
    "rms": "en-us+m3",
    "awb": "en-gb-scotland+m1",
    "kal16": "en-us+m7",
}
_AUDIBLE = 64  # about -54 dBFS: above flite's and espeak-ng's near-silent edges
_MARGIN = int(0.02 * SAMPLE_RATE)  # kept around the speech so soft onsets are not clipped


def render_script(
    script: MockScript, out_wav: Path | str, engine: SpeechEngine | None = None
) -> Timeline:
    """Write the call to `out_wav` and its timeline beside it; return the timeline."""
    out_wav = Path(out_wav)
    engine = _check_tools(engine)
    voices = [script.voices.for_speaker(turn.speaker) for turn in script.turns]
    channels = [script.channel.for_speaker(turn.speaker) for turn in script.turns]
    with tempfile.TemporaryDirectory(prefix="p2p-mock-") as tmp:
        jobs = [
            (engine, voice, channel, index, turn, Path(tmp) / f"turn{index}.wav")
            for index, (voice, channel, turn) in enumerate(
                zip(voices, channels, script.turns, strict=True)
            )
        ]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            spoken = list(pool.map(lambda job: _heard_turn(*job), jobs))
    cursor = round(LEAD_SECONDS * SAMPLE_RATE)
    placed: list[tuple[int, Pcm]] = []
    turns: list[TimelineTurn] = []
    for index, (turn, voice, channel, (audio, length, speech_start, speech_end)) in enumerate(
        zip(script.turns, voices, channels, spoken, strict=True)
    ):
        turns.append(
            TimelineTurn(
                index=index,
                speaker=turn.speaker,
                voice=voice,
                channel=channel,
                text=turn.text,
                start=(cursor + speech_start) / SAMPLE_RATE,
                end=(cursor + speech_end) / SAMPLE_RATE,
                expect=turn.expect,
                captures=turn.captures,
            )
        )
        placed.append((cursor, audio))
        cursor += length + round(turn.pause_after * SAMPLE_RATE)
    pcm = _mix(placed, cursor)
    timeline = Timeline(
        title=script.title,
        case_id=script.case_id,
        audio=out_wav.name,
        duration=len(pcm) / SAMPLE_RATE,
        tts=engine,
        turns=tuple(turns),
    )
    _write(out_wav, pcm, timeline)
    return timeline


def speak_line(
    text: str, voice: Voice, channel: VoiceChannel, engine: SpeechEngine | None = None
) -> tuple[Pcm, Pcm]:
    """One line on its own: as said (trimmed to its speech) and as heard through `channel`
    (with a speakerphone room's ring after it). A rehearsal plays the second to the
    clinician; the recogniser hears the first, as a call's own reviewer input would."""
    engine = _check_tools(engine)
    turn = Turn(speaker="reviewer", text=text)
    with tempfile.TemporaryDirectory(prefix="p2p-line-") as tmp:
        dry, _, _ = _trim(_speak(engine, voice, turn, Path(tmp) / "line.wav"), 0, turn)
    return dry, _through(dry, channel)


def _heard_turn(
    engine: SpeechEngine, voice: Voice, channel: VoiceChannel, index: int, turn: Turn, spoken: Path
) -> tuple[Pcm, int, int, int]:
    """The turn as the microphone hears it, how long its dry speech clip is (what the pause
    follows), and where speech starts and ends in it."""
    dry, speech_start, speech_end = _trim(_speak(engine, voice, turn, spoken), index, turn)
    return _through(dry, channel), len(dry), speech_start, speech_end


def _through(dry: Pcm, channel: VoiceChannel) -> Pcm:
    """A dry clip through the channel, padded so a speakerphone room's ring is kept."""
    tail = round(REVERB_TAIL_SECONDS * SAMPLE_RATE) if channel == "speakerphone" else 0
    return apply_channel(np.concatenate([dry, np.zeros(tail, dtype=np.int16)]), channel)


def _mix(placed: list[tuple[int, Pcm]], length: int) -> Pcm:
    """One microphone: every clip added in at its offset (a ring may overlap what follows)."""
    length = max([length, *(offset + len(audio) for offset, audio in placed)])
    mix = np.zeros(length, dtype=np.int32)
    for offset, audio in placed:
        mix[offset : offset + len(audio)] += audio
    return np.clip(mix, -32768, 32767).astype(np.int16)


def _check_tools(requested: SpeechEngine | None) -> SpeechEngine:
    """The synthesiser to use: the one asked for, else flite, else espeak-ng."""
    if shutil.which("sox") is None:
        raise UserError("rendering a mock call needs sox — install it with `apt-get install sox`")
    candidates: tuple[SpeechEngine, ...] = (requested,) if requested else ("flite", "espeak-ng")
    for engine in candidates:
        if shutil.which(engine):
            return engine
    wanted = requested or "flite"
    raise UserError(
        f"rendering a mock call needs {wanted}, which is not installed — "
        f"install it with `apt-get install {wanted}`"
    )


def _speak(engine: SpeechEngine, voice: Voice, turn: Turn, spoken: Path) -> Pcm:
    # The text goes in on stdin so a turn starting with "-" is not read as an option.
    if engine == "flite":
        synth = ["flite", "-voice", voice, "-f", "/dev/stdin", "-o", str(spoken)]
    else:
        synth = ["espeak-ng", "-v", _ESPEAK_VOICES[voice], "-w", str(spoken), "--stdin"]
    convert = ["sox", str(spoken), "-t", "raw", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16"]
    convert += ["-e", "signed-integer", "-L", "-"]
    try:
        subprocess.run(synth, input=turn.text.encode(), check=True, capture_output=True)
        raw = subprocess.run(convert, check=True, capture_output=True).stdout
    except subprocess.CalledProcessError as error:
        lines = error.stderr.decode(errors="replace").strip().splitlines() or ["no output"]
        problem = f"{error.cmd[0]} failed on {turn.text[:40]!r}: {lines[-1]}"
        raise UserError(f"{problem} — check the text and the install") from None
    return np.frombuffer(raw, dtype="<i2").astype(np.int16)


def _trim(clip: Pcm, index: int, turn: Turn) -> tuple[Pcm, int, int]:
    """The clip cut to its audible part plus a margin, and where speech starts and ends in it."""
    loud = np.flatnonzero(np.abs(clip.astype(np.int32)) > _AUDIBLE)
    if loud.size == 0:
        raise UserError(
            f"turn {index}: speech synthesis gave silence for {turn.text[:40]!r} — reword it"
        )
    first = max(0, int(loud[0]) - _MARGIN)
    last = min(len(clip), int(loud[-1]) + 1 + _MARGIN)
    return clip[first:last], int(loud[0]) - first, int(loud[-1]) + 1 - first


def _write(out_wav: Path, pcm: Pcm, timeline: Timeline) -> None:
    """The WAV, then its timeline, each replaced atomically: a crash or a full disk leaves the
    old file or the new one, never half a WAV, and no temporary file behind."""
    packed = io.BytesIO()
    with wave.open(packed, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.astype("<i2").tobytes())
    timeline_json = (timeline.model_dump_json(indent=2) + "\n").encode()
    try:
        out_wav.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out_wav, packed.getvalue())
        write_atomic(timeline_path(out_wav), timeline_json)
    except OSError as error:
        raise file_error(
            error.filename or out_wav,
            f"cannot write the mock call ({error.strerror or error})",
            "give -o a file in a folder you can write to, with free space",
        ) from None
