"""Fuzzy search over every saved call, so a clinician can find what a reviewer said weeks ago.

The words are the recogniser's, misspellings included ("inter qual", "step therepy"), so text
is matched fuzzily: rapidfuzz's partial_ratio finds the query inside a line, all lines of all
calls scored together in a batch.

Search reads hundreds of calls, so it does not build the record models for every line: a light
adapter (TypedDicts) validates only the fields a hit shows, and each utterance's word timings,
most of a line's bytes, are cut out before parsing. Measured per line on the benchmark's calls,
parse_record takes 40 µs, stdlib json.loads over 60 (it builds an object for every word's four
values), the light adapter 8 and 6 with the words cut out; bench/search_speed.py times it all. A
line this adapter cannot read is counted as damaged and skipped, as read_call skips it, and the
rest of the call is still searched; a note with an unreadable time shows at 00:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, NotRequired

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from typing_extensions import TypedDict  # pydantic reads typing.TypedDict only from 3.12

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import SPEAKER_NAMES, Speaker
from p2p_assist.transcript.layout import TRANSCRIPT_JSONL, case_ids, stamp_order
from p2p_assist.transcript.reader import list_calls, load_meta

MAX_QUERY = 300
"""Characters of search text: several sentences, far more than anyone types to find a line."""

MIN_SCORE = 80.0
"""partial_ratio of the query against its best-matching stretch of a line, 0-100. At 80
"interqual" still finds "inter qual" (89) but not "internal" (78)."""


class _ObjectionLine(TypedDict):
    id: str
    score: float


class _UtteranceLine(TypedDict):
    kind: Literal["utterance"]
    t: str
    start: float
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


class _RetractionLine(TypedDict):
    kind: Literal["retraction"]
    t: str


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
_Searchable = _UtteranceLine | _NoteLine | _BookmarkLine


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching line: `stamp` is the call folder's name, `seconds` the time in the call,
    `speaker` Reviewer, Clinician, Speaker, Note or Bookmark; `unfinished` when call.json
    still says in_progress."""

    case_id: str
    stamp: str
    call_dir: Path
    seconds: float
    speaker: str
    text: str
    score: float
    unfinished: bool


@dataclass(frozen=True, slots=True)
class CallProblems:
    """What could not be searched in one call."""

    case_id: str
    stamp: str
    damaged_lines: int = 0
    missing_transcript: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    problems: list[CallProblems]
    unreadable: tuple[str, ...] = ()
    """One line for each case whose calls could not be listed (the other cases are searched)."""

    @property
    def damaged_lines(self) -> int:
        return sum(problem.damaged_lines for problem in self.problems)

    @property
    def missing_transcripts(self) -> int:
        return sum(problem.missing_transcript for problem in self.problems)


@dataclass(frozen=True, slots=True)
class _Call:
    case_id: str
    call_dir: Path
    started: dt.datetime | None
    unfinished: bool
    lines: list[_Searchable]
    problems: CallProblems | None


def search_calls(
    cases_dir: Path,
    query: str | None,
    case_id: str | None = None,
    objection: str | None = None,
    limit: int = 50,
) -> SearchResult:
    """The best `limit` lines: by score, then newest call first, then in the order said.

    Without a query, every utterance with the `objection` hit matches, scored by the hit (and
    with neither, every line, newest first).
    Raises UserError for an empty query, an unknown case or a missing cases folder.
    """
    needle = _normalised_query(query)
    calls: list[_Call] = []
    unreadable: list[str] = []
    for case in [case_id] if case_id is not None else case_ids(cases_dir):
        try:
            call_dirs = list_calls(cases_dir, case)
        except UserError as error:
            if case_id is not None:
                raise  # the one case asked for: its problem is the answer
            unreadable.append(str(error))
            continue
        calls += [_read_call(case, call_dir) for call_dir in call_dirs]
    calls.sort(key=lambda call: stamp_order(call.call_dir), reverse=True)
    # A stable sort: equal scores keep the pool's order, newest call first, then as said.
    hits = sorted(_matches(_pool(calls, objection), needle), key=lambda hit: -hit.score)
    return SearchResult(
        hits=hits[:limit],
        problems=[call.problems for call in calls if call.problems is not None],
        unreadable=tuple(unreadable),
    )


def _normalised_query(query: str | None) -> str | None:
    if query is None:
        return None
    needle = default_process(query)
    if not needle:
        raise UserError(f"search text {query!r} has no letters or digits — give words to find")
    if len(needle) > MAX_QUERY:
        # Fuzzy partial matching costs query length × line length: a pasted page would take
        # minutes over a few hundred calls, and never finds a spoken line anyway.
        raise UserError(
            f"search text is {len(needle):,} characters — give a few words (at most {MAX_QUERY})"
        )
    return needle


def _pool(calls: Sequence[_Call], objection: str | None) -> list[tuple[_Call, _Searchable, float]]:
    """Every line that may match, with the score of its `objection` hit (0 without one)."""
    if objection is None:
        return [(call, line, 0.0) for call in calls for line in call.lines]
    return [
        (call, line, score)
        for call in calls
        for line in call.lines
        if (score := _objection_score(line, objection)) is not None
    ]


