"""The opening screen when no case is named: pick one, with each case's P2P window."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option


class CasePicker(App[str | None]):
    TITLE = "p2p-assist — pick a case"
    BINDINGS = [("escape", "exit_without_case", "Quit")]
    CSS = "OptionList { height: 1fr; } Label { padding: 0 1; }"

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        """rows: (case id, one line describing it)."""
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Label("Which case is this call about?  (Enter to open, Esc to quit)")
        yield OptionList(
            *[Option(f"{case_id:26} {line}", id=case_id) for case_id, line in self.rows]
        )
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.exit(event.option.id)

    def action_exit_without_case(self) -> None:
        self.exit(None)
