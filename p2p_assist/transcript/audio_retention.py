"""Deleting a case's kept audio once it is older than the case allows (audio_retention_days).

A recording of a call is patient health information kept only as long as it is needed; the
transcript and the note, which carry the call, stay. A call's age is from its start in
call.json (its file times change when a folder is copied), or from its newest audio file
when call.json is unreadable. A call a running session holds is never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from p2p_assist.basics.durable import fsync_dir
from p2p_assist.transcript.audio_file import audio_files
from p2p_assist.transcript.lock import holder
from p2p_assist.transcript.reader import list_calls, load_meta


@dataclass(frozen=True)
class DeletedAudio:
    calls: int
    files: int
    size: int  # bytes


def delete_old_audio(cases_dir: Path, case_id: str, days: int, now: dt.datetime) -> DeletedAudio:
    """Delete the audio of the case's calls started more than `days` ago. OSError when a file
    cannot be deleted (those before it are gone, the rest stay for the next start)."""
    cutoff = now - dt.timedelta(days=days)
    calls = files = size = 0
    for call_dir in list_calls(cases_dir, case_id):
        audio = audio_files(call_dir)
        if not audio or holder(call_dir) is not None or _started(call_dir, audio) >= cutoff:
            continue
        for path in audio:
            length = path.stat().st_size
            path.unlink()
            files, size = files + 1, size + length
        fsync_dir(call_dir)
        calls += 1
    return DeletedAudio(calls, files, size)


def _started(call_dir: Path, audio: list[Path]) -> dt.datetime:
    try:
        return load_meta(call_dir).started
    except (OSError, ValidationError):
        newest = max(path.stat().st_mtime for path in audio)
        return dt.datetime.fromtimestamp(newest).astimezone()
