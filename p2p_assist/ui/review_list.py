"""The first review screen: every saved call of a case, newest first, one row each.

Digesting a call reads its whole transcript, and a case can hold a hundred long calls, so
the rows are built in a thread worker that posts one message per call: the table fills in
as they are read and the screen never waits on the disk. A call whose files are damaged
still gets its row, with "?" for what could not be read, and still opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from p2p_assist.basics.errors import UserError
from p2p_assist.library.load import Library
from p2p_assist.report.call_view import (
    duration_label,
    objections_label,
    outcome_label,
    started_label,
    status_label,
)
from p2p_assist.report.digest import CallDigest, digest_call
from p2p_assist.transcript.reader import list_calls

COLUMNS = ("When", "Kind", "Length", "Status", "Outcome", "Objections")
WARNING = "bold red"


def call_cells(digest: CallDigest) -> tuple[Text, ...]:
    """A row of the table; Text, not str, so brackets in what was said are not markup."""
    status = status_label(digest)
    return (
        Text(started_label(digest.meta, digest.call_dir)),
        Text(digest.meta.kind if digest.meta else "?"),
        Text(duration_label(digest), justify="right"),
        Text(status, style=WARNING if status.startswith("⚠") else ""),
        Text(outcome_label(digest)),
        Text(objections_label(digest)),
    )


@dataclass
class CallRead(Message):
    """One call digested by the loader, ready to become a row."""

    call_dir: Path
    cells: tuple[Text, ...]


@dataclass
class CallsListed(Message):
    """How many calls the case has; sent before the first row."""

    count: int


@dataclass
class CallsUnreadable(Message):
    message: str


@dataclass
class OpenCall(Message):
    """The user picked a call; the app opens it."""

    call_dir: Path


class CallListScreen(Screen[None]):
    TITLE = "p2p-assist review"
    BINDINGS = [
        Binding("enter", "open_call", "Open call", priority=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, cases_dir: Path, case_id: str, library: Library) -> None:
        super().__init__()
        self.cases_dir, self.case_id, self.library = cases_dir, case_id, library
        self.call_dirs: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(f"Case {self.case_id} · reading its saved calls…"), id="list-title")
        table: DataTable[Text] = DataTable(id="calls", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="empty")
        yield Footer()

    def on_mount(self) -> None:
        self.read_calls()

    @work(thread=True, exclusive=True, name="read calls")
    def read_calls(self) -> None:
        worker = get_current_worker()
        try:
            calls = list_calls(self.cases_dir, self.case_id)
        except UserError as error:
            self.post_message(CallsUnreadable(str(error)))
            return
        self.post_message(CallsListed(len(calls)))
        for call_dir in calls:
            if worker.is_cancelled:
                return
            try:
                digest = digest_call(call_dir, self.library)
            except UserError:
                continue  # the folder went away since it was listed
            self.post_message(CallRead(call_dir, call_cells(digest)))

    def on_calls_listed(self, message: CallsListed) -> None:
        if message.count == 0:
            self._show_empty(
                f"No saved calls for {self.case_id} yet.\n\n"
                f"Rehearse on the mock call:   p2p-assist practice {self.case_id}\n"
                f"Take a live call:            p2p-assist call {self.case_id}\n\n"
                "Each call is saved in the case's calls/ folder and listed here."
            )
            return
        plural = "call" if message.count == 1 else "calls"
        self.query_one("#list-title", Static).update(
            Content(f"Case {self.case_id} · {message.count} saved {plural}, newest first")
        )

    def on_call_read(self, message: CallRead) -> None:
        self.call_dirs.append(message.call_dir)
        self.query_one(DataTable).add_row(*message.cells, key=str(message.call_dir))
        if len(self.call_dirs) == 1:
            self.refresh_bindings()

    def on_calls_unreadable(self, message: CallsUnreadable) -> None:
        self._show_empty(f"⚠ {message.message}")

    def _show_empty(self, text: str) -> None:
        self.query_one(DataTable).display = False
        self.query_one("#list-title", Static).update(Content(f"Case {self.case_id}"))
        empty = self.query_one("#empty", Static)
        empty.update(Content(text))  # plain: an error message may hold brackets
        empty.add_class("shown")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenCall(Path(event.row_key.value)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Open call" only once there is a call to open."""
        return bool(self.call_dirs) if action == "open_call" else True

    def action_open_call(self) -> None:
        self.query_one(DataTable).action_select_cursor()
