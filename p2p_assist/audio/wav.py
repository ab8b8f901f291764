"""A WAV file as an audio source: any common WAV in, 16 kHz mono s16le chunks out.

Files are converted while they are read, a block at a time, so an hour-long
recording needs no more memory than a short one. In paced mode chunks come out
at the pace they were spoken, which lets a recorded call stand in for the
microphone in demos and latency benchmarks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from p2p_assist.audio.pcm import MonoConverter, Rechunker, decode
from p2p_assist.audio.riff import WavLayout, convert_fix, read_layout
from p2p_assist.basics.audio_format import BYTES_PER_SECOND
from p2p_assist.basics.errors import file_error

ProgressCallback = Callable[[float, float], None]

_READ_FRAMES = 32_768


class WavFileSource:
    """Streams a WAV file as 16 kHz mono s16le CHUNK_BYTES chunks (the last may be shorter).

    `paced` releases each chunk when its audio would have finished playing, at
    `speed` times real time, against a schedule fixed at the start so slow
    consumers catch up instead of drifting. `on_progress(done, total)` is called
    with seconds of audio after every whole second and once at the end.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        paced: bool = False,
        speed: float = 1.0,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._path = Path(path)
        self._layout: WavLayout = read_layout(self._path)
        self._paced = paced
        self._speed = speed
        self._on_progress = on_progress
        self._closed = threading.Event()

    @property
    def label(self) -> str:
        return self._path.name

    @property
    def duration(self) -> float:
        """Length of the audio in seconds."""
        return self._layout.duration

    def close(self) -> None:
        """Stop `chunks()` at its next chunk, or at once if it is waiting in paced mode."""
        self._closed.set()

    def chunks(self) -> Iterator[bytes]:
        started = time.monotonic()
        sent = 0
        converted = self._converted()
        try:
            for chunk in converted:
                done_before = sent / BYTES_PER_SECOND
                sent += len(chunk)
                done = sent / BYTES_PER_SECOND
                if self._paced:
                    due = started + done / self._speed
                    if self._closed.wait(max(0.0, due - time.monotonic())):
                        return
                if self._closed.is_set():
                    return
                yield chunk
                if self._on_progress is not None and int(done) > int(done_before):
                    self._on_progress(min(done, self.duration), self.duration)
        finally:
            converted.close()
        if self._on_progress is not None:
            self._on_progress(self.duration, self.duration)

    def _converted(self) -> Generator[bytes, None, None]:
        layout = self._layout
        converter = MonoConverter(layout.rate)
        rechunker = Rechunker()
        try:
            handle = self._path.open("rb")
        except OSError as error:
            raise file_error(
                self._path, f"cannot be read ({error.strerror})", "check the path"
            ) from None
        with handle:
            handle.seek(layout.data_offset)
            remaining = layout.frames * layout.frame_bytes
            while remaining > 0:
                raw = handle.read(min(_READ_FRAMES * layout.frame_bytes, remaining))
                if not raw:
                    raise file_error(
                        self._path, "file shrank while being read", convert_fix(self._path)
                    )
                remaining -= len(raw)
                frames = decode(raw, layout.encoding, layout.channels)
                yield from rechunker.push(converter.convert(frames))
        yield from rechunker.push(converter.flush())
        yield from rechunker.tail()
