"""Listening in review, under the pilot, with a real player on a PulseAudio null sink whose
monitor is recorded: space plays the highlighted line or moment and stops, ←/→ skip 5 s (or
move the start when stopped), the highlight follows what is heard, and a damaged audio file
is one line while the rest still works.

Each second of the test call's audio is a tone of its own pitch, so what the monitor hears
says which second of the call was played (tests/playback_support.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playback_support import (
    MonitorRecording,
    keep_audio,
    landed_after,
    loudest,
    near,
    seconds_heard,
    stepped_tones,
)
from test_review_screen import (
    FIRST_CALL,
    INVESTIGATIONAL,
    STEP_THERAPY,
    Clock,
    app_for,
    conversation,
    open_row,
    record_call,
)
from test_review_verifies import highlight, settle
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import OptionList, Static
from virtual_mic import PulseServer

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.library.load import Library
from p2p_assist.ui.review_call import ReviewCallScreen

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def monitor(pulse_server: PulseServer) -> Iterator[MonitorRecording]:
    recording = MonitorRecording()
    yield recording
    recording.close()


@pytest.fixture
def call_dir(cases: Path, clock: Clock) -> Path:
    """The demo conversation (lines at 00:02, 00:10, 00:16, a bookmark at 00:22, 00:30, a
    note at 00:36 and 00:40), with 48 s of kept audio."""
    folder = record_call(cases, clock, FIRST_CALL, conversation())
    keep_audio(folder, stepped_tones(48))
    return folder


class Told:
    """The one-line notifications the app shows (toasts), as they are posted."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.lines.append(str(message.notification.message))


