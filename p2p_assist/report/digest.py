"""One saved call read back and condensed: what was raised, when, in whose words, what was
heard for each documentation item, and the notes and bookmarks taken.

The note, the practice score and the review screen all start from this, so they agree on
what happened in the call. Built from whatever read_call could read: a damaged line or a
missing call.json shrinks the digest, it does not stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.library.load import Library
from p2p_assist.transcript.audio_file import audio_files
from p2p_assist.transcript.clock import call_duration, record_times
from p2p_assist.transcript.corrections import (
    Correction,
    ObjectionVerdict,
    ValueSettled,
    latest_line_fixes,
    read_corrections,
)
from p2p_assist.transcript.reader import CallRecord, read_call
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

ANSWER_UTTERANCES = 3
ANSWER_WITHIN_SECONDS = 90.0
CARD_TIME_SLACK = 0.05  # seconds: a final's card carries the sentence's end time


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
class WithdrawnCard:
    """A card shown while a sentence was spoken and withdrawn when the whole of it was heard."""

    objection_id: str
    title: str
    seconds: float
    heard: str
    final_text: str


@dataclass(frozen=True, slots=True)
class HeardValue:
    """An item's value as the call left it: typed by the clinician ("corrected"), heard and
    confirmed with a key ("confirmed"), or only heard. `also_heard`: other values heard for
    the same item, which the clinician did not pick."""

    value: str
    seconds: float | None
    source: Literal["heard", "corrected", "confirmed"]
    confidence: float = 1.0
    also_heard: tuple[str, ...] = ()
    detail: str = ""  # what a pending determination waits for


@dataclass(frozen=True)
class CallDigest:
    call_dir: Path
    meta: CallMeta | None
    duration: float | None  # on the audio clock, as in every file (transcript/clock.py)
    problems: list[str]
    utterances: list[Utterance]
    raised: list[RaisedObjection]
    withdrawn: list[WithdrawnCard]
    values: dict[str, HeardValue]
    verdicts: dict[str, Literal["confirmed", "rejected"]]  # objections judged in review
    rejected: list[RaisedObjection]  # raised on the call; the clinician says they were not
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
    """The call as corrected in review: corrections (corrections.jsonl) apply on top of what
    was heard, which itself is never rewritten."""
    corrections, unreadable = read_corrections(call_dir)
    call = CallRecord(
        call.meta, _corrected_lines(call.records, corrections), [*call.problems, *unreadable]
    )
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
    values = _values(timed) | _values_settled(corrections)
    cards = [r for r in call.records if isinstance(r, CardShown | CardRetracted)]
    if cards:
        raised, withdrawn = _cards(cards, utterances, library)
    else:  # saved before cards were recorded: the tags on the utterances say what was raised
        raised, withdrawn = _raised_from_tags(utterances, library), []
    verdicts = {c.objection_id: c.verdict for c in corrections if isinstance(c, ObjectionVerdict)}
    rejected = [r for r in raised if verdicts.get(r.objection_id) == "rejected"]
    raised = [r for r in raised if verdicts.get(r.objection_id) != "rejected"]
    return CallDigest(
        call_dir,
        meta,
        call_duration(meta, call.records),
        list(call.problems),
        utterances,
        raised,
        withdrawn,
        values,
        verdicts,
        rejected,
        notes,
        bookmarks,
        [path.name for path in audio_files(call_dir)],
    )


def _corrected_lines(records: list[Record], corrections: list[Correction]) -> list[Record]:
    """Each utterance with the words and speaker the clinician gave it in review."""
    fixes = latest_line_fixes(corrections)
    if not fixes:
        return records
    corrected: list[Record] = []
    for record in records:
        fix = fixes.get(record.t) if isinstance(record, Utterance) else None
        if fix is not None and isinstance(record, Utterance):
            speaker = None if fix.speaker_unknown else (fix.speaker or record.speaker)
            text = fix.text if fix.text is not None else record.text
            spans_hold = text == record.text
            record = record.model_copy(
                update={
                    "text": text,
                    "speaker": speaker,
                    # New words: the old character spans no longer point at them.
                    "objections": record.objections
                    if spans_hold
                    else [o.model_copy(update={"span": (0, 0)}) for o in record.objections],
                }
            )
        corrected.append(record)
    return corrected


def _values_settled(corrections: list[Correction]) -> dict[str, HeardValue]:
    settled: dict[str, HeardValue] = {}
    for correction in corrections:
        if isinstance(correction, ValueSettled):
            source: Literal["corrected", "confirmed"] = (
                "confirmed" if correction.how == "confirmed" else "corrected"
            )
            settled[correction.field] = HeardValue(correction.value, None, source)
    return settled


def _values(timed: list[tuple[Record, float | None]]) -> dict[str, HeardValue]:
    """Per item: what the clinician confirmed or typed (the latest stands), else the newest
    real value heard; every other value heard is kept beside it, never silently dropped."""
    heard: dict[str, dict[str, HeardValue]] = {}  # field -> value -> first time heard
    settled: dict[str, HeardValue] = {}
    for record, seconds in timed:
        if isinstance(record, Utterance):
            for capture in record.captures:
                seen = heard.setdefault(capture.field, {})
                seen.setdefault(
                    capture.value,
                    HeardValue(
                        capture.value,
                        record.start,
                        "heard",
                        capture.confidence,
                        detail=capture.detail,
                    ),
                )
        elif isinstance(record, CaptureEdit | CaptureConfirmed):
            source: Literal["corrected", "confirmed"] = (
                "corrected" if isinstance(record, CaptureEdit) else "confirmed"
            )
            settled[record.field] = HeardValue(record.value, seconds, source)
    values: dict[str, HeardValue] = {}
    for field_id in heard.keys() | settled.keys():
        seen = heard.get(field_id, {})
        real = [value for value in seen.values() if value.value != "mentioned"]
        chosen = settled.get(field_id) or (real[-1] if real else seen.get("mentioned"))
        if chosen is None:
            continue
        others = tuple(value.value for value in real if value.value != chosen.value)
        values[field_id] = replace(chosen, also_heard=others)
    return values


def _cards(
    cards: list[CardShown | CardRetracted], utterances: list[Utterance], library: Library
) -> tuple[list[RaisedObjection], list[WithdrawnCard]]:
    """What the screen showed: each card kept, at the first time it was shown (quoted from the
    sentence that raised it), and each card withdrawn, with what the sentence said instead."""
    shown: dict[str, list[CardShown]] = {}
    withdrawn: list[WithdrawnCard] = []
    for card in cards:
        if isinstance(card, CardShown):
            shown.setdefault(card.objection_id, []).append(card)
        elif shown.get(card.objection_id):
            early = shown[card.objection_id].pop()
            title = _title(card.objection_id, library)
            withdrawn.append(
                WithdrawnCard(
                    card.objection_id, title, early.stream_time, early.heard, card.final_text
                )
            )
    raised = []
    for objection_id, kept in shown.items():
        if not kept:
            continue
        index = _said_in(utterances, kept[0].stream_time)
        if index is None:  # the app stopped before the sentence ended: quote what was heard
            first = Moment(kept[0].stream_time, kept[0].speaker, kept[0].heard)
            answer: list[Moment] = []
        else:
            said = utterances[index]
            first = Moment(said.start, said.speaker, said.text)
            answer = _answer(utterances, index)
        times = list(dict.fromkeys(card.stream_time for card in kept))
        raised.append(
            RaisedObjection(objection_id, _title(objection_id, library), first, answer, times)
        )
    raised.sort(key=lambda objection: objection.times[0])
    return raised, withdrawn


def _said_in(utterances: list[Utterance], stream_time: float) -> int | None:
    """The utterance a card was raised in: the first one that had not ended by then (a
    partial's time falls inside its sentence; a final's is the sentence's end)."""
    for index, utterance in enumerate(utterances):
        if utterance.end >= stream_time - CARD_TIME_SLACK:
            return index
    return None


def _title(objection_id: str, library: Library) -> str:
    objection = library.objections.get(objection_id)
    return objection.title if objection else objection_id


def _raised_from_tags(utterances: list[Utterance], library: Library) -> list[RaisedObjection]:
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
