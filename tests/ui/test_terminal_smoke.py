"""A smoke run in a real terminal: tmux starts `p2p-assist practice`, we read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CASE

pytestmark = pytest.mark.slow  # tmux and a practice call

# A tmux server of our own: a developer's tmux, or a parallel test's, is never touched.
SOCKET = f"p2p-smoke-{os.getpid()}"


def tmux(*args: str) -> str:
    done = subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    )
    return done.stdout


def test_practice_in_tmux_shows_a_card_and_quits(cases: Path, short_call: Path, tts: None) -> None:
    assert shutil.which("tmux"), "tmux is installed by scripts/setup.sh"
    session = f"p2p-smoke-{time.monotonic_ns()}"
    command = (
        f"{sys.executable} -m p2p_assist --cases {cases} practice {CASE} "
        f"--audio {short_call} --engine pocketsphinx --speed 2"
    )
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        screen = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and "Experimental" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", session, "-p")
        assert "Experimental" in screen, screen
        assert "e End" in screen
        assert "Reference number" in screen or "to confirm" in screen  # the checklist, either form
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and session in tmux("list-sessions"):
            time.sleep(0.3)
        assert session not in tmux("list-sessions")
    finally:
        tmux("kill-server")
    (call_dir,) = list((cases / CASE / "calls").iterdir())
    assert (call_dir / "transcript.md").is_file()  # quitting still closes the call


def test_at_80_by_24_the_clock_meter_speaking_state_and_newest_card_are_on_screen(
    cases: Path, short_call: Path, tts: None
) -> None:
    session = f"p2p-small-{time.monotonic_ns()}"
    command = (
        f"{sys.executable} -m p2p_assist --cases {cases} practice {CASE} "
        f"--audio {short_call} --engine pocketsphinx --no-save"
    )
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        screen = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and "Experimental" not in screen:
            time.sleep(0.5)
            screen = tmux("capture-pane", "-t", session, "-p")
        lines = screen.splitlines()
        assert "Experimental" in screen, screen
        assert any("⏱" in line and "in ▮" in line for line in lines[:2]), screen  # header line 2
        # The say-this line, whole, wrapped inside the card's border.
        said = " ".join(line.split("│")[-2].strip() for line in lines if line.count("│") >= 2)
        assert "This is guideline care, not an experiment: ACR 2021" in said, screen
        assert any("• ACR 2021" in line for line in lines), screen  # a one-line fact bullet
        assert "✓ 0" in screen and "(r: open)" in screen, screen  # the checklist as one line
        tmux("send-keys", "-t", session, "space")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "YOU ARE SPEAKING" not in screen:
            time.sleep(0.3)
            screen = tmux("capture-pane", "-t", session, "-p")
        assert "● YOU ARE SPEAKING" in screen.splitlines()[1], screen
        tmux("send-keys", "-t", session, "C-q")
    finally:
        tmux("kill-session", "-t", session)
