"""Snapshots of the review screens (pytest --snapshot-update to accept a deliberate change).

Every call is recorded at a fixed time, so the dates, lengths and folder names on screen
are the same on every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CASE
from demo_cases import copy_demo_cases
from test_review_screen import (
    FIRST_CALL,
    SECOND_CALL,
    app_for,
    conversation,
    demo_library,
    freeze_writer_clock,
    loaded,
    open_row,
    record_call,
    with_note,
)

from p2p_assist.transcript.records import Outcome
from p2p_assist.ui.app import P2PApp

STATES = {
    # name: (terminal size, theme, open the older call?, keys pressed once it is open)
    "call_list": ((100, 30), None, False, ()),
    "opened_call": ((100, 30), None, True, ()),
    "opened_call_at_80_by_24": ((80, 24), None, True, ()),
    "moment_chosen_in_the_light_theme": ((100, 30), "textual-light", True, ("down", "enter")),
}


@pytest.fixture
def review_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> P2PApp:
    """Two calls: an older one with its note, and a newer one the app never closed."""
    cases = copy_demo_cases(tmp_path, CASE)
    clock = freeze_writer_clock(monkeypatch)
    older = record_call(
        cases, clock, FIRST_CALL, conversation(filler=12), outcome=Outcome(determination="denied")
    )
    with_note(older, cases, demo_library())
    record_call(cases, clock, SECOND_CALL, conversation(SECOND_CALL), kind="live", close=False)
    return app_for(cases, demo_library())


@pytest.mark.parametrize("state", list(STATES))
def test_review_snapshot(state: str, snap_compare: Any, review_app: P2PApp) -> None:
    size, theme, open_call, keys = STATES[state]

    async def show(pilot: Any) -> None:
        if theme:
            review_app.theme = theme
        await loaded(pilot)
        if open_call:
            await open_row(pilot, 1)
            await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(review_app, terminal_size=size, run_before=show)
