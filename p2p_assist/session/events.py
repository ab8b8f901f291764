"""Typed events a call session emits; the CLI prints them and the UI paints them.

Times: `stream_time` is seconds of audio since the call began; `wall` is
time.monotonic() when the event was made, for latency measurements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.library.cards import Card
from p2p_assist.matching.captures import Capture
from p2p_assist.matching.objections import ObjectionHit
from p2p_assist.recognition.base import Word
from p2p_assist.session.checklist import ItemState


@dataclass(frozen=True, slots=True)
class PartialText:
    text: str
    stream_time: float
    speaker: Speaker | None
    channel: int = 0


@dataclass(frozen=True, slots=True)
class UtteranceHeard:
    text: str
    start: float
    end: float
    speaker: Speaker | None
    objections: list[ObjectionHit]
    captures: list[Capture]
    channel: int = 0
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectionRaised:
    card: Card
    hit: ObjectionHit
    text: str  # what was heard when it fired (a partial or a final)
    stream_time: float
    wall: float
    from_partial: bool
    times_raised: int  # 1 the first time; more means the UI bumps the existing card


@dataclass(frozen=True, slots=True)
class CardWithdrawn:
    """A card raised while a sentence was being spoken that the whole sentence did not bear
    out: the screen marks it withdrawn rather than dropping it."""

    objection_id: str
    stream_time: float
    final_text: str
    still_standing: int = 0  # earlier raises of the same card that stand: the card stays


@dataclass(frozen=True, slots=True)
class ChecklistState:
    items: dict[str, ItemState]  # documentation item id -> the values heard, and the confirmed


@dataclass(frozen=True, slots=True)
class AudioLevel:
    dbfs: float
    channel: int = 0
    stream_time: float = 0.0


@dataclass(frozen=True, slots=True)
class Notice:
    message: str
    mended: bool = False  # says an earlier error is over (the microphone came back)


@dataclass(frozen=True, slots=True)
class Reminder:
    """A nudge about conduct (a long turn, talking over the reviewer): shown, then gone."""

    message: str


@dataclass(frozen=True, slots=True)
class SessionError:
    message: str
    fatal: bool = False
    unsaved: bool = False  # the case folder failed: the call is held in memory until saved


@dataclass(frozen=True, slots=True)
class AudioEnded:
    """Every input has ended (the recording finished, or the call was ended): the last event.
    The call itself stays open for notes and the outcome until `CallSession.end()`."""

    reason: str


@dataclass(frozen=True, slots=True)
class CallClosed:
    """What `CallSession.end()` did with the call: where it is saved, if anywhere."""

    call_dir: Path | None  # None: not saved (no case, or no folder could be written)
    saved: bool
    problems: list[str] = field(default_factory=list)
    first: bool = True  # False when end() had already closed the call


@dataclass(frozen=True, slots=True)
class TurnTaken:
    """A rehearsal's turn-taking: the reviewer speaks (`text` is what is said, for anyone
    without audio), or it is the clinician's turn to answer (`text`: what to do)."""

    speaker: Speaker
    text: str
    number: int  # the reviewer's turns so far, follow-ups included
    typed: bool = False  # the clinician's turn is typed (no microphone)
    repeat: bool = False  # the reviewer asks again: the last answer was silence


SessionEvent = (
    PartialText
    | TurnTaken
    | UtteranceHeard
    | ObjectionRaised
    | CardWithdrawn
    | ChecklistState
    | AudioLevel
    | Notice
    | Reminder
    | SessionError
    | AudioEnded
)
