"""The one way a call ends: the session closes the transcript, then the call is written up.

Used by the call screen (in a worker thread: it is disk work), by `transcribe`, and by the CLI
when the screen was quit without ending the call. Calling it twice is harmless: the second
time nothing is written again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.edit import record_p2p_held
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.library.process import rules_or_generic
from p2p_assist.report.after_call import Reports, write_reports
from p2p_assist.report.deadlines import DatedStep, plan_after_call
from p2p_assist.report.note import next_steps_for
from p2p_assist.session.call import CallSession
from p2p_assist.session.events import CallClosed
from p2p_assist.transcript.records import Outcome


@dataclass(frozen=True)
class FinishedCall:
    closed: CallClosed
    steps: list[DatedStep]
    reports: Reports | None = None
    lines: list[str] = field(default_factory=list)  # what was saved where, and what failed

    @property
    def call_dir(self) -> Path | None:
        return self.closed.call_dir


def finish_call(
    session: CallSession,
    case: Case | None,
    library: Library,
    outcome: Outcome | None = None,
    fallback: Path | None = None,
) -> FinishedCall:
    """End the call (saving it under `fallback` if its case folder failed), then write its
    note and practice score and work out the dated next steps."""
    if outcome is not None:
        session.set_outcome(outcome)
    closed = session.end(fallback)
    reports = None
    held: list[str] = []
    if closed.first and closed.saved and closed.call_dir is not None:
        reports = write_reports(closed.call_dir, case, library)
        if session.kind == "live" and not closed.problems:
            held = _record_p2p_held(closed.call_dir)
    if reports is not None:
        steps = next_steps_for(reports.digest, case, library)
    else:
        determination = outcome.determination if outcome else None
        specialty = session.checklist().get("reviewer_specialty")
        heard = specialty.value if specialty else None
        rules = rules_or_generic(case, library)
        steps = plan_after_call(
            library.next_steps, case, determination, heard, dt.date.today(), rules
        )
    return FinishedCall(closed, steps, reports, _lines(closed, reports) + held)


def _record_p2p_held(call_dir: Path) -> list[str]:
    """A live call is the denial's one peer-to-peer: the case says so from now on, so
    `case check` warns before a second one. Practice runs are not P2Ps."""
    case_dir = call_dir.parent.parent
    try:
        changed = record_p2p_held(case_dir.parent, case_dir.name, dt.date.today())
    except UserError as error:
        return [f"{error} (the call itself is saved)"]
    return ["case.toml now records this call as the denial's one P2P"] if changed else []


def _lines(closed: CallClosed, reports: Reports | None) -> list[str]:
    if not closed.first:
        return []
    if closed.saved and closed.call_dir is not None:
        lines = [f"call saved to {closed.call_dir}"]
    elif closed.problems:
        lines = ["the call could NOT be saved"]
    else:
        lines = []
    lines += closed.problems
    return lines + (reports.describe() if reports else [])
