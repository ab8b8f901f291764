"""Practice progress: one row per run with its score and parts, the trend as a sparkline,
and what to prepare better for the run selected (the newest at first)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from p2p_assist.basics.formatting import clock
from p2p_assist.report.scores import PracticeScore, percent


class HistoryScreen(Screen[None]):
    TITLE = "p2p-assist — practice history"
    BINDINGS = [("q", "app.quit", "Quit"), ("escape", "app.quit", "Quit")]

    def __init__(
        self, case_id: str, runs: list[PracticeScore], answers: list[str] | None = None
    ) -> None:
        """`answers`: each run's answer score (report/answer_score.py), "-" when unscored."""
        super().__init__()
        self.case_id, self.runs = case_id, runs
        self.answers = answers or ["-"] * len(runs)

    def compose(self) -> ComposeResult:
        yield Header()
        if not self.runs:
            yield Label(
                f"No practice runs for {self.case_id} yet — "
                f"start one with: p2p-assist practice {self.case_id}"
            )
        else:
            runs = (
                f"{self.case_id}: {len(self.runs)} practice runs · Score: case and call · "
                "Answers: what you said (out of 100)"
            )
            yield Label(Content(runs))
            yield Sparkline([run.score for run in self.runs], id="trend")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            with Vertical(id="prepare"):
                yield Static(id="advice")
        yield Footer()

    def on_mount(self) -> None:
        if not self.runs:
            return
        table = self.query_one(DataTable)
        table.add_columns(
            "Run", "Date", "Length", "Score", "Evidence", "Checklist", "Agenda", "Answers"
        )
        for number, (run, answers) in enumerate(zip(self.runs, self.answers, strict=True), 1):
            date = f"{run.started:%-d %b %Y %H:%M}" if run.started else run.stamp
            table.add_row(
                str(number),
                date,
                clock(run.duration),
                str(run.score),
                percent(run.evidence),
                percent(run.documentation),
                percent(run.coverage),
                answers,
                key=run.stamp,
            )
        table.move_cursor(row=len(self.runs) - 1)
        self.show_advice(len(self.runs) - 1)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_advice(event.cursor_row)

    def show_advice(self, index: int) -> None:
        run = self.runs[index]
        raised = ", ".join(o.title for o in run.objections) or "none"
        steps = ", ".join(
            f"{step.title} {clock(step.seconds)}" for step in run.agenda if step.started is not None
        )
        lines = [
            f"Run {index + 1}: objections raised — {raised}",
            f"Time per agenda step: {steps or 'no step reached'}",
            "",
            "Prepare better:",
        ]
        lines += [f"• {item}" for item in run.prepare] or ["• nothing: every part was covered"]
        self.query_one("#advice", Static).update(Content("\n".join(lines)))
