"""The opening screen when no case is named: pick one, with each case's P2P window."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option


@dataclass
class CasePicked(Message):
    """The clinician chose a case; the app opens the call on it."""

    case_id: str


class CasePickerScreen(Screen[None]):
    TITLE = "p2p-assist — pick a case"
    BINDINGS = [Binding("escape", "app.quit", "Quit")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        """rows: (case id, one line describing it)."""
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Label("Which case is this call about?  (Enter to open, Esc to quit)")
        yield OptionList(
            # Content, not markup: a path or a value quoted in a row may hold brackets.
            *[Option(Content(f"{case_id:26} {line}"), id=case_id) for case_id, line in self.rows]
        )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.query_one(Label).update("Opening the call — loading the recogniser…")
            self.post_message(CasePicked(event.option.id))
