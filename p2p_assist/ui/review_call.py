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
from p2p_assist.report.digest import CallDigest, digest_record
from p2p_assist.report.notefile import note_versions, without_signature
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    Note,
    Record,
    Utterance,
    seconds_into_call,
)
from p2p_assist.ui.review_list import (
    duration_label,
    outcome_label,
    short_title,
    started_label,
    status_label,
)

TIME_STYLE = "$text-muted"
TAG_STYLE = "bold $text-warning"
SPAN_STYLE = "bold reverse"
NOTE_STYLE = "italic $text-accent"
BOOKMARK_STYLE = "bold $text-accent"
MOMENT_TEXT = 40
_UNFINISHED = {
    "in_progress": "this call was never closed (the app stopped, or is still recording it)",
    "recovered": "this call was recovered after the app stopped unexpectedly",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the transcript as shown: an utterance, note, bookmark or hand correction."""

    seconds: float | None
    record: Record


@dataclass(frozen=True)
class OpenedCall:
    digest: CallDigest
    entries: list[Entry]
    note: tuple[str, str] | None


@dataclass
class CallOpened(Message):
    call: OpenedCall


@dataclass
class CallUnreadable(Message):
    message: str


def record_seconds(record: Record, meta: CallMeta | None) -> float | None:
    return seconds_into_call(record, meta.started if meta else None)


def timeline(records: list[Record], meta: CallMeta | None) -> list[Entry]:
    """Records in time order; one with no known time stays after the record before it."""
    keyed: list[tuple[float, Entry]] = []
    last = 0.0
    for record in records:
        seconds = record_seconds(record, meta)
        last = last if seconds is None else seconds
        keyed.append((last, Entry(seconds, record)))
    return [entry for _, entry in sorted(keyed, key=lambda pair: pair[0])]


def read_note(call_dir: Path) -> tuple[str, str] | None:
    """The newest note (name, markdown) without its signature line; None if there is none."""
    versions = note_versions(call_dir)
    if not versions:
        return None
    try:
        text = versions[-1].read_text(errors="replace")
    except OSError as error:
        text = f"*Cannot read {versions[-1].name}: {error.strerror}.*"
    return versions[-1].name, without_signature(text)


def open_call(call_dir: Path, library: Library) -> OpenedCall:
    call = read_call(call_dir)
    return OpenedCall(
        digest_record(call_dir, call, library),
        timeline(call.records, call.meta),
        read_note(call_dir),
    )


def short_titles(digest: CallDigest) -> dict[str, str]:
    return {
        raised.objection_id: short_title(raised.objection_id, raised.title)
        for raised in digest.raised
    }


def objection_ids(utterance: Utterance) -> list[str]:
    return list(dict.fromkeys(hit.id for hit in utterance.objections))


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
    field = record.field.replace("_", " ")
    return Content.styled(f"✓ Recorded by hand — {field}: {one_line(record.value)}", TIME_STYLE)


def entry_line(entry: Entry, titles: dict[str, str]) -> Content:
    return Content.styled(f"[{clock(entry.seconds)}] ", TIME_STYLE) + record_line(
        entry.record, titles
    )


@dataclass(frozen=True, slots=True)
class Jump:
    """A moment in the side list and the transcript line it jumps to."""

    line: int
    label: Content


def _clipped(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= MOMENT_TEXT else text[: MOMENT_TEXT - 1] + "…"


def jumps(entries: list[Entry], titles: dict[str, str]) -> list[Jump]:
    """Each objection where it was first raised, every bookmark and every note, in time order."""
    found: list[Jump] = []
    seen: set[str] = set()
    for line, entry in enumerate(entries):
        at = f"{clock(entry.seconds)} "
        record = entry.record
        if isinstance(record, Utterance):
            for id_ in objection_ids(record):
                if id_ not in seen:
                    seen.add(id_)
                    label = Content.styled(f"▲ {at}{titles.get(id_, id_)}", TAG_STYLE)
                    found.append(Jump(line, label))
        elif isinstance(record, Bookmark):
            text = _clipped(record.label) or "Bookmark"
            found.append(Jump(line, Content.styled(f"◆ {at}{text}", BOOKMARK_STYLE)))
        elif isinstance(record, Note):
            found.append(Jump(line, Content.styled(f"✎ {at}{_clipped(record.text)}", NOTE_STYLE)))
    return found


def call_heading(digest: CallDigest) -> str:
    meta = digest.meta
    parts = [
        started_label(meta, digest.call_dir),
        meta.kind if meta else "kind ?",
        duration_label(digest),
        status_label(digest),
        f"outcome: {outcome_label(digest)}",
    ]
    return " · ".join(parts)


def banner_text(digest: CallDigest) -> str:
    lines = []
    if digest.meta is not None and digest.meta.status in _UNFINISHED:
        lines.append(
            f"⚠ {_UNFINISHED[digest.meta.status].capitalize()}: the record may stop mid-sentence."
        )
    if digest.problems:
        lines.append("⚠ Parts of this call could not be read: " + "; ".join(digest.problems))
    return "\n".join(lines)


class CallScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back to calls"),
        Binding("n", "toggle_note", "Note"),
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
        self.show_jumps(jumps(call.entries, titles))
        await self.show_note(call.note)

    def on_call_unreadable(self, message: CallUnreadable) -> None:
        self.show_banner(f"⚠ {message.message}")

    def show_banner(self, text: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Content(text))  # plain: file names and messages may hold brackets
        banner.set_class(bool(text), "shown")

    def show_jumps(self, found: list[Jump]) -> None:
        moments = self.query_one("#moments", OptionList)
        self.jump_lines = [jump.line for jump in found]
        moments.add_options([Option(jump.label) for jump in found])
        if found:
            moments.highlighted = 0
            moments.focus()
        else:
            moments.add_option(Option("No objections, notes or bookmarks.", disabled=True))
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
