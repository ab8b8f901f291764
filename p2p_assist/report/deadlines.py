"""What to do after the call and by when, with dates computed from the call and the case.

The library says how many days each step takes (`next_steps.toml`, counted from the call);
the case says when the denial letter came and how long the payer allows for an appeal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz

from p2p_assist.cases.model import Case
from p2p_assist.library.model import Determination, NextStep, NextSteps

OUTCOMES: tuple[Determination, ...] = ("approved", "partially approved", "denied", "pending")
SAME_SPECIALTY_SCORE = 80


@dataclass(frozen=True, slots=True)
class DatedStep:
    title: str
    detail: str
    due: dt.date | None
    basis: str  # how the date was reached, so the clinician can check it


def steps_for(
    next_steps: NextSteps, determination: str | None, *, urgent: bool, peer: bool = True
) -> list[NextStep]:
    """The library's steps for this outcome; urgent-only steps only for urgent care, and a
    same-specialty re-review first when the reviewer was not a peer."""
    steps = list(next_steps.reviewer_not_peer) if not peer else []
    outcome = normalise_outcome(determination)
    if outcome is not None:
        steps += [
            step
            for step in next_steps.for_outcome(outcome)
            if step.when == "always" or (step.when == "urgent") == urgent
        ]
    return steps


def normalise_outcome(determination: str | None) -> Determination | None:
    text = (determination or "").strip().lower().replace("partly", "partially")
    for outcome in OUTCOMES:
        if text == outcome:
            return outcome
    return None


def is_peer(specialty_heard: str | None, case: Case | None) -> bool:
    """False only when both are known and clearly differ: an unheard specialty is not proof."""
    if not specialty_heard or specialty_heard == "mentioned" or case is None:
        return True
    needed = case.specialty_needed
    if not needed:
        return True
    return fuzz.token_set_ratio(specialty_heard.lower(), needed.lower()) >= SAME_SPECIALTY_SCORE


def dated_steps(steps: list[NextStep], call_day: dt.date | None) -> list[DatedStep]:
    dated = []
    for step in steps:
        if step.deadline_days is None:
            dated.append(DatedStep(step.title, step.detail, None, ""))
        elif call_day is None:
            basis = f"{step.deadline_days} days after the call"
            dated.append(DatedStep(step.title, step.detail, None, basis))
        else:
            due = call_day + dt.timedelta(days=step.deadline_days)
            basis = f"{step.deadline_days} days after the call"
            dated.append(DatedStep(step.title, step.detail, due, basis))
    return dated


def case_deadlines(case: Case, outcome: Determination | None) -> list[DatedStep]:
    """Deadlines that follow from the denial letter whatever was said on the call."""
    if outcome in ("approved", "pending"):
        return []
    letter = case.denial.letter_date
    appeal_by = letter + dt.timedelta(days=case.payer.appeal_deadline_days)
    found = [
        DatedStep(
            "Written appeal deadline",
            f"{case.payer.name} allows {case.payer.appeal_deadline_days} days to appeal.",
            appeal_by,
            f"{case.payer.appeal_deadline_days} days from the denial letter of {letter:%-d %b %Y}",
        )
    ]
    if case.request.urgent:
        found.append(
            DatedStep(
                "Expedited review",
                "The care is urgent: ask for an expedited appeal; the plan must decide within "
                f"{case.payer.expedited_decision_hours} hours of the request.",
                None,
                "",
            )
        )
    return found


def plan_after_call(
    next_steps: NextSteps,
    case: Case | None,
    determination: str | None,
    specialty_heard: str | None,
    call_day: dt.date | None,
) -> list[DatedStep]:
    """Everything to do after this call, dated: the outcome's steps, then the case's."""
    urgent = case.request.urgent if case else False
    peer = is_peer(specialty_heard, case)
    steps = dated_steps(steps_for(next_steps, determination, urgent=urgent, peer=peer), call_day)
    if case is not None:
        steps += case_deadlines(case, normalise_outcome(determination))
    return steps
