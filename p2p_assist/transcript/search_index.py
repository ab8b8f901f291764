"""The search index: every saved call's lines in SQLite FTS5, kept in step with the call folders.

The JSONL files stay the record; the index is derived from them and can always be thrown
away. Each search lists the call folders and compares each call's files (size, times and
inode of transcript.jsonl, call.json and corrections.jsonl) with what the index last read:
a new or changed call is read again, a call that is gone is dropped. So a live call is
searched as far as it is written, and a deleted call's words do not outlive it.

Where it lives: `.search.sqlite` in the cases folder itself, owner-only (0600; SQLite gives
its journal the same mode). It holds patient words, so it belongs with them: on the disk,
the backup and the encryption the clinician chose for the cases, deleted with them, and never
in the per-user cache, which is for derived data without patient text (basics/locations.py)
and would outlive a deleted cases folder. A cases folder where the file cannot be kept
(read-only, a link or a folder in its place, a full disk) is searched through a throwaway
index in memory; a damaged one (truncated, overwritten) is rebuilt. Either is said in one line.

Two searches at once, or a search while a call is being written, are SQLite's to order: each
batch of calls is written in one transaction under its write lock (others wait up to
BUSY_SECONDS), and a call another search has just indexed is not indexed twice. The rollback
journal is used rather than WAL, which needs shared memory a network drive may not give.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from p2p_assist.basics.durable import open_private
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.phonetic import sound_key
from p2p_assist.transcript.corrections import CORRECTIONS_JSONL
from p2p_assist.transcript.layout import CALL_JSON, TRANSCRIPT_JSONL, case_ids, stamp_order
from p2p_assist.transcript.reader import list_calls
from p2p_assist.transcript.search_lines import CallLines, read_call_lines

INDEX_NAME = ".search.sqlite"
SCHEMA_VERSION = 1
BUSY_SECONDS = 20.0
"""How long a search waits for another one's write (a first search over 1,000 calls writes
for several seconds, one batch at a time) before it searches without the index."""
BATCH_CALLS = 50
"""Calls written per transaction: a waiting search gets its turn between batches, and a
search killed part-way keeps what it had indexed."""

_SCHEMA = (
    """CREATE TABLE calls (
        id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, stamp TEXT NOT NULL,
        stamp_time TEXT NOT NULL, stamp_number INTEGER NOT NULL, files TEXT NOT NULL,
        unfinished INTEGER NOT NULL, damaged INTEGER NOT NULL, missing INTEGER NOT NULL,
        UNIQUE (case_id, stamp))""",
    """CREATE TABLE lines (
        id INTEGER PRIMARY KEY, call INTEGER NOT NULL, seq INTEGER NOT NULL,
        seconds REAL NOT NULL, speaker TEXT NOT NULL, text TEXT NOT NULL, sounds TEXT NOT NULL)""",
    "CREATE INDEX lines_by_call ON lines (call)",
    """CREATE TABLE raised (
        line INTEGER NOT NULL, objection TEXT NOT NULL, score REAL NOT NULL,
        PRIMARY KEY (line, objection)) WITHOUT ROWID""",
    "CREATE INDEX raised_by_objection ON raised (objection, score)",
    # The words of each line, and the sound of each word (basics/phonetic.py).
    """CREATE VIRTUAL TABLE words USING fts5 (
        text, sounds, content='lines', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    # Every word and sound ever indexed, for spelling out a fuzzy query: FTS5's own
    # vocabulary table counts each term's rows as it lists them, 20 times slower.
    "CREATE TABLE spellings (term TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE sounds (key TEXT PRIMARY KEY) WITHOUT ROWID",
)

_WORD = re.compile(r"[^\W_]+")  # a word as FTS5's unicode61 tokenizer cuts it

T = TypeVar("T")


def index_path(cases_dir: Path) -> Path:
    return cases_dir / INDEX_NAME


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sounds_of(words: list[str]) -> list[str]:
    """The sound keys of a line's words, for the index (a one-sound key, such as "a" or
    "oh", would match half the lines, so it is left out)."""
    return [key for key in map(sound_key, words) if len(key) > 1]


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


