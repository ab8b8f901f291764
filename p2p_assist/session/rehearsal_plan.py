"""A rehearsal's reviewer turns, spoken ahead: the call must not wait on speech synthesis.

Each reviewer turn of a mock-call script is synthesised once before the rehearsal starts, as
the recogniser will hear it (clean, as a call's own reviewer input gives it) and as the
speakers will play it (through the script's channel, a speakerphone by default). The
clinician's turns are not spoken: they are the slots the clinician fills.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from p2p_assist.mock.render import SpeechEngine, speak_line
from p2p_assist.mock.script import MockScript


@dataclass(frozen=True)
class ReviewerTurn:
    number: int  # 1-based among the script's reviewer turns
    text: str
    heard: bytes  # 16 kHz s16le, what the recogniser hears
    played: bytes  # 16 kHz s16le, what the speakers play
    objection: str | None  # the objection the turn raises (its first `expect`), if any
    follow_up: bool  # asked only when the answer before it left facts out
    answered: bool  # the clinician answers next (the script's next turn is theirs)
    pause_after: float  # silence before the next reviewer turn, when nobody answers between


def reviewer_turns(script: MockScript, engine: SpeechEngine | None = None) -> list[ReviewerTurn]:
    """Every reviewer turn, synthesised (flite runs as processes: threads keep cores busy)."""
    turns = script.turns
    indexes = [index for index, turn in enumerate(turns) if turn.speaker == "reviewer"]
    voice, channel = script.voices.reviewer, script.channel.reviewer

    def speak(index: int) -> tuple[bytes, bytes]:
        heard, played = speak_line(turns[index].text, voice, channel, engine)
        return heard.astype("<i2").tobytes(), played.astype("<i2").tobytes()

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        spoken = list(pool.map(speak, indexes))
    return [
        ReviewerTurn(
            number=number,
            text=turns[index].text,
            heard=heard,
            played=played,
            objection=turns[index].expect[0] if turns[index].expect else None,
            follow_up=turns[index].follow_up,
            answered=index + 1 < len(turns) and turns[index + 1].speaker == "clinician",
            pause_after=turns[index].pause_after,
        )
        for number, (index, (heard, played)) in enumerate(zip(indexes, spoken, strict=True), 1)
    ]
