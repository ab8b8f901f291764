"""Snapshots of the main states, so layout regressions show (pytest --snapshot-update to accept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rehearsal_support import COVERING, rehearsal_call, write_script
from test_call_screen import call_app, run_until_ended

from p2p_assist.matching.matcher import Matcher
from p2p_assist.ui.app import make_app
from p2p_assist.ui.rehearsal_strip import AnswerDialog

pytestmark = pytest.mark.slow  # each snapshot runs a practice call through pocketsphinx first

STATES = {
    # name: (terminal size, theme, keys pressed after the call)
    "call_screen_after_a_practice_call": ((100, 30), None, ()),
    "call_screen_at_80_by_24": ((80, 24), None, ()),
    "end_call_dialog": ((100, 30), None, ("e",)),
    "call_screen_in_the_light_theme": ((100, 30), "textual-light", ()),
    "call_screen_at_120_by_40": ((120, 40), None, ()),
    "clinician_speaking_at_80_by_24": ((80, 24), None, ("space",)),
    "one_sentence_answer_shown": ((100, 30), None, ("o",)),
}


@pytest.mark.parametrize("state", list(STATES))
def test_snapshot(
    state: str, snap_compare: Any, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    size, theme, keys = STATES[state]
    app = call_app(cases, short_call, matcher, save=False)

    async def play(pilot: Any) -> None:
        if theme:
            app.theme = theme
        await run_until_ended(app, pilot)
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=play)


def test_rehearsal_snapshot(snap_compare: Any, cases: Path, tts: None) -> None:
    """A typed rehearsal at its end: the turn strip, the reviewer's lines heard, the typed
    answer labelled as the clinician's, the card it answered. The answer is typed before the
    turn comes, so no wall-clock wait enters the call's clock and the screen is the same on
    every run."""
    call, rehearsal, _ = rehearsal_call(
        cases, tell=False, script=write_script(cases), type=True, playback="no-such-speakers"
    )
    rehearsal.type_answer(COVERING)
    app = make_app(call)

    async def rehearse(pilot: Any) -> None:
        await run_until_ended(app, pilot)
        if isinstance(app.screen, AnswerDialog):  # opened at the turn the typed answer took
            await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=rehearse)
