"""Small edits the app makes to a case file by itself, keeping the user's formatting.

case.toml is written by hand, with comments and aligned notes. Re-writing it from the model
would lose all of that, so an edit changes the one line that holds the key (or uncomments
the template's example line, or adds a line), and then proves itself: the edited text must
parse to exactly the old data plus the new values, or nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import file_error
from p2p_assist.basics.tomlfile import read_toml
from p2p_assist.cases.store import case_path

_VALUE = r"(?P<value>\"[^\"]*\"|'[^']*'|[^\s#]+)"
_TABLE = re.compile(r"\s*\[")


def record_p2p_held(cases_dir: Path, case_id: str, day: dt.date) -> bool:
    """Mark the case's one P2P as held on `day` once a call is saved. Returns False when the
    file already says so (the first date is kept: one P2P per denial)."""
    path = case_path(cases_dir, case_id)
    before = read_toml(path)
    if before.get("prior_p2p") == "held" and before.get("prior_p2p_on") is not None:
        return False
    text = path.read_text(encoding="utf-8")
    text = set_top_level(text, "prior_p2p", '"held"')
    text = set_top_level(text, "prior_p2p_on", day.isoformat(), after="prior_p2p")
    _prove(path, text, {**before, "prior_p2p": "held", "prior_p2p_on": day})
    write_atomic(path, text.encode("utf-8"))
    return True


def set_top_level(text: str, key: str, value: str, after: str | None = None) -> str:
    """`key = value` in the part of a TOML text before its first [table]: the key's own
    line changed in place (its comment kept in its column), else the template's commented
    example line switched on, else a new line after the `after` key or before the first table."""
    lines = text.splitlines(keepends=True)
    top, end = _top_level_lines(lines)
    for pattern in (rf"^(?P<lead>\s*{key}\s*=\s*)", rf"^\s*#\s*(?P<lead>{key}\s*=\s*)"):
        for number in top:
            match = re.match(pattern + _VALUE + r"(?P<rest>.*)$", lines[number].rstrip("\r\n"))
            if match:
                lines[number] = _replaced(match, value) + _ending(lines[number])
                return "".join(lines)
    at = _insert_at(lines, top, end, after)
    ending = _ending(lines[at - 1]) if at else "\n"
    lines.insert(at, f"{key} = {value}{ending}")
    return "".join(lines)


def _top_level_lines(lines: list[str]) -> tuple[list[int], int]:
    """Numbers of the lines before the first table header that start outside a multi-line
    string, and the number of that header (or the line count when there is none)."""
    found: list[int] = []
    inside = False
    for number, line in enumerate(lines):
        if not inside and _TABLE.match(line):
            return found, number
        if not inside:
            found.append(number)
        if (line.count('"""') + line.count("'''")) % 2:
            inside = not inside
    return found, len(lines)


def _replaced(match: re.Match[str], value: str) -> str:
    rest = match["rest"]
    comment = rest.lstrip()
    if comment.startswith("#"):
        spaces = max(1, len(rest) - len(comment) + len(match["value"]) - len(value))
        rest = " " * spaces + comment
    return f"{match['lead']}{value}{rest}"


def _ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def _insert_at(lines: list[str], top: list[int], end: int, after: str | None) -> int:
    if after is not None:
        for number in top:
            if re.match(rf"\s*{after}\s*=", lines[number]):
                return number + 1
    while end > 0 and not lines[end - 1].strip():
        end -= 1  # keep the blank line that separates the top from the first table
    return end


def _prove(path: Path, text: str, expected: dict[str, Any]) -> None:
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        after = None
    if after != expected:
        raise file_error(
            path,
            "could not record the P2P automatically (unusual layout around this key)",
            'set prior_p2p = "held" and prior_p2p_on = YYYY-MM-DD by hand',
            "prior_p2p",
        )
