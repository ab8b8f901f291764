"""What to request and record: each value as heard (to confirm) or confirmed, a prompt to
ask again when what was heard is doubtful; and the agenda step in view.

On a short terminal it shrinks to one line of counts until it is focused (r, or tab), so the
newest card keeps the room."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from p2p_assist.library.model import Agenda, Documentation, DocumentationItem
from p2p_assist.session.checklist import MENTIONED, ItemState


class Checklist(Static, can_focus=True):
    DEFAULT_CSS = """
    Checklist { height: auto; border: round $primary; padding: 0 1; }
    Checklist:focus { border: round $success; }
    """

    def __init__(self, documentation: Documentation, agenda: Agenda) -> None:
        super().__init__(id="checklist")
        self.documentation = documentation
        self.agenda = agenda
        self.states: dict[str, ItemState] = {item.id: ItemState() for item in documentation.items}
        self.step = 0
        self.compact = False  # the screen is short: one line of counts unless focused

    def on_mount(self) -> None:
        self.border_title = "Record"
        self.paint()

    def set_states(self, states: dict[str, ItemState]) -> None:
        self.states.update(states)
        self.paint()

    def value(self, item_id: str) -> str | None:
        state = self.states.get(item_id)
        return state.value if state else None

    def next_step(self) -> None:
        self.step = min(self.step + 1, len(self.agenda.steps) - 1)
        self.paint()

    def on_focus(self) -> None:
        self.paint()

    def on_blur(self) -> None:
        self.paint()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.paint()

    def counts(self) -> Text:
        states = [self.states.get(item.id, ItemState()) for item in self.documentation.items]
        done = sum(state.confirmed is not None for state in states)
        waiting = sum(
            state.confirmed is None and state.value not in (None, MENTIONED) for state in states
        )
        text = Text(f"✓ {done}", style="bold green")
        text.append(f" · ? {waiting} to confirm (y)", style="bold yellow" if waiting else "dim")
        text.append(f" · ☐ {len(states) - done - waiting} to get", style="dim")
        again = [
            item.label
            for item, state in zip(self.documentation.items, states, strict=True)
            if state.needs_read_back
        ]
        if again:
            text.append(f" · ask again: {', '.join(again)}", style="bold magenta")
        text.append("  (r: open)", style="dim")
        return text

    def paint(self) -> None:
        if self.compact and not self.has_focus:
            self.update(self.counts())
            return
        text = Text()
        for item in self.documentation.items:
            _item_lines(text, item, self.states.get(item.id, ItemState()))
        step = self.agenda.steps[self.step]
        text.append(f"Agenda {self.step + 1}/{len(self.agenda.steps)}: ", style="bold")
        text.append(step.title)
        self.update(text)


def _item_lines(text: Text, item: DocumentationItem, state: ItemState) -> None:
    if state.confirmed is not None:
        text.append("✓ ", style="bold green")
        text.append(f"{item.label}: ")
        text.append(state.confirmed, style="bold")
    elif state.conflicting:
        text.append("? ", style="bold yellow")
        text.append(f"{item.label}: heard {', then '.join(state.values_heard)}", style="yellow")
        text.append(" — pick one (c)", style="italic")
    elif state.value not in (None, MENTIONED):
        newest = state.newest
        sure = f" {round(100 * newest.confidence)}% sure" if newest else ""
        text.append("? ", style="bold yellow")
        text.append(f"{item.label}: ")
        text.append(str(state.value), style="bold yellow")
        text.append(f" — heard{sure}, confirm (y)", style="italic")
    elif state.value == MENTIONED:
        text.append("• ", style="yellow")
        text.append(f"{item.label}: discussed, no value heard", style="dim")
    else:
        text.append("☐ ", style="dim")
        text.append(item.label, style="dim")
    if state.needs_read_back:
        text.append(f"\n   Ask: {item.read_back_question}", style="bold magenta")
    text.append("\n")
