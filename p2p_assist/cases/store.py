"""Case folders on disk: find, list, load and create `cases/<id>/case.toml`.

A case id is a plain folder name; anything that could leave the cases folder
(`../x`, an absolute path) is refused before the file system is touched.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from p2p_assist.basics.durable import ensure_private_dirs, write_atomic
from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.basics.tomlfile import load_toml_model
from p2p_assist.cases.model import Case
from p2p_assist.cases.template import TEMPLATE

CASE_FILE = "case.toml"
_CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_case_id(case_id: str) -> str:
    if not _CASE_ID.fullmatch(case_id) or ".." in case_id:
        raise UserError(
            f"case id {case_id!r}: not a plain folder name — use letters, digits, '-', '_' or '.'"
            " (no '/', no '..'), e.g. demo-teen-residential"
        )
    return case_id


def case_path(cases_dir: Path, case_id: str) -> Path:
    return cases_dir / check_case_id(case_id) / CASE_FILE


def load_case(cases_dir: Path, case_id: str) -> Case:
    path = case_path(cases_dir, case_id)
    if not path.is_file():
        raise file_error(
            path,
            "case not found",
            f"see `p2p-assist case list`, or create it with `p2p-assist case new {case_id}`",
        )
    return load_toml_model(path, Case)


@dataclass(frozen=True)
class CaseEntry:
    case_id: str
    case: Case | None
    problem: str | None


def list_cases(cases_dir: Path) -> list[CaseEntry]:
    """Every case folder; one that cannot be read or loaded is listed with its problem, so a
    broken case never hides the others."""
    if not cases_dir.is_dir():
        raise file_error(cases_dir, "cases folder not found", "create it or pass --cases DIR")
    try:
        folders = sorted(
            p for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
    except OSError as error:
        raise file_error(
            cases_dir, f"cannot list the cases ({error.strerror})", "check the folder's permissions"
        ) from None
    entries = []
    for folder in folders:
        try:
            if (folder / CASE_FILE).exists():
                entries.append(CaseEntry(folder.name, load_case(cases_dir, folder.name), None))
        except UserError as error:
            entries.append(CaseEntry(folder.name, None, str(error)))
        except OSError as error:
            problem = file_error(folder, f"cannot read ({error.strerror})", "check permissions")
            entries.append(CaseEntry(folder.name, None, str(problem)))
    return entries


def new_case(cases_dir: Path, case_id: str) -> Path:
    path = case_path(cases_dir, case_id)
    if path.exists():
        raise file_error(path, "case already exists", "pick another id or edit the file")
    try:
        ensure_private_dirs(path.parent)
        write_atomic(path, TEMPLATE.encode("utf-8"))
    except OSError as error:
        if cases_dir.is_symlink() and not cases_dir.exists():
            raise file_error(
                cases_dir,
                f"is a link to {os.readlink(cases_dir)}, which does not exist",
                "create that folder, or pass --cases another",
            ) from None
        raise file_error(
            error.filename or cases_dir,
            f"cannot create the case ({error.strerror or error})",
            "pass --cases a folder you can write to, with free space",
        ) from None
    return path
