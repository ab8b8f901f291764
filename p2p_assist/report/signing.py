"""Signing a call note: the clinician's word that the note is right, which freezes it.

A note starts as a draft, rebuilt whenever the call is corrected. Signing records who signed
and when, with a hash of the note and of everything it was made from (the transcript and the
corrections), in signature.json. A signed note is never regenerated; if any of those files
changes afterwards, the signature says so instead of vouching for what it did not see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import AwareDatetime, Field, ValidationError

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import file_error
from p2p_assist.basics.strict import Strict
from p2p_assist.report.notefile import note_versions
from p2p_assist.transcript.corrections import CORRECTIONS_JSONL
from p2p_assist.transcript.layout import TRANSCRIPT_JSONL
from p2p_assist.transcript.records import now

SIGNATURE_JSON = "signature.json"


class Signature(Strict):
    by: str = Field(min_length=1)
    at: AwareDatetime = Field(default_factory=now)
    note: str = Field(description="the note file signed: note.md or note-N.md")
    note_sha256: str
    transcript_sha256: str
    corrections_sha256: str = Field(description="empty when nothing was corrected")


@dataclass(frozen=True, slots=True)
class NoteStatus:
    signature: Signature | None
    intact: bool  # the signed files are as they were when signed
    problem: str = ""

    @property
    def label(self) -> str:
        if self.signature is None:
            return "draft" if not self.problem else f"draft ({self.problem})"
        signed = f"signed by {self.signature.by} on {self.signature.at:%-d %b %Y %H:%M}"
        return signed if self.intact else f"{signed} — CHANGED SINCE SIGNING"


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _hashes(call_dir: Path, note: Path) -> tuple[str, str, str]:
    return (
        _sha256(note),
        _sha256(call_dir / TRANSCRIPT_JSONL),
        _sha256(call_dir / CORRECTIONS_JSONL),
    )


def note_status(call_dir: Path) -> NoteStatus:
    path = call_dir / SIGNATURE_JSON
    try:
        signature = Signature.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return NoteStatus(None, True)
    except (OSError, ValidationError):
        return NoteStatus(None, False, f"{SIGNATURE_JSON} is damaged")
    now_hashes = _hashes(call_dir, call_dir / signature.note)
    signed = (signature.note_sha256, signature.transcript_sha256, signature.corrections_sha256)
    return NoteStatus(signature, now_hashes == signed)


def sign_note(call_dir: Path, by: str, at: dt.datetime | None = None) -> Signature:
    """Sign the newest note (now, unless `at` says when); UserError when there is none, it is
    already signed, or the signature cannot be written."""
    versions = note_versions(call_dir)
    if not versions:
        raise file_error(call_dir, "no note to sign", "write it first: p2p-assist note CASE CALL")
    status = note_status(call_dir)
    if status.signature is not None:
        raise file_error(
            call_dir / SIGNATURE_JSON,
            f"the note is already {status.label}",
            "a signed note is final: make corrections in a new note by hand",
        )
    note_hash, transcript_hash, corrections_hash = _hashes(call_dir, versions[-1])
    signature = Signature(
        by=" ".join(by.split()),
        at=at or now(),
        note=versions[-1].name,
        note_sha256=note_hash,
        transcript_sha256=transcript_hash,
        corrections_sha256=corrections_hash,
    )
    try:
        write_atomic(call_dir / SIGNATURE_JSON, signature.model_dump_json(indent=2).encode())
    except OSError as error:
        raise file_error(
            call_dir / SIGNATURE_JSON,
            f"cannot write the signature ({error.strerror or error})",
            "free some space or make the folder writable, then sign again",
        ) from error
    return signature
