"""What a call folder holds: the call's metadata (call.json) and its records (transcript.jsonl).

Extra fields are rejected, as in the case file, so a typo in code fails loudly instead of
writing a record nobody reads back.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, TypeAdapter

from p2p_assist.basics.strict import Strict
from p2p_assist.basics.vocabulary import CallKind, Speaker

CallStatus = Literal["in_progress", "ended", "recovered"]

StreamSeconds = Annotated[float, Field(allow_inf_nan=False, ge=-1e7, le=1e7)]
"""Seconds into the audio stream. Finite and within ~115 days, so a hand-edited or damaged
line (NaN, Infinity, 1e308) is skipped as damaged instead of breaking every clock and
subtitle time made from it."""
Finite = Annotated[float, Field(allow_inf_nan=False)]

WordTiming = tuple[str, StreamSeconds, StreamSeconds, float]
"""text, start, end (stream seconds), confidence — a list, not an object, to keep lines short."""


def now() -> dt.datetime:
    """Local wall time with its offset, so a transcript read later shows the clinician's clock."""
    return dt.datetime.now().astimezone()


class SavedObjection(Strict):
    """A library objection the matcher found in an utterance, with the characters it matched."""

    id: str
    score: Finite
    span: tuple[int, int]


class SavedCapture(Strict):
    """A value heard in the call (a reference number, a promised date) and the field it fills."""

    field: str
    value: str


class Utterance(Strict):
    kind: Literal["utterance"] = "utterance"
    t: AwareDatetime = Field(default_factory=now)
    start: StreamSeconds
    end: StreamSeconds
    speaker: Speaker | None = None
    text: str
    words: list[WordTiming] = []
    objections: list[SavedObjection] = []
    captures: list[SavedCapture] = []


class Note(Strict):
    kind: Literal["note"] = "note"
    t: AwareDatetime = Field(default_factory=now)
    text: str
    stream_time: StreamSeconds | None = Field(
        default=None, description="where in the audio it was typed; wall time can drift from it"
    )


class Bookmark(Strict):
    kind: Literal["bookmark"] = "bookmark"
    t: AwareDatetime = Field(default_factory=now)
    stream_time: StreamSeconds
    label: str = ""


class CaptureEdit(Strict):
    """A captured value the clinician fixed by hand; it overrides what was heard."""

    kind: Literal["capture_edit"] = "capture_edit"
    t: AwareDatetime = Field(default_factory=now)
    field: str
    value: str


Record = Annotated[Utterance | Note | Bookmark | CaptureEdit, Field(discriminator="kind")]
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)


def seconds_into_call(record: Record, started: dt.datetime | None) -> float | None:
    """Where the record sits in the call: its audio time where it has one (wall time drifts
    from audio time when a recording plays faster than real time), else its wall clock."""
    match record:
        case Utterance():
            return record.start
        case Bookmark():
            return record.stream_time
        case Note() if record.stream_time is not None:
            return record.stream_time
    return None if started is None else (record.t - started).total_seconds()


def record_line(record: Record) -> bytes:
    """One record as one line: compact JSON escapes newlines, so a line is always a record."""
    return record.model_dump_json().encode() + b"\n"


def parse_record(line: bytes) -> Record:
    """Raises pydantic.ValidationError for a damaged or unknown line."""
    return _RECORD.validate_json(line)


class Outcome(Strict):
    """What the reviewer decided and promised, filled in after the call."""

    determination: str | None = None
    reference_number: str | None = None
    promised: str | None = None
    by_when: str | None = None


class CallMeta(Strict):
    case_id: str
    stamp: str = Field(description="the call folder's name")
    kind: CallKind
    started: AwareDatetime
    ended: AwareDatetime | None = None
    status: CallStatus = "in_progress"
    engine: str
    source: str = Field(description="where the audio came from: microphone, a WAV file, ...")
    pid: int = Field(description="the process that wrote the call")
    hostname: str
    outcome: Outcome | None = None
    notes: str = ""

    def to_json(self) -> bytes:
        return self.model_dump_json(indent=2).encode() + b"\n"
