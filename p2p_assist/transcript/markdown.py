"""transcript.md: the call as a person reads it, written when the call ends or is recovered.

One entry per record, "[mm:ss] Speaker: text", with a blank line between entries so a
markdown viewer does not run them together. Times and the duration are on the audio clock
(clock.py), as in every other file made from the call.
"""

from __future__ import annotations

from p2p_assist.basics.formatting import clock, one_line
from p2p_assist.basics.vocabulary import SPEAKER_NAMES
from p2p_assist.transcript.clock import call_duration, record_times
from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    CaptureConfirmed,
    CaptureEdit,
    CardRetracted,
    CardShown,
    Note,
    Record,
    Utterance,
)

_STATUS = {
    "in_progress": "in progress",
    "ended": "ended",
    "recovered": "recovered after the app stopped unexpectedly",
}


def _mark_objections(utterance: Utterance) -> str:
    """Bold the matched words; spans that overlap an earlier one or fall outside are left plain."""
    text, cursor = utterance.text, 0
    pieces: list[str] = []
    for start, end in sorted(hit.span for hit in utterance.objections):
        if start < cursor or start >= end or end > len(text):
            continue
        pieces += [text[cursor:start], f"**{text[start:end]}**"]
        cursor = end
    pieces.append(text[cursor:])
    return one_line("".join(pieces))


def _utterance(utterance: Utterance) -> str:
    speaker = SPEAKER_NAMES[utterance.speaker]
    line = f"[{clock(utterance.start)}] {speaker}: {_mark_objections(utterance)}"
    tags = [f"objection: {hit.id}" for hit in utterance.objections]
    tags += [
        f"captured {capture.field}: {one_line(capture.value)}" for capture in utterance.captures
    ]
    return line + "".join(f" _({tag})_" for tag in tags)


def _entry(record: Record, seconds: float | None) -> str | None:
    """The record as a line to read; None for a card shown (its utterance carries the tag)."""
    at = clock(seconds)
    match record:
        case Utterance():
            return _utterance(record)
        case Note():
            return f"[{at}] Note: {one_line(record.text)}"
        case Bookmark():
            return f"[{at}] Bookmark: {one_line(record.label)}"
        case CaptureEdit():
            return f"[{at}] Corrected {record.field}: {one_line(record.value)}"
        case CaptureConfirmed():
            return f"[{at}] Confirmed {record.field}: {one_line(record.value)}"
        case CardRetracted():
            return f"[{at}] Card withdrawn: {record.objection_id} — {retraction_reason(record)}"
        case CardShown():
            return None


def retraction_reason(record: CardRetracted) -> str:
    return f"the whole sentence was “{one_line(record.final_text)}”"


def _header(meta: CallMeta, records: list[Record]) -> list[str]:
    seconds = call_duration(meta, records)
    duration = "unknown" if seconds is None else clock(seconds)
    lines = [
        f"# Peer-to-peer call — case {meta.case_id}",
        "",
        f"- Date: {meta.started:%Y-%m-%d %H:%M (UTC%z)}",
        f"- Duration: {duration}",
        f"- Kind: {meta.kind} · engine: {meta.engine} · source: {meta.source}",
        f"- Status: {_STATUS[meta.status]}",
    ]
    if meta.outcome is not None:
        for name, value in meta.outcome.model_dump().items():
            if value is not None:
                lines.append(f"- {name.replace('_', ' ').capitalize()}: {value}")
    if meta.notes:
        lines.append(f"- Notes: {one_line(meta.notes)}")
    return lines


def render_markdown(meta: CallMeta, records: list[Record]) -> str:
    times = record_times(records, meta.started)
    entries = [
        entry
        for record, seconds in zip(records, times, strict=True)
        if (entry := _entry(record, seconds)) is not None
    ]
    return "\n".join(_header(meta, records)) + "\n\n" + "".join(f"{entry}\n\n" for entry in entries)
