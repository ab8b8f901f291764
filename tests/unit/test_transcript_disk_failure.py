"""When the disk fails the writer keeps the whole call in memory and can save it elsewhere.

The failures are real ones from the kernel, not mocks: a file-size limit (RLIMIT_FSIZE) makes
write() fail with EFBIG exactly as a full disk fails with ENOSPC, and a folder made immutable
refuses new files even to root, where chmod alone does not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from transcript_support import CASE_ID, make_cases, mode, unwritable, utterance

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import Utterance, open_new_call, read_call

# Runs in its own process: the size limit applies to every file the process writes, and pytest's
# own capture files must not be caught by it.
FILL_THE_DISK = """
import json, resource, signal, sys
from pathlib import Path
from p2p_assist.transcript import Utterance, open_new_call

cases, elsewhere = Path(sys.argv[1]), Path(sys.argv[2])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with EFBIG instead
writer = open_new_call(cases, "demo", "live", "vosk", "microphone")
for number in range(3):
    writer.append(Utterance(start=number, end=number + 1, text=f"kept on disk {number}"))
jsonl = writer.call_dir / "transcript.jsonl"
unlimited = resource.getrlimit(resource.RLIMIT_FSIZE)
# Room for 10 more bytes: the next line is cut short part-way, as on a disk that fills up.
resource.setrlimit(resource.RLIMIT_FSIZE, (jsonl.stat().st_size + 10, unlimited[1]))
for number in range(3):
    writer.append(Utterance(start=10 + number, end=11 + number, text=f"kept in memory {number}"))
report = {"first": str(writer.call_dir), "message": writer.degraded_message}
resource.setrlimit(resource.RLIMIT_FSIZE, unlimited)
report["saved"] = str(writer.save_to(elsewhere))
report["degraded_after_save"] = writer.degraded
writer.append(Utterance(start=20, end=21, text="after the save"))
writer.close()
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def disk_full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp_path = tmp_path_factory.mktemp("disk_full")
    elsewhere = tmp_path / "usb"
    command = [sys.executable, "-c", FILL_THE_DISK, str(make_cases(tmp_path)), str(elsewhere)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def texts(call_dir: Path) -> list[str]:
    return [record.text for record in read_call(call_dir).records if isinstance(record, Utterance)]


def test_a_full_disk_degrades_with_one_line_saying_what_to_do(disk_full: dict[str, Any]) -> None:
    message = disk_full["message"]
    assert message.startswith(f"{disk_full['first']}/transcript.jsonl: cannot save the call (")
    assert "kept in memory: save it to another folder" in message
    assert "\n" not in message


def test_the_disk_keeps_only_complete_lines(disk_full: dict[str, Any]) -> None:
    first = Path(disk_full["first"])
    assert read_call(first).problems == []
    assert texts(first) == ["kept on disk 0", "kept on disk 1", "kept on disk 2"]


def test_save_to_writes_the_whole_call_elsewhere_and_carries_on_there(
    disk_full: dict[str, Any],
) -> None:
    saved = Path(disk_full["saved"])
    assert saved.parent == Path(disk_full["first"]).parents[2].parent / "usb" / CASE_ID / "calls"
    assert disk_full["degraded_after_save"] is False
    call = read_call(saved)
    assert call.problems == []
    assert call.meta is not None and call.meta.status == "ended"
    assert texts(saved) == [
        *(f"kept on disk {n}" for n in range(3)),
        *(f"kept in memory {n}" for n in range(3)),
        "after the save",
    ]
    assert all(mode(folder) == 0o700 for folder in (saved, saved.parent, saved.parents[1]))
    assert all(mode(path) == 0o600 for path in saved.iterdir())


def test_a_read_only_case_folder_keeps_the_call_in_memory_to_save_after(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with unwritable(cases / CASE_ID):
        writer = open_new_call(cases, CASE_ID, "live", "vosk", "microphone")
        assert writer.degraded
        assert str(writer.degraded_message).startswith(
            f"{cases / CASE_ID / 'calls'}: cannot save the call"
        )
        for number in range(1, 4):
            writer.append(utterance(number))
        writer.close()
    assert not (cases / CASE_ID / "calls").exists()

    saved = writer.save_to(tmp_path / "elsewhere")

    call = read_call(saved)
    assert call.problems == []
    assert call.meta is not None and call.meta.status == "ended"
    assert [record.text for record in call.records if isinstance(record, Utterance)] == [
        "line 1",
        "line 2",
        "line 3",
    ]
    assert "[00:02] Reviewer: line 1" in (saved / "transcript.md").read_text()
    assert not (saved / "writer.lock").exists()


def test_save_to_a_folder_that_cannot_be_written_is_a_user_error(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(utterance(1))
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("a file where a folder should be")
        with pytest.raises(UserError, match="cannot save the call there"):
            writer.save_to(blocked)
        assert len(writer.records) == 1
