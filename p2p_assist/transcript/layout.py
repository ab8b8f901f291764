"""Where a call lives: <cases_dir>/<case_id>/calls/<stamp>/ and the file names inside.

The stamp is local time to the second (2026-11-23T14-05-09: no colons, so the folder can be
copied to any filesystem); a second call in the same second gets -2, -3, ...
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from p2p_assist.basics.durable import ensure_private_dirs, make_private_dir
from p2p_assist.basics.errors import file_error

CALLS = "calls"
CALL_JSON = "call.json"
TRANSCRIPT_JSONL = "transcript.jsonl"
TRANSCRIPT_MD = "transcript.md"
AUDIO_GLOB = "audio-*.flac"


def audio_name(channel: int) -> str:
    """One file per input: 0 is the main input, 1 the reviewer's when it comes in separately."""
    return f"audio-{channel}.flac"


STAMP_FORMAT = "%Y-%m-%dT%H-%M-%S"
_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)(?:-(\d+))?")


def case_dir(cases_dir: Path, case_id: str) -> Path:
    """The case's folder, which must exist: a call is always recorded against a known case."""
    if not case_id or case_id in (".", "..") or "/" in case_id or "\\" in case_id:
        raise file_error(
            cases_dir, f"case id {case_id!r} is not a folder name", "use the case's folder name"
        )
    folder = cases_dir / case_id
    try:
        found = folder.is_dir()
    except OSError as error:  # a name too long for the file system, a folder it may not enter
        raise file_error(
            folder, f"not a usable case folder ({error.strerror})", "see `p2p-assist case list`"
        ) from None
    if not found:
        raise file_error(
            folder, "case folder not found", f"create the case first, or pick one in {cases_dir}"
        )
    return folder


def case_ids(cases_dir: Path) -> list[str]:
    """Every case folder's name, sorted; hidden folders are not cases."""
    if not cases_dir.is_dir():
        raise file_error(
            cases_dir, "cases folder not found", "pass --cases or set P2P_ASSIST_CASES"
        )
    try:
        return sorted(
            p.name for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
    except OSError as error:
        raise file_error(
            cases_dir, f"cannot list the cases ({error.strerror})", "check the folder's permissions"
        ) from None


def calls_dir(cases_dir: Path, case_id: str) -> Path:
    return case_dir(cases_dir, case_id) / CALLS


def refuse_links_out(calls: Path) -> None:
    """A call is patient data: it goes exactly to <root>/<case>/calls/, never where a link on
    the way leads (another disk, a shared folder others can read). The root itself may be a
    link; the case folder and calls/ inside it may not. UserError, before anything is made."""
    root = calls.parent.parent
    expected = root.resolve() / calls.parent.name / calls.name
    actual = calls.resolve()
    if actual != expected:
        raise file_error(
            calls,
            f"leads elsewhere through a link (to {actual}); calls are only saved inside {root}",
            "replace the linked case folder or calls/ with a real folder",
        )


def create_call_dir(calls: Path, started: dt.datetime) -> Path:
    """Make a new, empty call folder; mkdir failing on an existing name is what makes it unique.
    `calls` is <root>/<case>/calls, and links leading out of it are refused."""
    refuse_links_out(calls)
    ensure_private_dirs(calls)
    stamp = started.strftime(STAMP_FORMAT)
    suffix = 1
    while True:
        folder = calls / (stamp if suffix == 1 else f"{stamp}-{suffix}")
        try:
            make_private_dir(folder)
        except FileExistsError:
            suffix += 1
            continue
        return folder


def existing_call_dir(call_dir: Path) -> Path:
    if not call_dir.is_dir():
        raise file_error(call_dir, "call folder not found", "pick a folder under the case's calls/")
    return call_dir


def stamp_order(call_dir: Path) -> tuple[str, int, str]:
    """Sort key: by time, then by the -N suffix as a number (so -10 comes after -9)."""
    match = _STAMP.fullmatch(call_dir.name)
    if match is None:
        return ("", 0, call_dir.name)
    return (match[1], int(match[2] or 1), call_dir.name)
