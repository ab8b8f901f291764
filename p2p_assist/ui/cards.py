"""Objection cards: newest on top, earlier ones collapsed, pinned ones kept open.

Raising the same objection again bumps its card to the top instead of adding one.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from p2p_assist.library.cards import Card

POINT_CHARS = 190  # about three lines of the card: read at a glance, the rest is in the brief


def glance(point: str) -> str:
    flat = " ".join(point.split())
    return flat if len(flat) <= POINT_CHARS else flat[: POINT_CHARS - 1].rsplit(" ", 1)[0] + " …"


WITHDRAWN = "withdrawn — the whole sentence did not say this"


def card_text(card: Card, times: int, expanded: bool, withdrawn: bool = False) -> Text:
    text = Text()
    if withdrawn:
        text.append(card.title, style="strike dim")
        text.append(f"  {WITHDRAWN}", style="italic")
        return text
    text.append(card.title, style="bold")
    if times > 1:
        text.append(f"  ×{times}", style="bold yellow")
    if not expanded:
        return text
    for point in card.points[:3]:
        text.append("\n• ")
        text.append(glance(point))
    if card.route:
        text.append(f"\n→ {card.route}", style="italic")
    if card.questions:
        text.append("\nAsk: ", style="bold")
        text.append(card.questions[0])
    if card.missing:
        text.append("\nMissing: " + "; ".join(card.missing), style="bold red")
    return text


class ObjectionCard(Static, can_focus=True):
    DEFAULT_CSS = """
    ObjectionCard { border: round $accent; padding: 0 1; margin-bottom: 1; height: auto; }
    ObjectionCard.collapsed { border: round $panel-lighten-2; color: $text-muted; }
    ObjectionCard.pinned { border: double $warning; }
    ObjectionCard.withdrawn { border: round $panel-lighten-2; color: $text-muted; }
    ObjectionCard:focus { border: round $success; }
    """

    def __init__(self, card: Card) -> None:
        super().__init__(id=f"card-{card.objection_id}")
        self.card = card
        self.times = 1
        self.pinned = False
        self.withdrawn = False

    def on_mount(self) -> None:
        self.refresh_text()

    @property
    def expanded(self) -> bool:
        return self.pinned or not self.has_class("collapsed")

    def refresh_text(self) -> None:
        self.update(card_text(self.card, self.times, self.expanded, self.withdrawn))


class CardStack(VerticalScroll):
    DEFAULT_CSS = "CardStack { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Static("Cards appear here when the reviewer raises an objection.", id="no-cards")

    def raise_card(self, card: Card, times: int) -> ObjectionCard:
        self.query("#no-cards").remove()
        existing = self.query(f"#card-{card.objection_id}")
        widget = existing.first(ObjectionCard) if existing else ObjectionCard(card)
        widget.card, widget.times = card, max(times, widget.times)
        widget.withdrawn = False
        widget.remove_class("withdrawn")
        for other in self.query(ObjectionCard):
            if other is not widget and not other.pinned:
                other.add_class("collapsed")
                other.refresh_text()
        widget.remove_class("collapsed")
        if existing:
            self.move_child(widget, before=0)
        else:
            self.mount(widget, before=0)
        widget.refresh_text()
        self.scroll_home(animate=False)
        return widget

    def withdraw(self, objection_id: str) -> None:
        """Keep the card, marked withdrawn and out of the way: the clinician saw it."""
        for card in self.query(f"#card-{objection_id}").results(ObjectionCard):
            card.withdrawn = True
            card.add_class("withdrawn", "collapsed")
            card.refresh_text()

    def cards(self) -> list[ObjectionCard]:
        return list(self.query(ObjectionCard))

    def target(self) -> ObjectionCard | None:
        """The focused card, else the newest."""
        focused = self.app.focused
        if isinstance(focused, ObjectionCard):
            return focused
        cards = self.cards()
        return cards[0] if cards else None
