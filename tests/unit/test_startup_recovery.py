"""The start-up step finishes what a crash left open, and never blocks the new call when it
cannot (a full disk must not stop a clinician from taking the next call)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from report_support import CASE, copy_case, demo_case, library

from p2p_assist.lifecycle.startup import recover_unfinished
from p2p_assist.transcript import find_unfinished, open_new_call, recovery

OPEN_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from p2p_assist.transcript import Utterance, open_new_call

writer = open_new_call(Path(sys.argv[1]), sys.argv[2], "live", "pocketsphinx", "microphone")
writer.append(Utterance(start=1.0, end=2.0, speaker="reviewer", text="hello"))
os.kill(os.getpid(), signal.SIGKILL)
"""


def crashed_call(cases: Path) -> None:
    died = subprocess.run([sys.executable, "-c", OPEN_THEN_DIE, str(cases), CASE], check=False)
    assert died.returncode == -signal.SIGKILL


def test_a_crashed_call_is_recovered_and_written_up(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    crashed_call(cases)
    messages = recover_unfinished(cases, CASE, demo_case(cases), library())
    assert len(messages) == 1 and "recovered an unfinished call" in messages[0]
    assert find_unfinished(cases, CASE) == []


def test_a_recovery_that_cannot_write_is_reported_and_the_new_call_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = copy_case(tmp_path)
    crashed_call(cases)

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(recovery, "write_atomic", disk_full)
    messages = recover_unfinished(cases, CASE, demo_case(cases), library())
    assert len(messages) == 1
    assert "No space left on device" in messages[0] and "the new call goes on" in messages[0]
    assert "\n" not in messages[0]
    writer = open_new_call(cases, CASE, "live", "pocketsphinx", "microphone")
    assert not writer.degraded
    writer.close()
    monkeypatch.undo()  # the disk has room again: the next start finishes the old call
    assert (
        "recovered an unfinished call"
        in recover_unfinished(cases, CASE, demo_case(cases), library())[0]
    )
