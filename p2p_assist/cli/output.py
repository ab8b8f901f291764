"""Writing a command's document to stdout or to a file the owner alone can read: briefs,
notes and transcripts hold patient health information, so a file never inherits a loose umask.

`-o` never writes over a file p2p-assist keeps (a case file, a call's transcript or metadata, a
note the clinician may have edited): one slip of the tab key would lose it for good.
"""

from __future__ import annotations

import sys
from pathlib import Path

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import file_error


def _kind_of_own_file(name: str) -> str | None:
    """What p2p-assist keeps under this file name, or None. Imported here, not at the top, so
    `--help` does not load the stages these names belong to."""
    from p2p_assist.cases.store import CASE_FILE
    from p2p_assist.report.notefile import is_note_file
    from p2p_assist.report.scores import SCORE_JSON
    from p2p_assist.transcript.layout import CALL_JSON, TRANSCRIPT_JSONL, TRANSCRIPT_MD
    from p2p_assist.transcript.lock import LOCK_NAME

    kinds = {
        CASE_FILE: "case file",
        TRANSCRIPT_JSONL: "call transcript",
        TRANSCRIPT_MD: "call transcript",
        CALL_JSON: "call record",
        LOCK_NAME: "call lock",
        SCORE_JSON: "practice score",
    }
    return kinds.get(name) or ("call note" if is_note_file(name) else None)


def refuse_own_file(path: Path) -> None:
    """UserError when `path` (or where a link at it leads) is an existing file of p2p-assist's."""
    target = path.resolve()
    what = _kind_of_own_file(target.name)
    if what is not None and target.exists():
        raise file_error(
            path,
            f"is a {what} p2p-assist keeps; writing over it would lose it",
            "give -o a new file name",
        )


def write_output(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    refuse_own_file(path)
    try:
        write_atomic(path, text.encode())
    except OSError as error:
        raise file_error(
            path, f"cannot write ({error.strerror or error})", "choose a folder you can write to"
        ) from error
