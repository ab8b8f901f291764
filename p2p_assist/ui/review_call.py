"""One saved call opened for review: its transcript with times and objection markers, the
moments worth going back to, and the call note beside it.

The transcript is an OptionList rather than a log: lines render lazily (a two-hour call
stays light), and "jump to this moment" is simply moving its highlight, which scrolls the
line into view. Reading the call happens in a thread worker, as on the list screen.
Whatever read_call could not read is named in a banner; the rest is still shown.
"""

from __future__ import annotations

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

TIME_STYLE = "$text-muted"
TAG_STYLE = "bold $text-warning"
SPAN_STYLE = "bold reverse"
NOTE_STYLE = "italic $text-accent"
BOOKMARK_STYLE = "bold $text-accent"
MOMENT_STYLES = {"objection": TAG_STYLE, "bookmark": BOOKMARK_STYLE, "note": NOTE_STYLE}
MOMENT_MARKS = {"objection": "▲", "bookmark": "◆", "note": "✎"}


@dataclass
class CallOpened(Message):
    call: OpenedCall


@dataclass
class CallUnreadable(Message):
    message: str


def utterance_line(utterance: Utterance, titles: dict[str, str]) -> Content:
    """What was said, the words that raised an objection lit, and a tag per objection."""
    body = Content(utterance.text)
    for hit in utterance.objections:
        body = body.stylize(SPAN_STYLE, *hit.span)
    tags = [
        Content.styled(f"  ▲ {titles.get(id_, id_)}", TAG_STYLE) for id_ in objection_ids(utterance)
    ]
    who = Content.styled(f"{SPEAKER_NAMES[utterance.speaker]}: ", "bold")
    return Content.assemble(who, body, *tags)


def record_line(record: Record, titles: dict[str, str]) -> Content:
    if isinstance(record, Utterance):
        return utterance_line(record, titles)
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


def entry_line(entry: Entry, titles: dict[str, str]) -> Content:
    return Content.styled(f"[{clock(entry.seconds)}] ", TIME_STYLE) + record_line(
        entry.record, titles
    )


def moment_label(moment: Moment) -> Content:
    mark = MOMENT_MARKS[moment.kind]
    return Content.styled(
        f"{mark} {clock(moment.seconds)} {moment.text}", MOMENT_STYLES[moment.kind]
    )


class ReviewCallScreen(Screen[None]):
    TITLE = "p2p-assist review"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to calls"),
        Binding("n", "toggle_note", "Note"),
        Binding("q", "app.quit", "Quit"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (150, "-very-wide")]

    def __init__(self, call_dir: Path, case_id: str, library: Library) -> None:
        super().__init__()
        self.call_dir, self.case_id, self.library = call_dir, case_id, library
        self.jump_lines: list[int] = []

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

    def on_mount(self) -> None:
        self.query_one("#moments").border_title = "Moments"
        self.query_one("#transcript").border_title = f"Transcript · {self.call_dir.name}"
        self.read()

    @work(thread=True, exclusive=True, name="open call")
    def read(self) -> None:
        try:
            self.post_message(CallOpened(open_call(self.call_dir, self.library)))
        except UserError as error:
            self.post_message(CallUnreadable(str(error)))

    async def on_call_opened(self, message: CallOpened) -> None:
        call = message.call
        titles = short_titles(call.digest)
        self.query_one("#call-title", Static).update(Content(call_heading(call.digest)))
        self.show_banner(banner_text(call.digest))
        transcript = self.query_one("#transcript", OptionList)
        transcript.add_options([Option(entry_line(entry, titles)) for entry in call.entries])
        if not call.entries:
            transcript.add_option(Option("Nothing was transcribed in this call.", disabled=True))
        self.show_moments(moments(call.entries, titles))
        await self.show_note(call.note)

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

    def jump_to(self, line: int) -> None:
        """Highlight the line and bring it to the top, so what followed is in view below it."""
        transcript = self.query_one("#transcript", OptionList)
        transcript.highlighted = line
        transcript.scroll_to_highlight(top=True)

    def action_toggle_note(self) -> None:
        self.toggle_class("-note-toggled")
