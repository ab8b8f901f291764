"""The transcript pane: finals with times, the current partial dimmed, objection phrases lit.

Finals go to a RichLog capped at MAX_LINES (a two-hour call stays light); it follows
the live end only while the user has not scrolled back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import RichLog, Static

from p2p_assist.basics.formatting import clock
from p2p_assist.session.events import UtteranceHeard

MAX_LINES = 2000


SPEAKERS = {"reviewer": ("Reviewer", "bold"), "clinician": ("You", "bold magenta")}


def utterance_line(event: UtteranceHeard) -> Text:
    """mm:ss, who spoke (a dim "?" when the speaker is not known), what was said with the
    words that raised a card lit, and ▲ at the end of a line that raised one."""
    who, style = SPEAKERS.get(event.speaker or "", ("?", "dim"))
    line = Text(f"{clock(event.start)} ", style="dim")
    line.append(f"{who}: ", style=style)
    body = Text(event.text)
    for hit in event.objections:
        body.stylize("bold reverse", *hit.span)
    line += body
    if event.objections:
        line.append("  ▲", style="bold yellow")
    return line


class TranscriptLog(RichLog):
    """Follows the live end until the user scrolls back; scrolling to the end resumes it.

    Following is a state, not a position check: finals can arrive faster than the log
    repaints, and a position check would then see "not at the end" and stop following.
    """

    follow = True

    def on_mouse_scroll_up(self) -> None:
        self.follow = False

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self._resume_at_end)

    def action_scroll_up(self) -> None:
        self.follow = False
        super().action_scroll_up()

    def action_page_up(self) -> None:
        self.follow = False
        super().action_page_up()

    def action_scroll_home(self) -> None:
        self.follow = False
        super().action_scroll_home()

    def action_scroll_end(self) -> None:
        self.follow = True
        super().action_scroll_end()

    def _resume_at_end(self) -> None:
        if self.is_vertical_scroll_end:
            self.follow = True

    def on_resize(self, event: Resize) -> None:
        """The partial line below grows and shrinks the log; a following log keeps its last
        line in view through that, as it does when a line is added."""
        super().on_resize(event)
        if self.follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)


class TranscriptPane(Vertical):
    DEFAULT_CSS = """
    TranscriptPane { height: 1fr; }
    TranscriptPane RichLog { height: 1fr; scrollbar-size-vertical: 1; }
    TranscriptPane #partial { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield TranscriptLog(
            max_lines=MAX_LINES, wrap=True, min_width=20, auto_scroll=False, id="finals"
        )
        yield Static("", id="partial")

    def add_final(self, event: UtteranceHeard) -> None:
        log = self.query_one(TranscriptLog)
        log.write(utterance_line(event), scroll_end=log.follow)
        self.query_one("#partial", Static).update("")

    def show_partial(self, text: str) -> None:
        self.query_one("#partial", Static).update(Text(f"… {text}", style="italic"))

    @property
    def lines(self) -> list[str]:
        return [strip.text for strip in self.query_one(RichLog).lines]
