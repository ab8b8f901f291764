"""Crash-safe file primitives: private folders and files, atomic replace, durable append.

Every call transcript is patient health information, so nothing here trusts the umask:
the mode is given at creation and set again with chmod, which the umask cannot mask.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def make_private_dir(path: Path) -> None:
    """Create one folder, 0700. FileExistsError if it exists: callers use that to pick a name."""
    os.mkdir(path, DIR_MODE)
    os.chmod(path, DIR_MODE)
    fsync_dir(path.parent)


def ensure_private_dirs(path: Path) -> None:
    """Create `path` and any missing parents, each 0700; folders that exist are left alone."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            make_private_dir(folder)


def open_private(path: Path, flags: int) -> int:
    """Open (usually create) a file readable by its owner only; returns the descriptor."""
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_all(fd: int, data: bytes) -> None:
    """os.write may write less than asked (a nearly full disk does); loop until all is out."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def append_durably(fd: int, data: bytes) -> None:
    """Append and fsync, so the bytes survive a crash the moment this returns.

    If the write fails part-way, the file is cut back to where it was: the disk then holds
    complete lines only, and the caller keeps the record in memory.
    """
    size = os.fstat(fd).st_size
    try:
        write_all(fd, data)
        os.fsync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def fsync_dir(path: Path) -> None:
    """A rename or a new file is only durable once its folder's entry is flushed too."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` so a crash leaves either the old file or the new one, never half of one."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = open_private(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(path.parent)
