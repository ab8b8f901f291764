"""A rehearsal's turn, above the transcript: what the reviewer is saying (for anyone without
speakers, and to read along), or that it is the clinician's turn and how to end it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from p2p_assist.session.events import TurnTaken
from p2p_assist.ui.dialogs import NoteDialog


class RehearsalStrip(Static):
    def __init__(self) -> None:
        super().__init__("Rehearsal: the reviewer speaks first…", id="turn")

    def show(self, turn: TurnTaken) -> None:
        if turn.speaker == "reviewer":
            said = "Reviewer, asking again" if turn.repeat else f"Reviewer (turn {turn.number})"
            self.update(Content.styled(f"{said}: ", "bold") + Content(turn.text))
            self.set_classes("reviewer")
            return
        if turn.typed:
            how = "type your answer (t), Enter sends it"
        else:
            how = "answer out loud; a pause or Enter ends it (t to type instead)"
        asked = Content.styled("\nThey asked: ", "italic") + Content(turn.text) if turn.text else ""
        self.update(Content.styled(f"Your turn (turn {turn.number}) — ", "bold") + how + asked)
        self.set_classes("clinician")

    def over(self) -> None:
        self.update(
            Content.styled("Rehearsal over — ", "bold")
            + "press e to record the outcome and see how your answers scored"
        )
        self.set_classes("")


class AnswerDialog(NoteDialog):
    """A typed answer (Enter sends it, Esc answers nothing)."""

    LABEL = "Your answer to the reviewer (Enter to send, Esc for no answer)"
    PLACEHOLDER = "e.g. she took methotrexate from June 2025 to January 2026; it was stopped for …"
