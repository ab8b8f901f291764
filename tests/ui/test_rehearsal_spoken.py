"""A spoken rehearsal end to end, under the pilot, through PortAudio on PulseAudio null sinks:
the reviewer's turns play on one sink (its monitor is recorded, so the test hears what the
clinician would), a flite "clinician" answers into the virtual microphone when the screen
says it is their turn, and the saved call and its score card reflect what that clinician
said. One clinician covers the severity card's facts, one does not: only the second is asked
the follow-up, and the score cards differ on exactly those facts."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from demo_cases import copy_demo_cases
from playback_support import MonitorRecording
from rehearsal_support import (
    CASE,
    COVERING,
    FOLLOW_UP,
    LIBRARY,
    VAGUE,
    Answer,
    rehearsal_call,
    saved_lines,
    score_card,
    take_turns,
    write_script,
)
from speech import render_speech
from textual.pilot import Pilot
from virtual_mic import PulseServer

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.ui.app import make_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reviewer_sink(pulse_server: PulseServer) -> Iterator[MonitorRecording]:
    recording = MonitorRecording("revsink.monitor")
    yield recording
    recording.close()


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory, tts: None) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("answers")
    return {
        name: render_speech(text, folder / f"{name}.wav", voice="kal16")
        for name, text in (("covering", COVERING), ("vague", VAGUE))
    }


def speaking(wav: Path, thinking: float = 0.3) -> Answer:
    """Each answer: `wav` played into the microphone's sink, `thinking` seconds after the
    strip says it is the clinician's turn."""

    async def answer(pilot: Pilot[None], number: int) -> None:
        threading.Thread(target=_into_microphone, args=(wav, thinking)).start()

    return answer


def _into_microphone(wav: Path, thinking: float) -> None:
    time.sleep(thinking)
    subprocess.run(["paplay", "--device=callsink", str(wav)], check=True, timeout=60)


async def rehearse(
    cases: Path,
    answer: Path,
    sink: MonitorRecording,
    playback: str | None = "reviewer_speaker",
    thinking: float = 0.3,
) -> tuple[list[str], Path, float]:
    """The strip's turns, the saved call, and seconds of the reviewer heard on the sink."""
    call, rehearsal, inputs = rehearsal_call(cases, script=write_script(cases), playback=playback)
    assert rehearsal.speaks and not inputs.notices, inputs.notices
    mark = sink.length
    app = make_app(call)
    async with app.run_test(size=(110, 34)) as pilot:
        turns = await take_turns(pilot, speaking(answer, thinking))
    finished = finish_call(call.session, call.context.case, LIBRARY)
    assert finished.call_dir is not None, finished.lines
    assert rehearsal.turnarounds, "no reviewer turn followed an answer"
    return turns, finished.call_dir, _loud_seconds(sink.since(mark))


def _loud_seconds(samples: np.ndarray) -> float:
    """Seconds of the recording with speech in them (tenths above a quiet floor)."""
    tenth = SAMPLE_RATE // 10
    rms = [
        float(np.sqrt(np.mean(samples[i : i + tenth].astype(np.float64) ** 2)))
        for i in range(0, len(samples) - tenth, tenth)
    ]
    return sum(level > 300 for level in rms) / 10


async def test_the_answer_decides_the_follow_up_and_the_score(
    reviewer_sink: MonitorRecording,
    answers: dict[str, Path],
    tmp_path: Path,
) -> None:
    covering_cases = copy_demo_cases(tmp_path / "covering", CASE)
    vague_cases = copy_demo_cases(tmp_path / "vague", CASE)
    covered_turns, covered_call, covered_heard = await rehearse(
        covering_cases, answers["covering"], reviewer_sink
    )
    vague_turns, vague_call, vague_heard = await rehearse(
        vague_cases, answers["vague"], reviewer_sink
    )

    # Only the vague answer is pressed for the scores, and the speakers said so too.
    assert not any(FOLLOW_UP in turn for turn in covered_turns), covered_turns
    assert any(FOLLOW_UP in turn for turn in vague_turns), vague_turns
    assert covered_heard > 4.0, "the reviewer's turns never reached the speakers"
    assert vague_heard > covered_heard + 1.5, (covered_heard, vague_heard)
    # Each side is labelled by the turn it spoke in.
    for call_dir, said in ((covered_call, "thirty one"), (vague_call, "struggling")):
        lines = saved_lines(call_dir)
        speakers = {line.speaker for line in lines}
        assert speakers == {"reviewer", "clinician"}, [(x.speaker, x.text) for x in lines]
        clinician = " ".join(line.text for line in lines if line.speaker == "clinician")
        assert said in clinician, clinician
    # The score card credits the readings only to the clinician who said them.
    covered_card, vague_card = score_card(covered_call), score_card(vague_call)
    assert "✓ DAS28-CRP" in covered_card, covered_card
    assert "✗ DAS28-CRP" in vague_card, vague_card


async def test_the_speakers_heard_by_the_microphone_are_not_taken_for_an_answer(
    reviewer_sink: MonitorRecording, answers: dict[str, Path], cases: Path
) -> None:
    """A speakerphone: the reviewer plays on the sink the microphone hears. The end of each
    turn (the room's ring, the output's lag) must not start and end the clinician's answer
    before the clinician, who thinks for a second and a half, has said a word."""
    subprocess.run(["pactl", "set-default-sink", "callsink"], check=True)
    turns, call_dir, _ = await rehearse(
        cases, answers["vague"], reviewer_sink, playback=None, thinking=1.5
    )
    assert not any("asking again" in turn for turn in turns), turns
    assert any(FOLLOW_UP in turn for turn in turns), turns
    clinician = [line.text for line in saved_lines(call_dir) if line.speaker == "clinician"]
    assert clinician and all("struggling" in text for text in clinician), clinician
