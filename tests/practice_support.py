"""A practice run without the screen: a case's mock call drafted by `mock new`, rendered by
flite and played through pocketsphinx with its turn marks, then ended and written up, as
`practice CASE` does. The saved call is what the answer score reads."""

from __future__ import annotations

from pathlib import Path

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.cli.main import main
from p2p_assist.library.load import load_library
from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import MockScript, load_script
from p2p_assist.mock.timeline import Timeline
from p2p_assist.mock.turns import ScriptedTurns
from p2p_assist.session.build import SessionPlan, build_session

LIBRARY = load_library()


def draft_and_render(cases: Path, case_id: str, *extra: str) -> tuple[MockScript, Timeline, Path]:
    """`mock new` into the case folder (beside the shipped script), then `mock render`."""
    script_path = cases / case_id / "drafted-call.toml"
    argv = ["--cases", str(cases), "mock", "new", case_id, "-o", str(script_path), *extra]
    assert main(argv) == 0
    script = load_script(script_path)
    audio = script_path.with_suffix(".wav")
    return script, render_script(script, audio), audio


def practise(cases: Path, case_id: str, audio: Path, timeline: Timeline) -> Path:
    """Play `audio` as a practice run of the case; the saved call's folder."""
    case = load_case(cases, case_id)
    plan = SessionPlan(cases, case_id, None, "pocketsphinx", None, "practice", save=True)
    turns = ScriptedTurns(timeline).speaker_at
    session = build_session(plan, WavFileSource(audio), Matcher(LIBRARY), turns=turns, case=case)
    session.start()
    for _ in session.events(timeout=300):
        pass
    finished = finish_call(session, case, LIBRARY)
    assert finished.call_dir is not None, finished.lines
    return finished.call_dir
