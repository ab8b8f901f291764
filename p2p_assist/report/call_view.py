"""A saved call as the review screens show it, worked out without any UI: its lines in time
order, the moments worth going back to, its heading, its warnings and its newest note.

The screens only style what this returns, so the same view can be checked headless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from p2p_assist.basics.formatting import clock, one_line
from p2p_assist.library.load import Library
from p2p_assist.report.digest import CallDigest, digest_record
from p2p_assist.report.notefile import note_versions, without_signature
from p2p_assist.report.signing import NoteStatus, note_status
from p2p_assist.transcript.clock import record_times
from p2p_assist.transcript.layout import STAMP_FORMAT
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    CardShown,
    Note,
    Record,
    Utterance,
)

SHORT_TITLE = 24
OBJECTIONS_CELL = 40
MOMENT_TEXT = 40
_UNFINISHED = {
    "in_progress": "this call was never closed (the app stopped, or is still recording it)",
    "recovered": "this call was recovered after the app stopped unexpectedly",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the transcript as shown: an utterance, note, bookmark or hand correction."""

    seconds: float | None
    record: Record


@dataclass(frozen=True)
class OpenedCall:
    digest: CallDigest
    entries: list[Entry]
    note: tuple[str, str] | None  # (file name, markdown) of the newest note
    status: NoteStatus
    heard: dict[dt.datetime, Utterance] = field(default_factory=dict)
    """Each line the clinician corrected in review, by its `t`, as it was heard."""


@dataclass(frozen=True, slots=True)
class Moment:
    """A place in the transcript worth jumping to: where an objection was first raised, a
    bookmark, or a note."""

    line: int  # index into OpenedCall.entries
    kind: Literal["objection", "bookmark", "note"]
    seconds: float | None
    text: str


def timeline(records: list[Record], meta: CallMeta | None) -> list[Entry]:
    """Records in time order; one with no known time stays after the record before it. A card
    shown is not a line of its own: its utterance carries the tag."""
    keyed: list[tuple[float, Entry]] = []
    last = 0.0
    times = record_times(records, meta.started if meta else None)
    for record, seconds in zip(records, times, strict=True):
        if isinstance(record, CardShown):
            continue
        last = last if seconds is None else seconds
        keyed.append((last, Entry(seconds, record)))
    return [entry for _, entry in sorted(keyed, key=lambda pair: pair[0])]


def read_note(call_dir: Path) -> tuple[str, str] | None:
    """The newest note (name, markdown) without its signature line; None if there is none."""
    versions = note_versions(call_dir)
    if not versions:
        return None
    try:
        text = versions[-1].read_text(errors="replace")
    except OSError as error:
        text = f"*Cannot read {versions[-1].name}: {error.strerror}.*"
    return versions[-1].name, without_signature(text)


def open_call(call_dir: Path, library: Library) -> OpenedCall:
    call = read_call(call_dir)
    digest = digest_record(call_dir, call, library)
    return OpenedCall(
        digest,
        timeline(_corrected(call.records, digest), call.meta),
        read_note(call_dir),
        note_status(call_dir),
        _heard(call.records, digest),
    )


def _heard(records: list[Record], digest: CallDigest) -> dict[dt.datetime, Utterance]:
    """The lines as heard, for those the corrections changed."""
    as_heard = {record.t: record for record in records if isinstance(record, Utterance)}
    return {
        line.t: as_heard[line.t]
        for line in digest.utterances
        if line.t in as_heard and as_heard[line.t] != line
    }


def _corrected(records: list[Record], digest: CallDigest) -> list[Record]:
    """The records with each utterance as corrected in review (the digest applied them)."""
    by_time = {utterance.t: utterance for utterance in digest.utterances}
    return [
        by_time.get(record.t, record) if isinstance(record, Utterance) else record
        for record in records
    ]


