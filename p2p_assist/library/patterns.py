"""The prompt library's own regular expressions, compiled and searched under a time budget.

`documentation.toml`'s `patterns` and `choices` are regexes a clinician may edit. Python's `re`
cannot be interrupted, so one pattern with nested repeats (`(a+)+$`) freezes the call screen
for minutes on a single line. A static check for such patterns misses some (overlapping
alternations such as `(a|aa)+$` blow up just as badly), and dropping regexes from the library
would lose the determination phrasings that need them. The `regex` module takes a timeout per
search, so every pattern, however written, costs at most SEARCH_BUDGET_SECONDS on one line; one
that runs out is switched off for the rest of the run and the user is told once.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

SEARCH_BUDGET_SECONDS = 0.05
"""A bundled pattern takes microseconds on an utterance; fifty milliseconds on one line is a
pattern that backtracks without end, and still short enough not to stall the transcript."""


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """ValueError naming the pattern when it does not compile."""
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise ValueError(f"regex {pattern!r} does not compile: {error}") from None


def choice_pattern(phrasing: str) -> str:
    """A choice's phrasing as a whole-word regex."""
    return rf"\b(?:{phrasing})\b"


class PatternGuard:
    """Searches library patterns within the budget; a pattern that runs out is off from then on,
    and `on_notice` gets one line naming it and the fix."""

    def __init__(self, on_notice: Callable[[str], None] | None = None) -> None:
        self._on_notice = on_notice
        self._off: set[str] = set()

    def search(self, pattern: regex.Pattern[str], text: str, item: str) -> regex.Match[str] | None:
        if pattern.pattern in self._off:
            return None
        try:
            return pattern.search(text, timeout=SEARCH_BUDGET_SECONDS)
        except TimeoutError:
            self._off.add(pattern.pattern)
            if self._on_notice is not None:
                self._on_notice(
                    f"documentation item '{item}': regex {pattern.pattern[:80]!r} ran over "
                    f"{SEARCH_BUDGET_SECONDS * 1000:.0f} ms on one line, so it is off for this run "
                    "— simplify it in documentation.toml (nested repeats such as (a+)+ never end)"
                )
            return None
