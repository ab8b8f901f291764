"""Which folder a case id means: the one answer every command that takes a case id asks for.

The user's own case comes first, from the cases folder `locations.cases_dir` picks. Failing
that, a demo case shipped with p2p-assist. A demo is read from where it ships, but the calls
practised on it must be saved somewhere, and never inside an installed package (it may be
read-only, and the next upgrade wipes it). So a demo used this way gets a working folder in the
per-user data folder, `demos/<id>/`, holding a copy of its case.toml (refreshed from the shipped
one on each use, so an upgrade's fixes arrive) and the calls saved on it. The user's own case
list stays theirs: a demo never lands in it by surprise.

An id that is neither resolves to the user's cases folder, so each command's own "not found"
message (naming the path and the fix) is what the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from p2p_assist.basics.durable import ensure_private_dirs, write_atomic
from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.locations import cases_dir, demo_calls_dir, demos_dir, user_cases_dir
from p2p_assist.cases.store import CASE_FILE, CaseEntry, check_case_id, list_cases


@dataclass(frozen=True, slots=True)
class CaseHome:
    """Where one case lives. `cases_dir / case_id` holds its case.toml and calls/; `files`
    holds its recordings and mock-call scripts (for a demo, the folder it ships in)."""

    cases_dir: Path
    case_id: str
    files: Path
    demo: bool


def find_case(cases_option: str | None, case_id: str) -> CaseHome:
    """The user's case `case_id`, else the shipped demo of that name, else the user's (missing)
    case, for the command to report."""
    own = cases_dir(cases_option)
    if (own / case_id).is_dir() or not _is_demo(case_id):
        return CaseHome(own, case_id, own / case_id, demo=False)
    return CaseHome(_demo_workspace(case_id), case_id, demos_dir() / case_id, demo=True)


def own_cases(cases_option: str | None) -> tuple[Path, list[CaseEntry]]:
    """The user's cases folder and its cases; none yet on a first run without a cases folder."""
    folder = cases_dir(cases_option)
    return folder, list_cases(folder) if _expected(folder) else []


def folders_with_calls(cases_option: str | None) -> list[Path]:
    """Every cases folder that may hold saved calls: the user's, and the demos' working one."""
    own = cases_dir(cases_option)
    folders = [own] if _expected(own) else []
    try:
        demos_there = demo_calls_dir().is_dir()
    except OSError:  # the per-user folder is not ours to read: there are no demo calls here
        demos_there = False
    return [*folders, demo_calls_dir()] if demos_there else folders


def _expected(folder: Path) -> bool:
    """A missing cases folder is the user's mistake to hear about, unless it is the per-user
    default on a first run, before anything was saved."""
    return folder.is_dir() or folder != user_cases_dir()


def demo_cases(cases_option: str | None) -> list[CaseEntry]:
    """The shipped demos, less those the user's cases folder holds itself (a checkout's does)."""
    own = cases_dir(cases_option)
    shipped = demos_dir()
    if not shipped.is_dir():
        return []
    return [entry for entry in list_cases(shipped) if not (own / entry.case_id).is_dir()]


def _is_demo(case_id: str) -> bool:
    try:
        check_case_id(case_id)
    except UserError:
        return False
    return (demos_dir() / case_id / CASE_FILE).is_file()


def _demo_workspace(case_id: str) -> Path:
    """The cases folder holding the demo's working copy, brought up to date with the shipped
    case file (rewritten only when they differ)."""
    root = demo_calls_dir()
    copy = root / case_id / CASE_FILE
    try:
        shipped = (demos_dir() / case_id / CASE_FILE).read_bytes()
        ensure_private_dirs(copy.parent)
        if not copy.is_file() or copy.read_bytes() != shipped:
            write_atomic(copy, shipped)
    except OSError as error:
        raise file_error(
            copy.parent,
            f"cannot set up the demo's working folder ({error.strerror or error})",
            "make the per-user data folder writable, or copy the demo into a folder "
            "you pass with --cases DIR",
        ) from error
    return root
