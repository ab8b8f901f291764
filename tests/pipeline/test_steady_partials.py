"""A card raised while a sentence is still being spoken by one short word waits for that word
to hold steady: a partial raises it only if the partial before it already held it. One-word
flickers of a garbled partial ("pass", "beg", "sparse") raised a card and withdrew it half a
second later; now they raise nothing. A phrase ("off label") or a long word
("investigational") still raises at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import copy_demo_cases, demo_file
from report_support import CASE

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.library.load import load_library
from p2p_assist.matching.call_matcher import CallMatcher, span_words
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.call import STEADY_WORD_LENGTH, still_said
from p2p_assist.session.events import CardWithdrawn, ObjectionRaised, PartialText, SessionEvent

REVIEWER_LINE = "weekly dosing from day one is off label and we consider it investigational"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_library())


def test_an_objection_held_back_does_not_pass_the_gate(matcher: Matcher) -> None:
    lines = CallMatcher(matcher, None)
    held = lines.hear(REVIEWER_LINE, "reviewer", 1.0, may_raise=lambda hit, words: False)
    assert "experimental" in {hit.id for hit in held.match.objections}
    assert held.raised == []
    raised = lines.hear(REVIEWER_LINE, "reviewer", 2.0)
    assert [card.times for card in raised.raised if card.hit.id == "experimental"] == [1]


@pytest.mark.slow
def test_on_the_demo_call_every_one_word_card_from_a_partial_was_in_the_one_before(
    tmp_path: Path, matcher: Matcher
) -> None:
    cases = copy_demo_cases(tmp_path, CASE)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=False)
    audio = WavFileSource(demo_file(CASE, "mock-call.wav"), paced=False)
    session = build_session(plan, audio, matcher)
    session.start()
    events: list[SessionEvent] = list(session.events())
    session.end()
    partials: list[str] = []
    from_partials = 0
    for event in events:
        if isinstance(event, PartialText):
            partials.append(event.text)
        elif isinstance(event, ObjectionRaised) and event.from_partial:
            from_partials += 1
            words = span_words(event.text, event.hit)
            if len(words.split()) == 1 and len(words) < STEADY_WORD_LENGTH:
                steady = len(partials) >= 2 and still_said(words, partials[-2])
                assert steady, (words, partials[-2:])
    withdrawn = sum(isinstance(event, CardWithdrawn) for event in events)
    assert from_partials >= 3, "the demo's objections still come up while being said"
    assert withdrawn < from_partials
