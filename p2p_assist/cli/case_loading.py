"""Loading the case for after-call work, where a broken case.toml must not hide the call."""

from __future__ import annotations

import sys
from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case


def case_or_none(folder: Path, case_id: str, consequence: str) -> Case | None:
    """The case, or None with one line saying what is wrong and what that means here."""
    try:
        return load_case(folder, case_id)
    except UserError as error:
        print(f"p2p-assist: {error} ({consequence})", file=sys.stderr)
        return None


def load_case_for(folder: Path, case_id: str | None) -> Case | None:
    """The case a command names (its facts fill the cards); None when it names none."""
    return load_case(folder, case_id) if case_id else None
