"""Search over every saved call, so a clinician can find what a reviewer said weeks ago.

The calls are indexed in SQLite FTS5 (search_index.py), kept in step with their files, so a
query reads the few lines that may match rather than every transcript (about 0.5 s over 300
calls before the index; bench/search_speed.py measures both). Lines spelled like the query come
first, scored as before by rapidfuzz; then lines that only sound like it ("terkel" for
InterQual), which the recogniser's mishearings need (search_match.py). What a call's files
hold, damaged lines and corrections included, is search_lines.py's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from rapidfuzz.utils import default_process

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript.layout import CALLS, TRANSCRIPT_JSONL
from p2p_assist.transcript.search_index import with_index
from p2p_assist.transcript.search_match import (
    MIN_SCORE,
    SOUND_MIN,
    SoundQuery,
    fuzzy_scores,
    sound_query,
    sound_scores,
    text_query,
)
from p2p_assist.transcript.search_update import list_saved_calls

MAX_QUERY = 300
"""Characters of search text: several sentences, far more than anyone types to find a line."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching line: `stamp` is the call folder's name, `seconds` the time in the call,
    `speaker` Reviewer, Clinician, Speaker, Note or Bookmark; `unfinished` when call.json
    still says in_progress; `by_sound` when the line only sounds like the query."""

    case_id: str
    stamp: str
    call_dir: Path
    seconds: float
    speaker: str
    text: str
    score: float
    unfinished: bool
    by_sound: bool = False


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
    notices: tuple[str, ...] = ()
    """One line for each thing the search index needed: made, rebuilt, or done without."""

    @property
    def damaged_lines(self) -> int:
        return sum(problem.damaged_lines for problem in self.problems)

    @property
    def missing_transcripts(self) -> int:
        return sum(problem.missing_transcript for problem in self.problems)


def best_first(hits: Iterable[SearchHit]) -> list[SearchHit]:
    """Lines spelled like the query, then lines that sound like it; each by score. A stable
    sort: equal scores keep their order, the newest call first, then as said."""
    return sorted(hits, key=lambda hit: (hit.by_sound, -hit.score))


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
    listing = list_saved_calls(cases_dir, case_id)
    search = _Search(cases_dir, case_id, objection)
    (hits, problems), notices = with_index(
        cases_dir, listing, partial(search.run, needle=needle, limit=limit)
    )
    return SearchResult(hits, problems, tuple(listing.unreadable), tuple(notices))


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


_NEWEST_FIRST = "c.stamp_time DESC, c.stamp_number DESC, c.stamp DESC, c.case_id"
_SHOWN = (
    "l.id, c.case_id, c.stamp, l.seconds, l.speaker, l.text, c.unfinished"
    " FROM lines l JOIN calls c ON c.id = l.call"
)


class _Candidate(NamedTuple):
    id: int
    call: int
    seq: int
    text: str


@dataclass(frozen=True, slots=True)
class _Search:
    """One search's question, asked of an index brought up to date."""

    cases_dir: Path
    case_id: str | None
    objection: str | None

    def run(
        self, db: sqlite3.Connection, needle: str | None, limit: int
    ) -> tuple[list[SearchHit], list[CallProblems]]:
        found = (
            self._without_query(db, limit) if needle is None else self._matches(db, needle, limit)
        )
        return self._shown(db, found), self._problems(db)

    def _without_query(self, db: sqlite3.Connection, limit: int) -> list[tuple[int, float, bool]]:
        """Without `objection`, every line, newest call first; with it, the lines that raised
        it, best score first. The best come from the index in score order; the lines tied
        with the last of them are fetched too, as the newest call wins a tie."""
        case, args = ("c.case_id = ?", [self.case_id]) if self.case_id else ("1", [])
        if self.objection is None:
            newest = db.execute(
                f"SELECT l.id FROM lines l JOIN calls c ON c.id = l.call WHERE {case}"
                f" ORDER BY {_NEWEST_FIRST}, l.seq LIMIT {limit}",
                args,
            )
            return [(line, 0.0, False) for (line,) in newest]
        sql = (
            "SELECT r.line, r.score, l.call, l.seq FROM raised r JOIN lines l ON l.id = r.line"
            f" JOIN calls c ON c.id = l.call AND {case} WHERE r.objection = ?"
        )
        args.append(self.objection)
        rows: list[tuple[int, float, int, int]]
        rows = db.execute(f"{sql} ORDER BY r.score DESC LIMIT {limit}", args).fetchall()
        if len(rows) == limit:
            tied = db.execute(f"{sql} AND r.score = ?", [*args, rows[-1][1]])
            rows = list({row[0]: row for row in [*rows, *tied]}.values())
        order = _call_order(db)
        rows.sort(key=lambda row: (-row[1], order[row[2]], row[3]))
        return [(line, score, False) for line, score, _, _ in rows[:limit]]

    def _matches(
        self, db: sqlite3.Connection, needle: str, limit: int
    ) -> list[tuple[int, float, bool]]:
        """The best `limit` lines (id, score, by sound): spelled like the query, then, while
        there is room, sounding like it."""
        order = _call_order(db)
        spelled = text_query(needle, _terms(db, "spellings", "term"))
        lines = self._candidates(db, spelled) if spelled else []
        scores = fuzzy_scores(needle, [line.text for line in lines]).tolist()
        found = [(line, score, False) for line, score in zip(lines, scores, strict=True)]
        found = [match for match in found if match[1] >= MIN_SCORE]
        if len(found) < limit and (sounds := sound_query(needle, _terms(db, "sounds", "key"))):
            found += self._heard(db, sounds, {line.id for line, _, _ in found}, limit - len(found))
        found.sort(key=lambda match: (match[2], -match[1], order[match[0].call], match[0].seq))
        return [(line.id, score, by_sound) for line, score, by_sound in found[:limit]]

    def _heard(
        self, db: sqlite3.Connection, sounds: SoundQuery, seen: set[int], wanted: int
    ) -> list[tuple[_Candidate, float, bool]]:
        """Lines not in `seen` that sound like the query: tier by tier, best first, until
        `wanted` are found (the ones after could not rank above them); and, for a query of
        several words, the lines with words like each, scored stretch by stretch."""
        seen = set(seen)
        found: list[tuple[_Candidate, float, bool]] = []
        for score, expression in sounds.tiers:
            if len(found) >= wanted:
                break
            lines = [line for line in self._candidates(db, expression) if line.id not in seen]
            seen |= {line.id for line in lines}
            found += [(line, score, True) for line in lines]
        if sounds.loose is not None:
            lines = [line for line in self._candidates(db, sounds.loose) if line.id not in seen]
            scores = sound_scores(sounds, [line.text for line in lines]).tolist()
            found += [
                (line, s, True) for line, s in zip(lines, scores, strict=True) if s >= SOUND_MIN
            ]
        return found

    def _candidates(self, db: sqlite3.Connection, match: str) -> list[_Candidate]:
        """The lines `match`, an FTS5 expression, finds in the calls searched (those of
        `case_id`, those that raised `objection`). CROSS JOIN keeps FTS5 first: asked per
        line, it would run the whole expression again for each."""
        joins = ["words", "lines l ON l.id = words.rowid"]
        args = [match]
        if self.objection is not None:
            joins.append("raised r ON r.line = l.id AND r.objection = ?")
            args.insert(0, self.objection)
        if self.case_id is not None:
            joins.append("calls c ON c.id = l.call AND c.case_id = ?")
            args.insert(len(args) - 1, self.case_id)
        sql = (
            f"SELECT l.id, l.call, l.seq, l.text FROM {' CROSS JOIN '.join(joins)}"
            " WHERE words MATCH ?"
        )
        return [_Candidate(*row) for row in db.execute(sql, args)]

    def _shown(
        self, db: sqlite3.Connection, found: list[tuple[int, float, bool]]
    ) -> list[SearchHit]:
        """The hits, in the order found, with what a hit shows."""
        rows = {
            row[0]: row
            for row in db.execute(
                f"SELECT {_SHOWN} WHERE l.id IN ({', '.join('?' * len(found))})",
                [line for line, _, _ in found],
            )
        }
        hits = []
        for line, score, by_sound in found:
            _, case_id, stamp, seconds, speaker, text, unfinished = rows[line]
            hits.append(
                SearchHit(
                    case_id=case_id,
                    stamp=stamp,
                    call_dir=self.cases_dir / case_id / CALLS / stamp,
                    seconds=seconds,
                    speaker=speaker,
                    text=text,
                    score=score,
                    unfinished=bool(unfinished),
                    by_sound=by_sound,
                )
            )
        return hits

    def _problems(self, db: sqlite3.Connection) -> list[CallProblems]:
        where, args = ("AND c.case_id = ?", [self.case_id]) if self.case_id else ("", [])
        rows = db.execute(
            "SELECT c.case_id, c.stamp, c.damaged, c.missing FROM calls c"
            f" WHERE (c.damaged > 0 OR c.missing) {where} ORDER BY {_NEWEST_FIRST}",
            args,
        )
        return [
            CallProblems(case, stamp, damaged, bool(missing))
            for case, stamp, damaged, missing in rows
        ]


def _call_order(db: sqlite3.Connection) -> dict[int, int]:
    """Each call's place, newest first."""
    calls = db.execute(f"SELECT c.id FROM calls c ORDER BY {_NEWEST_FIRST}")
    return {call_id: place for place, (call_id,) in enumerate(calls)}


def _terms(db: sqlite3.Connection, table: str, column: str) -> list[str]:
    """Every word (or sound key) the index has seen; one string from SQLite is split faster
    than tens of thousands of rows are fetched."""
    joined: str | None = db.execute(f"SELECT group_concat({column}, ' ') FROM {table}").fetchone()[
        0
    ]
    return joined.split() if joined else []


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
