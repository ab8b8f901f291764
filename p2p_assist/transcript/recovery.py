"""Finishing calls a crash left open, so every call on disk ends with a readable transcript
and its kept audio as a finished file.

The session runs this at start and tells the user what it recovered.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import UserError, file_error
from p2p_assist.transcript.audio_file import audio_files, finish_file
from p2p_assist.transcript.layout import CALL_JSON, TRANSCRIPT_MD, case_ids, existing_call_dir
from p2p_assist.transcript.lock import CallLock, holder
from p2p_assist.transcript.markdown import render_markdown
from p2p_assist.transcript.reader import CallRecord, list_calls, load_meta, read_call
from p2p_assist.transcript.records import card_tally


def _unfinished(call_dir: Path) -> bool:
    try:
        meta = load_meta(call_dir)
    except (OSError, ValidationError):
        # Without call.json there is nothing to mark; read_call still shows the transcript.
        return False
    return meta.status == "in_progress" and holder(call_dir) is None


def find_unfinished(cases_dir: Path, case_id: str | None = None) -> list[Path]:
    """Calls still "in_progress" that no running session holds: a crash ended them."""
    cases = [case_id] if case_id is not None else case_ids(cases_dir)
    return [
        call_dir
        for case in cases
        for call_dir in list_calls(cases_dir, case)
        if _unfinished(call_dir)
    ]


def _mark_recovered(call_dir: Path) -> None:
    call = read_call(call_dir)
    if call.meta is None:
        raise file_error(
            call_dir / CALL_JSON,
            "missing or damaged, so the call cannot be marked recovered",
            "its transcript.jsonl is still readable as it is",
        )
    if call.meta.status != "in_progress":
        raise file_error(
            call_dir / CALL_JSON,
            f"already {call.meta.status}",
            "nothing to recover",
            field="status",
        )
    last = max((record.t for record in call.records), default=call.meta.started)
    kept, withdrawn = card_tally(call.records)
    update: dict[str, object] = {
        "status": "recovered",
        "ended": max(last, call.meta.started),
        "cards": kept,
        "retracted": withdrawn,
    }
    if (seconds := _finish_audio(call_dir)) is not None:
        update["stream_seconds"] = seconds
    meta = call.meta.model_copy(update=update)
    write_atomic(call_dir / TRANSCRIPT_MD, render_markdown(meta, call.records).encode())
    write_atomic(call_dir / CALL_JSON, meta.to_json())


def _finish_audio(call_dir: Path) -> float | None:
    """Finish the audio files a crash left open; the longest one's length, the call's on the
    audio clock. A file that is not audio at all is left as it is (review says so)."""
    lengths = []
    for path in audio_files(call_dir):
        try:
            lengths.append(finish_file(path))
        except UserError:
            continue
    return max(lengths, default=None)


def close_unfinished(call_dir: Path) -> CallRecord:
    """Mark the call "recovered", ended at its last record, and write transcript.md.

    Takes the call's lock first, so a call a live session is still writing is refused.
    Returns the call as read back, with any damaged lines in `problems`.
    """
    existing_call_dir(call_dir)
    try:
        lock = CallLock.acquire(call_dir)
        try:
            _mark_recovered(call_dir)
        finally:
            lock.release()
    except OSError as error:
        raise file_error(
            error.filename or call_dir,
            f"cannot finish the interrupted call ({error.strerror or error})",
            "free some space or make the folder writable, then start again",
        ) from error
    return read_call(call_dir)
