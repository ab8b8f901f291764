"""Per-call limits on cards: cooldown, once per call, maximum per call.

The recogniser re-sends a growing partial many times a second; without this gate
one sentence would raise the same card over and over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from p2p_assist.library.model import Objection


@dataclass
class CallGate:
    objections: dict[str, Objection]
    last_fired: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    _fired_before: dict[str, float | None] = field(default_factory=dict)

    def admit(self, objection_id: str, now: float) -> int:
        """How many times the card has now been raised on this call, counting this one, when
        it may be raised at `now` seconds; 0 (and not counted) when it may not."""
        objection = self.objections[objection_id]
        last = self.last_fired.get(objection_id)
        if last is not None and now - last < objection.cooldown_seconds:
            return 0
        limit = objection.call_limit
        if limit is not None and self.counts.get(objection_id, 0) >= limit:
            return 0
        self._fired_before[objection_id] = last
        self.last_fired[objection_id] = now
        self.counts[objection_id] = self.counts.get(objection_id, 0) + 1
        return self.counts[objection_id]

    def withdraw(self, objection_id: str) -> None:
        """Undo the last admission: a card withdrawn must not hold back the real one."""
        if self.counts.get(objection_id, 0) <= 0:
            return
        self.counts[objection_id] -= 1
        before = self._fired_before.pop(objection_id, None)
        if before is None:
            self.last_fired.pop(objection_id, None)
        else:
            self.last_fired[objection_id] = before
