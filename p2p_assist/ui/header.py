"""The top two lines, each always one line: who and what the call is about; then the call's
clock against the usual length of a P2P, the P2P window, the engine, an input meter that
answers "is it hearing anything?", and whether the clinician has marked that they are talking.

Each line is its own one-row widget that cuts with an ellipsis rather than wrapping, so the
second line can never be pushed out of view by a long case summary.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from p2p_assist.basics.formatting import clock
from p2p_assist.cases.model import Case

METER_WIDTH = 8
TYPICAL_MINUTES = (5, 20)  # the usual length of a peer-to-peer call (the seeds)
NEAR_END_MINUTES = 15  # from here the clock turns amber: the slot is running out


def case_summary(case_id: str, case: Case | None) -> str:
    if case is None:
        return case_id
    diagnosis = case.primary_diagnosis()
    patient = case.patient
    parts = [
        f"{patient.age}{patient.sex[:1].upper()}" if patient.age is not None else "",
        diagnosis.description if diagnosis else "",
        case.request.level_of_care or case.request.service,
        f"denied: “{case.denial.reason}”",
    ]
    return f"{case_id} · " + " · ".join(part for part in parts if part)


def meter(dbfs: float) -> str:
    filled = max(0, min(METER_WIDTH, round((dbfs + 60) / 60 * METER_WIDTH)))
    return "▮" * filled + "▯" * (METER_WIDTH - filled)


def clock_style(seconds: float) -> str:
    """Plain for most of a call, amber near the end of the usual slot, red past it."""
    minutes = seconds / 60
    if minutes >= TYPICAL_MINUTES[1]:
        return "bold red"
    if minutes >= NEAR_END_MINUTES:
        return "bold yellow"
    return "bold"


class CallHeader(Vertical):
    DEFAULT_CSS = """
    CallHeader { height: 2; background: $boost; padding: 0 1; }
    CallHeader > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, summary: str, window: str, engine: str) -> None:
        super().__init__(id="call-header")
        self.summary, self.window, self.engine = summary, window, engine
        self.elapsed = 0.0  # seconds of call audio: the wall clock live, exact in practice
        self.level = -96.0
        self.speaker = "reviewer"

    def compose(self) -> ComposeResult:
        yield Static(Text(self.summary, style="bold"), id="header-case")
        yield Static(id="header-status")

    def on_mount(self) -> None:
        self.paint()

    def update_audio(self, dbfs: float, stream_time: float) -> None:
        self.level, self.elapsed = dbfs, max(self.elapsed, stream_time)
        self.paint()

    def status_text(self) -> Text:
        low, high = TYPICAL_MINUTES
        text = Text()
        if self.speaker == "clinician":
            text.append("● YOU ARE SPEAKING  ", style="bold magenta")
        text.append(f"⏱ {clock(self.elapsed)}", style=clock_style(self.elapsed))
        text.append(f" of {low}–{high} min  ", style="dim")
        text.append(f"in {meter(self.level)}  ", style="green")
        text.append(f"{self.window}  ", style="yellow")
        text.append(self.engine, style="dim")
        return text

    def paint(self) -> None:
        if self.is_mounted:
            self.query_one("#header-status", Static).update(self.status_text())
