"""A rehearsal with no microphone and no speakers, under the pilot: each lack is one line on
the screen and the rehearsal goes on — the reviewer's turns are shown, the answers typed.
Silence gets the question once more, then the reviewer moves on and the score card says so;
a drill asks again, in other words, until an answer covers the card's facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import copy_demo_cases
from rehearsal_support import (
    CASE,
    COVERING,
    FOLLOW_UP,
    LIBRARY,
    VAGUE,
    Answer,
    rehearsal_call,
    saved_lines,
    saved_notes,
    score_card,
    take_turns,
    write_script,
)
from textual.pilot import Pilot
from textual.widgets import Input, Static

from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.transcript.records import NO_ANSWER_NOTE
from p2p_assist.ui.app import make_app
from p2p_assist.ui.rehearsal_strip import AnswerDialog

pytestmark = pytest.mark.slow

NO_DEVICES = {"device": "no-such-microphone", "playback": "no-such-speakers"}


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)


def typing(*answers: str) -> Answer:
    """The n-th turn answered with answers[n] ("" presses Esc: no answer)."""

    async def answer(pilot: Pilot[None], number: int) -> None:
        await pilot.pause(0.2)  # the dialog opens itself at the clinician's turn
        assert isinstance(pilot.app.screen, AnswerDialog), pilot.app.screen
        text = answers[number] if number < len(answers) else ""
        if not text:
            await pilot.press("escape")
            return
        pilot.app.screen.query_one(Input).value = text
        await pilot.press("enter")

    return answer


async def rehearse(cases: Path, answer: Answer, **options: object) -> tuple[list[str], Path, str]:
    """The strip's turns, the saved call, and the banner as the rehearsal ended."""
    call, rehearsal, _ = rehearsal_call(cases, **options)
    assert rehearsal.typed and not rehearsal.speaks
    async with make_app(call).run_test(size=(110, 34)) as pilot:
        turns = await take_turns(pilot, answer)
        banner = str(pilot.app.screen.query_one("#banner", Static).render())
    finished = finish_call(call.session, call.context.case, LIBRARY)
    assert finished.call_dir is not None, finished.lines
    return turns, finished.call_dir, banner


async def test_without_microphone_or_speakers_the_turns_are_shown_and_typed(cases: Path) -> None:
    _, rehearsal, inputs = rehearsal_call(cases, script=write_script(cases), **NO_DEVICES)
    # Both lacks on one banner line, each saying what happens instead; no machine here has a
    # microphone by that name (one with no inputs at all says that instead).
    (line,) = inputs.notices
    microphone, speakers = line.split("; ")
    assert "type your answers instead" in microphone
    assert "no-such-speakers" in speakers and "shown as text" in speakers
    rehearsal.close()

    turns, call_dir, _ = await rehearse(
        cases, typing(COVERING), script=write_script(cases), **NO_DEVICES
    )
    assert "They asked: I'm not convinced" in turns[1], turns
    assert not any(FOLLOW_UP in turn for turn in turns), turns  # the facts were covered
    lines = saved_lines(call_dir)
    assert [line.text for line in lines if line.speaker == "clinician"] == [COVERING]
    assert "✓ DAS28-CRP" in score_card(call_dir)


async def test_silence_is_asked_again_once_then_the_reviewer_moves_on(cases: Path) -> None:
    turns, call_dir, _ = await rehearse(
        cases, typing("", "", VAGUE), script=write_script(cases), type=True, playback="none-here"
    )
    assert sum("asking again" in turn for turn in turns) == 1, turns
    assert any(FOLLOW_UP in turn for turn in turns), turns  # silence covered nothing
    notes = saved_notes(call_dir)
    assert [note.startswith(NO_ANSWER_NOTE) for note in notes] == [True, True], notes
    assert "silence after the reviewer's turn 2 time(s)" in score_card(call_dir)


async def test_a_drill_asks_again_until_the_answer_covers_the_facts(cases: Path) -> None:
    turns, call_dir, _ = await rehearse(
        cases, typing(VAGUE, COVERING), drill="severity", type=True, playback="none-here"
    )
    asked = [turn for turn in turns if turn.startswith("Reviewer")]
    assert len(asked) == 2, turns  # the vague answer got a second phrasing; the covering none
    assert asked[0] != asked[1]
    clinician = [line.text for line in saved_lines(call_dir) if line.speaker == "clinician"]
    assert clinician == [VAGUE, COVERING]


def test_a_case_without_a_mock_call_is_rehearsed_on_one_drafted_from_it(cases: Path) -> None:
    (cases / CASE / "mock-call.toml").unlink()
    _, rehearsal, inputs = rehearsal_call(cases, type=True, playback="none-here")
    rehearsal.close()
    drafted = inputs.notices[0]
    assert "no mock call for this case" in drafted and f"mock new {CASE}" in drafted
    assert rehearsal.label == "rehearsal (typed answers)"
    said = " ".join(rehearsal.questions)
    assert len(rehearsal.questions) >= 5 and "Tocilizumab" in said, rehearsal.questions
