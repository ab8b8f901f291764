"""The payer's P2P process rules (`prompts/payer_rules/`) applied to one case on one day.

What `case check` prints under the window, and what the brief puts at its top: whether a P2P
is still possible (one per denial, none after an appeal), by when the plan must call back and
hold it, who may take the call, and the written appeal's deadline on a real working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from p2p_assist.basics.business_days import add_business_days, deadline_words, long_day
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import plural
from p2p_assist.cases.check import p2p_window
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.library.playbook import PayerRules

GENERIC = "generic"


@dataclass(frozen=True)
class ProcessNote:
    text: str
    warning: bool = False


def rules_for(library: Library, case: Case) -> PayerRules:
    """The profile the case names; an unknown name is the user's to fix, with the choices."""
    rules = library.payer_rules.get(case.payer.rules)
    if rules is None:
        known = ", ".join(sorted(library.payer_rules)) or "none found"
        raise UserError(
            f"case.toml: payer.rules: no profile {case.payer.rules!r} in "
            f"{library.folder / 'payer_rules'} — use one of: {known}"
        )
    return rules


def process_notes(case: Case, rules: PayerRules, today: dt.date) -> list[ProcessNote]:
    window = p2p_window(case, today)
    notes = [ProcessNote(window.describe(), warning=window.state in ("closed", "letter ahead"))]
    notes += _blocked(case, rules)
    if case.prior_p2p == "scheduled":
        notes += _booked(case, rules)
    elif case.prior_p2p == "none" and case.appeal_filed_on is None:
        notes += _to_request(case, rules, today)
    if rules.who_may_hold:
        notes.append(ProcessNote(f"Who may take the call: {'; '.join(rules.who_may_hold)}"))
    if case.request.needs_expedited:
        hours = plural(case.payer.expedited_decision_hours, "hour")
        notes.append(
            ProcessNote(f"Urgent care: ask for an expedited review (decided within {hours})")
        )
    if case.denial.letter_date is not None:
        due = case.denial.letter_date + dt.timedelta(days=case.payer.appeal_deadline_days)
        notes.append(ProcessNote(f"Written appeal {deadline_words(due)}"))
    return notes


def _blocked(case: Case, rules: PayerRules) -> list[ProcessNote]:
    found = []
    if case.appeal_filed_on is not None and not rules.p2p_after_appeal:
        found.append(
            ProcessNote(
                f"An appeal was filed on {long_day(case.appeal_filed_on)}: under the {rules.name} "
                "rules no P2P follows an appeal — pursue the appeal",
                warning=True,
            )
        )
    if case.prior_p2p == "held":
        when = f" on {long_day(case.prior_p2p_on)}" if case.prior_p2p_on else ""
        if rules.one_p2p_per_denial:
            text = (
                f"A P2P was already held{when} for this denial: the {rules.name} rules allow "
                "only one — a second request goes to the appeal"
            )
        else:
            text = f"A P2P was already held{when}: confirm the plan allows another before asking"
        found.append(ProcessNote(text, warning=True))
    return found


def _booked(case: Case, rules: PayerRules) -> list[ProcessNote]:
    if case.prior_p2p_on is None:
        return [ProcessNote("P2P scheduled — add the date as prior_p2p_on = YYYY-MM-DD")]
    found = [ProcessNote(f"P2P booked for {long_day(case.prior_p2p_on)}")]
    limit = _held_by(case.p2p_requested_on, rules)
    if limit is not None and case.prior_p2p_on > limit:
        found.append(
            ProcessNote(
                f"That is after the {rules.name} limit of "
                f"{plural(rules.held_within_business_days or 0, 'business day')} from your "
                f"request ({long_day(limit)}) — ask for an earlier slot unless you agreed to it",
                warning=True,
            )
        )
    if rules.reattempts:
        tries = plural(rules.reattempts, "more attempt")
        found.append(
            ProcessNote(f"If you miss the call, the reviewer makes {tries}: stay reachable")
        )
    return found


def _to_request(case: Case, rules: PayerRules, today: dt.date) -> list[ProcessNote]:
    asked = case.p2p_requested_on
    start = asked or today
    contact = _business(start, rules.contact_within_business_days)
    held = _held_by(start, rules)
    limits = ", ".join(
        part
        for part in (
            f"call you back by {long_day(contact)}" if contact else "",
            f"hold it by {long_day(held)}" if held else "",
        )
        if part
    )
    if asked is None:
        if p2p_window(case, today).state in ("closed", "unknown"):
            return []
        if not limits:
            return [ProcessNote("Ask for the P2P today, and ask when the plan will hold it")]
        return [
            ProcessNote(
                f"Ask for the P2P today: under the {rules.name} rules the plan must {limits}"
            )
        ]
    must = f": the plan must {limits}" if limits else ""
    found = [ProcessNote(f"P2P requested on {long_day(asked)}{must}")]
    if contact is not None and today > contact:
        line = case.payer.p2p_phone or "the plan's P2P line"
        found.append(
            ProcessNote(
                f"No call back by {long_day(contact)}, past the {rules.name} limit: call {line} "
                "and give the reference number",
                warning=True,
            )
        )
    return found


def _business(start: dt.date, days: int | None) -> dt.date | None:
    return None if days is None else add_business_days(start, days)


def _held_by(requested: dt.date | None, rules: PayerRules) -> dt.date | None:
    return None if requested is None else _business(requested, rules.held_within_business_days)


def rules_or_generic(case: Case | None, library: Library) -> PayerRules | None:
    """The case's process rules; an unknown profile (which `case check` reports) falls back
    to the generic one rather than costing the clinician a note or a next step."""
    if case is None:
        return None
    return library.payer_rules.get(case.payer.rules) or library.payer_rules.get(GENERIC)
