"""Gentle reminders about how the call is going, from who spoke when: a clinician's turn
that has run past the library's limit, and speaking over the reviewer.

Only lines whose speaker is known count (a marked turn, a second input, a recording's
timeline): a reminder built on a guess would nag at the wrong moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.library.playbook import Conduct

OVERLAP_SECONDS = 0.5  # a clinician line starting this far inside the reviewer's


@dataclass
class TalkWatch:
    conduct: Conduct
    _turn_started: float | None = None  # when the clinician's current turn began
    _reminded_this_turn: bool = False
    _reviewer_until: float = 0.0  # when the reviewer's latest line ended

    def heard(self, speaker: Speaker | None, start: float, end: float) -> str | None:
        """A reminder to show now, if this line earns one."""
        if speaker == "reviewer":
            self._turn_started, self._reminded_this_turn = None, False
            self._reviewer_until = max(self._reviewer_until, end)
            return None
        if speaker != "clinician":
            return None
        if start < self._reviewer_until - OVERLAP_SECONDS:
            return self.conduct.interrupt_reminder
        if self._turn_started is None:
            self._turn_started = start
        long_turn = end - self._turn_started >= self.conduct.long_turn_seconds
        if long_turn and not self._reminded_this_turn:
            self._reminded_this_turn = True
            return self.conduct.long_turn_reminder
        return None
