"""The call's audio, kept beside its transcript: what each recogniser heard, as FLAC.

Why FLAC, written as it comes (bench/audio_keep.py on the demo mock calls): 0.3 ms of CPU per
second of audio and 1.05 MB a minute (a 20-minute call: 21 MB), lossless, so review plays
exactly what the recogniser heard and a misheard line can be run through it again. Ogg Opus
is five times smaller (0.20 MB a minute) but costs 22 ms a second, seventy times more, on
the two cores the recogniser needs; Ogg Vorbis (0.29 MB, 1.4 ms) is lossy too.

Why it is crash-safe without segment files or a raw spool: libsndfile hands each FLAC frame
to the OS as soon as the encoder closes it (the encoder keeps back at most 4,352 samples,
0.27 s, measured), and we fsync once a second. A process killed mid-call leaves a file with
no length in its header that ends in part of a frame; read back (audio_file.py) it gives
every sample before that frame, bit-exact — tested by SIGKILL in tests/unit/test_call_audio.py.
Recovery rewrites it as a finished file (1.9 s of CPU per hour of audio).

Why one file per input, not a stereo file: the inputs run in their own threads and a lost one
stops while the other goes on; interleaving them would make each wait for the other.

A disk failure never raises into the call: the writer stops using the file and holds the
audio in memory from a point the file is known to hold (the last two seconds are always
held, more than a frame the encoder may still keep); `move_to` then writes the file again in
another folder — what the old file still gives, then what was held — and carries on there.
Held audio costs 1.9 MB of memory a minute, the price of losing nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from p2p_assist.basics.audio_format import SAMPLE_RATE, SAMPLE_WIDTH
from p2p_assist.basics.durable import fsync_dir
from p2p_assist.basics.formatting import clock
from p2p_assist.transcript import audio_file
from p2p_assist.transcript.layout import audio_name

SYNC_EVERY_SAMPLES = SAMPLE_RATE  # fsync once a second: a crash keeps all but the last second
HOLD_SAMPLES = 2 * SAMPLE_RATE


@dataclass
class _Copy:
    """A new file holding all the audio so far, not yet the one appended to."""

    path: Path
    fd: int
    file: soundfile.SoundFile
    silent: tuple[int, int] = (0, 0)  # samples the old file no longer gave, written as silence

    def discard(self) -> None:
        with contextlib.suppress(*audio_file.AudioError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.close(self.fd)


class CallAudioWriter:
    """One input's audio file. `append` is for the recognition thread; the rest may come from
    any thread. Samples [0, held_from) are in the file at `path`; the held PCM is the rest."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # CallAudio holds every writer's while moving them
        self._path: Path | None = None
        self._fd: int | None = None
        self._file: soundfile.SoundFile | None = None  # None: holding in memory, or finished
        self._held = bytearray()
        self._held_from = 0
        self._total = 0
        self._synced = 0

    @property
    def path(self) -> Path | None:
        return self._path

    def append(self, pcm: bytes) -> OSError | None:
        """Add 16 kHz mono s16le PCM. A disk failure is returned, not raised: from then on the
        audio is held in memory until it is moved to another folder."""
        with self.lock:
            self._held += pcm
            self._total += len(pcm) // SAMPLE_WIDTH
            if self._file is None or self._fd is None:
                return None
            try:
                self._file.buffer_write(pcm, "int16")
                if self._total - self._synced >= SYNC_EVERY_SAMPLES:
                    os.fsync(self._fd)
                    self._synced = self._total
                    self._let_go_of_held()
            except audio_file.AudioError as error:
                self._stop_writing()
                return _as_os_error(error, self._path)
        return None

    def start_in(self, path: Path) -> OSError | None:
        """Begin the file at `path`; a failure is returned and the audio held meanwhile."""
        with self.lock:
            try:
                self.switch_to(self.copy_to(path), finish=False)
            except OSError as error:
                return error
        return None

    def hold(self) -> None:
        """The folder failed: finish the file as far as it goes, hold what comes next."""
        with self.lock:
            self._stop_writing()

    def close(self) -> OSError | None:
        """Finish the file (its header gets the length); a failure is returned, and the audio
        is then held as after any other failure."""
        with self.lock:
            if self._file is None:
                return None
            try:
                self._finish()
            except audio_file.AudioError as error:
                self._stop_writing()
                return _as_os_error(error, self._path)
        return None

    def copy_to(self, path: Path) -> _Copy:
        """A new file at `path` with everything so far: what the current file gives of
        [0, held_from) — silence for what it no longer gives — then the held PCM. The current
        file is left as it is. OSError when `path` cannot be written. Hold `lock`."""
        fd, file = _create(path)
        copy = _Copy(path, fd, file)
        try:
            copied = 0
            if self._path is not None:
                for block in _readable(self._path, self._held_from):
                    file.write(block)
                    copied += len(block)
            copy.silent = (copied, max(copied, self._held_from))
            for start in range(*copy.silent, audio_file.BLOCK_SAMPLES):
                count = min(audio_file.BLOCK_SAMPLES, copy.silent[1] - start)
                file.write(np.zeros(count, np.int16))
            file.buffer_write(bytes(self._held), "int16")
            os.fsync(fd)
            fsync_dir(path.parent)
        except BaseException as error:
            copy.discard()
            if isinstance(error, soundfile.SoundFileError):
                raise _as_os_error(error, path) from error
            raise
        return copy

    def switch_to(self, copy: _Copy, finish: bool) -> None:
        """Append to `copy` from now on (or finish it, for a call that has ended). Hold `lock`."""
        self._stop_writing()
        self._path, self._fd, self._file, self._synced = copy.path, copy.fd, copy.file, self._total
        self._let_go_of_held()
        if finish:
            try:
                self._finish()
            except audio_file.AudioError as error:
                self._stop_writing()
                raise _as_os_error(error, copy.path) from error

    def _finish(self) -> None:
        assert self._file is not None and self._fd is not None
        self._file.close()
        os.fsync(self._fd)
        os.close(self._fd)
        self._file, self._fd = None, None
        self._held.clear()
        self._held_from = self._total

    def _let_go_of_held(self) -> None:
        """While the file is good, only the last HOLD_SAMPLES need holding (trimmed in steps,
        so the buffer is not copied on every chunk)."""
        excess = len(self._held) // SAMPLE_WIDTH - HOLD_SAMPLES
        if excess >= HOLD_SAMPLES:
            del self._held[: excess * SAMPLE_WIDTH]
            self._held_from += excess

    def _stop_writing(self) -> None:
        """Best effort: the disk may be what is failing. Closing writes the length into the
        header, so the file is finished as far as it got."""
        if self._file is not None:
            with contextlib.suppress(*audio_file.AudioError):
                self._file.close()
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._file, self._fd = None, None


