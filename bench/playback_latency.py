"""Review playback latency: from the space key to the first sample out.

Runs the real app under the pilot on a saved call with kept audio, playing into a private
PulseAudio server's null sink, and presses space (play) then space (stop) on one line after
another. For every play it prints:

  handed   key press -> the first of the call's samples handed to PortAudio (the audio
           callback that copies them in; a starting stream's buffer is filled from the clip,
           so these are the first samples it plays)
  monitor  key press -> the first loud sample arriving on the null sink's monitor (parec,
           stamped as its chunks arrive, less the samples after it in its chunk): the first
           sample out, through PulseAudio
  0.4 s in how long the first 0.4 s of the call's audio took to come out (0.4 s when
           playback runs on without a stall)

PortAudio's own clock cannot say when a buffer leaves the device here: over ALSA's pulse
plugin its outputBufferDacTime is 0 (PortAudio issue 498). On a null sink the monitor hears a
sample as the sink mixes it; a sound card adds its own buffer after that.

and p50/p95 of each. The first play after review opens is listed apart: opening primes the
output (Player.prime) so that it is not slow; --no-prime shows why.

    python bench/playback_latency.py [PLAYS] [--no-prime]
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from common import REPO

TESTS = REPO / "tests"
sys.path[:0] = [str(TESTS / "ui"), str(TESTS)]  # the ui tests' conftest first: they import it


def start_pulse(folder: Path) -> int:
    """A private PulseAudio with one null sink, found through ALSA's default device."""
    runtime, home = folder / "xdg", folder / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default { type pulse }\nctl.!default { type pulse }\n")
    os.environ.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(home))
    os.environ.pop("PULSE_SERVER", None)
    subprocess.run(
        ["pulseaudio", "-D", "--exit-idle-time=-1", "--disallow-exit", "--system=false", "-n",
         "--load=module-native-protocol-unix", "--load=module-null-sink sink_name=callsink",
         "--load=module-always-sink"],
        check=True, capture_output=True,
    )  # fmt: skip
    return int((runtime / "pulse" / "pid").read_text())


class StampedMonitor:
    """parec on the sink's monitor; every chunk stamped with when it arrived."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["parec", "-d", "callsink.monitor", "--format=s16le", "--rate=16000",
             "--channels=1", "--latency-msec=20"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        self.chunks: list[tuple[float, int, bytes]] = []  # (arrived, first sample, data)
        self.samples = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while data := os.read(self.process.stdout.fileno(), 640):
            self.chunks.append((time.monotonic(), self.samples, data))
            self.samples += len(data) // 2

    def loud_after(self, since: float, seconds: float = 0.0) -> float | None:
        """When, after `since`, the first loud sample was rendered (`seconds` = 0), or when
        `seconds` of loud audio had been."""
        import numpy as np

        wanted = round(seconds * 16000)
        for arrived, _, data in list(self.chunks):
            if arrived < since:
                continue
            samples = np.frombuffer(data, "<i2")
            loud = np.flatnonzero(np.abs(samples) > 1000)
            if len(loud) > wanted:
                return arrived - (len(samples) - loud[wanted]) / 16000
            wanted -= len(loud)
        return None


def watch_callbacks(handed: list[float]) -> None:
    """Note when each clip's first samples are copied in."""
    from p2p_assist.audio.playback import Player

    original = Player._callback

    def callback(self: Player, outdata: Any, frames: int, info: Any, status: Any) -> None:
        playing = self._playing
        before = playing._played if playing is not None else None
        original(self, outdata, frames, info, status)
        if playing is not None and before == 0 and playing._played > 0 and playing.at > 1.0:
            handed.append(time.monotonic())

    Player._callback = callback  # type: ignore[method-assign]


async def press_and_listen(plays: int, cases: Path, monitor: StampedMonitor) -> list[dict]:
    from test_review_audio import opened, settle
    from test_review_screen import app_for, demo_library
    from textual.widgets import OptionList

    handed: list[float] = []
    watch_callbacks(handed)
    rows = []
    async with app_for(cases, demo_library()).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        transcript = screen.query_one("#transcript", OptionList)
        transcript.focus()
        for n in range(plays):
            transcript.highlighted = [1, 2, 4, 6][n % 4]  # lines at 00:10, 00:16, 00:30, 00:40
            await pilot.pause()
            count = len(handed)
            pressed = time.monotonic()
            await pilot.press("space")
            while len(handed) == count and time.monotonic() - pressed < 5:
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.6)
            await pilot.press("space")
            await settle(pilot)
            await asyncio.sleep(0.3)
            if len(handed) == count:
                print(f"play {n}: nothing handed within 5 s")
                continue
            heard = monitor.loud_after(pressed)
            half = monitor.loud_after(pressed, 0.4)
            rows.append(
                {
                    "handed": handed[count] - pressed,
                    "monitor": None if heard is None else heard - pressed,
                    "0.4 s in": None if heard is None or half is None else half - heard,
                }
            )
    return rows


def report(rows: list[dict]) -> None:
    def ms(value: float | None) -> str:
        return "     -" if value is None else f"{value * 1000:6.1f}"

    for n, row in enumerate(rows):
        print(
            f"play {n:2d}  handed {ms(row['handed'])} ms  monitor {ms(row['monitor'])} ms  "
            f"0.4 s of it took {ms(row['0.4 s in'])} ms"
        )
    later = rows[1:]
    for key in ("handed", "monitor", "0.4 s in"):
        values = sorted(row[key] for row in later if row[key] is not None)
        if values:
            p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
            print(
                f"{key:8} first {ms(rows[0][key])} ms   later plays: "
                f"p50 {statistics.median(values) * 1000:.1f} ms  p95 {p95 * 1000:.1f} ms"
                f"  (n={len(values)})"
            )


def main() -> None:
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    plays = int(numbers[0]) if numbers else 20
    if "--no-prime" in sys.argv:
        from p2p_assist.audio.playback import Player

        Player.prime = lambda self, timeout=3.0: None  # type: ignore[method-assign]
    folder = Path(tempfile.mkdtemp(prefix="playback-bench-"))
    pid = start_pulse(folder)
    monitor = StampedMonitor()
    try:
        from playback_support import keep_audio, stepped_tones
        from test_review_screen import (
            FIRST_CALL,
            Clock,
            conversation,
            copy_demo_case,
            record_call,
        )

        from p2p_assist.transcript import writer as writer_module

        clock = Clock(FIRST_CALL)
        writer_module.now = clock.now  # type: ignore[assignment]
        cases = copy_demo_case(folder, REPO)
        keep_audio(record_call(cases, clock, FIRST_CALL, conversation()), stepped_tones(48))
        report(asyncio.run(press_and_listen(plays, cases, monitor)))
    finally:
        monitor.process.terminate()
        os.kill(pid, 15)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
