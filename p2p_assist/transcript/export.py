"""One call's transcript in formats other tools take: plain text, SubRip subtitles, JSON, markdown.

A clinician pastes the call into an appeal letter (txt), plays the recording with captions
(srt), feeds it to another program (json) or keeps the readable copy (md). Every function takes
what read_call returned, so a damaged line is already skipped and listed in `problems`; the
caller decides where the text goes.

Every time is on the audio clock (clock.py), as in transcript.md and the note, so a call
played faster than real time says the same minute everywhere. Without call.json the records
still export: a hand correction is timed from the record before it. Markdown is the
exception: it is render_markdown's text, whose header is call.json, so it needs the metadata
(txt has the same lines without it).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from p2p_assist.basics.formatting import clock, one_line
from p2p_assist.basics.vocabulary import SPEAKER_NAMES
from p2p_assist.transcript.clock import call_duration, record_times
from p2p_assist.transcript.markdown import render_markdown, retraction_reason
from p2p_assist.transcript.reader import CallRecord
from p2p_assist.transcript.records import (
    Bookmark,
    CaptureConfirmed,
    CaptureEdit,
    CardRetracted,
    CardShown,
    Note,
    Record,
    Utterance,
)

MIN_CUE_SECONDS = 0.5
"""A cue whose end is not after its start (a one-word utterance) is shown this long."""


def export_text(call: CallRecord) -> str:
    """ "[mm:ss] Speaker: text" per record, notes, bookmarks and corrections included."""
    if not call.records:
        return ""
    origin = call.meta.started if call.meta is not None else call.records[0].t
    times = record_times(call.records, origin)
    lines = (
        _text_line(record, seconds) for record, seconds in zip(call.records, times, strict=True)
    )
    return "".join(f"{line}\n" for line in lines if line is not None)


def _text_line(record: Record, seconds: float | None) -> str | None:
    at = clock(seconds)
    match record:
        case Utterance():
            speaker = SPEAKER_NAMES[record.speaker]
            return f"[{at}] {speaker}: {one_line(record.text)}"
        case Note():
            return f"[{at}] Note: {one_line(record.text)}"
        case Bookmark():
            return f"[{at}] Bookmark: {one_line(record.label)}"
        case CaptureEdit():
            return f"[{at}] Corrected {record.field}: {one_line(record.value)}"
        case CaptureConfirmed():
            return f"[{at}] Confirmed {record.field}: {one_line(record.value)}"
        case CardRetracted():
            reason = retraction_reason(record)
            return f"[{at}] Card withdrawn: {record.objection_id} — {reason}"
        case CardShown():
            return None


def export_srt(call: CallRecord) -> str:
    """SubRip: the utterances in order of start, numbered from 1, a blank line after each cue.

    Notes and bookmarks have no duration, so they are left out; so is an utterance with no text,
    which would be an empty cue."""
    utterances = sorted(
        (r for r in call.records if isinstance(r, Utterance) and one_line(r.text)),
        key=lambda utterance: utterance.start,
    )
    return "".join(_cue(number, u) for number, u in enumerate(utterances, start=1))


def _cue(number: int, utterance: Utterance) -> str:
    start = max(0.0, utterance.start)
    end = utterance.end if utterance.end > start else start + MIN_CUE_SECONDS
    text = f"{SPEAKER_NAMES[utterance.speaker]}: {one_line(utterance.text)}"
    return f"{number}\n{_srt_time(start)} --> {_srt_time(end)}\n{text}\n\n"


def _srt_time(seconds: float) -> str:
    hours, rest = divmod(round(seconds * 1000), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d},{millis:03d}"


def export_json(call: CallRecord) -> str:
    """{"meta", "duration_seconds", "records", "problems"}: the records exactly as the models
    dump them, and the call's length on the audio clock (null when nothing gives it)."""
    document = {
        "meta": call.meta.model_dump(mode="json") if call.meta is not None else None,
        "duration_seconds": call_duration(call.meta, call.records),
        "records": [record.model_dump(mode="json") for record in call.records],
        "problems": call.problems,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_markdown(call: CallRecord) -> str:
    """transcript.md's text. ValueError without call.json: check `call.meta` first."""
    if call.meta is None:
        raise ValueError("markdown needs the call's metadata (call.json)")
    return render_markdown(call.meta, call.records)


EXPORTERS: dict[str, Callable[[CallRecord], str]] = {
    "txt": export_text,
    "srt": export_srt,
    "json": export_json,
    "md": export_markdown,
}
FORMATS = tuple(EXPORTERS)
