"""`p2p-assist review CASE`: look back at a case's saved calls, away from the call itself.

Two screens: the list of calls, and one call opened (transcript, moments, note). The app
only routes between them; each screen reads the disk in its own worker. Built from a cases
folder, a case id and a loaded library, so the CLI and the tests construct it the same way.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from p2p_assist.library.load import Library
from p2p_assist.ui.review_call import CallScreen
from p2p_assist.ui.review_list import CallListScreen, OpenCall


class ReviewApp(App[None]):
    CSS_PATH = "review.tcss"
    TITLE = "p2p-assist review"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, cases_dir: Path, case_id: str, library: Library) -> None:
        super().__init__()
        self.cases_dir, self.case_id, self.library = cases_dir, case_id, library

    def get_default_screen(self) -> Screen[None]:
        return CallListScreen(self.cases_dir, self.case_id, self.library)

    def on_open_call(self, message: OpenCall) -> None:
        self.push_screen(CallScreen(message.call_dir, self.case_id, self.library))
