"""Practice on a mock call marks turns from its timeline, as a clinician would with the
"me talking" key: the clinician's own lines raise no cards and are saved as theirs."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_support import CASE, copy_case

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script
from p2p_assist.mock.timeline import Timeline, TimelineTurn
from p2p_assist.mock.turns import ScriptedTurns
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Utterance

ECHO_CALL = """
title = "The clinician repeats the objection back"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
clinician = "slt"
[channel]
reviewer = "clean"  # both full band: the sound tells nobody apart, only the marks do
[[turns]]
speaker = "reviewer"
text = "Weekly dosing from day one is off label, and we consider it investigational."
pause_after = 1.5
[[turns]]
speaker = "clinician"
text = "You say weekly dosing is off label and investigational. It is in the label."
"""


def turn(index: int, speaker: str, start: float, end: float) -> TimelineTurn:
    return TimelineTurn.model_validate(
        {"index": index, "speaker": speaker, "voice": "slt", "text": "", "start": start,
         "end": end, "expect": [], "captures": {}}
    )  # fmt: skip


def test_speaker_is_the_turn_under_the_time_with_a_little_slack() -> None:
    timeline = Timeline(
        title="t", case_id=None, audio="a.wav", duration=20, tts="flite",
        turns=(turn(0, "reviewer", 0.5, 5.0), turn(1, "clinician", 5.8, 9.0),
               turn(2, "reviewer", 14.0, 18.0)),
    )  # fmt: skip
    at = ScriptedTurns(timeline).speaker_at
    assert [at(t) for t in (2.0, 5.2, 5.7, 7.0, 9.8, 11.5, 13.5)] == [
        "reviewer", "reviewer", "clinician", "clinician", "clinician", None, "reviewer",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def echo_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("echo")
    (folder / "echo.toml").write_text(ECHO_CALL)
    render_script(load_script(folder / "echo.toml"), folder / "echo.wav")
    return folder / "echo.wav"


def saved_utterances(cases: Path, audio: Path, with_turns: bool) -> list[Utterance]:
    from p2p_assist.mock.timeline import load_timeline, timeline_path

    turns = ScriptedTurns(load_timeline(timeline_path(audio))).speaker_at if with_turns else None
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, WavFileSource(audio), Matcher(load_library()), turns=turns)
    session.start()
    for _ in session.events(timeout=120):
        pass
    closed = session.end()
    assert closed.saved and closed.call_dir is not None
    records = read_call(closed.call_dir).records
    return [record for record in records if isinstance(record, Utterance)]


@pytest.mark.slow
def test_the_clinicians_echo_raises_no_card_when_turns_are_marked(
    tmp_path: Path, echo_call: Path, tts: None
) -> None:
    cases = copy_case(tmp_path)
    unmarked = saved_utterances(cases, echo_call, with_turns=False)
    marked = saved_utterances(cases, echo_call, with_turns=True)
    # Without marks both lines raise "experimental"; with them only the reviewer's does.
    assert sum(bool(u.objections) for u in unmarked) == 2
    assert {u.speaker for u in marked} == {"reviewer", "clinician"}
    assert all(bool(u.objections) == (u.speaker == "reviewer") for u in marked)
