"""Whether a case is ready for a call, what a reviewer could exploit in it, and where it
stands on the P2P window.

Ready means the few facts no call can go ahead without; gaps are the weaker spots a
reviewer could press on. The payer's process rules (one P2P per denial, scheduling limits)
are data in the prompt library and applied above this layer, in `library/process.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from p2p_assist.basics.business_days import deadline_words, is_business_day, long_day
from p2p_assist.basics.formatting import plural
from p2p_assist.cases.facts import case_facts
from p2p_assist.cases.model import Case


@dataclass(frozen=True)
class Window:
    """The calendar days the payer allows to ask for a P2P, counted from the denial letter;
    unknown (all None) until the letter's date is in the case."""

    opens: dt.date | None
    closes: dt.date | None
    days_left: int | None
    state: str  # "open" | "closes today" | "closed" | "letter ahead" | "unknown"

    def short(self) -> str:
        """A few words for the call screen's header."""
        if self.days_left is None:
            return "P2P window unknown"
        if self.state == "letter ahead":
            return "denial letter date is after today: check case.toml"
        if self.state == "closed":
            return "P2P window CLOSED"
        if self.state == "closes today":
            return "P2P window closes TODAY"
        return f"P2P window: {plural(self.days_left, 'day')} left"

    def describe(self) -> str:
        if self.closes is None or self.days_left is None:
            return "P2P window unknown — add the denial letter's date ([denial] letter_date)"
        if self.state == "letter ahead" and self.opens is not None:
            # A letter cannot come from the future: a typo that would make every date wrong.
            return (
                f"denial letter dated {self.opens:%-d %b %Y}, after today — "
                "check denial.letter_date in case.toml"
            )
        if self.state == "closed":
            ago = plural(-self.days_left, "day")
            return f"P2P window closed on {long_day(self.closes)} ({ago} ago) — use the appeal"
        if self.state == "closes today":
            return f"P2P window closes TODAY ({long_day(self.closes)}) — call now"
        left = plural(self.days_left, "day")
        if is_business_day(self.closes):
            return f"P2P window open until {long_day(self.closes)} ({left} left)"
        return f"P2P window open ({left} left): {deadline_words(self.closes, 'closes', 'ask by')}"


def p2p_window(case: Case, today: dt.date) -> Window:
    letter = case.denial.letter_date
    if letter is None:
        return Window(None, None, None, "unknown")
    closes = letter + dt.timedelta(days=case.payer.p2p_window_days)
    days_left = (closes - today).days
    state = "closed" if days_left < 0 else ("closes today" if days_left == 0 else "open")
    if letter > today:
        state = "letter ahead"
    return Window(letter, closes, days_left, state)


@dataclass(frozen=True)
class Missing:
    """A field a call cannot go ahead without, and what to write in it."""

    field: str
    write: str

    def describe(self) -> str:
        return f"{self.field}: {self.write}"


def not_ready(case: Case) -> list[Missing]:
    """The required-for-a-call fields still empty, in the order they appear in case.toml."""
    checks = [
        (not case.clinician.name.strip(), "clinician.name", 'your name, e.g. "Dr. Maya Okafor"'),
        (case.patient.age is None, "patient.age", "the patient's age in years, e.g. age = 15"),
        (not case.patient.sex.strip(), "patient.sex", 'e.g. sex = "female"'),
        (not case.payer.name.strip(), "payer.name", "the health plan, as on the denial letter"),
        (
            not case.request.service.strip(),
            "request.service",
            'what was requested, e.g. service = "Adolescent residential treatment"',
        ),
        (
            case.denial.letter_date is None,
            "denial.letter_date",
            "the date printed on the denial letter, e.g. letter_date = 2026-11-16 "
            "(the P2P window counts from it)",
        ),
        (
            not case.denial.reason.strip(),
            "denial.reason",
            "the reason in the payer's own words, copied from the letter",
        ),
        (
            not case.diagnoses,
            "diagnoses",
            'a [[diagnoses]] block with code = "..." and description = "..."',
        ),
    ]
    return [Missing(field, write) for empty, field, write in checks if empty]


def gaps(case: Case) -> list[str]:
    """Missing facts, in the words the clinician would use to fix them."""
    found: list[str] = []
    for name, fact in case_facts(case).items():
        found.extend(f"{name}: missing {what}" for what in fact.missing)
    for number, treatment in enumerate(case.treatments, 1):
        if treatment.start and treatment.end and treatment.end < treatment.start:
            found.append(f"treatments[{number}] {treatment.name}: ends before it starts")
    if not case.denial.one_sentence_answer:
        found.append("denial: no one-sentence answer to the denial reason")
    return found
