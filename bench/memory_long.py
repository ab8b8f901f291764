"""Memory over a long call: the demo mock call looped to 30+ minutes of audio, run
through the full session (pocketsphinx, matcher, transcript writer) as fast as it goes.
Prints resident memory every 5 minutes of audio; flat means no growth per utterance
beyond the transcript itself.

    python bench/memory_long.py [MINUTES]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import REPO

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.audio_format import seconds_of
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import AudioEnded, AudioLevel

CASE = "demo-teen-residential"


class LoopedSource:
    """A WAV file played back to back until `seconds` of audio have gone by."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path, self.seconds, self._closed = path, seconds, False
        self.sent = 0.0

    @property
    def label(self) -> str:
        return f"{self.path.name} looped"

    def chunks(self) -> Iterator[bytes]:
        while self.sent < self.seconds and not self._closed:
            for chunk in WavFileSource(self.path).chunks():
                self.sent += seconds_of(chunk)
                yield chunk
                if self.sent >= self.seconds or self._closed:
                    return

    def close(self) -> None:
        self._closed = True


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 32
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder)
        shutil.copytree(REPO / "cases" / CASE, cases / CASE)
        source = LoopedSource(REPO / "cases" / CASE / "mock-call.wav", minutes * 60)
        plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
        session = build_session(plan, source)
        started = time.perf_counter()
        session.start()
        next_report = 0.0
        for event in session.events():
            audio = source.sent
            if isinstance(event, AudioLevel):
                if audio >= next_report:
                    print(f"audio {audio / 60:5.1f} min  RSS {rss_mb():6.1f} MB", flush=True)
                    next_report += 300
            elif isinstance(event, AudioEnded):
                print(
                    f"audio {audio / 60:5.1f} min  RSS {rss_mb():6.1f} MB  "
                    f"(end; wall {time.perf_counter() - started:.0f} s)"
                )


if __name__ == "__main__":
    main()