async def until(pilot: Pilot[None], done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until `done` holds (generous: the sound server may be slow to start)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def listen(pilot: Pilot[None], monitor: MonitorRecording, seconds: float) -> None:
    mark = monitor.length
    await until(pilot, lambda: monitor.length - mark >= seconds * SAMPLE_RATE)


async def opened(pilot: Pilot[None]) -> ReviewCallScreen:
    """The call open and its audio output ready (the opening worker has primed it)."""
    await settle(pilot)
    screen = await open_row(pilot, 0)
    await settle(pilot)
    return screen


def subtitle(screen: ReviewCallScreen) -> str:
    return str(screen.query_one("#transcript", OptionList).border_subtitle)


def highlighted(screen: ReviewCallScreen) -> str:
    transcript = screen.query_one("#transcript", OptionList)
    assert transcript.highlighted is not None
    return str(transcript.options[transcript.highlighted].prompt)


async def stop(pilot: Pilot[None], monitor: MonitorRecording) -> int:
    """Press space to stop; the mark where the monitor was when it stopped."""
    await pilot.press("space")
    await settle(pilot)
    return monitor.length


async def test_space_plays_the_line_from_just_before_it_on_and_stops(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        before = subtitle(screen)
        await highlight(screen, pilot, INVESTIGATIONAL)  # 00:30
        mark = monitor.length
        await pilot.press("space")
        await listen(pilot, monitor, 2.5)
        while_playing = subtitle(screen)
        stopped = await stop(pilot, monitor)
        await listen(pilot, monitor, 0.5)
        after = subtitle(screen)

    assert seconds_heard(monitor.since(mark)[: stopped - mark])[:3] == [29, 30, 31]
    assert loudest(monitor.since(stopped)[-SAMPLE_RATE // 4 :]) < 50  # silent once stopped
    assert before == after == "space plays the audio"
    assert while_playing.startswith("▶ 00:3") and "space stops" in while_playing


async def test_arrows_skip_five_seconds_on_and_back_while_playing(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await highlight(screen, pilot, STEP_THERAPY)  # 00:10
        mark = monitor.length
        await pilot.press("space")
        await listen(pilot, monitor, 1.5)
        await pilot.press("right")
        await listen(pilot, monitor, 1.5)
        await pilot.press("left")
        await listen(pilot, monitor, 1.5)
        stopped = await stop(pilot, monitor)

    heard = seconds_heard(monitor.since(mark)[: stopped - mark])
    assert heard[0] == 9  # half a second before the line
    on = landed_after(heard, 5)
    assert on >= 13, heard
    back = landed_after(heard[heard.index(on) :], -5)
    assert back < on, heard


async def test_arrows_move_the_start_when_stopped_and_a_new_line_forgets_it(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await highlight(screen, pilot, STEP_THERAPY)  # 00:10, so play starts at 00:09.5
        await pilot.press("right", "right", "left")
        moved = subtitle(screen)
        mark = monitor.length
        await pilot.press("space")
        await listen(pilot, monitor, 1.0)
        stopped = await stop(pilot, monitor)
        await pilot.press("right")
        await pilot.press("down")
        await pilot.pause()
        forgotten = subtitle(screen)

    assert moved == "space plays from 00:14"
    assert near(seconds_heard(monitor.since(mark)[: stopped - mark])[0], 14.5)
    assert forgotten == "space plays the audio"


async def test_the_highlight_follows_what_is_heard_until_the_clinician_moves_it(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        await highlight(screen, pilot, STEP_THERAPY)  # 00:10; the next line is at 00:16
        await pilot.press("space", "right")
        await until(pilot, lambda: "She failed methotrexate" in highlighted(screen))
        await pilot.press("up")
        await listen(pilot, monitor, 1.0)
        left_alone = highlighted(screen)
        await stop(pilot, monitor)

    assert STEP_THERAPY in left_alone


async def test_a_moment_plays_from_its_time(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    async with app_for(cases, library).run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot)
        moments = screen.query_one("#moments", OptionList)
        assert screen.focused is moments  # where review opens
        bookmark = next(
            n for n, option in enumerate(moments.options) if "failure dates" in str(option.prompt)
        )
        moments.highlighted = bookmark
        await pilot.pause()
        mark = monitor.length
        await pilot.press("space")
        await listen(pilot, monitor, 1.0)
        shown = highlighted(screen)
        stopped = await stop(pilot, monitor)

    assert seconds_heard(monitor.since(mark)[: stopped - mark])[:2] == [21, 22]  # 00:22
    assert "Bookmark: failure dates" in shown


async def test_an_unreadable_input_is_one_line_and_the_other_still_plays(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    (call_dir / "audio-1.flac").write_bytes(b"fLaC" + bytes(300))
    told = Told()
    async with app_for(cases, library).run_test(size=(120, 40), message_hook=told) as pilot:
        screen = await opened(pilot)
        await highlight(screen, pilot, INVESTIGATIONAL)
        mark = monitor.length
        await pilot.press("space")
        await listen(pilot, monitor, 1.0)
        stopped = await stop(pilot, monitor)
        await pilot.press("space")
        await listen(pilot, monitor, 0.5)
        await stop(pilot, monitor)

    assert seconds_heard(monitor.since(mark)[: stopped - mark])[:2] == [29, 30]
    about_it = [line for line in told.lines if "audio-1.flac" in line]
    assert len(about_it) == 1  # once, though played twice
    assert "cannot be read as audio" in about_it[0] and "\n" not in about_it[0]


async def test_a_call_whose_only_audio_is_unreadable_says_so_and_still_reviews(
    call_dir: Path, cases: Path, library: Library, monitor: MonitorRecording
) -> None:
    (call_dir / "audio-0.flac").write_bytes(b"this is not audio")
    told = Told()
    async with app_for(cases, library).run_test(size=(120, 40), message_hook=told) as pilot:
        screen = await opened(pilot)
        await highlight(screen, pilot, INVESTIGATIONAL)
        mark = monitor.length
        await pilot.press("space")
        await settle(pilot)
        await listen(pilot, monitor, 0.5)
        await pilot.press("w")  # the transcript still reviews: the speaker is corrected
        await settle(pilot)
        corrected = highlighted(screen)
        banner = str(screen.query_one("#banner", Static).render())

    assert loudest(monitor.since(mark)) < 50
    about_it = [line for line in told.lines if "audio-0.flac" in line]
    assert len(about_it) == 1 and "cannot be read as audio" in about_it[0]
    assert "\n" not in about_it[0]
    assert corrected.startswith("[00:30] ✎ Clinician:")
    assert "audio" not in banner  # an unreadable file is a line, not a banner
