"""Errors a user can cause, carried to the edge and printed as one line.

Every message names the file, the field (where there is one) and the fix, so the
CLI and the UI can show it without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem with the user's input or environment, not with the program."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def file_error(path: Path | str, problem: str, fix: str, field: str | None = None) -> UserError:
    """Build the one-line error used everywhere: `file: field: problem (fix)`."""
    where = f"{path}: {field}:" if field else f"{path}:"
    return UserError(f"{where} {problem} — {fix}")
