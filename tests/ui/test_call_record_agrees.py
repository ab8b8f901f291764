"""What the screen showed is what the record says: the cards on screen (kept or withdrawn),
the card records in transcript.jsonl, call.json's tally and note.md all agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import CASE
from test_call_screen import call_app, call_screen, end_call, run_until_ended

from p2p_assist.matching.matcher import Matcher
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import CardRetracted, CardShown, card_tally
from p2p_assist.ui.cards import CardStack


def note_sections(note: str) -> tuple[list[str], list[str]]:
    """(titles under "Objections raised", titles listed as withdrawn)."""
    kept = re.findall(r"^### \d+\. (.+) — \d\d:\d\d$", note, flags=re.M)
    withdrawn = re.findall(r"^- (.+) at \d\d:\d\d, from the words", note, flags=re.M)
    return kept, withdrawn


async def test_screen_store_call_json_and_note_agree_on_every_card(
    cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    app = call_app(cases, short_call, matcher)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        on_screen = {
            card.card.objection_id: card.withdrawn for card in app.query_one(CardStack).cards()
        }
        await end_call(app, pilot)
        finished = call_screen(app).finished
    assert finished is not None and finished.call_dir is not None
    call_dir = finished.call_dir
    assert on_screen, "the short call raises at least one card"
    records = read_call(call_dir).records
    kept, withdrawn = card_tally(records)
    assert {i: False for i in kept} | {i: True for i in withdrawn} == on_screen
    meta = json.loads((call_dir / "call.json").read_text())
    assert (meta["cards"], meta["retracted"]) == (kept, withdrawn)
    titles = {i: matcher.library.objections[i].title for i in on_screen}
    note_kept, note_withdrawn = note_sections((call_dir / "note.md").read_text())
    assert note_kept == [titles[i] for i in kept]
    assert note_withdrawn == [titles[i] for i in withdrawn]
    # Every card shown carries the words and time that raised it.
    shown = [r for r in records if isinstance(r, CardShown)]
    assert all(card.heard and card.stream_time > 0 for card in shown)
    assert {card.objection_id for card in shown} == set(on_screen)
    assert CASE in meta["case_id"]


WITHDRAWING_CALL = """
title = "A call that withdraws a card"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
[channel]
reviewer = "clean"
[[turns]]
speaker = "reviewer"
text = "Weekly dosing from day one is off label, and we consider it investigational."
[[turns]]
speaker = "reviewer"
text = "She would have to try the preferred biosimilar first if she had not had optic neuritis."
"""


async def test_withdrawn_cards_agree_too(
    cases: Path, matcher: Matcher, tmp_path: Path, tts: None
) -> None:
    """A card raised mid-sentence and withdrawn by the whole sentence (step therapy, heard
    until the "if" made it a hypothetical) is withdrawn alike on the screen, in the store,
    call.json and the note; the card before it stands."""
    from p2p_assist.audio.wav import WavFileSource
    from p2p_assist.cases.store import load_case
    from p2p_assist.mock.render import render_script
    from p2p_assist.mock.script import load_script
    from p2p_assist.session.build import SessionPlan, build_session
    from p2p_assist.ui.app import LiveCall, make_app
    from p2p_assist.ui.call_screen import CallContext

    script = tmp_path / "withdrawing.toml"
    script.write_text(WITHDRAWING_CALL)
    audio = tmp_path / "withdrawing.wav"
    render_script(load_script(script), audio)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, WavFileSource(audio), matcher)
    context = CallContext(CASE, load_case(cases, CASE), "P2P window", matcher.library)
    app = make_app(LiveCall(session, context))
    async with app.run_test(size=(100, 30)) as pilot:
        await run_until_ended(app, pilot)
        cards = app.query_one(CardStack).cards()
        on_screen = {card.card.objection_id: card.withdrawn for card in cards}
        await end_call(app, pilot)
        finished = call_screen(app).finished
    assert finished is not None and finished.call_dir is not None
    records = read_call(finished.call_dir).records
    kept, withdrawn = card_tally(records)
    retracted = [r.objection_id for r in records if isinstance(r, CardRetracted)]
    assert retracted == ["step_therapy"] and kept == ["experimental"], (retracted, kept)
    assert {i: False for i in kept} | {i: True for i in withdrawn} == on_screen
    meta = json.loads((finished.call_dir / "call.json").read_text())
    assert (meta["cards"], meta["retracted"]) == (kept, withdrawn)
    titles = {i: matcher.library.objections[i].title for i in on_screen}
    note_kept, note_withdrawn = note_sections((finished.call_dir / "note.md").read_text())
    assert note_kept == [titles[i] for i in kept]
    # The note lists each raise withdrawn, whether or not the objection stood later.
    titles |= {i: matcher.library.objections[i].title for i in retracted}
    assert sorted(note_withdrawn) == sorted(titles[i] for i in retracted)
