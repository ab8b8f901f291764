"""What to request and record on the call, as the session knows it: each value heard (with how
sure, and the words it came from) and whether the clinician has confirmed it.

A value heard is never taken as done: recognisers mishear names and drop digits, so it stays
"heard — confirm" until the clinician confirms it with a key or types it. A later value for
the same item does not overwrite an earlier one: both are kept, and the clinician picks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from p2p_assist.library.model import Documentation
from p2p_assist.matching.captures import LOW_CONFIDENCE, Capture

MENTIONED = "mentioned"  # an item addressed without a value to capture


@dataclass(frozen=True, slots=True)
class HeardValue:
    value: str
    confidence: float
    heard: str  # the words it came from
    stream_time: float


@dataclass(frozen=True, slots=True)
class ItemState:
    candidates: tuple[HeardValue, ...] = ()  # each distinct value heard, oldest first
    confirmed: str | None = None  # by the clinician: a key, or typed

    @property
    def value(self) -> str | None:
        """What to show: the confirmed value, else the newest heard."""
        if self.confirmed is not None:
            return self.confirmed
        return self.candidates[-1].value if self.candidates else None

    @property
    def newest(self) -> HeardValue | None:
        return self.candidates[-1] if self.candidates else None

    @property
    def values_heard(self) -> list[str]:
        """The distinct real values heard (a bare mention is not one)."""
        return [c.value for c in self.candidates if c.value != MENTIONED]

    @property
    def needs_read_back(self) -> bool:
        """Unconfirmed, and what was heard last is doubtful: ask for it again."""
        newest = self.newest
        return self.confirmed is None and newest is not None and newest.confidence < LOW_CONFIDENCE

    @property
    def conflicting(self) -> bool:
        """Unconfirmed, and two different values were heard: the clinician must pick."""
        return self.confirmed is None and len(self.values_heard) > 1


@dataclass
class SessionChecklist:
    """Thread-safe: the recognition threads add what they hear, the screen confirms."""

    items: dict[str, ItemState] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def for_documentation(cls, documentation: Documentation) -> SessionChecklist:
        return cls({item.id: ItemState() for item in documentation.items})

    def hear(self, captures: list[Capture], stream_time: float) -> bool:
        """Add what a line said; True when anything changed."""
        changed = False
        with self._lock:
            for capture in captures:
                state = self.items.get(capture.field, ItemState())
                if any(c.value == capture.value for c in state.candidates):
                    continue
                if capture.value == MENTIONED and state.candidates:
                    continue  # a bare mention adds nothing to a value already heard
                heard = HeardValue(capture.value, capture.confidence, capture.heard, stream_time)
                self.items[capture.field] = replace(state, candidates=(*state.candidates, heard))
                changed = True
        return changed

    def confirm(self, field_id: str, value: str | None = None) -> str | None:
        """Confirm `value` (typed), or the newest value heard; the value now confirmed."""
        with self._lock:
            state = self.items.get(field_id, ItemState())
            chosen = value if value is not None else (state.newest.value if state.newest else None)
            if chosen is None or chosen == MENTIONED:
                return None
            self.items[field_id] = replace(state, confirmed=chosen)
            return chosen

    def snapshot(self) -> dict[str, ItemState]:
        with self._lock:
            return dict(self.items)

    def next_to_confirm(self) -> str | None:
        """The item whose unconfirmed value was heard most recently."""
        with self._lock:
            waiting = [
                (state.newest.stream_time, field_id)
                for field_id, state in self.items.items()
                if state.confirmed is None and state.newest and state.newest.value != MENTIONED
            ]
        return max(waiting)[1] if waiting else None
