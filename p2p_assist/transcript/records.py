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
    confidence: float = Field(default=1.0, description="0-1: how sure the recogniser was")
    heard: str = Field(default="", description="the words it came from")
    detail: str = Field(default="", description="what a pending determination waits for")


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


NO_ANSWER_NOTE = "No answer heard"
"""How a rehearsal's note of a silence begins (the reviewer asked, nothing was said); the
score card counts them."""


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


class CardShown(Strict):
    """A card the clinician saw: the objection, the words that raised it (a partial still
    being spoken, or a final), and when. Every raise is kept, a repeat too."""

    kind: Literal["card"] = "card"
    t: AwareDatetime = Field(default_factory=now)
    stream_time: float
    objection_id: str
    score: float
    heard: str = Field(description="the recogniser's words when the card was raised")
    span: tuple[int, int] = Field(description="characters of `heard` that raised it")
    from_partial: bool
    speaker: Speaker | None = None
    times: int = Field(description="1 the first time on this call; more for a repeat")


class CardRetracted(Strict):
    """A card raised while a sentence was still being spoken, which the whole sentence did
    not bear out: withdrawn on screen and in the note, never silently dropped."""

    kind: Literal["retraction"] = "retraction"
    t: AwareDatetime = Field(default_factory=now)
    stream_time: float
    objection_id: str
    final_text: str = Field(description="what the whole sentence said")


class CaptureConfirmed(Strict):
    """The clinician confirmed a value heard (one key on the call screen, or in review)."""

    kind: Literal["capture_confirmed"] = "capture_confirmed"
    t: AwareDatetime = Field(default_factory=now)
    field: str
    value: str


Record = Annotated[
    Utterance | Note | Bookmark | CaptureEdit | CaptureConfirmed | CardShown | CardRetracted,
    Field(discriminator="kind"),
]
_RECORD: TypeAdapter[Record] = TypeAdapter(Record)


def record_line(record: Record) -> bytes:
    """One record as one line: compact JSON escapes newlines, so a line is always a record."""
    return record.model_dump_json().encode() + b"\n"


def parse_record(line: bytes) -> Record:
    """Raises pydantic.ValidationError for a damaged or unknown line."""
    return _RECORD.validate_json(line)


Consent = Literal["yes", "no", "not asked"]
"""What the reviewer said when told the call is transcribed."""


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
    stream_seconds: float | None = Field(
        default=None,
        ge=0,
        description="how long the call lasted on the audio clock (transcript/clock.py)",
    )
    status: CallStatus = "in_progress"
    engine: str
    source: str = Field(description="where the audio came from: microphone, a WAV file, ...")
    pid: int = Field(description="the process that wrote the call")
    hostname: str
    outcome: Outcome | None = None
    consent: Consent | None = Field(
        default=None, description="the other party's answer to the transcription disclosure"
    )
    notes: str = ""
    cards: list[str] = Field(
        default=[], description="objection ids shown and kept, in the order first raised"
    )
    retracted: list[str] = Field(default=[], description="objection ids shown, then withdrawn")

    def to_json(self) -> bytes:
        return self.model_dump_json(indent=2).encode() + b"\n"


def card_tally(records: list[Record] | tuple[Record, ...]) -> tuple[list[str], list[str]]:
    """(kept, withdrawn): the objection ids whose cards were shown, in the order first raised.
    Each show counts: an objection is kept while any of its shows stands, and withdrawn only
    when every show of it was withdrawn (a repeat taken back leaves the first one standing)."""
    standing: dict[str, int] = {}
    for record in records:
        if isinstance(record, CardShown):
            standing[record.objection_id] = standing.get(record.objection_id, 0) + 1
        elif isinstance(record, CardRetracted) and standing.get(record.objection_id, 0) > 0:
            standing[record.objection_id] -= 1
    return [i for i, n in standing.items() if n > 0], [i for i, n in standing.items() if n == 0]
