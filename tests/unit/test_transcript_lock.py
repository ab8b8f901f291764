"""CallLock: one writer per call folder; a lock left by a dead process is taken over."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from transcript_support import mode

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import CallLock


def leave_lock(call_dir: Path, pid: int, hostname: str) -> None:
    (call_dir / "writer.lock").write_text(json.dumps({"pid": pid, "hostname": hostname}))


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_lock_names_its_owner_and_is_private(tmp_path: Path) -> None:
    lock = CallLock.acquire(tmp_path)
    owner = json.loads(lock.path.read_text())
    assert owner == {"pid": os.getpid(), "hostname": socket.gethostname()}
    assert mode(lock.path) == 0o600
    lock.release()
    assert not lock.path.exists()


def test_a_second_writer_on_a_locked_folder_is_refused_naming_it(tmp_path: Path) -> None:
    lock = CallLock.acquire(tmp_path)
    with pytest.raises(UserError, match=re.escape(f"{tmp_path}: another p2p-assist session")):
        CallLock.acquire(tmp_path)
    lock.release()


def test_a_lock_whose_process_is_gone_is_taken_over(tmp_path: Path) -> None:
    leave_lock(tmp_path, dead_pid(), socket.gethostname())
    lock = CallLock.acquire(tmp_path)
    assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    lock.release()


def test_a_lock_a_crashed_run_left_with_this_processs_pid_is_taken_over(tmp_path: Path) -> None:
    # Containers restart the app with the same small pid, so "that pid is running" is not enough.
    leave_lock(tmp_path, os.getpid(), socket.gethostname())
    CallLock.acquire(tmp_path).release()


def test_a_lock_from_another_host_cannot_be_checked_so_it_holds(tmp_path: Path) -> None:
    leave_lock(tmp_path, dead_pid(), "another-workstation")
    with pytest.raises(UserError, match="on host another-workstation"):
        CallLock.acquire(tmp_path)


def test_an_unreadable_lock_holds_and_the_error_says_how_to_clear_it(tmp_path: Path) -> None:
    (tmp_path / "writer.lock").write_text("")
    with pytest.raises(UserError, match=re.escape(f"delete {tmp_path / 'writer.lock'}")):
        CallLock.acquire(tmp_path)
