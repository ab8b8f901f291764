"""A writer killed mid-call loses at most the line being written, and recovery finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from transcript_support import CASE_ID, line_count, make_cases, utterance

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import (
    Utterance,
    close_unfinished,
    find_unfinished,
    open_new_call,
    read_call,
)

# A separate process appending as fast as it can, so the kill lands mid-stream.
WRITE_FOREVER = """
import sys
from pathlib import Path
from p2p_assist.transcript import Utterance, open_new_call

writer = open_new_call(Path(sys.argv[1]), sys.argv[2], "practice", "scripted", "test")
print(writer.call_dir, flush=True)
number = 0
while True:
    writer.append(Utterance(start=number, end=number + 0.5, text=f"line {number} " + "words " * 40))
    number += 1
"""

OPEN_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from p2p_assist.transcript import open_new_call

open_new_call(Path(sys.argv[1]), sys.argv[2], "live", "vosk", "microphone")
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def running_writer(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    cases = make_cases(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", WRITE_FOREVER, str(cases), CASE_ID],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    call_dir = Path(process.stdout.readline().strip())
    yield process, call_dir
    process.kill()
    process.wait()


def wait_for_lines(jsonl: Path, count: int) -> None:
    deadline = time.monotonic() + 30
    while line_count(jsonl) < count:
        assert time.monotonic() < deadline, f"the writer did not reach {count} lines"
        time.sleep(0.01)


def test_sigkill_loses_at_most_the_line_being_written(
    running_writer: tuple[subprocess.Popen[str], Path],
) -> None:
    process, call_dir = running_writer
    wait_for_lines(call_dir / "transcript.jsonl", 50)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    call = read_call(call_dir)
    complete = line_count(call_dir / "transcript.jsonl")
    assert len(call.records) >= complete >= 50
    texts = [record.text for record in call.records if isinstance(record, Utterance)]
    assert [text.split()[1] for text in texts] == [str(n) for n in range(len(texts))]
    assert call.problems in ([], [f"transcript.jsonl line {complete + 1}: damaged, skipped"])


def test_a_killed_call_is_found_and_recovered(
    running_writer: tuple[subprocess.Popen[str], Path],
) -> None:
    process, call_dir = running_writer
    wait_for_lines(call_dir / "transcript.jsonl", 10)
    cases = call_dir.parents[2]
    assert find_unfinished(cases) == []
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert find_unfinished(cases) == [call_dir]

    call = close_unfinished(call_dir)

    assert call.meta is not None and call.meta.status == "recovered"
    assert call.meta.ended == call.records[-1].t
    assert (call_dir / "transcript.md").read_text().count("] Speaker: line ") == len(call.records)
    assert "Status: recovered" in (call_dir / "transcript.md").read_text()
    assert not (call_dir / "writer.lock").exists()
    assert find_unfinished(cases, CASE_ID) == []


def test_a_call_another_live_process_is_writing_cannot_be_recovered(
    running_writer: tuple[subprocess.Popen[str], Path],
) -> None:
    process, call_dir = running_writer
    with pytest.raises(UserError, match=f"another p2p-assist session .*pid {process.pid}"):
        close_unfinished(call_dir)


def test_calls_being_written_or_ended_are_not_unfinished(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone"):
        pass
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:
        live.append(utterance(1))
        assert find_unfinished(cases) == []
        with pytest.raises(UserError, match="another p2p-assist session"):
            close_unfinished(live.call_dir)


def test_a_crash_before_the_first_line_recovers_as_an_empty_call(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    subprocess.run([sys.executable, "-c", OPEN_THEN_DIE, str(cases), CASE_ID], check=False)
    [call_dir] = find_unfinished(cases)
    call = close_unfinished(call_dir)
    assert call.meta is not None
    assert (call.meta.status, call.meta.ended, call.records) == ("recovered", call.meta.started, [])


def test_an_ended_call_is_not_recovered_again(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "microphone") as writer:
        pass
    with pytest.raises(UserError, match=r"call\.json: status: already ended"):
        close_unfinished(writer.call_dir)
