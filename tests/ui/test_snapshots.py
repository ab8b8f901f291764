"""Snapshots of the main states, so layout regressions show (pytest --snapshot-update to accept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_call_screen import make_app, run_until_ended

from p2p_assist.matching.matcher import Matcher


def test_call_screen_after_a_practice_call(
    snap_compare: Any, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher, save=False)

    async def play(pilot: Any) -> None:
        await run_until_ended(app, pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=play)


def test_call_screen_at_80_by_24(
    snap_compare: Any, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher, save=False)

    async def play(pilot: Any) -> None:
        await run_until_ended(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=play)


def test_end_call_dialog(
    snap_compare: Any, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher, save=False)

    async def play(pilot: Any) -> None:
        await run_until_ended(app, pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=play)


def test_call_screen_in_the_light_theme(
    snap_compare: Any, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = make_app(cases, short_call, matcher, save=False)

    async def play(pilot: Any) -> None:
        app.theme = "textual-light"
        await run_until_ended(app, pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=play)
