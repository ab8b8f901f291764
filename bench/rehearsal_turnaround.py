"""A spoken rehearsal's turn-taking: from the end of the clinician's answer to the reviewer's
next turn (target: within 1 s).

Runs `practice demo-ra-biologic --rehearse` headless on a private PulseAudio server: the
reviewer plays on one null sink (its monitor is recorded by parec, each chunk stamped as it
arrives), and at each of the clinician's turns the script's own answer for that turn,
spoken by flite, is played into the virtual microphone's sink with paplay. Printed per turn
and as p50/p95/max:

  outside  the answer's last audible sample into the microphone's sink (paplay done, less
           the silence flite leaves after the voice) -> the first
           loud sample of the reviewer's next turn on the speakers' monitor: what the
           clinician would hear, through PulseAudio both ways
  inside   the answer's last speech, as the rehearsal heard it -> the next turn handed to
           the speakers (Rehearsal.turnarounds)
  judging  the answer judged over (pause or enter) -> the next turn handed to the speakers:
           the recogniser closing the line and the follow-up decision

An answer ends at a pause (PAUSE_SECONDS), so `outside` cannot be much under that.
The score card of the rehearsal is printed at the end.

    python bench/rehearsal_turnaround.py
"""

from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np
from common import REPO

TESTS = REPO / "tests"
sys.path[:0] = [str(TESTS)]

from demo_cases import copy_demo_cases  # noqa: E402
from rehearsal_support import CASE, LIBRARY, rehearsal_call, score_card  # noqa: E402
from speech import render_speech  # noqa: E402
from virtual_mic import ASOUNDRC, PulseServer, refresh_portaudio  # noqa: E402

from p2p_assist.basics.audio_format import SAMPLE_RATE  # noqa: E402
from p2p_assist.lifecycle.finish import finish_call  # noqa: E402
from p2p_assist.mock.script import load_script  # noqa: E402
from p2p_assist.session.events import AudioEnded, TurnTaken  # noqa: E402

LOUD = 300.0  # RMS of a 20 ms read: the reviewer's speech, not the sink's silence


class StampedMonitor:
    """parec on a sink's monitor; each read's RMS with the time it arrived."""

    def __init__(self, source: str) -> None:
        self.reads: list[tuple[float, float]] = []
        self._process = subprocess.Popen(
            ["parec", "-d", source, "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1",
             "--latency-msec=20"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        while chunk := os.read(self._process.stdout.fileno(), 640):
            samples = np.frombuffer(chunk[: len(chunk) // 2 * 2], "<i2").astype(np.float64)
            rms = float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0
            self.reads.append((time.monotonic(), rms))

    def first_loud_after(self, moment: float) -> float | None:
        return next((at for at, rms in list(self.reads) if at > moment and rms > LOUD), None)

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="p2p-rehearsal-") as tmp:
        folder = Path(tmp)
        runtime, home = folder / "xdg", folder / "home"
        runtime.mkdir(mode=0o700)
        home.mkdir()
        (home / ".asoundrc").write_text(ASOUNDRC)
        os.environ.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(home), XDG_DATA_HOME=tmp)
        os.environ.pop("PULSE_SERVER", None)
        server = PulseServer(runtime)
        server.start()
        try:
            refresh_portaudio()
            run(folder)
        finally:
            server.stop()


def run(folder: Path) -> None:
    cases = copy_demo_cases(folder, CASE)
    script = load_script(cases / CASE / "mock-call.toml")
    answers = [
        render_speech(turn.text, folder / f"answer-{n}.wav", voice=script.voices.clinician)
        for n, turn in enumerate(t for t in script.turns if t.speaker == "clinician")
    ]
    call, rehearsal, inputs = rehearsal_call(cases, playback="reviewer_speaker")
    assert rehearsal.speaks and not rehearsal.typed, inputs.notices
    monitor = StampedMonitor("revsink.monitor")
    answered: queue.SimpleQueue[float] = queue.SimpleQueue()
    session = call.session
    session.start()
    started, turn = time.monotonic(), 0
    for event in session.events(timeout=120):
        if isinstance(event, TurnTaken) and event.speaker == "clinician" and turn < len(answers):
            threading.Thread(target=answer, args=(answers[turn], answered)).start()
            turn += 1
        if isinstance(event, AudioEnded):
            break
    finished = finish_call(session, call.context.case, LIBRARY)
    monitor.close()
    ends = []
    while not answered.empty():
        ends.append(answered.get())
    outside = [loud - end for end in ends if (loud := monitor.first_loud_after(end)) is not None]
    print(f"rehearsal of {CASE}: {turn} answers, {time.monotonic() - started:.0f} s")
    print(f"an answer ends at a pause of {rehearsal.pause:g} s")
    for name, values in (
        ("outside", outside),
        ("inside", rehearsal.turnarounds),
        ("judging", rehearsal.after_judging),
    ):
        print(f"{name:8} {summary(values)}   per turn: {' '.join(f'{v:.2f}' for v in values)}")
    if finished.call_dir is not None:
        print()
        print(score_card(finished.call_dir))


def answer(wav: Path, answered: queue.SimpleQueue[float]) -> None:
    """Play the answer; put when its speech ended (flite leaves silence after the voice)."""
    time.sleep(0.3)
    subprocess.run(["paplay", "--device=callsink", str(wav)], check=True, timeout=120)
    answered.put(time.monotonic() - trailing_silence(wav))


def trailing_silence(wav: Path) -> float:
    with wave.open(str(wav)) as audio:
        samples = np.frombuffer(audio.readframes(audio.getnframes()), "<i2")
        rate = audio.getframerate()
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 64)  # render.py's _AUDIBLE
    return (len(samples) - (int(loud[-1]) + 1 if loud.size else 0)) / rate


def summary(values: list[float]) -> str:
    if not values:
        return "no turns"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):.2f} s  p95 {p95:.2f} s  max {ordered[-1]:.2f} s"


if __name__ == "__main__":
    main()
