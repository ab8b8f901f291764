"""Writing a command's document to stdout or to a file the owner alone can read: briefs,
notes and transcripts hold patient health information, so a file never inherits a loose umask."""

from __future__ import annotations

import sys
from pathlib import Path

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import file_error


def write_output(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(path, text.encode())
    except OSError as error:
        raise file_error(
            path, f"cannot write ({error.strerror or error})", "choose a folder you can write to"
        ) from error