def with_index(
    cases_dir: Path, listing: Listing, work: Callable[[sqlite3.Connection], T]
) -> tuple[T, list[str]]:
    """`work` run on the cases folder's index, brought up to date with `listing`, and the
    lines to tell the user (an index made, rebuilt, or not usable)."""
    path = index_path(cases_dir)
    notices: list[str] = []
    rebuilt = False
    while True:
        try:
            existed = path.exists()
            with contextlib.closing(_open(path)) as db:
                made = _ensure_schema(db)
                indexed = refresh(db, listing)
                if made and indexed and not rebuilt:
                    notices.append(
                        f"the search index {path} was empty — rebuilt it"
                        if existed
                        else f"made the search index {path} ({indexed} call{'s' * (indexed != 1)})"
                    )
                return work(db), notices
        except OSError as error:
            problem = error.strerror or str(error)
        except (_Outdated, sqlite3.DatabaseError) as error:
            if isinstance(error, sqlite3.DatabaseError) and not _unusable(error):
                raise  # a mistake in the SQL here: not the user's to fix
            if not rebuilt and _rebuildable(error) and _removed(path):
                rebuilt = True
                why = error if isinstance(error, _Outdated) else f"damaged ({error})"
                notices.append(f"the search index {path} was {why} — rebuilt it")
                continue
            problem = str(error)
        notices.append(f"cannot keep the search index {path} ({problem}) — searched without it")
        break
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        _ensure_schema(db)
        refresh(db, listing)
        return work(db), notices


class _Outdated(Exception):
    """The file is not an index of this version's layout: it is rebuilt."""

    def __str__(self) -> str:
        return "made by another version of p2p-assist, or by another program"


def _open(path: Path) -> sqlite3.Connection:
    """The index file, made owner-only if new, set back to owner-only if not; a link or a
    folder in its place is refused (OSError), so the words go nowhere else."""
    os.close(open_private(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC))
    return sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)


def _ensure_schema(db: sqlite3.Connection) -> bool:
    """Makes the tables in an empty index (True if it did). Raises _Outdated for a file
    that holds something else."""
    if _version(db) == SCHEMA_VERSION:
        return False
    if _version(db) != 0 or db.execute("PRAGMA page_count").fetchone()[0] != 0:
        raise _Outdated
    with _writing(db):
        if _version(db) == SCHEMA_VERSION:
            return False  # another search made them while this one waited
        for statement in _SCHEMA:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return True


def _version(db: sqlite3.Connection) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def _code(error: sqlite3.DatabaseError) -> int:
    return int(getattr(error, "sqlite_errorcode", 0)) & 0xFF


def _rebuildable(error: Exception) -> bool:
    """The file is damaged (truncated, overwritten) or holds something else."""
    if isinstance(error, sqlite3.DatabaseError):
        return _code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return isinstance(error, _Outdated)


def _unusable(error: sqlite3.DatabaseError) -> bool:
    """Damaged, or fine but not usable now: locked too long, read-only, a full disk."""
    return _rebuildable(error) or _code(error) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_PROTOCOL,
    )


def _removed(path: Path) -> bool:
    """The damaged index and its journal gone (a journal left behind would be played back
    into the new index); False if they cannot be removed."""
    try:
        for name in (path.name, f"{path.name}-journal"):
            with contextlib.suppress(FileNotFoundError):
                (path.parent / name).unlink()
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _writing(db: sqlite3.Connection) -> Iterator[None]:
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
    terms = _Terms(db)
    for start in range(0, len(stale), BATCH_CALLS):
        batch = stale[start : start + BATCH_CALLS]
        read = [(call, read_call_lines(call.call_dir)) for call in batch]
        with _writing(db):
            for call, lines in read:
                _store(db, call, lines, terms)
    if gone:
        with _writing(db):
            for call_id in gone:
                _forget(db, call_id)
    return len(stale)


class _Terms:
    """The words and sound keys the index has seen, so each is written to it once."""

    def __init__(self, db: sqlite3.Connection) -> None:
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
