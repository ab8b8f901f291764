"""When each agenda step was reached in a call, from the step's cue phrases in the transcript.

A step starts at the first line that says one of its cues and runs until the next step
starts (steps may come out of order: a reviewer often opens with their criteria). A step
never cued was not reached; that is what practice is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from p2p_assist.library.model import Agenda
from p2p_assist.matching.text import normalize
from p2p_assist.transcript.records import Utterance


@dataclass(frozen=True, slots=True)
class StepTime:
    title: str
    started: float | None  # seconds into the call; None if never reached
    seconds: float  # time spent on it


def step_times(agenda: Agenda, utterances: list[Utterance], call_end: float) -> list[StepTime]:
    starts: list[float | None] = []
    spoken = [(utterance.start, normalize(utterance.text)) for utterance in utterances]
    for step in agenda.steps:
        cues = [re.compile(rf"\b{re.escape(normalize(cue))}\b") for cue in step.cues]
        starts.append(
            next(
                (at for at, text in spoken if any(cue.search(text) for cue in cues)),
                None,
            )
        )
    reached = sorted(start for start in starts if start is not None)
    times = []
    for step, start in zip(agenda.steps, starts, strict=True):
        if start is None:
            times.append(StepTime(step.title, None, 0.0))
            continue
        later = [other for other in reached if other > start]
        until = later[0] if later else max(call_end, start)
        times.append(StepTime(step.title, start, until - start))
    return times
