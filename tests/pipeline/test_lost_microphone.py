"""A live call whose microphone goes away: the call stays open, says so, and listens again
when the input comes back — through the real PortAudio path on a PulseAudio virtual mic."""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import TypeVar

import pytest
from report_support import CASE, copy_case
from virtual_mic import PulseServer

from p2p_assist.audio.microphone import MicrophoneSource
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.call import CallSession
from p2p_assist.session.events import (
    AudioLevel,
    Notice,
    SessionError,
    SessionEvent,
    UtteranceHeard,
)
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Utterance

E = TypeVar("E", bound=SessionEvent)


def drain(session: CallSession) -> queue.Queue[SessionEvent]:
    """Every event, in a queue the test reads with timeouts."""
    events: queue.Queue[SessionEvent] = queue.Queue()

    def relay() -> None:
        for event in session.events():
            events.put(event)

    threading.Thread(target=relay, daemon=True).start()
    return events


def wait_for(
    events: queue.Queue[SessionEvent], wanted: type[E], text: str = "", limit: float = 60.0
) -> E:
    """The next event of this type whose message or text holds `text`, within `limit` seconds
    (the level meter's events keep coming, so a line never heard must fail, not hang)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        event = events.get(timeout=limit)
        message = getattr(event, "message", getattr(event, "text", ""))
        if isinstance(event, wanted) and text in message:
            return event
    pytest.fail(f"no {wanted.__name__} holding {text!r} within {limit:g} s")


def test_a_lost_microphone_keeps_the_call_open_and_resumes(
    pulse_server: PulseServer, tmp_path: Path, short_call: Path, matcher: Matcher, tts: None
) -> None:
    cases = copy_case(tmp_path)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "live", save=True)
    session = build_session(plan, MicrophoneSource(), matcher, open_input=MicrophoneSource)
    session.start()
    events = drain(session)
    wait_for(events, AudioLevel)
    pulse_server.stop()  # the input goes away mid-call
    lost = wait_for(events, SessionError, "the call stays open")
    assert not lost.fatal
    pulse_server.start()
    wait_for(events, Notice, "is back")
    subprocess.run(["paplay", str(short_call)], check=True, timeout=60)
    heard = wait_for(events, UtteranceHeard, "reference")
    closed = session.end()
    assert closed.saved and closed.call_dir is not None
    saved = [r for r in read_call(closed.call_dir).records if isinstance(r, Utterance)]
    assert any("reference" in utterance.text for utterance in saved)
    # The gap was kept as silence: what came after the loss is later than what came before.
    assert heard.start > 1.0
