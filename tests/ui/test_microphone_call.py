"""The path the clinician uses, for real: speech played into a virtual capture device
arrives through PortAudio and sounddevice, and the call screen raises the card."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CASE

from p2p_assist.audio.microphone import MicrophoneSource
from p2p_assist.cases.store import load_case
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import AudioLevel
from p2p_assist.ui.app import LiveCall, make_app
from p2p_assist.ui.call_screen import CallContext
from p2p_assist.ui.cards import CardStack
from p2p_assist.ui.messages import SessionUpdate

pytestmark = pytest.mark.slow  # PulseAudio, and speech played in real time


async def test_call_screen_on_the_virtual_microphone(
    virtual_mic: None, cases: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "live", save=True)
    session = build_session(plan, MicrophoneSource(), matcher)
    context = CallContext(CASE, load_case(cases, CASE), "P2P window open", matcher.library)
    app = make_app(LiveCall(session, context))
    heard_audio = False

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("y")  # the consent dialog: the reviewer agreed
        screen = app.call_screen
        assert screen is not None
        original = screen.on_session_update

        async def spy(message: SessionUpdate) -> None:
            nonlocal heard_audio
            heard_audio = heard_audio or isinstance(message.event, AudioLevel)
            await original(message)

        screen.on_session_update = spy  # type: ignore[method-assign]
        for _ in range(100):
            if heard_audio:
                break
            await pilot.pause(0.1)
        player = subprocess.Popen(["paplay", str(short_call)])
        cards: set[str] = set()
        for _ in range(300):
            await pilot.pause(0.1)
            cards = {card.card.objection_id for card in app.query_one(CardStack).cards()}
            if "experimental" in cards and player.poll() is not None:
                break
        player.wait(timeout=30)
        assert "experimental" in cards
        await pilot.press("e")
        await pilot.click("#outcome-pending")
        await pilot.click("#save")
        for _ in range(150):
            if screen.finished is not None:
                break
            await pilot.pause(0.1)
        assert screen.finished is not None and screen.finished.call_dir is not None
        assert (screen.finished.call_dir / "transcript.md").is_file()
    # A live call is the denial's one P2P: the case says so now, so a second one is warned of.
    assert load_case(cases, CASE).prior_p2p == "held"