def short_title(objection_id: str, title: str) -> str:
    """ "Step therapy" from "Step therapy: 'try the first-line options first'"; the id, made
    readable, when the title has no short head."""
    head = title.split(":")[0].strip(" '\"")
    if head and len(head) <= SHORT_TITLE:
        return head
    return objection_id.replace("_", " ").capitalize()


def short_titles(digest: CallDigest) -> dict[str, str]:
    return {
        raised.objection_id: short_title(raised.objection_id, raised.title)
        for raised in [*digest.raised, *digest.rejected]
    }


def objection_ids(utterance: Utterance) -> list[str]:
    return list(dict.fromkeys(hit.id for hit in utterance.objections))


def _clipped(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= MOMENT_TEXT else text[: MOMENT_TEXT - 1] + "…"


def moments(entries: list[Entry], titles: dict[str, str]) -> list[Moment]:
    """Each objection where it was first raised, every bookmark and every note, in time order."""
    found: list[Moment] = []
    seen: set[str] = set()
    for line, entry in enumerate(entries):
        record = entry.record
        if isinstance(record, Utterance):
            for id_ in objection_ids(record):
                if id_ not in seen:
                    seen.add(id_)
                    found.append(Moment(line, "objection", entry.seconds, titles.get(id_, id_)))
        elif isinstance(record, Bookmark):
            text = _clipped(record.label) or "Bookmark"
            found.append(Moment(line, "bookmark", entry.seconds, text))
        elif isinstance(record, Note):
            found.append(Moment(line, "note", entry.seconds, _clipped(record.text)))
    return found


def started_label(meta: CallMeta | None, call_dir: Path) -> str:
    """The start in the clinician's own clock as recorded; from the folder name without
    call.json (the folder is named after the start time)."""
    if meta is not None:
        return f"{meta.started:%Y-%m-%d %H:%M}"
    try:
        return f"{dt.datetime.strptime(call_dir.name[:19], STAMP_FORMAT):%Y-%m-%d %H:%M}"
    except ValueError:
        return call_dir.name


def status_label(digest: CallDigest) -> str:
    """One word for how the call ended; a ⚠ whenever its record may be incomplete."""
    meta = digest.meta
    if meta is None:
        return "⚠ damaged"
    if meta.status == "in_progress":
        return "⚠ unfinished"
    if meta.status == "recovered":
        return "⚠ recovered"
    return "⚠ damaged" if digest.problems else "ended"


def outcome_label(digest: CallDigest) -> str:
    return digest.determination or ("?" if digest.meta is None else "—")


def duration_label(digest: CallDigest) -> str:
    return "?" if digest.duration is None else clock(digest.duration)


def objections_label(digest: CallDigest) -> str:
    """Short titles in the order raised, cut to fit a column: "Step therapy, Severity +2"."""
    titles = [short_title(raised.objection_id, raised.title) for raised in digest.raised]
    shown: list[str] = []
    for title in titles:
        if shown and len(", ".join([*shown, title])) > OBJECTIONS_CELL:
            break
        shown.append(title)
    rest = len(titles) - len(shown)
    return ", ".join(shown) + (f" +{rest}" if rest else "") if titles else "—"


def call_heading(digest: CallDigest, status: NoteStatus | None = None) -> str:
    meta = digest.meta
    parts = [
        started_label(meta, digest.call_dir),
        meta.kind if meta else "kind ?",
        duration_label(digest),
        status_label(digest),
        f"outcome: {outcome_label(digest)}",
    ]
    if status is not None:
        parts.append(f"note: {status.label}")
    return " · ".join(parts)


def banner_text(digest: CallDigest) -> str:
    lines = []
    if digest.meta is not None and digest.meta.status in _UNFINISHED:
        lines.append(
            f"⚠ {_UNFINISHED[digest.meta.status].capitalize()}: the record may stop mid-sentence."
        )
    if digest.problems:
        lines.append("⚠ Parts of this call could not be read: " + "; ".join(digest.problems))
    return "\n".join(lines)
