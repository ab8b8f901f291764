"""One input's speaker labels, live: its audio goes in chunk by chunk, each line gets a label.

The session feeds every chunk the recogniser hears (so both keep one clock) and asks for a
label when a line, or a partial of it, comes out. A final is judged on the speech between its
first and last word and teaches the models when the evidence is strong; a partial is judged on
what has been said since the last final, and teaches nothing (it may yet change).
"""

from __future__ import annotations

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.voice.attribution import Attribution, SideModel, SpeakerModels
from p2p_assist.voice.cues import FrameCues

UNKNOWN = Attribution(None, 0.0)


class SpeakerLabeller:
    def __init__(self, clinician: SideModel | None = None) -> None:
        self._frames = FrameCues()
        self._models = SpeakerModels(clinician)
        self._since = 0.0  # where the line now being spoken began, at the latest

    def feed(self, pcm: bytes) -> None:
        self._frames.feed(pcm)

    def final(self, start: float, end: float, marked: Speaker | None = None) -> Attribution:
        """The label of a line just closed; `marked`: the clinician said who it was (`space`),
        which stands, and teaches the models."""
        self._since = max(self._since, end)
        cues = self._frames.cues(start, end)
        if marked is not None:
            if cues is not None:
                self._models.learn(cues, marked)
            return Attribution(marked, 0.0)
        return UNKNOWN if cues is None else self._models.judge_and_learn(cues)

    def partial(self, now: float) -> Attribution:
        """The label, so far, of the line being spoken."""
        cues = self._frames.cues(self._since, now)
        return UNKNOWN if cues is None else self._models.judge(cues)
