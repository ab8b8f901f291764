"""TranscriptWriter: one call's records, on disk the moment they are appended.

Each record is one fsync'ed line of transcript.jsonl, so killing the process loses at most
the line being written. If the disk fails (full, read-only, removed), the writer does not
raise in the middle of a call: it keeps every record in memory, says so in
`degraded_message`, and `save_to` writes the whole call to another folder and carries on
there. The call's audio (audio.py) goes wherever the transcript goes.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path
from types import TracebackType

from p2p_assist.basics.durable import append_durably, fsync_dir, open_private, write_atomic
from p2p_assist.basics.errors import file_error
from p2p_assist.basics.vocabulary import CallKind
from p2p_assist.transcript.audio import CallAudio
from p2p_assist.transcript.layout import (
    CALL_JSON,
    CALLS,
    STAMP_FORMAT,
    TRANSCRIPT_JSONL,
    TRANSCRIPT_MD,
    calls_dir,
    create_call_dir,
)
from p2p_assist.transcript.lock import CallLock
from p2p_assist.transcript.markdown import render_markdown
from p2p_assist.transcript.records import (
    CallMeta,
    CallStatus,
    Consent,
    Outcome,
    Record,
    card_tally,
    now,
    record_line,
)


class TranscriptWriter:
    """Writes one call folder. Safe to append from the recogniser thread and the UI thread."""

    def __init__(self, meta: CallMeta, calls: Path, keep_audio: bool = True) -> None:
        """Start the call in a new folder under `calls`; use open_new_call rather than this."""
        self._meta = meta
        self._audio = CallAudio(keep_audio)
        self._audio_problems: list[str] = []
        self._call_dir = calls / meta.stamp
        self._records: list[Record] = []
        self._stream: int | None = None
        self._lock: CallLock | None = None
        self._closed = False
        self._degraded_message: str | None = None
        self._failure: str | None = None
        self._mutex = threading.Lock()
        try:
            self._settle(calls)
        except OSError as error:
            self._degrade(error, error.filename or calls)

    @property
    def meta(self) -> CallMeta:
        return self._meta

    @property
    def call_dir(self) -> Path:
        """Where the call is saved (or was meant to be, if the disk failed before it began)."""
        return self._call_dir

    @property
    def records(self) -> tuple[Record, ...]:
        with self._mutex:
            return tuple(self._records)

    @property
    def degraded(self) -> bool:
        return self._degraded_message is not None

    @property
    def degraded_message(self) -> str | None:
        """One line for the user: what failed, that nothing is lost yet, and what to do."""
        return self._degraded_message

    @property
    def failure(self) -> str | None:
        """What failed, without the advice for the call in progress (for the call's summary,
        once it was saved elsewhere)."""
        return self._failure if self.degraded else None

    @property
    def closed(self) -> bool:
        return self._closed

    def take_audio_problems(self) -> list[str]:
        """Lines, each given once, for audio that could not be carried to the folder the call
        was saved to (its old file unreadable: silence stands in for it)."""
        with self._mutex:
            problems, self._audio_problems = self._audio_problems, []
            return problems

    def append(self, record: Record) -> None:
        with self._mutex:
            if self._closed:
                raise RuntimeError("append after close")
            self._records.append(record)
            if self._stream is None:
                return
            try:
                append_durably(self._stream, record_line(record))
            except OSError as error:
                self._degrade(error, self._call_dir / TRANSCRIPT_JSONL)

    def append_audio(self, channel: int, pcm: bytes) -> None:
        """A chunk of what input `channel` heard (16 kHz mono s16le). It is counted even when
        audio is not kept: the call's length on the audio clock goes into call.json."""
        failure = self._audio.append(channel, pcm)
        if failure is not None:
            with self._mutex:
                if not self.degraded:
                    self._degrade(failure, failure.filename or self._call_dir)

    def close(self, status: CallStatus = "ended") -> None:
        """End the call: transcript.md first, then call.json, so a crash in between still
        leaves the call "in_progress" for recovery to finish."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            kept, withdrawn = card_tally(self._records)
            failure = self._audio.close()
            self._meta = self._meta.model_copy(
                update={
                    "ended": now(),
                    "status": status,
                    "stream_seconds": self._audio.seconds,
                    "cards": kept,
                    "retracted": withdrawn,
                }
            )
            if self._stream is None:
                return
            if failure is not None:
                self._degrade(failure, failure.filename or self._call_dir)
                return
            try:
                markdown = render_markdown(self._meta, self._records).encode()
                write_atomic(self._call_dir / TRANSCRIPT_MD, markdown)
                write_atomic(self._call_dir / CALL_JSON, self._meta.to_json())
            except OSError as error:
                self._degrade(error, error.filename or self._call_dir)
                return
            self._let_go()

    def set_outcome(self, outcome: Outcome) -> None:
        """Record what the reviewer decided; rewrites call.json if the call already closed."""
        self._update_meta(outcome=outcome)

    def set_consent(self, consent: Consent) -> None:
        """What the reviewer said to being transcribed, written to call.json at once: it is
        the record that consent was asked for."""
        self._update_meta(consent=consent, write_now=True)

    def _update_meta(self, *, write_now: bool = False, **fields: object) -> None:
        with self._mutex:
            self._meta = self._meta.model_copy(update=fields)
            if (not self._closed and not write_now) or self.degraded:
                return
            try:
                write_atomic(self._call_dir / CALL_JSON, self._meta.to_json())
            except OSError as error:
                self._degrade(error, self._call_dir / CALL_JSON)

    def save_to(self, folder: Path) -> Path:
        """Write everything held to <folder>/<case_id>/calls/<stamp>/ and keep writing there.

        The same layout as the cases folder, so the copy can be moved back or opened with
        --cases. Returns the new call folder. A folder that cannot be written is the user's
        to fix: UserError, and the writer still holds everything.
        """
        with self._mutex:
            try:
                self._settle(Path(folder) / self._meta.case_id / CALLS)
            except OSError as error:
                raise file_error(
                    error.filename or folder,
                    f"cannot save the call there ({error.strerror or error})",
                    "choose another folder with free space that you can write to",
                ) from error
            self._degraded_message = None
            return self._call_dir

    def _settle(self, calls: Path) -> None:
        """Create a fresh call folder under `calls`, lock it, write everything held so far, and
        make it the folder later appends go to."""
        call_dir = create_call_dir(calls, self._meta.started)
        lock = CallLock.acquire(call_dir)
        meta = self._meta.model_copy(update={"stamp": call_dir.name})
        stream: int | None = None
        try:
            write_atomic(call_dir / CALL_JSON, meta.to_json())
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
            stream = open_private(call_dir / TRANSCRIPT_JSONL, flags)
            fsync_dir(call_dir)
            if self._records:
                append_durably(stream, b"".join(record_line(record) for record in self._records))
            if self._closed:
                write_atomic(
                    call_dir / TRANSCRIPT_MD, render_markdown(meta, self._records).encode()
                )
            self._audio_problems += self._audio.move_to(call_dir, finish=self._closed)
        except BaseException:
            if stream is not None:
                os.close(stream)
            with contextlib.suppress(OSError):
                lock.release()
            raise
        self._let_go()
        self._meta, self._call_dir, self._stream, self._lock = meta, call_dir, stream, lock
        if self._closed:
            self._let_go()

    def _let_go(self) -> None:
        """Close the transcript, drop the lock. Best effort: the folder may be what is failing."""
        if self._stream is not None:
            with contextlib.suppress(OSError):
                os.close(self._stream)
            self._stream = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.release()
            self._lock = None

    def _degrade(self, error: OSError, path: Path | str) -> None:
        """Stop using the folder: after a partial failure only memory is known to be complete."""
        self._let_go()
        self._audio.hold()
        self._failure = f"{path}: could not save the call there ({error.strerror or error})"
        self._degraded_message = str(
            file_error(
                path,
                f"cannot save the call ({error.strerror or error})",
                "nothing is lost yet, the call is kept in memory: save it to another folder",
            )
        )

    def __enter__(self) -> TranscriptWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_new_call(
    cases_dir: Path,
    case_id: str,
    kind: CallKind,
    engine: str,
    source: str,
    keep_audio: bool = True,
) -> TranscriptWriter:
    """Start a call in <cases_dir>/<case_id>/calls/<stamp>/. The case folder must exist
    (UserError if not); a disk that cannot be written gives a degraded writer, not an error.
    `keep_audio`: keep what the recognisers hear beside the transcript (audio.py)."""
    calls = calls_dir(cases_dir, case_id)
    started = now()
    meta = CallMeta(
        case_id=case_id,
        stamp=started.strftime(STAMP_FORMAT),
        kind=kind,
        started=started,
        engine=engine,
        source=source,
        pid=os.getpid(),
        hostname=socket.gethostname(),
    )
    return TranscriptWriter(meta, calls, keep_audio)
