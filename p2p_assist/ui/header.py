"""The top line: who and what this call is about, the clock, the window, the engine and
an input level meter that answers "is it hearing anything?" at a glance."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from p2p_assist.basics.formatting import clock
from p2p_assist.cases.model import Case

METER_WIDTH = 10


def case_summary(case_id: str, case: Case | None) -> str:
    if case is None:
        return case_id
    diagnosis = case.primary_diagnosis()
    parts = [
        f"{case.patient.age}{case.patient.sex[:1].upper()}",
        diagnosis.description if diagnosis else "",
        case.request.level_of_care or case.request.service,
        f"denied: “{case.denial.reason}”",
    ]
    return f"{case_id} · " + " · ".join(part for part in parts if part)


def meter(dbfs: float) -> str:
    filled = max(0, min(METER_WIDTH, round((dbfs + 60) / 60 * METER_WIDTH)))
    return "▮" * filled + "▯" * (METER_WIDTH - filled)


class CallHeader(Static):
    DEFAULT_CSS = "CallHeader { height: 2; background: $boost; padding: 0 1; }"

    def __init__(self, summary: str, window: str, engine: str) -> None:
        super().__init__(id="call-header")
        self.summary, self.window, self.engine = summary, window, engine
        self.elapsed = 0.0  # seconds of call audio: the wall clock live, exact in practice
        self.level = -96.0
        self.speaker = "reviewer"

    def on_mount(self) -> None:
        self.paint()

    def update_audio(self, dbfs: float, stream_time: float) -> None:
        self.level, self.elapsed = dbfs, max(self.elapsed, stream_time)
        self.paint()

    def paint(self) -> None:
        text = Text(self.summary, style="bold", no_wrap=True, overflow="ellipsis")
        text.append("\n")
        text.append(f"⏱ {clock(self.elapsed)}  ")
        text.append(f"{self.window}  ", style="yellow")
        text.append(f"{self.engine}  ", style="dim")
        text.append(f"in {meter(self.level)}  ", style="green")
        if self.speaker == "clinician":
            text.append("● YOU ARE SPEAKING", style="bold magenta")
        self.update(text)
