"""The case's facts as a mock call speaks them: short, in words a speech synthesiser reads well.

A reviewer does not read case.toml aloud: they say "Tocilizumab", not the whole request line,
and "June 2025", not "2025-06-16". A fact the case does not have is left out, so the line
that needs it is skipped for one that does not (library/mock_lines.py).
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from string import Formatter

from p2p_assist.cases.facts import number, short_name, short_treatment_name
from p2p_assist.cases.model import Case
from p2p_assist.library.mock_lines import MockLines

_SYMBOLS = {"–": " to ", "—": ", ", "→": " to ", "✓": "", "≥": "at least ", "≤": "at most "}


def speakable(text: str) -> str:
    """Text a synthesiser reads as a person would: no arrows, dashes or ticks."""
    for symbol, words in _SYMBOLS.items():
        text = text.replace(symbol, words)
    return re.sub(r"\s+", " ", text).strip()


def first_words(text: str) -> str:
    """The head of a long field: "Tocilizumab" from "Tocilizumab (Actemra) 162 mg, …"."""
    return re.split(r"\s*[(,;:]", text.strip(), maxsplit=1)[0].strip()


def month(value: dt.date) -> str:
    return value.strftime("%B %Y")


def reference_digits(case_id: str) -> str:
    """An invented five-digit call reference, the same for a case every time it is drafted."""
    return str(10000 + zlib.crc32(case_id.encode()) % 90000)


def reviewer_facts(case: Case, case_id: str, lines: MockLines) -> dict[str, str]:
    """Every fact a reviewer line may name that this case has, spoken as words."""
    reviewer = lines.reviewer
    facts = {
        "reviewer": reviewer.name,
        "title": reviewer.title,
        "payer": case.payer.name,
        "service": first_words(case.request.service),
        "level_of_care": first_words(case.request.level_of_care).lower(),
        "denial_reason": case.denial.reason.strip(),
        "criteria_set": first_words(case.denial.criteria_set),
        "specialty": case.specialty_needed.strip(),
        "reference": " ".join(reference_digits(case_id)),
    }
    primary = case.primary_diagnosis()
    if primary is not None:
        facts["diagnosis"] = first_words(primary.description)
    if case.alternatives:
        facts["preferred"] = first_words(case.alternatives[0].option)
    if case.treatments:
        first = case.treatments[0]
        facts["treatment"] = short_treatment_name(first.name)
        if first.start is not None:
            facts["treatment_start"] = month(first.start)
    measured = [measure for measure in case.measures if measure.readings]
    if measured:
        latest = measured[0].ordered()[-1]
        facts["measure"] = short_name(measured[0].instrument)
        facts["latest"] = number(latest.value)
        facts["latest_date"] = month(latest.date)
    return {name: speakable(text) for name, text in facts.items() if text.strip()}


def fill_first(templates: list[str], facts: dict[str, str]) -> str | None:
    """The first template whose every {fact} is known, filled; None when none is."""
    for template in templates:
        names = [field for _, field, _, _ in Formatter().parse(template) if field]
        if all(name in facts for name in names):
            return template.format_map(facts)
    return None
