"""Review when the audio cannot be heard: a call that kept none says so in one line when
play is pressed, and with no output device there is a banner — the transcript still reviews."""

from __future__ import annotations

from pathlib import Path

from playback_support import keep_audio, no_sound_server, stepped_tones
from test_review_audio import Told, highlighted, opened, subtitle
from test_review_screen import (
    FIRST_CALL,
    INVESTIGATIONAL,
    Clock,
    app_for,
    conversation,
    record_call,
)
from test_review_verifies import highlight, settle
from textual.widgets import Static

from p2p_assist.audio.call_recording import NO_AUDIO
from p2p_assist.library.load import Library


async def test_a_call_without_kept_audio_says_so_in_one_line(
    cases: Path, clock: Clock, library: Library
) -> None:
    record_call(cases, clock, FIRST_CALL, conversation())
    told = Told()
    async with app_for(cases, library).run_test(size=(120, 40), message_hook=told) as pilot:
        screen = await opened(pilot)
        await pilot.press("space")
        await pilot.pause()
        label = subtitle(screen)

    assert told.lines == [NO_AUDIO]
    assert "\n" not in NO_AUDIO
    assert label == "no audio kept"


async def test_no_output_device_is_a_banner_and_the_transcript_still_reviews(
    cases: Path, clock: Clock, library: Library, tmp_path: Path
) -> None:
    keep_audio(record_call(cases, clock, FIRST_CALL, conversation()), stepped_tones(40))
    told = Told()
    with no_sound_server(tmp_path / "no-sound"):
        async with app_for(cases, library).run_test(size=(120, 40), message_hook=told) as pilot:
            screen = await opened(pilot)
            banner = str(screen.query_one("#banner", Static).render())
            await highlight(screen, pilot, INVESTIGATIONAL)
            await pilot.press("space")
            await pilot.press("w")  # a correction still saves
            await settle(pilot)
            corrected = highlighted(screen)
            label = subtitle(screen)

    assert "The audio cannot play: no audio output device found" in banner
    assert "The transcript still reviews." in banner
    assert [line for line in told.lines if "Cannot play" in line] == [
        "Cannot play: no audio output device found — connect speakers or headphones, "
        "or check that PulseAudio/PipeWire is running (`pactl info`)"
    ]
    assert corrected.startswith("[00:30] ✎ Clinician:")
    assert label == "no sound here"
