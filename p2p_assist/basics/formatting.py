"""How times and free text are shown everywhere: one mm:ss clock, one way to flatten a line."""

from __future__ import annotations

import math


def clock(seconds: float | None) -> str:
    """mm:ss from the start of the call (minutes go past 59); --:-- when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces, so a value never breaks a table or a line."""
    return " ".join(text.split())
