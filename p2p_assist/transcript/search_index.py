"""The search index: every saved call's lines in SQLite FTS5 (search_update.py keeps it in
step with the call folders). The JSONL files stay the record; the index is derived from them
and can always be thrown away.

Where it lives: `.search.sqlite` in the cases folder itself, owner-only (0600; SQLite gives
its journal the same mode). It holds patient words, so it belongs with them: on the disk,
the backup and the encryption the clinician chose for the cases, deleted with them, and never
in the per-user cache, which is for derived data without patient text (basics/locations.py)
and would outlive a deleted cases folder. A cases folder where the file cannot be kept
(read-only, a link or a folder in its place, a full disk) is searched through a throwaway
index in memory; a damaged one (truncated, overwritten) is rebuilt. Either is said in one line.

Two searches at once are SQLite's to order: a search waits up to BUSY_SECONDS for another's
write. The rollback journal is used rather than WAL, which needs shared memory a network
drive may not give.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from p2p_assist.basics.durable import open_private
from p2p_assist.transcript.search_update import Listing, refresh, writing

INDEX_NAME = ".search.sqlite"
SCHEMA_VERSION = 1
BUSY_SECONDS = 20.0
"""How long a search waits for another one's write (a first search over 1,000 calls writes
for several seconds, one batch at a time) before it searches without the index."""
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

T = TypeVar("T")


def index_path(cases_dir: Path) -> Path:
    return cases_dir / INDEX_NAME


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
    with writing(db):
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
