"""One audio input of a call and how its lines are attributed to a speaker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.recognition.base import Recognizer

SpeakerAt = Callable[[float], Speaker | None]
"""Who speaks at a moment of the stream (a mock call's timeline); None when unknown."""

OpenInput = Callable[[int | str | None], AudioSource]
"""Opens a live input by device index or name (None: the default), to resume after it was
lost or to switch to another one mid-call."""


@dataclass
class Channel:
    source: AudioSource
    recognizer: Recognizer
    speaker: Speaker | None = None  # fixed label (a separate reviewer input); None: see below
    turns: SpeakerAt | None = None  # a recording's own turn marks
    open_input: OpenInput | None = None  # live inputs only: a recording cannot be reopened
    device: int | str | None = None  # the input open_input opens again

    def speaker_at(self, stream_time: float, marked: Speaker | None) -> Speaker | None:
        """The fixed label, else the recording's turn marks, else what the clinician marked."""
        if self.speaker is not None:
            return self.speaker
        from_turns = self.turns(stream_time) if self.turns is not None else None
        return from_turns or marked
