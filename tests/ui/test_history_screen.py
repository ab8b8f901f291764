"""`practice CASE --history`: scores of earlier runs, the trend, and what to prepare next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from report_support import CASE, copy_case, demo_case, library, write_call
from textual.widgets import DataTable, Sparkline, Static

from p2p_assist.report.history import practice_runs
from p2p_assist.report.scores import PracticeScore
from p2p_assist.ui.app import History, make_app

FIXED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def runs(tmp_path: Path, count: int) -> list[PracticeScore]:
    cases = copy_case(tmp_path)
    for _ in range(count):
        write_call(cases, kind="practice")
    found = practice_runs(cases, CASE, demo_case(cases), library())
    # Fixed dates and names, so the screen is the same on every run of the tests.
    return [
        run.model_copy(
            update={
                "started": FIXED + dt.timedelta(days=n),
                "stamp": f"run-{n}",
                "score": 40 + 20 * n,
            }
        )
        for n, run in enumerate(found)
    ]


ANSWERS = ["35", "-", "72"]  # each run's answer score; "-": a run that could not be scored


async def test_each_run_is_a_row_and_the_latest_is_selected(tmp_path: Path) -> None:
    app = make_app(History(CASE, runs(tmp_path, 3), ANSWERS))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(DataTable)
        assert table.row_count == 3 and table.cursor_row == 2
        assert [str(table.get_row_at(n)[3]) for n in range(3)] == ["40", "60", "80"]
        assert [str(table.get_row_at(n)[7]) for n in range(3)] == ANSWERS
        assert list(app.query_one(Sparkline).data or []) == [40, 60, 80]
        advice = str(app.query_one("#advice", Static).render())
        assert "Run 3:" in advice and "Time per agenda step: Confirm who is reviewing" in advice
        await pilot.press("up")
        assert "Run 2:" in str(app.query_one("#advice", Static).render())


async def test_no_runs_says_how_to_start_one(tmp_path: Path) -> None:
    app = make_app(History(CASE, []))
    async with app.run_test(size=(80, 24)):
        assert f"p2p-assist practice {CASE}" in str(app.query_one("Label", Static).render())


def test_history_snapshot(tmp_path: Path, snap_compare: Any) -> None:
    app = make_app(History(CASE, runs(tmp_path, 3), ANSWERS))
    assert snap_compare(app, terminal_size=(100, 30))
