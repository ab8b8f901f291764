"""Shared by the transcript store tests: a cases folder with one case, and sample records."""

from __future__ import annotations

import stat
from pathlib import Path

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
