"""A saved call's kept audio heard as one signal, for review: every input mixed.

With a separate reviewer input the call has two files, audio-0.flac (the clinician's side)
and audio-1.flac (the reviewer's line). Review plays both mixed rather than the one the line's
speaker is on: the speaker label is the recogniser's guess and one of the things the clinician
is checking, and with both sides the clinician hears the line the way the call sounded —
including who interrupted whom. The inputs are summed, not averaged, so a side talking alone
keeps its level; they rarely talk over each other, and then the sum is clipped.

A file that cannot be read as audio is reported once, in one line, and left out; the others
still play. A file cut short by a crash plays up to the cut (audio_file.read_pcm).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock
from p2p_assist.transcript.audio_file import audio_files, read_pcm

NO_AUDIO = (
    "No audio was kept for this call (it was recorded with keeping audio off, "
    "or before p2p-assist kept audio): the transcript is all there is."
)


class CallRecording:
    """The kept audio files of one call, read together. Safe to read from one thread at a
    time; `problems` lists, one line each, the files left out as unreadable."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.problems: list[str] = []
        self._unreadable: set[Path] = set()

    @classmethod
    def of_call(cls, call_dir: Path) -> CallRecording:
        return cls(audio_files(call_dir))

    def read(self, start: float, end: float) -> bytes:
        """16 kHz mono s16le PCM of every input mixed, from `start` to `end` seconds of the
        call; shorter, or empty, where the audio ends first. UserError when the call has no
        audio, or none of it can be read."""
        if not self.files:
            raise UserError(NO_AUDIO)
        parts: list[np.ndarray] = []
        for path in self._readable():
            try:
                pcm = read_pcm(path, start, end)
            except UserError as error:
                self._leave_out(path, error)
                continue
            parts.append(np.frombuffer(pcm, "<i2"))
        if not parts:
            raise UserError(self.problems[0])
        if len(parts) == 1:
            return parts[0].tobytes()
        mixed = np.zeros(max(len(part) for part in parts), np.int32)
        for part in parts:
            mixed[: len(part)] += part
        return np.clip(mixed, -32768, 32767).astype("<i2").tobytes()

    def nothing_at(self, start: float) -> UserError:
        """What to say when asked to play where no input has audio."""
        names = ", ".join(path.name for path in self.files)
        return UserError(
            f"No audio was kept at {clock(start)}: the call's audio ({names}) ends before it."
        )

    def _readable(self) -> list[Path]:
        return [path for path in self.files if path not in self._unreadable]

    def _leave_out(self, path: Path, error: UserError) -> None:
        self._unreadable.add(path)
        self.problems.append(str(error))
