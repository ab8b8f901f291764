"""Saving note.md without ever overwriting what the clinician wrote in it.

A generated note ends with a marker holding the hash of its own text. When the note is
generated again, a note.md whose text still matches its marker is ours and is replaced; one
that does not (edited by hand, or the marker removed) is the user's, so the new text goes
to the next free note-2.md, note-3.md, ... instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from p2p_assist.basics.durable import write_atomic

NOTE_MD = "note.md"
_MARKER = re.compile(r"\n<!-- p2p-assist note sha256:([0-9a-f]{64})[^\n]*-->\n\Z")
_VERSION = re.compile(r"note-(\d+)\.md")
_ANY_MARKER = re.compile(r"\n?<!-- p2p-assist note sha256:.*?-->\s*\Z", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SavedNote:
    path: Path
    action: Literal["written", "unchanged", "new version", "signed"]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sign(text: str) -> str:
    return (
        f"{text}\n<!-- p2p-assist note sha256:{_digest(text)} · edit freely: "
        "regenerating writes a new version instead of replacing your edits -->\n"
    )


def unsigned_text(saved: str) -> str | None:
    """The generated text, if `saved` is a note nobody has edited; None otherwise."""
    match = _MARKER.search(saved)
    if match is None:
        return None
    text = saved[: match.start()]
    return text if _digest(text) == match[1] else None


def without_signature(saved: str) -> str:
    """The note as a person reads it: the trailing marker, edited or not, left out."""
    return _ANY_MARKER.sub("\n", saved)


def _numbered(call_dir: Path) -> list[tuple[int, Path]]:
    return sorted(
        (int(match[1]), path)
        for path in call_dir.glob("note-*.md")
        if (match := _VERSION.fullmatch(path.name))
    )


def is_note_file(name: str) -> bool:
    """note.md or one of its numbered versions (note-2.md, ...)."""
    return name == NOTE_MD or _VERSION.fullmatch(name) is not None


def note_versions(call_dir: Path) -> list[Path]:
    """note.md then note-2.md, note-3.md, ... in order; only those that exist."""
    first = [call_dir / NOTE_MD] if (call_dir / NOTE_MD).is_file() else []
    return first + [path for _, path in _numbered(call_dir)]


def save_note(call_dir: Path, text: str) -> SavedNote:
    """Raises OSError if the folder cannot be written; the caller words it for the user."""
    versions = note_versions(call_dir)
    if not versions:
        write_atomic(call_dir / NOTE_MD, sign(text).encode())
        return SavedNote(call_dir / NOTE_MD, "written")
    latest = versions[-1]
    previous = unsigned_text(latest.read_text(errors="replace"))
    if previous == text:
        return SavedNote(latest, "unchanged")
    if previous is not None:
        write_atomic(latest, sign(text).encode())
        return SavedNote(latest, "written")
    number = max((number for number, _ in _numbered(call_dir)), default=1) + 1
    target = call_dir / f"note-{number}.md"
    write_atomic(target, sign(text).encode())
    return SavedNote(target, "new version")
