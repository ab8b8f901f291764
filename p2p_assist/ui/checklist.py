"""What to request and record, ticked as it is heard; and the agenda step in view."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from p2p_assist.library.model import Agenda, Documentation


class Checklist(Static):
    DEFAULT_CSS = "Checklist { height: auto; border: round $primary; padding: 0 1; }"

    def __init__(self, documentation: Documentation, agenda: Agenda) -> None:
        super().__init__(id="checklist")
        self.documentation = documentation
        self.agenda = agenda
        self.values: dict[str, str | None] = {item.id: None for item in documentation.items}
        self.step = 0

    def on_mount(self) -> None:
        self.border_title = "Record"
        self.paint()

    def set_values(self, values: dict[str, str | None]) -> None:
        self.values.update(values)
        self.paint()

    def next_step(self) -> None:
        self.step = min(self.step + 1, len(self.agenda.steps) - 1)
        self.paint()

    def paint(self) -> None:
        text = Text()
        for item in self.documentation.items:
            value = self.values.get(item.id)
            text.append("✓ " if value else "☐ ", style="bold green" if value else "dim")
            text.append(item.label, style="" if value else "dim")
            if value and value != "mentioned":
                text.append(f": {value}", style="bold")
            text.append("\n")
        step = self.agenda.steps[self.step]
        text.append(f"Agenda {self.step + 1}/{len(self.agenda.steps)}: ", style="bold")
        text.append(step.title)
        self.update(text)
