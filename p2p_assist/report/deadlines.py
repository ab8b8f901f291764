"""What to do after the call and by when, with dates computed from the call and the case.

The library says how many days each step takes (`next_steps.toml`, counted from the call, in
business or calendar days); the case says when the denial letter came and how long the payer
allows for an appeal; the payer's rules profile adds what its process requires. Order matters
on a busy day: an urgent or inpatient denial puts the expedited appeal first, a reviewer from
another specialty puts the same-specialty request next, and no step appears twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz

from p2p_assist.basics.business_days import (
    add_business_days,
    business_day_on_or_before,
    deadline_words,
    is_business_day,
    long_day,
)
from p2p_assist.basics.formatting import plural
from p2p_assist.cases.model import Case
from p2p_assist.library.model import Determination, NextStep, NextSteps
from p2p_assist.library.playbook import PayerRules

OUTCOMES: tuple[Determination, ...] = ("approved", "partially approved", "denied", "pending")
SAME_SPECIALTY_SCORE = 80


@dataclass(frozen=True, slots=True)
class DatedStep:
    title: str
    detail: str
    due: dt.date | None  # the last working day to act
    basis: str  # how the date was reached, so the clinician can check it
    deadline: dt.date | None = None  # the calendar deadline, when offices are shut that day

    def when(self) -> str:
        """ "by Mon 30 Nov 2026", or the weekend/holiday wording with the day to send by."""
        if self.deadline is not None:
            return deadline_words(self.deadline)
        return f"by {long_day(self.due)}" if self.due else ""


def on_working_day(title: str, detail: str, deadline: dt.date, basis: str) -> DatedStep:
    """A calendar deadline, moved back to the working day before when offices are shut."""
    if is_business_day(deadline):
        return DatedStep(title, detail, deadline, basis)
    return DatedStep(title, detail, business_day_on_or_before(deadline), basis, deadline)


def steps_for(
    next_steps: NextSteps, determination: str | None, *, urgent: bool, peer: bool = True
) -> list[NextStep]:
    """The library's steps for this outcome, in the order to do them: the expedited ones
    first (urgent care only), then a same-specialty re-review when the reviewer was not a
    peer, then the rest."""
    outcome = normalise_outcome(determination)
    listed = next_steps.for_outcome(outcome) if outcome is not None else []
    fits = [step for step in listed if step.when == "always" or (step.when == "urgent") == urgent]
    first = [step for step in fits if step.when == "urgent"]
    rest = [step for step in fits if step.when != "urgent"]
    not_peer = list(next_steps.reviewer_not_peer) if not peer else []
    return _unique([*first, *not_peer, *rest])


def _unique(steps: list[NextStep]) -> list[NextStep]:
    seen: set[str] = set()
    kept = []
    for step in steps:
        key = " ".join(step.title.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(step)
    return kept


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
        days = step.deadline_days
        if days is None:
            dated.append(DatedStep(step.title, step.detail, None, ""))
            continue
        unit = "business day" if step.business_days else "day"
        basis = f"{plural(days, unit)} after the call"
        if call_day is None:
            dated.append(DatedStep(step.title, step.detail, None, basis))
        elif step.business_days:
            due = add_business_days(call_day, days)
            dated.append(DatedStep(step.title, step.detail, due, basis))
        else:
            deadline = call_day + dt.timedelta(days=days)
            dated.append(on_working_day(step.title, step.detail, deadline, basis))
    return dated


def case_deadlines(
    case: Case, outcome: Determination | None, *, expedited: bool
) -> list[DatedStep]:
    """Deadlines that follow from the denial letter whatever was said on the call; the
    expedited review only when the library's steps do not already ask for it."""
    if outcome in ("approved", "pending"):
        return []
    found = []
    letter = case.denial.letter_date
    days = case.payer.appeal_deadline_days
    allows = f"{case.payer.name or 'The plan'} allows {plural(days, 'day')} to appeal."
    if letter is None:
        found.append(DatedStep("Written appeal deadline", allows, None, "add the letter's date"))
    else:
        basis = f"{plural(days, 'day')} from the denial letter of {long_day(letter)}"
        deadline = letter + dt.timedelta(days=days)
        found.append(on_working_day("Written appeal deadline", allows, deadline, basis))
    if expedited:
        hours = plural(case.payer.expedited_decision_hours, "hour")
        detail = (
            "The care is urgent: ask for an expedited appeal; the plan must decide within "
            f"{hours} of the request."
        )
        found.append(DatedStep("Expedited review", detail, None, ""))
    return found


def rules_steps(
    rules: PayerRules, outcome: Determination | None, call_day: dt.date | None
) -> list[DatedStep]:
    """What the payer's process rules add after a call."""
    found = []
    if outcome == "denied" and rules.one_p2p_per_denial:
        found.append(
            DatedStep(
                "Appeal rather than ask for a second P2P",
                f"The {rules.name} rules allow one P2P per denial; a further request is "
                "sent to the appeal process.",
                None,
                "",
            )
        )
    days = rules.new_letter_within_business_days
    if outcome in ("approved", "partially approved") and days is not None:
        span = plural(days, "business day")
        found.append(
            DatedStep(
                "Check for the new determination letter",
                f"Under the {rules.name} rules a decision changed on the call is confirmed "
                f"in a new letter within {span}; call the plan if it has not come.",
                add_business_days(call_day, days) if call_day else None,
                f"{span} after the call",
            )
        )
    return found


def plan_after_call(
    next_steps: NextSteps,
    case: Case | None,
    determination: str | None,
    specialty_heard: str | None,
    call_day: dt.date | None,
    rules: PayerRules | None = None,
) -> list[DatedStep]:
    """Everything to do after this call, dated and in order: the outcome's steps (expedited
    first when urgent), what the payer's rules add, then the case's own deadlines."""
    urgent = case.request.needs_expedited if case else False
    outcome = normalise_outcome(determination)
    chosen = steps_for(
        next_steps, determination, urgent=urgent, peer=is_peer(specialty_heard, case)
    )
    steps = dated_steps(chosen, call_day)
    if rules is not None:
        steps += rules_steps(rules, outcome, call_day)
    if case is not None:
        asked = any(step.when == "urgent" for step in chosen)
        steps += case_deadlines(case, outcome, expedited=urgent and not asked)
    return steps
