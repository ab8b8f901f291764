"""The one Textual App and the one factory that builds it, shared by the CLI, the tests and the
benches (as posting does): what the app opens on is a small typed request.

The app only routes between screens: the live call (or the case picker in front of it), the
review of saved calls, and the practice history. Each screen carries its own stylesheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import App
from textual.screen import Screen

from p2p_assist.basics.errors import UserError
from p2p_assist.library.load import Library
from p2p_assist.report.scores import PracticeScore
from p2p_assist.session.call import CallSession
from p2p_assist.ui.call_screen import CallContext, LiveCallScreen
from p2p_assist.ui.history import HistoryScreen
from p2p_assist.ui.picker import CasePicked, CasePickerScreen
from p2p_assist.ui.review_call import ReviewCallScreen
from p2p_assist.ui.review_list import CallListScreen, OpenCall


@dataclass(frozen=True)
class LiveCall:
    """Open the call screen on a session that is ready to start."""

    session: CallSession
    context: CallContext


@dataclass(frozen=True)
class PickCase:
    """Pick a case first; `start_call` then builds its session (off the UI thread: it loads
    the recogniser). A UserError from it ends the app with that error in `P2PApp.error`."""

    rows: list[tuple[str, str]]
    start_call: Callable[[str], LiveCall]


@dataclass(frozen=True)
class Review:
    cases_dir: Path
    case_id: str
    library: Library


@dataclass(frozen=True)
class History:
    case_id: str
    runs: list[PracticeScore]
    answers: list[str] | None = None  # each run's answer score


Opening = LiveCall | PickCase | Review | History


class P2PApp(App[None]):
    TITLE = "p2p-assist"
    CSS_PATH = ["call.tcss", "dialogs.tcss", "picker.tcss", "review.tcss", "history.tcss"]

    def __init__(self, opening: Opening) -> None:
        super().__init__()
        self.opening = opening
        self.error: UserError | None = None
        self.title = _FIRST_SCREEN[type(opening)].TITLE or self.TITLE  # the terminal's title

    def get_default_screen(self) -> Screen[None]:
        opening = self.opening
        if isinstance(opening, LiveCall):
            return LiveCallScreen(opening.session, opening.context)
        if isinstance(opening, PickCase):
            return CasePickerScreen(opening.rows)
        if isinstance(opening, Review):
            return CallListScreen(opening.cases_dir, opening.case_id, opening.library)
        return HistoryScreen(opening.case_id, opening.runs, opening.answers)

    @property
    def call_screen(self) -> LiveCallScreen | None:
        """The live call screen, once there is one (the tests and benches read it)."""
        for screen in self.screen_stack:
            if isinstance(screen, LiveCallScreen):
                return screen
        return None

    def on_case_picked(self, message: CasePicked) -> None:
        self.open_picked(message.case_id)

    @work(thread=True, exclusive=True, exit_on_error=False, name="open call")
    def open_picked(self, case_id: str) -> None:
        if not isinstance(self.opening, PickCase):
            return
        try:
            call = self.opening.start_call(case_id)
        except UserError as error:
            self.error = error
            self.call_from_thread(self.exit)
            return
        self.call_from_thread(self.push_screen, LiveCallScreen(call.session, call.context))

    def on_open_call(self, message: OpenCall) -> None:
        if isinstance(self.opening, Review):
            review = self.opening
            self.push_screen(ReviewCallScreen(message.call_dir, review.case_id, review.library))


_FIRST_SCREEN: dict[type, type[Screen[None]]] = {
    LiveCall: LiveCallScreen,
    PickCase: CasePickerScreen,
    Review: CallListScreen,
    History: HistoryScreen,
}


def make_app(opening: Opening) -> P2PApp:
    return P2PApp(opening)
