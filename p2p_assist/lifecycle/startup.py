"""The start-up step before any new call: finish what a crash left open, and say so.

A call that cannot be finished (a full disk, a read-only folder) must not block the new one:
it is reported in one line and left for the next start.
"""

from __future__ import annotations

from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.report.after_call import write_reports
from p2p_assist.transcript.recovery import close_unfinished, find_unfinished


def recover_unfinished(
    cases_dir: Path, case_id: str, case: Case | None, library: Library
) -> list[str]:
    """Close the case's calls a crash left open and write their notes; one line per call."""
    messages = []
    for call_dir in find_unfinished(cases_dir, case_id):
        try:
            closed = close_unfinished(call_dir)
        except UserError as error:
            messages.append(f"{error} (the new call goes on; this one is tried again next time)")
            continue
        messages.append(
            f"recovered an unfinished call: {call_dir} ({len(closed.records)} records kept)"
        )
        messages += write_reports(call_dir, case, library).problems
    return messages
