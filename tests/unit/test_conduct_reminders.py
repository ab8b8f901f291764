"""Gentle conduct reminders from who spoke when: a clinician's turn past the library's limit
earns one reminder (not one per line), speaking over the reviewer earns another, and a line
whose speaker is unknown earns nothing."""

from __future__ import annotations

from report_support import library

from p2p_assist.session.conduct import TalkWatch

CONDUCT = library().conduct


def test_a_long_turn_is_reminded_once() -> None:
    watch = TalkWatch(CONDUCT)
    limit = CONDUCT.long_turn_seconds
    assert watch.heard("reviewer", 0.0, 5.0) is None
    assert watch.heard("clinician", 6.0, 6.0 + limit / 2) is None
    assert watch.heard("clinician", 6.0 + limit / 2, 6.0 + limit + 1) == CONDUCT.long_turn_reminder
    assert watch.heard("clinician", 6.0 + limit + 2, 6.0 + limit + 20) is None  # once a turn
    watch.heard("reviewer", 100.0, 104.0)  # the turn ends when the reviewer speaks
    assert watch.heard("clinician", 105.0, 105.0 + limit + 1) == CONDUCT.long_turn_reminder


def test_speaking_over_the_reviewer_is_reminded() -> None:
    watch = TalkWatch(CONDUCT)
    watch.heard("reviewer", 10.0, 20.0)
    assert watch.heard("clinician", 15.0, 18.0) == CONDUCT.interrupt_reminder
    assert watch.heard("clinician", 20.2, 25.0) is None  # after the reviewer finished


def test_lines_of_unknown_speakers_earn_nothing() -> None:
    watch = TalkWatch(CONDUCT)
    assert watch.heard(None, 0.0, 1000.0) is None
    assert watch.heard(None, 5.0, 10.0) is None