def _matches(
    pool: Sequence[tuple[_Call, _Searchable, float]], needle: str | None
) -> list[SearchHit]:
    """The pool's lines that match the query; without one, all of them (each raised the
    objection), scored by the objection hit."""
    if needle is None:
        return [_hit(call, line, score) for call, line, score in pool]
    scores = _fuzzy_scores(needle, [_text(line) for _, line, _ in pool])
    return [
        _hit(call, line, score)
        for (call, line, _), score in zip(pool, scores.tolist(), strict=True)
        if score >= MIN_SCORE
    ]


def _fuzzy_scores(needle: str, texts: list[str]) -> NDArray[np.float64]:
    """partial_ratio for lines at least as long as the query; a shorter line is compared whole
    (ratio), or "step" alone would score 100 against the query "step therapy". The texts are
    normalised inside rapidfuzz, which only trims their length."""
    if not texts:
        return np.zeros(0)
    partial = process.cdist(
        [needle],
        texts,
        scorer=fuzz.partial_ratio,
        processor=default_process,
        score_cutoff=MIN_SCORE,
    )
    whole = process.cdist(
        [needle], texts, scorer=fuzz.ratio, processor=default_process, score_cutoff=MIN_SCORE
    )
    long_enough = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) >= len(needle)
    scores: NDArray[np.float64] = np.where(long_enough, partial[0], whole[0])
    return scores


def _text(line: _Searchable) -> str:
    return line.get("label", "") if line["kind"] == "bookmark" else line["text"]


def _objection_score(line: _Searchable, objection: str) -> float | None:
    """The hit's score when the line is an utterance that raised `objection`, else None."""
    if line["kind"] != "utterance":
        return None
    return max(
        (hit["score"] for hit in line.get("objections", []) if hit["id"] == objection),
        default=None,
    )


def _hit(call: _Call, line: _Searchable, score: float) -> SearchHit:
    if line["kind"] == "utterance":
        seconds, speaker = line["start"], SPEAKER_NAMES[line.get("speaker")]
    elif line["kind"] == "bookmark":
        seconds, speaker = line["stream_time"], "Bookmark"
    else:
        at = line.get("stream_time")
        seconds = at if at is not None else _since(line["t"], call.started)
        speaker = "Note"
    return SearchHit(
        case_id=call.case_id,
        stamp=call.call_dir.name,
        call_dir=call.call_dir,
        seconds=seconds,
        speaker=speaker,
        text=_text(line),
        score=score,
        unfinished=call.unfinished,
    )


def _since(time: str, started: dt.datetime | None) -> float:
    if started is None:
        return 0.0
    try:
        return (dt.datetime.fromisoformat(time) - started).total_seconds()
    except (ValueError, TypeError):  # a hand-edited time, or one without its UTC offset
        return 0.0


def _read_call(case_id: str, call_dir: Path) -> _Call:
    try:
        meta = load_meta(call_dir)
    except (OSError, ValidationError):
        meta = None  # the transcript is still searched; times run from its first line
    unfinished = meta is not None and meta.status == "in_progress"
    try:
        data = (call_dir / TRANSCRIPT_JSONL).read_bytes()
    except OSError:
        missing = CallProblems(case_id, call_dir.name, missing_transcript=True)
        return _Call(case_id, call_dir, None, unfinished, [], missing)
    lines, damaged = _parse_lines(data)
    started = meta.started if meta is not None else _first_time(lines)
    problems = CallProblems(case_id, call_dir.name, damaged) if damaged else None
    return _Call(case_id, call_dir, started, unfinished, lines, problems)


def _first_time(lines: list[_Searchable]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(lines[0]["t"])
    except (IndexError, ValueError):
        return None


def _parse_lines(data: bytes) -> tuple[list[_Searchable], int]:
    """The searchable lines (what was said, noted and marked) and how many were damaged.

    Lines are found by offset rather than split, so the word timings are never copied.
    """
    lines: list[_Searchable] = []
    damaged = 0
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        parsed = _parse_line(data, start, end)
        if parsed is None:
            damaged += bool(data[start:end].strip())  # a blank line is not damage
        elif parsed["kind"] in ("utterance", "note", "bookmark"):
            lines.append(parsed)
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


def skipped_summary(result: SearchResult) -> str | None:
    """One line on what could not be searched, or None when everything was read."""
    parts = []
    if result.unreadable:
        more = len(result.unreadable) - 1
        parts.append(result.unreadable[0] + (f" (and {more} more cases)" if more else ""))
    if result.problems:
        parts.append(_damage_summary(result))
    return "skipped " + "; ".join(parts) if parts else None


def _damage_summary(result: SearchResult) -> str:
    parts = []
    if damaged := result.damaged_lines:
        parts.append(f"{damaged} damaged line{'s' * (damaged != 1)}")
    if missing := result.missing_transcripts:
        files = f"{TRANSCRIPT_JSONL}{' files' * (missing != 1)}"
        parts.append(f"{missing} missing or unreadable {files}")
    calls = len(result.problems)
    first = result.problems[0]
    return (
        f"{' and '.join(parts)} in {calls} call{'s' * (calls != 1)} "
        f"(see them with: p2p-assist review {first.case_id})"
    )
