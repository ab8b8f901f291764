"""One kept audio file (audio-N.flac) read back, however a crash left it.

A FLAC file the app was killed while writing has no length in its header and may end in half
a frame; libsndfile then reports an unknown length, cannot seek, and raises at the cut. Every
read here is therefore tolerant: it decodes from the start when it cannot seek and stops at
the first frame that does not decode, which is exactly where the crash cut the file (measured:
every sample before the cut frame reads back bit-exact). Recovery rewrites such a file as a
finished one (`finish_file`), so review can seek in it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import soundfile

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.durable import fsync_dir, open_private
from p2p_assist.basics.errors import file_error
from p2p_assist.transcript.layout import AUDIO_GLOB

FORMAT = "FLAC"
SUBTYPE = "PCM_16"
# Reads of 4,096 samples decode an hour in 0.6 s of CPU; reads of 256 take 9 s (soundfile's
# cost per call), but a read that meets the cut loses its whole block, so near a cut the
# file is read again in FINE_SAMPLES.
BLOCK_SAMPLES = 4096
FINE_SAMPLES = 256
_UNKNOWN_LENGTH = 2**63 - 1  # what libsndfile reports for a FLAC that was never closed

AudioError = (OSError, soundfile.SoundFileError)
"""What libsndfile raises for a file it cannot write or decode, besides the OS's own errors."""


def audio_files(call_dir: Path) -> list[Path]:
    """The call's kept audio, by input number (audio-0.flac first)."""
    return sorted(call_dir.glob(AUDIO_GLOB), key=lambda path: (len(path.name), path.name))


def create(path: Path) -> tuple[int, soundfile.SoundFile]:
    """A new owner-only FLAC file for writing (FileExistsError if the name is taken)."""
    fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        audio = soundfile.SoundFile(fd, "w", SAMPLE_RATE, 1, SUBTYPE, format=FORMAT, closefd=False)
    except BaseException:
        os.close(fd)
        raise
    return fd, audio


def samples(path: Path, start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
    """The file's int16 samples from `start` to `stop` (or its readable end), a block at a
    time. Raises AudioError only if the file cannot be opened as audio at all."""
    cut = yield from _decode(path, start, stop, BLOCK_SAMPLES)
    if cut is not None:
        # The read across the cut lost its whole block: decode that stretch again, finely
        # (from `start` when the cut came before it: nothing before `start` is wanted).
        yield from _decode(path, max(cut, start), stop, FINE_SAMPLES)


def _decode(
    path: Path, start: int, stop: int | None, size: int
) -> Generator[np.ndarray, None, int | None]:
    """Yield samples [start, stop) in reads of `size`; where a read fails, return its start
    (everything before it was yielded), else None. libsndfile cannot go on after a failed
    read, hence a second pass rather than a retry."""
    with soundfile.SoundFile(path) as audio:
        position = _skip_to(audio, start)
        while stop is None or position < stop:
            # Decoding up to `start` (a file that cannot seek) is safe in big reads: it was
            # read once already, or lies before the part asked for.
            step = BLOCK_SAMPLES if position + BLOCK_SAMPLES <= start else size
            try:
                block = audio.read(step if stop is None else min(step, stop - position), "int16")
            except soundfile.SoundFileError:
                return position
            if len(block) == 0:
                return None
            if position + len(block) > start:
                yield block[max(0, start - position) :]
            position += len(block)
    return None


def _skip_to(audio: soundfile.SoundFile, start: int) -> int:
    """Seek when the header knows the length; otherwise decode from the start."""
    if start and audio.frames != _UNKNOWN_LENGTH:
        with contextlib.suppress(soundfile.SoundFileError):
            return int(audio.seek(min(start, audio.frames)))
    return 0


def read_pcm(path: Path, start_seconds: float, end_seconds: float) -> bytes:
    """16 kHz mono s16le PCM between two times of the call, for playback in review; shorter
    (or empty) where the file ends first. UserError for a file that is not readable audio."""
    start = max(0, round(start_seconds * SAMPLE_RATE))
    stop = max(start, round(end_seconds * SAMPLE_RATE))
    try:
        return b"".join(block.astype("<i2").tobytes() for block in samples(path, start, stop))
    except AudioError as error:
        raise unreadable(path, error) from error


def length_seconds(path: Path) -> float:
    """How much audio the file holds: its header's length, or what decodes of an unfinished
    file. UserError for a file that is not readable audio."""
    try:
        with soundfile.SoundFile(path) as audio:
            if audio.frames != _UNKNOWN_LENGTH:
                return float(audio.frames / SAMPLE_RATE)
        return sum(len(block) for block in samples(path)) / SAMPLE_RATE
    except AudioError as error:
        raise unreadable(path, error) from error


def finish_file(path: Path) -> float:
    """Rewrite an unfinished file (killed mid-call) as a finished FLAC holding everything that
    decodes, so it seeks and plays anywhere; atomic, like every rewrite of a call's files.
    A file already finished is left alone. Returns its length in seconds. UserError if it is
    not readable audio; OSError if the rewrite cannot be written."""
    try:
        with soundfile.SoundFile(path) as audio:
            frames = audio.frames
    except AudioError as error:
        raise unreadable(path, error) from error
    if frames != _UNKNOWN_LENGTH:
        return float(frames / SAMPLE_RATE)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        count = copy_into(temp, path)
        os.replace(temp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, soundfile.SoundFileError):
            raise OSError(errno.EIO, "the audio could not be written", str(temp)) from error
        raise
    fsync_dir(path.parent)
    return count / SAMPLE_RATE


def copy_into(target: Path, source: Path) -> int:
    """A new finished FLAC at `target` with what `source` holds; the samples copied."""
    fd, audio = create(target)
    count = 0
    try:
        with audio:
            for block in samples(source):
                audio.write(block)
                count += len(block)
        os.fsync(fd)
    finally:
        os.close(fd)
    return count


def unreadable(path: Path, error: BaseException) -> Exception:
    reason = getattr(error, "strerror", None) or str(error).strip() or type(error).__name__
    return file_error(
        path,
        f"cannot be read as audio ({reason})",
        "the transcript does not depend on it; restore the file from a backup to hear the call",
    )
