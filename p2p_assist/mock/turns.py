"""Who is speaking when, in a rendered mock call: its timeline marks every turn.

In practice the recording holds both sides, and nobody is there to press the "me talking"
key during the clinician's lines; the timeline does it, so those lines raise no cards and
the note attributes each line to the right side, as on a real call where turns are marked.
"""

from __future__ import annotations

import bisect

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.mock.timeline import Timeline

SLACK_SECONDS = 1.0
"""A recogniser's word times drift a little from the audio's; allow for it at the edges."""


class ScriptedTurns:
    def __init__(self, timeline: Timeline) -> None:
        self._turns = sorted(timeline.turns, key=lambda turn: turn.start)
        self._starts = [turn.start for turn in self._turns]

    def speaker_at(self, seconds: float) -> Speaker | None:
        """The speaker of the turn under `seconds`, or of the nearest one within the slack;
        None between turns that are further apart."""
        index = bisect.bisect_right(self._starts, seconds) - 1
        near = [
            turn
            for turn in self._turns[max(index, 0) : index + 2]
            if turn.start - SLACK_SECONDS <= seconds <= turn.end + SLACK_SECONDS
        ]
        if not near:
            return None
        best = min(near, key=lambda turn: _distance(seconds, turn.start, turn.end))
        return best.speaker


def _distance(seconds: float, start: float, end: float) -> float:
    return max(start - seconds, 0.0, seconds - end)
