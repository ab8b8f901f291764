"""Small modal dialogs: a note, a value by hand, another folder or input, the end-of-call
outcome, and the after-call summary. Their look is in dialogs.tcss."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from p2p_assist.audio.devices import InputDevice
from p2p_assist.lifecycle.finish import FinishedCall
from p2p_assist.report.deadlines import OUTCOMES, DatedStep
from p2p_assist.transcript.records import Outcome


class NoteDialog(ModalScreen[str | None]):
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Note for the call record (Enter to save, Esc to cancel)")
            yield Input(
                placeholder="e.g. reviewer agreed to re-review after the TB result", id="note"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class EditValueDialog(ModalScreen[tuple[str, str] | None]):
    """Fix or fill a checklist value by hand (what was heard can be wrong)."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, items: list[tuple[str, str]], values: dict[str, str | None]) -> None:
        super().__init__()
        self.items, self.values = items, values

    def compose(self) -> ComposeResult:
        first = next((key for key, _ in self.items if not self.values.get(key)), self.items[0][0])
        with Vertical():
            yield Label("Record a value (Enter to save, Esc to cancel)")
            yield Select([(label, key) for key, label in self.items], value=first, id="field")
            yield Input(self.values.get(first) or "", placeholder="value", id="value")

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#value", Input).value = self.values.get(str(event.value)) or ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        field = self.query_one("#field", Select).value
        text = event.value.strip()
        self.dismiss((str(field), text) if text and isinstance(field, str) else None)


class FolderDialog(ModalScreen[Path | None]):
    """Where to save a call whose case folder failed (a USB stick, another disk)."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Save the call to which folder? (Enter to save, Esc to cancel)")
            yield Input(str(self.suggestion), id="folder")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.dismiss(Path(text).expanduser() if text else None)


class InputDialog(ModalScreen[int | None]):
    """Choose the input to listen to (the microphone was lost, or the wrong one is open)."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, devices: list[InputDevice]) -> None:
        super().__init__()
        self.devices = devices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Listen to which input? (Enter to switch, Esc to cancel)")
            yield OptionList(
                *[
                    Option(Content(device.describe()), id=str(device.index))
                    for device in self.devices
                ]
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id is not None else None)


class EndCallDialog(ModalScreen[Outcome | None]):
    BINDINGS = [("escape", "dismiss(None)", "Back to the call")]

    def __init__(self, determination: str | None, reference: str | None) -> None:
        super().__init__()
        self.determination = determination
        self.reference = reference

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("End the call — outcome", classes="title")
            with RadioSet(id="determination"):
                for outcome in OUTCOMES:
                    yield RadioButton(
                        outcome,
                        value=outcome == self.determination,
                        id=f"outcome-{outcome.replace(' ', '-')}",
                    )
            yield Input(self.reference or "", placeholder="reference number", id="reference")
            yield Input(placeholder="what was promised", id="promised")
            yield Input(placeholder="by when", id="by-when")
            yield Button("Save and end call", variant="primary", id="save")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.dismiss(self.outcome())

    def on_input_submitted(self) -> None:
        self.dismiss(self.outcome())

    def outcome(self) -> Outcome:
        pressed = self.query_one(RadioSet).pressed_button
        return Outcome(
            determination=str(pressed.label) if pressed else None,
            reference_number=self.query_one("#reference", Input).value or None,
            promised=self.query_one("#promised", Input).value or None,
            by_when=self.query_one("#by-when", Input).value or None,
        )


class CallSummary(ModalScreen[None]):
    """Where the call was saved (or that it was not), the outcome, and the dated next steps."""

    BINDINGS = [("escape", "app.quit", "Quit"), ("q", "app.quit", "Quit")]

    def __init__(self, finished: FinishedCall, outcome: Outcome | None) -> None:
        super().__init__()
        self.finished, self.outcome = finished, outcome

    def compose(self) -> ComposeResult:
        lines = list(self.finished.lines) or ["Not saved (no case folder)."]
        if self.outcome and self.outcome.determination:
            lines.append(f"Outcome: {self.outcome.determination}")
        lines += ["", "Next steps:"] + [_step(step) for step in self.finished.steps]
        with Vertical():
            yield Static(Content("\n".join(lines)), id="summary")  # plain: paths, case text
            yield Label("Press q to quit.")


def _step(step: DatedStep) -> str:
    due = f" (by {step.due:%a %-d %b})" if step.due else ""
    return f"• {step.title}{due}: {step.detail}"
