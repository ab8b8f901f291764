"""The one way a call ends: the session closes the transcript, then the call is written up.

Used by the call screen (in a worker thread: it is disk work), by `transcribe`, and by the CLI
when the screen was quit without ending the call. Calling it twice is harmless: the second
time nothing is written again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
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
    if closed.first and closed.saved and closed.call_dir is not None:
        reports = write_reports(closed.call_dir, case, library)
    if reports is not None:
        steps = next_steps_for(reports.digest, case, library)
    else:
        determination = outcome.determination if outcome else None
        specialty = session.checklist().get("reviewer_specialty")
        heard = specialty.value if specialty else None
        steps = plan_after_call(library.next_steps, case, determination, heard, dt.date.today())
    return FinishedCall(closed, steps, reports, _lines(closed, reports))


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
