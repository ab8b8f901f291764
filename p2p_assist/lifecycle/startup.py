"""The start-up step before any new call: finish what a crash left open, delete audio past
the case's retention, and say so.

A call that cannot be finished (a full disk, a read-only folder) must not block the new one:
it is reported in one line and left for the next start; so is audio that cannot be deleted.
"""

from __future__ import annotations

from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.report.after_call import write_reports
from p2p_assist.transcript.audio_retention import delete_old_audio
from p2p_assist.transcript.records import now
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
        audio = closed.meta.stream_seconds if closed.meta else None
        kept = f", {clock(audio)} of audio" if audio is not None else ""
        messages.append(
            f"recovered an unfinished call: {call_dir} ({len(closed.records)} records kept{kept})"
        )
        messages += write_reports(call_dir, case, library).problems
    return messages


def delete_expired_audio(cases_dir: Path, case_id: str, case: Case | None) -> list[str]:
    """Delete the case's call audio older than its audio_retention_days; one line saying what
    went, or why it could not. Nothing to say when the case keeps audio for good."""
    days = case.audio_retention_days if case is not None else None
    if days is None:
        return []
    try:
        deleted = delete_old_audio(cases_dir, case_id, days, now())
    except OSError as error:
        return [
            f"{error.filename or cases_dir}: cannot delete audio older than {days} days "
            f"({error.strerror or error}) — tried again next start"
        ]
    if not deleted.files:
        return []
    return [
        f"deleted the audio of {deleted.calls} call(s) older than {days} days "
        f"({deleted.files} file(s), {deleted.size / 1e6:.1f} MB), as audio_retention_days in "
        f"{case_id}/case.toml asks; their transcripts and notes are kept"
    ]
