"""One saved call opened for review: its transcript with times and objection markers, the
moments worth going back to, and the call note beside it.

The transcript is an OptionList rather than a log: lines render lazily (a two-hour call
stays light), and "jump to this moment" is simply moving its highlight, which scrolls the
line into view. Reading the call happens in a thread worker, as on the list screen.
Whatever read_call could not read is named in a banner; the rest is still shown.
Space plays the call's audio from the highlighted line or moment (ui/review_audio.py says
what it plays and why); a line the clinician corrected is marked ✎, the words heard after it.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.formatting import clock, one_line
from p2p_assist.basics.vocabulary import SPEAKER_NAMES
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import Library
from p2p_assist.report.call_view import (
    Entry,
    Moment,
    OpenedCall,
    banner_text,
    call_heading,
    moments,
    objection_ids,
    open_call,
    short_titles,
)
from p2p_assist.report.review_edits import (
    apply_correction,
    fix_words,
    judge,
    next_speaker,
    settle,
)
from p2p_assist.report.signing import sign_note
from p2p_assist.transcript.corrections import Correction
from p2p_assist.transcript.markdown import retraction_reason
from p2p_assist.transcript.records import (
    Bookmark,
    CaptureConfirmed,
    CaptureEdit,
    CardRetracted,
    Note,
    Record,
    Utterance,
)
from p2p_assist.transcript.review_lock import ReviewLock
from p2p_assist.ui.dialogs import EditValueDialog, TextDialog, checklist_states
from p2p_assist.ui.review_audio import LEAD_IN, SKIP, ReviewAudio, line_at

TIME_STYLE = "$text-muted"
TAG_STYLE = "bold $text-warning"
SPAN_STYLE = "bold reverse"
NOTE_STYLE = "italic $text-accent"
BOOKMARK_STYLE = "bold $text-accent"
CORRECTED_STYLE = "bold $text-success"
MOMENT_STYLES = {"objection": TAG_STYLE, "bookmark": BOOKMARK_STYLE, "note": NOTE_STYLE}
MOMENT_MARKS = {"objection": "▲", "bookmark": "◆", "note": "✎"}


@dataclass
class CallOpened(Message):
    call: OpenedCall


@dataclass
class CallUnreadable(Message):
    message: str


def utterance_line(
    utterance: Utterance,
    titles: dict[str, str],
    rejected: frozenset[str] = frozenset(),
    heard: Utterance | None = None,
) -> Content:
    """What was said, the words that raised an objection lit, and a tag per objection (struck
    through when the clinician rejected it in review). A line corrected in review is marked
    ✎ and keeps what was heard beside it, dim."""
    body = Content(utterance.text)
    for hit in utterance.objections:
        body = body.stylize(SPAN_STYLE, *hit.span)
    tags = [
        Content.styled(f"  ✗ {titles.get(id_, id_)} (not an objection)", TIME_STYLE)
        if id_ in rejected
        else Content.styled(f"  ▲ {titles.get(id_, id_)}", TAG_STYLE)
        for id_ in objection_ids(utterance)
    ]
    who = Content.styled(f"{SPEAKER_NAMES[utterance.speaker]}: ", "bold")
    if heard is None:
        return Content.assemble(who, body, *tags)
    mark = Content.styled("✎ ", CORRECTED_STYLE)
    was = Content.styled(heard_as(heard, utterance), TIME_STYLE)
    return Content.assemble(mark, who, body, *tags, was)


def heard_as(heard: Utterance, corrected: Utterance) -> str:
    """ "  · heard as Clinician: “the words”" — only what the correction changed."""
    who = f" as {SPEAKER_NAMES[heard.speaker]}" if heard.speaker != corrected.speaker else ""
    words = f": “{heard.text}”" if heard.text != corrected.text else ""
    return f"  · heard{who}{words}"


def record_line(
    record: Record,
    titles: dict[str, str],
    rejected: frozenset[str] = frozenset(),
    heard: Utterance | None = None,
) -> Content:
    if isinstance(record, Utterance):
        return utterance_line(record, titles, rejected, heard)
    if isinstance(record, Note):
        return Content.styled(f"✎ Note: {one_line(record.text)}", NOTE_STYLE)
    if isinstance(record, Bookmark):
        label = f": {one_line(record.label)}" if record.label else ""
        return Content.styled(f"◆ Bookmark{label}", BOOKMARK_STYLE)
    if isinstance(record, CardRetracted):
        text = f"✗ Card withdrawn — {record.objection_id}: {retraction_reason(record)}"
        return Content.styled(text, TIME_STYLE)
    if isinstance(record, CaptureEdit | CaptureConfirmed):
        how = "Recorded by hand" if isinstance(record, CaptureEdit) else "Confirmed"
        field = record.field.replace("_", " ")
        return Content.styled(f"✓ {how} — {field}: {one_line(record.value)}", TIME_STYLE)
    return Content.styled(f"▲ Card shown — {record.objection_id}", TIME_STYLE)


def entry_line(
    entry: Entry,
    titles: dict[str, str],
    rejected: frozenset[str] = frozenset(),
    heard: dict[dt.datetime, Utterance] | None = None,
) -> Content:
    time = Content.styled(f"[{clock(entry.seconds)}] ", TIME_STYLE)
    as_heard = (heard or {}).get(entry.record.t) if isinstance(entry.record, Utterance) else None
    return time + record_line(entry.record, titles, rejected, as_heard)


def moment_label(moment: Moment) -> Content:
    mark = MOMENT_MARKS[moment.kind]
    return Content.styled(
        f"{mark} {clock(moment.seconds)} {moment.text}", MOMENT_STYLES[moment.kind]
    )


READ_ONLY = "another p2p-assist is reviewing this call: it is read-only here"


class ReviewCallScreen(Screen[None]):
    """Read a saved call, and verify it: fix a line's words or speaker, confirm or reject an
    objection, confirm or fix a value, sign the note. Corrections are records of their own
    and the note is rebuilt from them (report/review_edits.py)."""

    TITLE = "p2p-assist review"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "toggle_note", "Note"),
        Binding("t", "fix_words", "Fix"),
        Binding("w", "next_speaker", "Who"),
        Binding("o", "judge(True)", "Obj ✓"),
        Binding("x", "judge(False)", "Obj ✗"),
        Binding("v", "settle_value", "Value"),
        Binding("s", "sign", "Sign"),
        # The footer must fit 80 columns: these are listed under ctrl+p → Keys, and the
        # transcript's lower border says which key plays.
        Binding("space", "play", "Play or stop the audio", show=False),
        Binding("left", f"skip({-SKIP})", f"Audio back {SKIP:.0f} s", show=False),
        Binding("right", f"skip({SKIP})", f"Audio on {SKIP:.0f} s", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (150, "-very-wide")]

    def __init__(self, call_dir: Path, case_id: str, library: Library) -> None:
        super().__init__()
        self.call_dir, self.case_id, self.library = call_dir, case_id, library
        self.jump_lines: list[int] = []
        self.opened: OpenedCall | None = None
        self.review_lock: ReviewLock | None = None
        self.read_only = False
        self.followed: int | None = None  # the line playback last highlighted

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{self.call_dir.name} · reading…"), id="call-title")
        yield Static("", id="banner")
        with Horizontal(id="call-body"):
            yield OptionList(id="transcript")
            with Vertical(id="side"):
                yield OptionList(id="moments")
                with VerticalScroll(id="note"):
                    yield Markdown(id="note-text")
        yield Footer()
        yield ReviewAudio(self.call_dir)

    def on_mount(self) -> None:
        self.query_one("#moments").border_title = "Moments"
        self.query_one("#transcript").border_title = f"Transcript · {self.call_dir.name}"
        self.read()

    def on_unmount(self) -> None:
        if self.review_lock is not None:
            self.review_lock.release()

    @work(thread=True, exclusive=True, name="open call")
    def read(self) -> None:
        if self.review_lock is None and not self.read_only:
            self.review_lock = ReviewLock.try_acquire(self.call_dir)
            self.read_only = self.review_lock is None
        try:
            self.post_message(CallOpened(open_call(self.call_dir, self.library)))
        except UserError as error:
            self.post_message(CallUnreadable(str(error)))

    async def on_call_opened(self, message: CallOpened) -> None:
        call = self.opened = message.call
        titles = short_titles(call.digest)
        heading = call_heading(call.digest, call.status)
        self.query_one("#call-title", Static).update(Content(heading))
        self.show_banner(self.warnings())
        transcript = self.query_one("#transcript", OptionList)
        keep = transcript.highlighted
        transcript.clear_options()
        self.query_one("#moments", OptionList).clear_options()
        rejected = frozenset(r.objection_id for r in call.digest.rejected)
        transcript.add_options(
            [Option(entry_line(entry, titles, rejected, call.heard)) for entry in call.entries]
        )
        if keep is not None and keep < len(call.entries):
            transcript.highlighted = keep
        if not call.entries:
            transcript.add_option(Option("Nothing was transcribed in this call.", disabled=True))
        self.show_moments(moments(call.entries, titles))
        await self.show_note(call.note)
        self.query_one(ReviewAudio).open(call.digest.audio)

    def warnings(self) -> str:
        """The banner: what could not be read, and what cannot be done here."""
        no_sound = self.query_one(ReviewAudio).unavailable
        warnings = [
            banner_text(self.opened.digest) if self.opened else "",
            f"⚠ {READ_ONLY}" if self.read_only else "",
            f"⚠ The audio cannot play: {no_sound}. The transcript still reviews."
            if no_sound
            else "",
        ]
        return "\n".join(w for w in warnings if w)

    def on_call_unreadable(self, message: CallUnreadable) -> None:
        self.show_banner(f"⚠ {message.message}")

    def show_banner(self, text: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Content(text))  # plain: file names and messages may hold brackets
        banner.set_class(bool(text), "shown")

    def show_moments(self, found: list[Moment]) -> None:
        listed = self.query_one("#moments", OptionList)
        self.jump_lines = [moment.line for moment in found]
        listed.add_options([Option(moment_label(moment)) for moment in found])
        if found:
            listed.highlighted = 0
            listed.focus()
        else:
            listed.add_option(Option("No objections, notes or bookmarks.", disabled=True))
            self.query_one("#transcript").focus()

    async def show_note(self, note: tuple[str, str] | None) -> None:
        if note is None:
            name = "no note"
            text = f"*No note yet — run `p2p-assist note {self.case_id} {self.call_dir.name}`.*"
        else:
            name, text = note
        self.query_one("#note").border_title = name
        await self.query_one("#note-text", Markdown).update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "moments":
            self.jump_to(self.jump_lines[event.option_index])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(ReviewAudio).forget_cue()  # a start moved by ←/→ is for that line only

    def jump_to(self, line: int) -> None:
        """Highlight the line and bring it to the top, so what followed is in view below it."""
        transcript = self.query_one("#transcript", OptionList)
        transcript.highlighted = line
        transcript.scroll_to_highlight(top=True)

    # -- listening: the call's audio from a line or moment, the highlight following -------

    def action_play(self) -> None:
        """Play from the highlighted line (or moment, when the moments have the focus), or
        stop."""
        audio = self.query_one(ReviewAudio)
        line = self._here()
        moved = line != self.query_one("#transcript", OptionList).highlighted
        if not audio.playing and line is not None and moved:
            self.jump_to(line)  # from a moment: the transcript shows where it plays
        if audio.toggle(self._time_of(line)) and audio.playing:
            self.followed = line

    def action_skip(self, seconds: float) -> None:
        self.query_one(ReviewAudio).skip(seconds, self._time_of(self._here()))

    def _here(self) -> int | None:
        """The transcript line play starts from: the chosen moment's, when the moments list
        has the focus, else the highlighted line."""
        moments_list = self.query_one("#moments", OptionList)
        index = moments_list.highlighted
        if self.focused is moments_list and index is not None and index < len(self.jump_lines):
            return self.jump_lines[index]
        return self.query_one("#transcript", OptionList).highlighted

    def _time_of(self, line: int | None) -> float | None:
        if self.opened is None or line is None or line >= len(self.opened.entries):
            return None
        return self.opened.entries[line].seconds

    def on_review_audio_heard(self, message: ReviewAudio.Heard) -> None:
        transcript = self.query_one("#transcript", OptionList)
        transcript.border_subtitle = message.label
        if message.seconds is None or self.opened is None:
            return
        if transcript.highlighted != self.followed:
            return  # the clinician moved the highlight: leave it where they put it
        times = [entry.seconds for entry in self.opened.entries]
        line = line_at(times, message.seconds + LEAD_IN)
        if line is not None and line != transcript.highlighted:
            transcript.highlighted = line
        self.followed = transcript.highlighted

    def on_review_audio_unavailable(self, message: ReviewAudio.Unavailable) -> None:
        self.show_banner(self.warnings())

    # -- verifying: each correction is saved, then the note rebuilt, in a worker ---------

    def _line(self) -> Utterance | None:
        """The highlighted transcript line, when it is something said."""
        index = self.query_one("#transcript", OptionList).highlighted
        if self.opened is None or index is None or index >= len(self.opened.entries):
            return None
        record = self.opened.entries[index].record
        return record if isinstance(record, Utterance) else None

    def _writable(self) -> bool:
        if self.read_only:
            self.notify(READ_ONLY, severity="warning")
        elif self.opened is not None and self.opened.status.signature is not None:
            self.notify("The note is signed: it is final.", severity="warning")
        else:
            return True
        return False

    def action_fix_words(self) -> None:
        line = self._line()
        if line is None or not self._writable():
            return

        def save(text: str | None) -> None:
            if text:
                self.correct(fix_words(line, text))

        self.app.push_screen(TextDialog("The words as they were said", line.text), save)

    def action_next_speaker(self) -> None:
        line = self._line()
        if line is not None and self._writable():
            self.correct(next_speaker(line))

    def action_judge(self, made: bool) -> None:
        line = self._line()
        if line is None or not self._writable():
            return
        ids = objection_ids(line)
        if not ids:
            self.notify("This line raised no objection.")
            return
        self.correct(judge(ids[0], made))

    def action_settle_value(self) -> None:
        if self.opened is None or not self._writable():
            return
        values = self.opened.digest.values
        items = [(item.id, item.label) for item in self.library.documentation.items]

        def save(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                field, value = choice
                held = values.get(field)
                self.correct(settle(field, value, heard=held is not None and held.value == value))

        self.app.push_screen(EditValueDialog(items, checklist_states(values)), save)

    def action_sign(self) -> None:
        if not self._writable():
            return

        def save(name: str | None) -> None:
            if name:
                self.sign(name)

        self.app.push_screen(TextDialog("Sign the note as (your name)", getpass.getuser()), save)

    @work(thread=True, exclusive=True, exit_on_error=False, name="correct")
    def correct(self, correction: Correction) -> None:
        cases_dir = self.call_dir.parent.parent.parent
        try:
            case: Case | None = load_case(cases_dir, self.case_id)
        except UserError:
            case = None  # the note is rebuilt without the case's facts
        try:
            apply_correction(self.call_dir, correction, case, self.library)
        except UserError as error:
            self.app.call_from_thread(self.show_banner, f"⚠ {error}")
            return
        self.app.call_from_thread(self.read)

    @work(thread=True, exclusive=True, exit_on_error=False, name="sign")
    def sign(self, name: str) -> None:
        try:
            sign_note(self.call_dir, name)
        except UserError as error:
            self.app.call_from_thread(self.show_banner, f"⚠ {error}")
            return
        self.app.call_from_thread(self.read)

    def action_toggle_note(self) -> None:
        self.toggle_class("-note-toggled")
