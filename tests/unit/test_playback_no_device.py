"""No output device (no sound card, no sound server): review cannot play, and says so in one
line naming what to check."""

from __future__ import annotations

from pathlib import Path

import pytest
from playback_support import no_sound_server

from p2p_assist.audio.playback import NoOutputDevice, Player


def test_no_output_device_is_one_line_saying_what_to_check(tmp_path: Path) -> None:
    with no_sound_server(tmp_path), pytest.raises(NoOutputDevice) as raised:
        Player()

    message = str(raised.value)
    assert "no audio output device" in message and "pactl info" in message
    assert "\n" not in message


def test_an_output_asked_for_by_name_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    with no_sound_server(tmp_path), pytest.raises(NoOutputDevice) as raised:
        Player("Headphones")

    assert "output 'Headphones' not found" in str(raised.value)
    assert "\n" not in str(raised.value)
