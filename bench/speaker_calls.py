"""One-microphone mock calls for the speaker-attribution benchmark, rendered and recognised once.

Each call is a labelled set of call lines (bench/data/call_lines_*.jsonl) spoken by a pair of
flite voices: the reviewer's lines over a speakerphone, the clinician's straight into the
microphone, in the order call_lines.call_order gives (a clinician line after every few of the
reviewer's). The recogniser's finals (text, start, end) are cached by a hash of the audio and
of the recogniser's source, so tuning the attribution reruns in seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from call_lines import CACHE, PAUSE_SECONDS, Line, _code, _digest, call_order, load_lines

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.vocabulary import VoiceChannel
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import Channels, MockScript, Voice, Voices
from p2p_assist.recognition import pocketsphinx_engine
from p2p_assist.recognition.base import FinalResult

PAIRS: tuple[tuple[Voice, Voice], ...] = (
    # (reviewer, clinician): slt is the only female voice, so three pairs are male-male.
    ("rms", "slt"),
    ("slt", "rms"),
    ("slt", "kal16"),
    ("awb", "kal16"),
    ("kal16", "rms"),
    ("rms", "awb"),
)


@dataclass(frozen=True)
class Final:
    text: str
    start: float
    end: float


def call_wav(
    name: str, reviewer: Voice, clinician: Voice, channel: VoiceChannel = "speakerphone"
) -> Path:
    lines = load_lines(name)
    turns = [
        {"speaker": line.speaker, "text": line.text, "pause_after": PAUSE_SECONDS}
        for line in call_order(lines)
    ]
    script = MockScript(
        title=f"{name}: reviewer {reviewer} over {channel}, clinician {clinician}",
        voices=Voices(reviewer=reviewer, clinician=clinician),
        channel=Channels(reviewer=channel, clinician="clean"),
        turns=turns,  # type: ignore[arg-type]
    )
    digest = _digest(script.model_dump_json().encode(), _RENDER_CODE)
    wav = CACHE / "speaker" / f"{name}-{reviewer}-{clinician}-{channel}-{digest}.wav"
    if not wav.is_file():
        render_script(script, wav)
    return wav


def recognised_finals(wav: Path) -> list[Final]:
    """Every final pocketsphinx gives on the call, streamed as live."""
    digest = _digest(wav.read_bytes(), _RECOGNISER_CODE)
    cached = CACHE / "speaker-finals" / f"{wav.stem}-{digest}.json"
    if cached.is_file():
        return [Final(*row) for row in json.loads(cached.read_text())]
    recognizer = pocketsphinx_engine.PocketsphinxRecognizer()
    finals: list[Final] = []
    for chunk in WavFileSource(wav).chunks():
        finals += _finals(recognizer.accept(chunk))
    finals += _finals(recognizer.flush())
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps([[f.text, f.start, f.end] for f in finals]))
    return finals


def _finals(events: list[object]) -> list[Final]:
    return [
        Final(event.text, event.start, event.end)
        for event in events
        if isinstance(event, FinalResult) and event.text.strip()
    ]


def lines_of(name: str) -> list[Line]:
    return call_order(load_lines(name))


_RENDER_CODE = _code("mock")
_RECOGNISER_CODE = _code("recognition")


if __name__ == "__main__":
    import sys
    from concurrent.futures import ProcessPoolExecutor

    def _job(job: tuple[str, Voice, Voice]) -> str:
        wav = call_wav(*job)
        return f"{wav.name}: {len(recognised_finals(wav))} finals"

    jobs = [(name, r, c) for name in sys.argv[1:] or ["tune", "heldout"] for r, c in PAIRS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for line in pool.map(_job, jobs):
            print(line, flush=True)
