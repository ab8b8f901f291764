"""One audio input of a call and how its lines are attributed to a speaker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from p2p_assist.audio.base import AudioSource
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.recognition.base import Recognizer

if TYPE_CHECKING:  # numpy stays out of the CLI's start-up: only a session makes a labeller
    from p2p_assist.voice.labeller import SpeakerLabeller

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
    labeller: SpeakerLabeller | None = None  # one microphone hearing both sides: see below

    def speaker_at(self, stream_time: float, marked: Speaker | None) -> Speaker | None:
        """The fixed label, else the recording's turn marks, else what the clinician marked."""
        if self.speaker is not None:
            return self.speaker
        from_turns = self.turns(stream_time) if self.turns is not None else None
        return from_turns or marked

    def hear(self, pcm: bytes) -> None:
        """Audio the recogniser is about to hear: the labeller keeps its cues, on one clock."""
        if self.labeller is not None:
            self.labeller.feed(pcm)

    def speaker_of_partial(self, stream_time: float, marked: Speaker | None) -> Speaker | None:
        """Who is saying the line being spoken: as `speaker_at`, else as it sounds so far."""
        known = self.speaker_at(stream_time, marked)
        if known is not None or self.labeller is None:
            return known
        return self.labeller.partial(stream_time).speaker

    def speaker_of_line(self, start: float, end: float, marked: Speaker | None) -> Speaker | None:
        """Who said a closed line. A fixed input or a recording's turn marks say it outright;
        on one microphone the labeller judges it by its sound, and what the clinician marked
        (`space`) overrides the judgement and teaches it. None: unknown."""
        middle = (start + end) / 2
        if self.labeller is None or self.speaker is not None:
            return self.speaker_at(middle, marked)
        from_turns = self.turns(middle) if self.turns is not None else None
        return from_turns or self.labeller.final(start, end, marked).speaker