def _readable(path: Path, stop: int) -> Iterator[np.ndarray]:
    """What the old file still gives; nothing if it cannot be opened (its disk is gone).
    Only reading is excused here: a failure writing the copy is the caller's to raise."""
    try:
        yield from audio_file.samples(path, 0, stop)
    except audio_file.AudioError:
        return


def _create(path: Path) -> tuple[int, soundfile.SoundFile]:
    try:
        return audio_file.create(path)
    except soundfile.SoundFileError as error:
        raise _as_os_error(error, path) from error


def _as_os_error(error: BaseException, path: Path | None) -> OSError:
    """libsndfile reports only "System error."; the OS error is what the user can act on."""
    if isinstance(error, OSError):
        return error
    return OSError(errno.EIO, "the disk refused the audio: full, read-only or removed", str(path))


class CallAudio:
    """Every input's audio for one call folder, and the call's length on the audio clock.

    With `keep` false nothing is written, but the length is still counted: it is the call's
    duration in every file (transcript/clock.py)."""

    def __init__(self, keep: bool) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._writers: dict[int, CallAudioWriter] = {}
        self._samples: dict[int, int] = {}
        self._call_dir: Path | None = None  # None: holding in memory
        self._finished = False

    @property
    def seconds(self) -> float | None:
        """The longest input's audio so far; None before any audio came."""
        with self._lock:
            return max(self._samples.values()) / SAMPLE_RATE if self._samples else None

    def append(self, channel: int, pcm: bytes) -> OSError | None:
        """A chunk of input `channel`; a disk failure is returned (the audio is held)."""
        failure = None
        with self._lock:
            if self._finished:
                return None  # a chunk still in flight when the call ended: after its end
            self._samples[channel] = self._samples.get(channel, 0) + len(pcm) // SAMPLE_WIDTH
            if not self._keep:
                return None
            writer = self._writers.get(channel)
            if writer is None:
                writer = self._writers[channel] = CallAudioWriter()
                if self._call_dir is not None:
                    failure = writer.start_in(self._call_dir / audio_name(channel))
        return writer.append(pcm) or failure

    def hold(self) -> None:
        """The folder failed: every input holds its audio in memory from here."""
        with self._lock:
            self._call_dir = None
            writers = list(self._writers.values())
        for writer in writers:
            writer.hold()

    def move_to(self, call_dir: Path, finish: bool) -> list[str]:
        """Write every input's audio into `call_dir` and carry on there (finish the files, for
        a call that has ended). Every input is copied before any moves: OSError when the
        folder cannot take them, and the audio goes on where it was. Returns a line for each
        input whose old file could not be read back in full."""
        with self._lock, contextlib.ExitStack() as locked:
            writers = sorted(self._writers.items())
            for _, writer in writers:
                locked.enter_context(writer.lock)
            copies: list[_Copy] = []
            try:
                for channel, writer in writers:
                    copies.append(writer.copy_to(call_dir / audio_name(channel)))
            except BaseException:
                for copy in copies:
                    copy.discard()
                raise
            problems = []
            for (_, writer), copy in zip(writers, copies, strict=True):
                problems.append(_lost_line(writer.path, copy))
                writer.switch_to(copy, finish)
            self._finished = self._finished or finish
            self._call_dir = None if finish else call_dir
        return [problem for problem in problems if problem]

    def close(self) -> OSError | None:
        """Finish every file; the first failure, if any (the others are still finished)."""
        with self._lock:
            self._finished = True
            writers = list(self._writers.values())
        failures = [failure for writer in writers if (failure := writer.close())]
        return failures[0] if failures else None


def _lost_line(old: Path | None, copy: _Copy) -> str:
    start, stop = (clock(sample / SAMPLE_RATE) for sample in copy.silent)
    if copy.silent[0] == copy.silent[1]:
        return ""
    return (
        f"{old or 'the failed folder'}: the audio from {start} to {stop} could not be read "
        f"back, so {copy.path} has silence there (its times still match the transcript)"
    )
