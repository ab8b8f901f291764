"""Keeping the search index in step with the call folders, which stay the record.

Each search lists the call folders and compares each call's files (size, times and inode of
transcript.jsonl, call.json and corrections.jsonl) with what the index last read: a new or
changed call is read again, a call that is gone is dropped. So a live call is searched as far
as it is written, and a deleted call's words do not outlive it. Reading 1,000 calls of 120
lines takes about 10 s the first time; after that a search stats 3,000 files (about 10 ms).

Two searches at once, or a search while a call is being written, are SQLite's to order: each
batch of calls is written in one transaction under its write lock, and a call another search
has just indexed is not indexed twice.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript.corrections import CORRECTIONS_JSONL
from p2p_assist.transcript.layout import CALL_JSON, TRANSCRIPT_JSONL, case_ids, stamp_order
from p2p_assist.transcript.reader import list_calls
from p2p_assist.transcript.search_lines import CallLines, read_call_lines, sounds_of, words_of

BATCH_CALLS = 50
"""Calls written per transaction: a waiting search gets its turn between batches, and a
search killed part-way keeps what it had indexed."""


@dataclass(frozen=True, slots=True)
class SavedCall:
    """A call folder found on disk; `files` says what its files were when listed."""

    case_id: str
    call_dir: Path
    files: str


@dataclass(frozen=True, slots=True)
class Listing:
    """The calls of one case (`case_id`) or of every case, and the cases that could not be
    listed (one line each)."""

    calls: list[SavedCall]
    unreadable: list[str]
    case_id: str | None


def list_saved_calls(cases_dir: Path, case_id: str | None) -> Listing:
    """Raises UserError for a missing cases folder or when the one case asked for is."""
    calls: list[SavedCall] = []
    unreadable: list[str] = []
    for case in [case_id] if case_id is not None else case_ids(cases_dir):
        try:
            call_dirs = list_calls(cases_dir, case)
        except UserError as error:
            if case_id is not None:
                raise  # the one case asked for: its problem is the answer
            unreadable.append(str(error))
            continue
        calls += [SavedCall(case, call_dir, _files(call_dir)) for call_dir in call_dirs]
    return Listing(calls, unreadable, case_id)


def _files(call_dir: Path) -> str:
    """What a call's files are now. The change time is in it so that a transcript made
    readable again (chmod) is read again; the inode, so that a file replaced is. (Plain
    strings rather than Paths: this runs for every call on every search.)"""
    folder = os.fspath(call_dir)
    parts = []
    for name in (TRANSCRIPT_JSONL, CALL_JSON, CORRECTIONS_JSONL):
        try:
            found = os.stat(f"{folder}/{name}")
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{found.st_size}.{found.st_mtime_ns}.{found.st_ctime_ns}.{found.st_ino}")
    return " ".join(parts)


@contextlib.contextmanager
def writing(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction, begun holding the write lock (so it never has to upgrade a read
    lock another search also holds, which SQLite could only refuse)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def refresh(db: sqlite3.Connection, listing: Listing) -> int:
    """Reads again each call whose files changed, drops the calls no longer listed;
    returns how many calls were read."""
    where, args = ("WHERE case_id = ?", (listing.case_id,)) if listing.case_id else ("", ())
    stored = {
        (case, stamp): (call_id, files)
        for call_id, case, stamp, files in db.execute(
            f"SELECT id, case_id, stamp, files FROM calls {where}", args
        )
    }
    listed = {(call.case_id, call.call_dir.name) for call in listing.calls}
    stale = [
        call
        for call in listing.calls
        if stored.get((call.case_id, call.call_dir.name), (0, ""))[1] != call.files
    ]
    gone = [call_id for key, (call_id, _) in stored.items() if key not in listed]
    terms = _Terms()
    for start in range(0, len(stale), BATCH_CALLS):
        batch = stale[start : start + BATCH_CALLS]
        read = [(call, read_call_lines(call.call_dir)) for call in batch]
        with writing(db):
            for call, lines in read:
                _store(db, call, lines, terms)
    if gone:
        with writing(db):
            for call_id in gone:
                _forget(db, call_id)
    return len(stale)


class _Terms:
    """The words and sound keys the index has seen, so each is written to it once."""

    def __init__(self) -> None:
        self._spellings: set[str] | None = None  # read when the first call is stored
        self._sounds: set[str] = set()

    def add(self, db: sqlite3.Connection, words: set[str], keys: set[str]) -> None:
        if self._spellings is None:
            self._spellings = {term for (term,) in db.execute("SELECT term FROM spellings")}
            self._sounds = {key for (key,) in db.execute("SELECT key FROM sounds")}
        new_words, new_keys = words - self._spellings, keys - self._sounds
        db.executemany("INSERT OR IGNORE INTO spellings VALUES (?)", [(w,) for w in new_words])
        db.executemany("INSERT OR IGNORE INTO sounds VALUES (?)", [(k,) for k in new_keys])
        self._spellings |= new_words
        self._sounds |= new_keys


def _store(db: sqlite3.Connection, call: SavedCall, read: CallLines, terms: _Terms) -> None:
    stamp = call.call_dir.name
    row = db.execute(
        "SELECT id, files FROM calls WHERE case_id = ? AND stamp = ?", (call.case_id, stamp)
    ).fetchone()
    if row is not None:
        if row[1] == call.files:
            return  # another search indexed it while this one was reading
        _forget(db, row[0])
    stamp_time, stamp_number, _ = stamp_order(call.call_dir)
    call_id = db.execute(
        "INSERT INTO calls (case_id, stamp, stamp_time, stamp_number, files, unfinished,"
        " damaged, missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            call.case_id,
            stamp,
            stamp_time,
            stamp_number,
            call.files,
            read.unfinished,
            read.damaged_lines,
            read.missing_transcript,
        ),
    ).lastrowid
    first: int = db.execute("SELECT coalesce(max(id), 0) + 1 FROM lines").fetchone()[0]
    words = [words_of(line.text) for line in read.lines]
    sounds = [sounds_of(line_words) for line_words in words]
    db.executemany(
        "INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (first + seq, call_id, seq, line.seconds, line.speaker, line.text, " ".join(keys))
            for seq, (line, keys) in enumerate(zip(read.lines, sounds, strict=True))
        ],
    )
    db.executemany(
        "INSERT INTO raised VALUES (?, ?, ?)",
        [
            (first + seq, objection, score)
            for seq, line in enumerate(read.lines)
            for objection, score in line.objections.items()
        ],
    )
    db.execute(
        "INSERT INTO words (rowid, text, sounds) SELECT id, text, sounds FROM lines WHERE call = ?",
        (call_id,),
    )
    terms.add(db, {w for line in words for w in line}, {k for line in sounds for k in line})


def _forget(db: sqlite3.Connection, call_id: int) -> None:
    db.execute(
        "INSERT INTO words (words, rowid, text, sounds)"
        " SELECT 'delete', id, text, sounds FROM lines WHERE call = ?",
        (call_id,),
    )
    db.execute("DELETE FROM raised WHERE line IN (SELECT id FROM lines WHERE call = ?)", (call_id,))
    db.execute("DELETE FROM lines WHERE call = ?", (call_id,))
    db.execute("DELETE FROM calls WHERE id = ?", (call_id,))
