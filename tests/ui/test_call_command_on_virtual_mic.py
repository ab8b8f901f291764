"""`p2p-assist call` exactly as a clinician starts it, in a real terminal (tmux), listening
through sounddevice/PortAudio to a virtual capture device that a mock call is played into."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CASE

pytestmark = pytest.mark.slow  # PulseAudio, tmux, and speech played in real time


def test_call_command_hears_the_virtual_microphone(
    virtual_mic: None, cases: Path, short_call: Path, tts: None
) -> None:
    socket = f"p2p-call-{time.monotonic_ns()}"  # a fresh tmux server inherits the pulse env

    def tmux(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    command = f"{sys.executable} -m p2p_assist --cases {cases} call {CASE} --engine pocketsphinx"
    tmux("new-session", "-d", "-s", "call", "-x", "100", "-y", "30", command)
    try:
        screen = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "They agreed" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", "call", "-p")
        assert "Read this aloud" in screen and "They agreed" in screen, screen
        tmux("send-keys", "-t", "call", "y")  # the reviewer agreed to be transcribed
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "o Answer" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", "call", "-p")
        assert "o Answer" in screen, screen
        time.sleep(2)  # PulseAudio's first capture can lag a second behind the stream start
        subprocess.run(["paplay", str(short_call)], check=True, timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Experimental" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", "call", "-p")
        assert "Experimental" in screen, screen
        tmux("send-keys", "-t", "call", "C-q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "call" in tmux("list-sessions"):
            time.sleep(0.3)
    finally:
        tmux("kill-server")
    (call_dir,) = list((cases / CASE / "calls").iterdir())
    transcript = (call_dir / "transcript.jsonl").read_text()
    assert "investigational" in transcript
    assert '"consent": "yes"' in (call_dir / "call.json").read_text()
