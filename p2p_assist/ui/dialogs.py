"""Small modal dialogs: a note, a value by hand, another folder or input, the end-of-call
outcome, and the after-call summary. Their look is in dialogs.tcss."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
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
from p2p_assist.library.playbook import Consent as ConsentText
from p2p_assist.lifecycle.finish import FinishedCall
from p2p_assist.report.deadlines import OUTCOMES, DatedStep
from p2p_assist.report.digest import HeardValue as DigestValue
from p2p_assist.session.checklist import MENTIONED, HeardValue, ItemState
from p2p_assist.transcript.records import Consent, Outcome


class TextDialog(ModalScreen[str | None]):
    """One line of text, filled in with what there is to change."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(f"{self.title_text} (Enter to save, Esc to cancel)"))
            yield Input(self.text, id="text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


def checklist_states(values: dict[str, DigestValue]) -> dict[str, ItemState]:
    """A saved call's values in the shape the value dialog shows: heard, or settled."""
    states = {}
    for field, value in values.items():
        heard = (*value.also_heard, value.value)
        candidates = tuple(HeardValue(v, 1.0, "", value.seconds or 0.0) for v in heard)
        settled = value.value if value.source != "heard" else None
        states[field] = ItemState(candidates, settled)
    return states


class ConsentDialog(ModalScreen[Consent]):
    """Before the app listens: the disclosure to read, and what the reviewer answered."""

    BINDINGS = [
        ("y", "answer('yes')", "They agreed"),
        ("n", "answer('no')", "They declined"),
        ("s", "answer('not asked')", "Skip"),
    ]

    def __init__(self, consent: ConsentText) -> None:
        super().__init__()
        self.consent = consent

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Read this aloud before the app starts listening:", classes="title")
            yield Static(Content.styled(self.consent.ask, "bold"), id="consent-ask")
            if self.consent.why:
                yield Static(Content.styled(self.consent.why, "italic"), id="consent-why")
            yield Button("They agreed (y)", variant="success", id="consent-yes")
            yield Button("They declined (n): notes by hand only", variant="error", id="consent-no")
            yield Button("Not asked (s)", id="consent-skip")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answers: dict[str | None, Consent] = {
            "consent-yes": "yes",
            "consent-no": "no",
            "consent-skip": "not asked",
        }
        self.dismiss(answers.get(event.button.id, "not asked"))

    def action_answer(self, answer: Consent) -> None:
        self.dismiss(answer)


class NoteDialog(ModalScreen[str | None]):
    BINDINGS = [("escape", "dismiss(None)", "Cancel")]
    LABEL = "Note for the call record (Enter to save, Esc to cancel)"
    PLACEHOLDER = "e.g. reviewer agreed to re-review after the TB result"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.LABEL)
            yield Input(placeholder=self.PLACEHOLDER, id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class EditValueDialog(ModalScreen[tuple[str, str] | None]):
    """Fix or fill a checklist value by hand (what was heard can be wrong)."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, items: list[tuple[str, str]], states: dict[str, ItemState]) -> None:
        super().__init__()
        self.items, self.states = items, states

    def compose(self) -> ComposeResult:
        waiting = [key for key, _ in self.items if self._waiting(key)]
        first = waiting[0] if waiting else self.items[0][0]
        with Vertical():
            yield Label("Record a value (Enter to save, Esc to cancel)")
            yield Select([(label, key) for key, label in self.items], value=first, id="field")
            yield Input(self._value(first), placeholder="value", id="value")
            yield Label(self._heard(first), id="heard")

    def _waiting(self, key: str) -> bool:
        """Not yet confirmed: nothing heard, or heard and not confirmed."""
        state = self.states.get(key)
        return state is None or state.confirmed is None

    def _value(self, key: str) -> str:
        state = self.states.get(key)
        value = state.value if state else None
        return "" if value in (None, MENTIONED) else str(value)

    def _heard(self, key: str) -> Content:
        state = self.states.get(key)
        heard = state.values_heard if state else []
        return Content(f"heard: {', then '.join(heard)}" if heard else "nothing heard yet")

    def on_select_changed(self, event: Select.Changed) -> None:
        key = str(event.value)
        self.query_one("#value", Input).value = self._value(key)
        self.query_one("#heard", Label).update(self._heard(key))

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

    def __init__(self, determination: ItemState | None, reference: ItemState | None) -> None:
        """Only confirmed values are filled in; one heard and not confirmed is shown beside
        its field to check, never taken as done."""
        super().__init__()
        self.determination = determination.confirmed if determination else None
        self.reference = reference.confirmed if reference else None
        heard = reference.value if reference and not reference.confirmed else None
        self.reference_hint = (
            f"reference number (heard {heard} — check it)" if heard else "reference number"
        )

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
            yield Input(self.reference or "", placeholder=self.reference_hint, id="reference")
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
    """Where the call was saved (or that it was not), the outcome, the dated next steps, and
    after a practice run the score card of the clinician's answers (it scrolls: it is long)."""

    BINDINGS = [("escape", "app.quit", "Quit"), ("q", "app.quit", "Quit")]

    def __init__(self, finished: FinishedCall, outcome: Outcome | None) -> None:
        super().__init__()
        self.finished, self.outcome = finished, outcome

    def compose(self) -> ComposeResult:
        lines = list(self.finished.lines) or ["Not saved (no case folder)."]
        if self.outcome and self.outcome.determination:
            lines.append(f"Outcome: {self.outcome.determination}")
        lines += ["", "Next steps:"] + [_step(step) for step in self.finished.steps]
        if self.finished.reports is not None and self.finished.reports.answers:
            lines += ["", self.finished.reports.answers.rstrip()]
        with Vertical():
            with VerticalScroll(id="summary-scroll"):
                yield Static(Content("\n".join(lines)), id="summary")  # plain: paths, case text
            yield Label("Press q to quit.")


def _step(step: DatedStep) -> str:
    due = f" (by {step.due:%a %-d %b})" if step.due else ""
    return f"• {step.title}{due}: {step.detail}"
