"""One reviewer at a time: a second p2p-assist opening the same call reviews it read-only.

An OS advisory lock (flock) on review.lock in the call folder, held for as long as the call
is open in review. The kernel drops it when the process dies, so a crash never leaves the
call locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from p2p_assist.basics.durable import open_private

REVIEW_LOCK = "review.lock"


class ReviewLock:
    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def try_acquire(cls, call_dir: Path) -> ReviewLock | None:
        """The lock, or None when another process is reviewing the call (or the folder
        cannot hold a lock file: then read-only is the safe answer too)."""
        try:
            fd = open_private(call_dir / REVIEW_LOCK, os.O_WRONLY | os.O_CREAT)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        return cls(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
        self._fd = None
