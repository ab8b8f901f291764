"""Shared by the transcript store tests: a cases folder with one case, and sample records."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from p2p_assist.transcript import Utterance

CASE_ID = "demo"


def make_cases(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    (cases / CASE_ID).mkdir(parents=True)
    return cases


def utterance(number: int) -> Utterance:
    return Utterance(
        start=number * 2.0, end=number * 2.0 + 1.5, speaker="reviewer", text=f"line {number}"
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def line_count(path: Path) -> int:
    with path.open("rb") as separate:
        return separate.read().count(b"\n")


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """chmod 0500, and for root (whom chmod does not stop) the immutable attribute too."""
    folder.chmod(0o500)
    chattr = shutil.which("chattr")
    immutable = os.geteuid() == 0 and chattr is not None
    if immutable:
        immutable = (
            subprocess.run([str(chattr), "+i", str(folder)], capture_output=True).returncode == 0
        )
    try:
        probe = folder / "probe"
        try:
            probe.mkdir()
        except OSError:
            yield
        else:
            probe.rmdir()
            pytest.skip("cannot make a folder read-only here (root without chattr +i)")
    finally:
        if immutable:
            subprocess.run([str(chattr), "-i", str(folder)], check=True)
        folder.chmod(0o700)
