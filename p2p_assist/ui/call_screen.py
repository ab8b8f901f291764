"""The call screen: the session runs in a thread worker and posts messages; the screen paints.

Nothing here waits on audio, recognition or disk: those happen in CallSession's threads, the
worker that relays its events only posts messages, and ending the call (closing the
transcript, writing the note) runs in another worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from p2p_assist.audio.devices import list_input_devices
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock
from p2p_assist.basics.locations import unsaved_dir
from p2p_assist.cases.model import Case
from p2p_assist.library.load import Library
from p2p_assist.lifecycle.finish import FinishedCall, finish_call
from p2p_assist.session.call import CallSession
from p2p_assist.session.events import (
    AudioEnded,
    AudioLevel,
    CardWithdrawn,
    ChecklistState,
    Notice,
    ObjectionRaised,
    PartialText,
    Reminder,
    SessionError,
    TurnTaken,
    UtteranceHeard,
)
from p2p_assist.session.rehearsal import Rehearsal
from p2p_assist.transcript.records import Consent, Outcome
from p2p_assist.ui.cards import CardStack
from p2p_assist.ui.checklist import Checklist
from p2p_assist.ui.dialogs import (
    CallSummary,
    ConsentDialog,
    EditValueDialog,
    EndCallDialog,
    FolderDialog,
    InputDialog,
    NoteDialog,
)
from p2p_assist.ui.header import CallHeader, case_summary
from p2p_assist.ui.messages import SessionUpdate
from p2p_assist.ui.rehearsal_strip import AnswerDialog, RehearsalStrip
from p2p_assist.ui.transcript import TranscriptPane


@dataclass(frozen=True)
class CallContext:
    """What the screen shows and needs besides the live events."""

    case_id: str
    case: Case | None
    window: str
    library: Library
    rehearsal: Rehearsal | None = None  # practice --rehearse: the turns the screen shows


TALL_ENOUGH = 40  # rows; below this the checklist shrinks to one line until focused


class LiveCallScreen(Screen[None]):
    TITLE = "p2p-assist"
    # Short labels: the whole footer must fit an 80-column terminal.
    # Short labels: the footer must fit an 80-column terminal. The rest are in the Keys panel
    # (ctrl+p, then "Keys"), and the banners name them where they help.
    BINDINGS = [
        Binding("space", "toggle_speaker", "Me"),
        Binding("e", "end_call", "End"),
        Binding("n", "note", "Note"),
        Binding("y", "confirm_value", "OK value"),
        Binding("c", "edit_value", "Fix"),
        Binding("o", "toggle_answer", "Answer"),
        Binding("a", "next_step", "Step"),
        Binding("b", "bookmark", "Mark", show=False),
        Binding("p", "pin", "Pin", show=False),
        Binding("d", "dismiss_card", "Drop card", show=False),
        Binding("r", "focus_checklist", "Record list", show=False),
        Binding("i", "pick_input", "Input", show=False),
        Binding("s", "save_elsewhere", "Save to…", show=False),
        Binding("enter", "end_answer", "Done"),  # a rehearsal's only
        Binding("t", "type_answer", "Type"),  # a rehearsal's only
    ]

    def __init__(self, session: CallSession, context: CallContext) -> None:
        super().__init__()
        self.session = session
        self.context = context
        self.stream_time = 0.0
        self.audio_ended = False
        self.finished: FinishedCall | None = None
        self.outcome: Outcome | None = None
        self.ending = False
        self.paint_latencies: list[float] = []  # objection event -> card painted, seconds

    def compose(self) -> ComposeResult:
        summary = case_summary(self.context.case_id, self.context.case)
        yield CallHeader(summary, self.context.window, self.session.engine)
        yield Static("", id="banner")
        if self.context.rehearsal is not None:
            yield RehearsalStrip()
        yield Static(self._conduct_text(), id="conduct")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield TranscriptPane()
            with Vertical(id="right"):
                yield Static(self._answer_text(), id="answer")
                yield CardStack()
                yield Checklist(self.session.documentation, self.session.agenda)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.on_resize)
        if self.session.kind != "live":
            self.relay_events()  # practice and recordings: nobody on the line to ask
            return
        self.app.push_screen(ConsentDialog(self.context.library.consent), self._consented)

    def _consented(self, answer: Consent | None) -> None:
        """Transcribing is recording: only with the reviewer's agreement, or when the
        clinician says it was not asked (their call to make, and it is on the record)."""
        self.session.set_consent(answer or "not asked")
        consent = self.context.library.consent
        if answer == "no":
            self.show_banner(
                f"Transcription is off: the reviewer declined. Say: “{consent.if_no}” "
                "— take notes with n, and e ends the call.",
                error=False,
            )
            return
        if answer == "yes" and consent.if_yes:
            self.notify(consent.if_yes, markup=False)
        self.relay_events()

    def _conduct_text(self) -> Content:
        points = self.context.library.conduct.points
        return Content.styled(" · ".join(point.title for point in points), "italic")

    def _answer_text(self) -> Content:
        case = self.context.case
        answer = case.denial.one_sentence_answer if case else ""
        if not answer:
            return Content("No one-sentence answer yet: write it in case.toml ([denial])")
        return Content.styled("Your answer: ", "bold") + Content(answer)

    @work(thread=True, exclusive=True, exit_on_error=False, name="session")
    def relay_events(self) -> None:
        worker = get_current_worker()
        self.session.start()
        for event in self.session.events():
            if worker.is_cancelled:
                break
            self.post_message(SessionUpdate(event))

    async def on_session_update(self, message: SessionUpdate) -> None:
        event = message.event
        if isinstance(event, PartialText):
            self.stream_time = event.stream_time
            self.query_one(TranscriptPane).show_partial(event.text)
        elif isinstance(event, UtteranceHeard):
            self.stream_time = event.end
            self.query_one(TranscriptPane).add_final(event)
        elif isinstance(event, ObjectionRaised):
            self.query_one("#conduct").display = False  # the cards need the room now
            await self.query_one(CardStack).raise_card(event.card, event.times_raised)
            self.call_after_refresh(self._painted, event.wall)
        elif isinstance(event, CardWithdrawn):
            self.query_one(CardStack).withdraw(event.objection_id, event.still_standing)
        elif isinstance(event, ChecklistState):
            self.query_one(Checklist).set_states(event.items)
        elif isinstance(event, AudioLevel):
            self.query_one(CallHeader).update_audio(event.dbfs, event.stream_time)
        elif isinstance(event, SessionError):
            hint = " (press s to choose the folder now)" if event.unsaved else ""
            self.show_banner(event.message + hint, error=True)
        elif isinstance(event, Reminder):
            self.notify(event.message, title="Conduct", markup=False, timeout=8)
        elif isinstance(event, Notice):
            self.show_banner(event.message, error=False, clear=event.mended)
        elif isinstance(event, TurnTaken):
            self._turn_taken(event)
        elif isinstance(event, AudioEnded):
            self._audio_ended()

    def _painted(self, raised_at: float) -> None:
        self.paint_latencies.append(time.monotonic() - raised_at)

    def show_banner(self, text: str, *, error: bool, clear: bool = False) -> None:
        """An error stays in the banner until another error replaces it: news that comes
        after it (the audio has ended, saving…) is a toast, so no warning is ever lost —
        unless the news is that the error is mended (`clear`)."""
        banner = self.query_one("#banner", Static)
        if not error and not clear and banner.has_class("error"):
            self.notify(text, markup=False)
            return
        banner.update(Content(("⚠ " if error else "ℹ ") + text))  # plain: paths hold brackets
        banner.set_classes("shown error" if error else "shown info")

    def _turn_taken(self, turn: TurnTaken) -> None:
        self.query_one(RehearsalStrip).show(turn)
        if turn.speaker == "clinician" and turn.typed:
            self.action_type_answer()

    # -- keys -----------------------------------------------------------------

    def action_toggle_speaker(self) -> None:
        speaking = self.session.speaker != "clinician"
        self.session.set_speaker("clinician" if speaking else None)
        header = self.query_one(CallHeader)
        header.speaker = "clinician" if speaking else "reviewer"
        header.paint()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A rehearsal's keys exist only in a rehearsal."""
        if action in ("end_answer", "type_answer"):
            return self.context.rehearsal is not None
        return True

    def action_end_answer(self) -> None:
        if self.context.rehearsal is not None:
            self.context.rehearsal.end_answer()

    def action_type_answer(self) -> None:
        rehearsal = self.context.rehearsal
        if rehearsal is None or isinstance(self.app.screen, AnswerDialog):
            return

        def send(text: str | None) -> None:
            if text:
                rehearsal.type_answer(text)
            else:
                rehearsal.end_answer()  # nothing typed: no answer, as a silence would be

        self.app.push_screen(AnswerDialog(), send)

    def action_note(self) -> None:
        def save(text: str | None) -> None:
            if text:
                self.session.add_note(text, self.stream_time)
                self.notify("Note saved")

        self.app.push_screen(NoteDialog(), save)

    def action_bookmark(self) -> None:
        self.session.bookmark(self.stream_time)
        self.notify(f"Bookmarked {clock(self.stream_time)}")

    def action_pin(self) -> None:
        card = self.query_one(CardStack).target()
        if card is not None:
            card.pinned = not card.pinned
            card.set_class(card.pinned, "pinned")
            card.refresh_text()

    def action_dismiss_card(self) -> None:
        card = self.query_one(CardStack).target()
        if card is not None:
            card.remove()

    def action_edit_value(self) -> None:
        items = [(item.id, item.label) for item in self.session.documentation.items]

        def save(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.session.edit_capture(*choice)
                # Paint now: after the audio ends no more session events are relayed.
                self.query_one(Checklist).set_states(self.session.checklist())

        self.app.push_screen(EditValueDialog(items, self.session.checklist()), save)

    def action_confirm_value(self) -> None:
        """y: the value heard most recently is right."""
        confirmed = self.session.confirm_value()
        if confirmed is None:
            self.notify("No value waiting to be confirmed.")
            return
        field, value = confirmed
        self.query_one(Checklist).set_states(self.session.checklist())
        label = next(i.label for i in self.session.documentation.items if i.id == field)
        self.notify(f"Confirmed — {label}: {value}", markup=False)

    def action_pick_input(self) -> None:
        if not self.session.can_switch_input:
            self.notify("This call plays a recording: there is no input to choose.")
            return
        try:
            devices = list_input_devices()
        except UserError as error:
            self.show_banner(str(error), error=True)
            return

        def switch(index: int | None) -> None:
            if index is not None:
                self.session.switch_input(index)

        self.app.push_screen(InputDialog(devices), switch)

    def action_save_elsewhere(self) -> None:
        def save(folder: Path | None) -> None:
            if folder is None:
                return
            try:
                moved = self.session.save_elsewhere(folder)
            except UserError as error:
                self.show_banner(f"{error} (press s to try another folder)", error=True)
                return
            self.show_banner(f"The call is saved to {moved} from now on.", error=False, clear=True)

        self.app.push_screen(FolderDialog(unsaved_dir()), save)

    def action_toggle_answer(self) -> None:
        """o: the one-sentence answer to the denial, one key away."""
        self.query_one("#answer").toggle_class("shown")

    def action_focus_checklist(self) -> None:
        self.query_one(Checklist).focus()

    def on_resize(self) -> None:
        self.query_one(Checklist).set_compact(self.size.height < TALL_ENOUGH)

    def action_next_step(self) -> None:
        self.query_one(Checklist).next_step()

    def action_end_call(self) -> None:
        if self.ending:
            return
        values = self.session.checklist()

        def end(outcome: Outcome | None) -> None:
            if outcome is None:
                return
            self.outcome, self.ending = outcome, True
            self.show_banner("Ending the call and saving…", error=False)
            self.finish(outcome)

        dialog = EndCallDialog(values.get("determination"), values.get("reference_number"))
        self.app.push_screen(dialog, end)

    # -- the end ----------------------------------------------------------------

    def _audio_ended(self) -> None:
        self.audio_ended = True
        if self.context.rehearsal is not None:
            self.query_one(RehearsalStrip).over()  # it says what the banner would
        elif not self.ending:
            self.show_banner("The audio has ended — press e to record the outcome.", error=False)

    @work(thread=True, exit_on_error=False, name="finish")
    def finish(self, outcome: Outcome) -> None:
        """Closing writes transcript.md, call.json and note.md: disk work, off the UI thread."""
        context = self.context
        finished = finish_call(self.session, context.case, context.library, outcome)
        self.app.call_from_thread(self._show_summary, finished)

    def _show_summary(self, finished: FinishedCall) -> None:
        self.finished = finished
        if not finished.closed.saved and finished.closed.problems:
            self.show_banner("; ".join(finished.closed.problems), error=True)
        self.app.push_screen(CallSummary(finished, self.outcome))
