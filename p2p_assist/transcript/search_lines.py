"""What search keeps of one call: each line said, noted or marked, with its time, speaker,
words and the objections it raised, and what could not be read.

The index (search_update.py) re-reads a call only when its files change, but a first search
reads them all, so this does not build the record models for every line: a light adapter
(TypedDicts) validates only the fields search keeps, and each utterance's word timings, most
of a line's bytes, are cut out before parsing. Measured per line on the benchmark's calls,
parse_record takes 40 µs, stdlib json.loads over 60 (it builds an object for every word's four
values), the light adapter 8 and 6 with the words cut out. A line this adapter cannot read is
counted as damaged and skipped, as read_call skips it, and the rest of the call is still
searched; a note with an unreadable time shows at 00:00.

The lines are the call as the clinician left it: a line corrected in review reads as
corrected, an objection rejected in review is not counted, and a card withdrawn because the
whole sentence did not bear it out is not counted either (the sentence's own objections say
what it raised). A card raised while the call stopped mid-sentence has no sentence to carry it,
so it is kept as a line of its own, with the words heard when it was raised.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic reads typing.TypedDict only from 3.12

from p2p_assist.basics.phonetic import sound_key
from p2p_assist.basics.vocabulary import SPEAKER_NAMES, Speaker
from p2p_assist.transcript.corrections import (
    LineFixed,
    ObjectionVerdict,
    latest_line_fixes,
    read_corrections,
)
from p2p_assist.transcript.layout import TRANSCRIPT_JSONL
from p2p_assist.transcript.reader import load_meta


class _ObjectionLine(TypedDict):
    id: str
    score: float


class _UtteranceLine(TypedDict):
    kind: Literal["utterance"]
    t: str
    start: float
    end: float
    speaker: NotRequired[Speaker | None]
    text: str
    objections: NotRequired[list[_ObjectionLine]]


class _NoteLine(TypedDict):
    kind: Literal["note"]
    t: str
    text: str
    stream_time: NotRequired[float | None]


class _BookmarkLine(TypedDict):
    kind: Literal["bookmark"]
    t: str
    stream_time: float
    label: NotRequired[str]


class _CaptureEditLine(TypedDict):
    kind: Literal["capture_edit"]
    t: str


class _CaptureConfirmedLine(TypedDict):
    kind: Literal["capture_confirmed"]
    t: str


class _CardLine(TypedDict):
    kind: Literal["card"]
    t: str
    stream_time: float
    objection_id: str
    score: float
    heard: str
    speaker: NotRequired[Speaker | None]


class _RetractionLine(TypedDict):
    kind: Literal["retraction"]
    t: str
    objection_id: str


_Line = Annotated[
    _UtteranceLine
    | _NoteLine
    | _BookmarkLine
    | _CaptureEditLine
    | _CaptureConfirmedLine
    | _CardLine
    | _RetractionLine,
    Field(discriminator="kind"),
]
# Texts are all different: caching them as the parser does by default only costs time.
_LINE: TypeAdapter[_Line] = TypeAdapter(_Line, config=ConfigDict(cache_strings="keys"))


_WORD = re.compile(r"[^\W_]+")  # a word as FTS5's unicode61 tokenizer cuts it


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sounds_of(words: list[str]) -> list[str]:
    """The sound keys of a line's words, for the index (a one-sound key, such as "a" or
    "oh", would match half the lines, so it is left out)."""
    return [key for key in map(sound_key, words) if len(key) > 1]


@dataclass(frozen=True, slots=True)
class SearchLine:
    """One line as search shows it. `speaker` is Reviewer, Clinician, Speaker, Note or
    Bookmark; `objections` maps each objection the line raised to its best score."""

    seconds: float
    speaker: str
    text: str
    objections: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallLines:
    """A call's searchable lines in the order said; `unfinished` when call.json still says
    in_progress."""

    lines: list[SearchLine]
    unfinished: bool
    damaged_lines: int = 0
    missing_transcript: bool = False


def read_call_lines(call_dir: Path) -> CallLines:
    """Never raises for what is on disk: what cannot be read is counted instead."""
    try:
        meta = load_meta(call_dir)
    except (OSError, ValidationError):
        meta = None  # the transcript is still searched; times run from its first line
    unfinished = meta is not None and meta.status == "in_progress"
    try:
        data = (call_dir / TRANSCRIPT_JSONL).read_bytes()
    except OSError:
        return CallLines([], unfinished, missing_transcript=True)
    parsed, damaged = _parse_lines(data, being_written=unfinished)
    started = meta.started if meta is not None else _first_time(parsed)
    corrections, _ = read_corrections(call_dir)  # a damaged correction leaves the line as heard
    verdicts = {c.objection_id: c.verdict for c in corrections if isinstance(c, ObjectionVerdict)}
    rejected = {objection for objection, verdict in verdicts.items() if verdict == "rejected"}
    lines = _lines(parsed, started, latest_line_fixes(corrections), rejected)
    return CallLines(lines, unfinished, damaged)


def _lines(
    parsed: list[_Line],
    started: dt.datetime | None,
    fixes: dict[dt.datetime, LineFixed],
    rejected: set[str],
) -> list[SearchLine]:
    lines: list[SearchLine] = []
    for line in parsed:
        if line["kind"] == "utterance":
            lines.append(_said(line, fixes, rejected))
        elif line["kind"] == "note":
            at = line.get("stream_time")
            seconds = at if at is not None else _since(line["t"], started)
            lines.append(SearchLine(seconds, "Note", line["text"]))
        elif line["kind"] == "bookmark":
            lines.append(SearchLine(line["stream_time"], "Bookmark", line.get("label", "")))
    return lines + _cards_without_a_sentence(parsed, rejected)


def _said(
    line: _UtteranceLine, fixes: dict[dt.datetime, LineFixed], rejected: set[str]
) -> SearchLine:
    speaker, text = line.get("speaker"), line["text"]
    said_at = _time(line["t"]) if fixes else None
    fix = fixes.get(said_at) if said_at is not None else None
    if fix is not None:
        speaker = None if fix.speaker_unknown else (fix.speaker or speaker)
        text = fix.text if fix.text is not None else text
    objections: dict[str, float] = {}
    for hit in line.get("objections", []):
        if hit["id"] not in rejected:
            objections[hit["id"]] = max(hit["score"], objections.get(hit["id"], hit["score"]))
    return SearchLine(line["start"], SPEAKER_NAMES[speaker], text, objections)


def _cards_without_a_sentence(parsed: list[_Line], rejected: set[str]) -> list[SearchLine]:
    """Cards still standing that were raised after the last saved sentence ended: the call
    stopped before the sentence that raised them was finished. One line per speaker, with
    the latest words heard. (A card raised by a final carries that sentence's end time.)"""
    shown: dict[str, list[_CardLine]] = {}
    last_end = float("-inf")
    for line in parsed:
        if line["kind"] == "utterance":
            last_end = max(last_end, line["end"])
        elif line["kind"] == "card":
            shown.setdefault(line["objection_id"], []).append(line)
        elif line["kind"] == "retraction" and shown.get(line["objection_id"]):
            shown[line["objection_id"]].pop()
    standing = [
        card
        for objection, cards in shown.items()
        if objection not in rejected
        for card in cards
        if card["stream_time"] > last_end
    ]
    by_speaker: dict[Speaker | None, list[_CardLine]] = {}
    for card in sorted(standing, key=lambda card: card["stream_time"]):
        by_speaker.setdefault(card.get("speaker"), []).append(card)
    return [
        SearchLine(
            cards[0]["stream_time"],
            SPEAKER_NAMES[speaker],
            cards[-1]["heard"],
            {card["objection_id"]: card["score"] for card in cards},
        )
        for speaker, cards in by_speaker.items()
    ]


def _time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _since(time: str, started: dt.datetime | None) -> float:
    moment = _time(time)
    if started is None or moment is None:
        return 0.0
    try:
        return (moment - started).total_seconds()
    except TypeError:  # a hand-edited time without its UTC offset
        return 0.0


def _first_time(lines: list[_Line]) -> dt.datetime | None:
    return _time(lines[0]["t"]) if lines else None


def _parse_lines(data: bytes, being_written: bool) -> tuple[list[_Line], int]:
    """The lines search reads and how many were damaged. A last line without its newline in
    a call still being written is one being appended right now: it is left for the next
    search rather than counted as damaged.

    Lines are found by offset rather than split, so the word timings are never copied.
    """
    lines: list[_Line] = []
    damaged = 0
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        parsed = _parse_line(data, start, end)
        if parsed is not None:
            lines.append(parsed)
        elif end < len(data) or not being_written:
            damaged += bool(data[start:end].strip())  # a blank line is not damage
        start = end + 1
    return lines, damaged


def _parse_line(data: bytes, start: int, end: int) -> _Line | None:
    """The line data[start:end], or None if damaged; its "words" array is cut out first when
    it is where record_line writes it, and a line written in another order is parsed whole.

    Cutting by bytes is safe: inside a JSON string every quote is escaped, so `,"words":[`
    and `,"objections":` can only be keys, and words hold no objects, so no key of theirs can
    be mistaken for these.
    """
    words = data.find(b',"words":[', start, end)
    objections = data.find(b',"objections":', words, end) if words >= 0 else -1
    try:
        if objections >= 0:
            return _LINE.validate_json(data[start:words] + data[objections:end])
    except ValidationError:
        pass  # damaged, or cut where it should not be: the whole line decides
    try:
        return _LINE.validate_json(data[start:end])
    except ValidationError:
        return None
