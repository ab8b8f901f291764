"""One saved call read back and condensed: what was raised, when, in whose words, what was
heard for each documentation item, and the notes and bookmarks taken.

The note, the practice score and the review screen all start from this, so they agree on
what happened in the call. Built from whatever read_call could read: a damaged line or a
missing call.json shrinks the digest, it does not stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.library.load import Library
from p2p_assist.transcript.audio_file import audio_files
from p2p_assist.transcript.clock import call_duration, record_times
from p2p_assist.transcript.reader import CallRecord, read_call
from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    CaptureEdit,
    Note,
    Utterance,
)

ANSWER_UTTERANCES = 3
ANSWER_WITHIN_SECONDS = 90.0


@dataclass(frozen=True, slots=True)
class Moment:
    """A timestamped line of the call; seconds from its start (None when unknown)."""

    seconds: float | None
    speaker: Speaker | None
    text: str


@dataclass(frozen=True, slots=True)
class RaisedObjection:
    objection_id: str
    title: str
    first: Moment
    answer: list[Moment]
    times: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HeardValue:
    value: str
    seconds: float | None
    source: Literal["heard", "corrected"]


@dataclass(frozen=True)
class CallDigest:
    call_dir: Path
    meta: CallMeta | None
    duration: float | None  # on the audio clock, as in every file (transcript/clock.py)
    problems: list[str]
    utterances: list[Utterance]
    raised: list[RaisedObjection]
    values: dict[str, HeardValue]
    notes: list[Moment]
    bookmarks: list[Moment]
    audio: list[str] = field(default_factory=list)  # kept audio files, by input (audio-0.flac)

    @property
    def unfinished(self) -> bool:
        """Ended by a crash (recovered) or still open: the record may stop mid-sentence."""
        return self.meta is None or self.meta.status != "ended"

    @property
    def determination(self) -> str | None:
        """As entered at the end of the call, else as heard."""
        entered = self.meta.outcome.determination if self.meta and self.meta.outcome else None
        if entered:
            return entered
        heard = self.values.get("determination")
        return heard.value if heard else None


def digest_call(call_dir: Path, library: Library) -> CallDigest:
    return digest_record(call_dir, read_call(call_dir), library)


def digest_record(call_dir: Path, call: CallRecord, library: Library) -> CallDigest:
    meta = call.meta
    utterances = [record for record in call.records if isinstance(record, Utterance)]

    times = record_times(call.records, meta.started if meta else None)
    timed = list(zip(call.records, times, strict=True))
    notes = [
        Moment(seconds, None, record.text) for record, seconds in timed if isinstance(record, Note)
    ]
    bookmarks = [
        Moment(seconds, None, record.label)
        for record, seconds in timed
        if isinstance(record, Bookmark)
    ]
    values: dict[str, HeardValue] = {}
    for record, seconds in timed:
        if isinstance(record, Utterance):
            for capture in record.captures:
                held = values.get(capture.field)
                # A hand correction stands; a bare "mentioned" never replaces a real value.
                if held is None or (held.source == "heard" and capture.value != "mentioned"):
                    values[capture.field] = HeardValue(capture.value, record.start, "heard")
        elif isinstance(record, CaptureEdit):
            values[record.field] = HeardValue(record.value, seconds, "corrected")
    return CallDigest(
        call_dir,
        meta,
        call_duration(meta, call.records),
        list(call.problems),
        utterances,
        _raised(utterances, library),
        values,
        notes,
        bookmarks,
        [path.name for path in audio_files(call_dir)],
    )


def _raised(utterances: list[Utterance], library: Library) -> list[RaisedObjection]:
    """Each objection once, at its first moment, with every later time it came back."""
    first: dict[str, int] = {}
    times: dict[str, list[float]] = {}
    for index, utterance in enumerate(utterances):
        for hit in utterance.objections:
            first.setdefault(hit.id, index)
            moments = times.setdefault(hit.id, [])
            if utterance.start not in moments:
                moments.append(utterance.start)
    raised = []
    for objection_id, index in sorted(first.items(), key=lambda item: item[1]):
        utterance = utterances[index]
        objection = library.objections.get(objection_id)
        raised.append(
            RaisedObjection(
                objection_id,
                objection.title if objection else objection_id,
                Moment(utterance.start, utterance.speaker, utterance.text),
                _answer(utterances, index),
                times[objection_id],
            )
        )
    return raised


def _answer(utterances: list[Utterance], index: int) -> list[Moment]:
    """What was said next: the following lines until the reviewer speaks again (when turns
    are marked) or another objection comes up, a few lines at most."""
    raised_at = utterances[index].end
    answer: list[Moment] = []
    for utterance in utterances[index + 1 : index + 1 + ANSWER_UTTERANCES]:
        if utterance.speaker == "reviewer" or utterance.objections:
            break
        if utterance.start - raised_at > ANSWER_WITHIN_SECONDS:
            break
        answer.append(Moment(utterance.start, utterance.speaker, utterance.text))
    return answer
