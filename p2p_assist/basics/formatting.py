"""How times, counts and free text are shown everywhere: one mm:ss clock, one way to say "3
days", one way to flatten a line."""

from __future__ import annotations

import math
import re


def clock(seconds: float | None) -> str:
    """mm:ss from the start of the call (minutes go past 59); --:-- when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "--:--"
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces, so a value never breaks a table or a line."""
    return " ".join(text.split())


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 day", "3 days", "1 business day": durations read as a person would say them."""
    if abs(count) == 1:
        return f"{count} {word}"
    return f"{count} {many or word + 's'}"


def shorten(text: str, limit: int) -> str:
    """At most `limit` words of `text`: whole sentences while they fit, else the first
    sentence up to its first ';', else its first words and an ellipsis. A one-page brief
    keeps the head of each fact, where a clinician writes the point."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", one_line(text))
    kept: list[str] = []
    for sentence in sentences:
        if len(" ".join([*kept, sentence]).split()) > limit:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    clause = sentences[0].split("; ")[0]
    if len(clause.split()) <= limit:
        return clause.rstrip(".,:") + "…"
    return " ".join(clause.split()[:limit]).rstrip(".,;:") + "…"
