"""One writer per call folder: a lock file, created exclusively, naming its pid and host.

A crash leaves the lock behind. It is stale when its host is this one and its pid is no
longer running, and may then be taken over. A lock from another host (a shared drive) cannot
be checked, so it counts as live. A crash between creating the lock and writing into it leaves
it empty: call.json, written after the lock by the same process, then names the owner.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path

from p2p_assist.basics.durable import open_private, write_all
from p2p_assist.basics.errors import file_error
from p2p_assist.transcript.layout import CALL_JSON

LOCK_NAME = "writer.lock"

# Locks this process holds. In a container the app is often the same small pid after every
# restart, so "the pid is me" alone cannot tell our lock from one a crashed run left behind.
_held: set[Path] = set()


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(data: bytes) -> tuple[int, str]:
    """(pid, host) from a lock's or call.json's text; ValueError, KeyError or TypeError if
    it does not name them."""
    owner = json.loads(data)
    return int(owner["pid"]), str(owner["hostname"])


def _writer_of_call(call_dir: Path) -> tuple[int, str] | None:
    """The process that wrote call.json, which is the one that took the lock before it: a crash
    between creating the lock and writing it leaves an empty lock, and this names its owner."""
    try:
        return _owner((call_dir / CALL_JSON).read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def holder(call_dir: Path) -> str | None:
    """Who holds the call folder's lock ("pid 12 on host ward-3"), or None if free or stale."""
    path = call_dir / LOCK_NAME
    try:
        pid, host = _owner(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # No call.json yet means a writer is between the lock and call.json: leave it alone.
        found = _writer_of_call(call_dir)
        if found is None:
            return "an unreadable lock"
        pid, host = found
    if host != socket.gethostname():
        return f"pid {pid} on host {host}"
    alive = path.resolve() in _held if pid == os.getpid() else _pid_running(pid)
    return f"pid {pid} on host {host}" if alive else None


class CallLock:
    """Held while a call folder is written; release() when done."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def acquire(cls, call_dir: Path) -> CallLock:
        path = call_dir / LOCK_NAME
        # Two tries: the first may find a stale lock, which is removed before the second.
        for _ in range(2):
            try:
                fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                owner = holder(call_dir)
                if owner is not None:
                    raise file_error(
                        call_dir,
                        f"another p2p-assist session is writing this call ({owner})",
                        f"close that session first; if it is not running, delete {path}",
                    ) from None
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            owner_json = {"pid": os.getpid(), "hostname": socket.gethostname()}
            try:
                write_all(fd, json.dumps(owner_json).encode())
                os.fsync(fd)
            except BaseException:
                # An empty lock would read as "unreadable" and block the call for good.
                os.close(fd)
                with contextlib.suppress(OSError):
                    path.unlink()
                raise
            os.close(fd)
            _held.add(path.resolve())
            return cls(path)
        raise file_error(
            call_dir, "another session took this call's lock at the same moment", "try again"
        )

    def release(self) -> None:
        _held.discard(self.path.resolve())
        self.path.unlink(missing_ok=True)
