"""What a reviewer could exploit in a case, and where the case stands on the P2P window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from p2p_assist.cases.facts import case_facts
from p2p_assist.cases.model import Case


@dataclass(frozen=True)
class Window:
    opens: dt.date
    closes: dt.date
    days_left: int
    state: str  # "open" | "closes today" | "closed" | "letter ahead"

    def describe(self) -> str:
        if self.state == "letter ahead":
            # A letter cannot come from the future: a typo that would make every date wrong.
            return (
                f"denial letter dated {self.opens:%-d %b %Y}, after today — "
                "check denial.letter_date in case.toml"
            )
        if self.state == "closed":
            return (
                f"P2P window closed on {self.closes:%-d %b %Y} "
                f"({-self.days_left} days ago) — go to the written appeal"
            )
        if self.state == "closes today":
            return f"P2P window closes TODAY ({self.closes:%-d %b %Y}) — call now"
        return f"P2P window open until {self.closes:%-d %b %Y} ({self.days_left} days left)"


def p2p_window(case: Case, today: dt.date) -> Window:
    closes = case.denial.letter_date + dt.timedelta(days=case.payer.p2p_window_days)
    days_left = (closes - today).days
    state = "closed" if days_left < 0 else ("closes today" if days_left == 0 else "open")
    if case.denial.letter_date > today:
        state = "letter ahead"
    return Window(case.denial.letter_date, closes, days_left, state)


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


def procedure_notes(case: Case, today: dt.date) -> list[str]:
    notes = [p2p_window(case, today).describe()]
    if case.prior_p2p == "held":
        notes.append("A P2P was already held for this denial: only one is allowed — use the appeal")
    if case.request.urgent:
        notes.append(
            "Urgent care: ask for an expedited review or expedited appeal "
            f"(decision usually within {case.payer.expedited_decision_hours} hours)"
        )
    appeal_by = case.denial.letter_date + dt.timedelta(days=case.payer.appeal_deadline_days)
    notes.append(f"Written appeal due by {appeal_by:%-d %b %Y}")
    return notes
