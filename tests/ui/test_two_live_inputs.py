"""The call on the computer: `p2p-assist call --reviewer-device` hears the far side on a second
live input (a softphone's audio through a monitor device) and the clinician on the microphone,
through PortAudio on two PulseAudio null sinks; and a reviewer input that goes away drops the
call to one microphone, with a banner, losing nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CASE
from speech import render_speech
from virtual_mic import PulseServer

from p2p_assist.audio.devices import list_input_devices
from p2p_assist.audio.microphone import MicrophoneSource
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import Notice, SessionError, SessionEvent, UtteranceHeard
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Utterance

REVIEWER_LINE = "Weekly dosing from day one is off label, and we consider it investigational."
CLINICIAN_LINE = "You are telling me the weekly dosing is investigational, is that right?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory, tts: None) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("two-sides")
    reviewer = render_speech(REVIEWER_LINE, folder / "reviewer.wav", voice="rms")
    clinician = render_speech(CLINICIAN_LINE, folder / "clinician.wav", voice="slt")
    return reviewer, clinician


def play(wav: Path, sink: str) -> None:
    subprocess.run(["paplay", f"--device={sink}", str(wav)], check=True, timeout=60)


def pactl_rows(kind: str) -> list[list[str]]:
    listed = subprocess.run(
        ["pactl", "list", "short", kind], capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t") for line in listed.splitlines()]


def unplug_sink(name: str) -> None:
    """The device goes away and takes its recording streams with it. Unloading alone is not
    enough: PulseAudio (14+) moves a vanished source's streams to the default source, so the
    streams are ended first, as a removed USB device or a closed softphone ends them."""
    (source,) = [row[0] for row in pactl_rows("sources") if row[1] == f"{name}.monitor"]
    for row in pactl_rows("source-outputs"):
        if row[1] == source:
            subprocess.run(["pacmd", "kill-source-output", row[0]], check=True)
    (module,) = [row[0] for row in pactl_rows("modules") if f"sink_name={name}" in row[2]]
    subprocess.run(["pactl", "unload-module", module], check=True)


def plug_sink(name: str) -> None:
    subprocess.run(["pactl", "load-module", "module-null-sink", f"sink_name={name}"], check=True)


def first(events: Iterator[SessionEvent], wanted: Callable[[SessionEvent], bool]) -> SessionEvent:
    """The first event wanted, within a minute: a line misheard must fail, not hang (the
    level meter's events keep the stream going)."""
    deadline = time.monotonic() + 60
    for event in events:
        if wanted(event):
            return event
        if time.monotonic() > deadline:
            break
    pytest.fail("the event did not come within a minute")


def test_devices_marks_the_call_audio_input(pulse_server: PulseServer) -> None:
    marked = {d.name for d in list_input_devices() if d.carries_call_audio}
    assert "call_audio_monitor" in marked and "clinician_mic" not in marked


def test_call_with_a_reviewer_device_labels_each_side_by_its_input(
    pulse_server: PulseServer, cases: Path, lines: tuple[Path, Path]
) -> None:
    reviewer, clinician = lines
    socket = f"p2p-two-{time.monotonic_ns()}"

    def tmux(*args: str) -> str:
        done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True)
        return done.stdout

    command = (
        f"{sys.executable} -m p2p_assist --cases {cases} call {CASE} --engine pocketsphinx "
        "--device clinician_mic --reviewer-device call_audio_monitor"
    )
    tmux("new-session", "-d", "-s", "call", "-x", "100", "-y", "30", command)
    try:
        screen = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "They agreed" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", "call", "-p")
        tmux("send-keys", "-t", "call", "y")
        time.sleep(3)  # both inputs open; PulseAudio's first capture can lag
        play(reviewer, "revsink")
        time.sleep(1.5)
        play(clinician, "clinsink")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "You:" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", "call", "-p")
        assert "Reviewer:" in screen and "You:" in screen, screen
        tmux("send-keys", "-t", "call", "C-q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "call" in tmux("list-sessions"):
            time.sleep(0.3)
    finally:
        tmux("kill-server")
    (call_dir,) = list((cases / CASE / "calls").iterdir())
    said = [r for r in read_call(call_dir).records if isinstance(r, Utterance)]
    reviewer = [u for u in said if u.speaker == "reviewer" and u.text]
    clinician = [u for u in said if u.speaker == "clinician" and u.text]
    assert reviewer and clinician and len(reviewer) + len(clinician) == len(said)
    assert "investigat" in " ".join(u.text for u in reviewer)
    assert any(u.objections for u in reviewer), "the reviewer's line raises its card"
    assert not any(u.objections for u in clinician), "the clinician's echo raises none"
    assert json.loads((call_dir / "call.json").read_text())["source"].count("+") == 1


def test_a_reviewer_input_that_goes_away_drops_to_one_microphone_and_loses_nothing(
    pulse_server: PulseServer, cases: Path, matcher: Matcher, lines: tuple[Path, Path]
) -> None:
    reviewer, _ = lines
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "live", save=True)
    session = build_session(
        plan,
        MicrophoneSource("clinician_mic"),
        matcher,
        reviewer_source=MicrophoneSource("call_audio_monitor"),
        open_input=MicrophoneSource,
        device="clinician_mic",
        reviewer_device="call_audio_monitor",
    )
    session.start()
    events = session.events(timeout=60)
    time.sleep(2)
    unplug_sink("revsink")  # the softphone's audio device goes away; the microphone stays
    lost = first(events, lambda e: isinstance(e, SessionError))
    assert isinstance(lost, SessionError)
    assert "both sides" in lost.message and not lost.fatal
    plug_sink("revsink")
    back = first(events, lambda e: isinstance(e, Notice) and e.mended)
    assert isinstance(back, Notice)
    assert "call_audio_monitor" in back.message
    time.sleep(3)
    play(reviewer, "revsink")
    heard = first(events, lambda e: isinstance(e, UtteranceHeard) and "investigat" in e.text)
    assert isinstance(heard, UtteranceHeard)
    assert heard.speaker == "reviewer"
    closed = session.end()
    assert closed.saved and closed.call_dir is not None
    saved = [r for r in read_call(closed.call_dir).records if isinstance(r, Utterance)]
    assert any("investigat" in u.text and u.speaker == "reviewer" for u in saved)
