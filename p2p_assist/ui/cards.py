"""Objection cards: newest on top, earlier ones collapsed, pinned ones kept open.

A card says what to say: one line to say as it is, then at most three one-line facts from
the case (cut with an ellipsis rather than wrapped, so they stay glanceable at 80 columns),
then the question to ask. Raising the same objection again bumps its card to the top; a card
the whole sentence did not bear out stays, marked withdrawn.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from p2p_assist.library.cards import Card

WITHDRAWN = "withdrawn — the whole sentence did not say this"


def title_line(card: Card, times: int, withdrawn: bool) -> Content:
    if withdrawn:
        return Content.assemble(
            Content.styled(card.title, "strike dim"), Content.styled(f"  {WITHDRAWN}", "italic")
        )
    title = Content.styled(card.title, "bold")
    return title + Content.styled(f"  ×{times}", "bold $warning") if times > 1 else title


class ObjectionCard(Vertical, can_focus=True):
    DEFAULT_CSS = """
    ObjectionCard { border: round $accent; padding: 0 1; margin-bottom: 1; height: auto; }
    ObjectionCard.collapsed { border: round $panel-lighten-2; color: $text-muted; }
    ObjectionCard.withdrawn { border: round $panel-lighten-2; color: $text-muted; }
    ObjectionCard.pinned { border: double $warning; }
    ObjectionCard:focus { border: round $success; }
    ObjectionCard > Static { height: auto; }
    ObjectionCard > .say { text-style: bold; color: $text; }
    ObjectionCard > .fact { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ObjectionCard > .more { color: $text-muted; }
    ObjectionCard > .missing { color: $error; text-style: bold; }
    ObjectionCard.collapsed > .body { display: none; }
    ObjectionCard.withdrawn > .body { display: none; }
    """

    def __init__(self, card: Card) -> None:
        super().__init__(id=f"card-{card.objection_id}")
        self.card = card
        self.times = 1
        self.pinned = False
        self.withdrawn = False

    def compose(self) -> ComposeResult:
        yield Static(classes="title")
        yield from self._body()

    def _body(self) -> list[Static]:
        card = self.card
        body = [Static(Content(card.say), classes="body say")]
        body += [Static(Content(f"• {fact}"), classes="body fact") for fact in card.bullets]
        if card.more:
            body.append(Static(Content(f"  +{card.more} more in the brief"), classes="body more"))
        if card.route:
            body.append(Static(Content(f"→ {card.route}"), classes="body route"))
        if card.questions:
            ask = Content.styled("Ask: ", "bold") + Content(card.questions[0])
            body.append(Static(ask, classes="body ask"))
        if card.missing:
            missing = "Missing: " + "; ".join(card.missing)
            body.append(Static(Content(missing), classes="body missing"))
        return body

    def on_mount(self) -> None:
        self.refresh_text()

    @property
    def expanded(self) -> bool:
        return (self.pinned or not self.has_class("collapsed")) and not self.withdrawn

    def refresh_text(self) -> None:
        self.query_one(".title", Static).update(title_line(self.card, self.times, self.withdrawn))

    async def replace_card(self, card: Card) -> None:
        """The same objection raised again: its facts may have been filled in since."""
        if card == self.card:
            return
        self.card = card
        await self.query(".body").remove()
        await self.mount_all(self._body())


class CardStack(VerticalScroll):
    DEFAULT_CSS = "CardStack { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Static("Cards appear here when the reviewer raises an objection.", id="no-cards")

    async def raise_card(self, card: Card, times: int) -> ObjectionCard:
        self.query("#no-cards").remove()
        existing = self.query(f"#card-{card.objection_id}")
        widget = existing.first(ObjectionCard) if existing else ObjectionCard(card)
        widget.times = max(times, widget.times)
        widget.withdrawn = False
        widget.remove_class("withdrawn")
        for other in self.query(ObjectionCard):
            if other is not widget and not other.pinned:
                other.add_class("collapsed")
                other.refresh_text()
        widget.remove_class("collapsed")
        if existing:
            await widget.replace_card(card)
            self.move_child(widget, before=0)
        else:
            await self.mount(widget, before=0)
        widget.refresh_text()
        self.scroll_home(animate=False)
        return widget

    def withdraw(self, objection_id: str, still_standing: int = 0) -> None:
        """A repeat taken back: the card counts one fewer raise. The only raise taken back:
        the card stays, marked withdrawn and out of the way, since the clinician saw it."""
        for card in self.query(f"#card-{objection_id}").results(ObjectionCard):
            if still_standing > 0:
                card.times = still_standing
            else:
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
