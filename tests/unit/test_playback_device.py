"""Review playback through a real PortAudio output into a PulseAudio null sink, its monitor
recorded by parec: the samples played are the samples that arrive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
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
from virtual_mic import PulseServer

from p2p_assist.audio.call_playback import FIRST_READ, CallPlayback
from p2p_assist.audio.call_recording import CallRecording
from p2p_assist.audio.playback import Player
from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def monitor(pulse_server: PulseServer) -> Iterator[MonitorRecording]:
    recording = MonitorRecording()
    yield recording
    recording.close()


@pytest.fixture(scope="module")
def player(pulse_server: PulseServer) -> Iterator[Player]:
    opened = Player()
    opened.prime()
    yield opened
    opened.close()


@pytest.fixture
def call_dir(tmp_path: Path) -> Path:
    keep_audio(tmp_path, stepped_tones(30))
    return tmp_path


def chirp(seconds: float) -> np.ndarray:
    """A sweep from 200 Hz to 3 kHz: no two stretches alike, all of it well inside the band
    PulseAudio's resampler passes."""
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    rate = (3000 - 200) / seconds
    return (np.sin(2 * np.pi * (200 * t + rate * t**2 / 2)) * 9000).astype(np.int16)


def wait_until_done(player: Player, monitor: MonitorRecording, mark: int) -> np.ndarray:
    """Let the clip play out, then a little more of the monitor."""
    while player.playing is not None:
        monitor.wait_for(monitor.length, 0.05)
    return monitor.wait_for(mark, (monitor.length - mark) / SAMPLE_RATE + 0.3)


def test_the_samples_played_arrive_on_the_sink(player: Player, monitor: MonitorRecording) -> None:
    sent = chirp(1.5)
    mark = monitor.length

    player.play(sent.astype("<i2").tobytes(), at=0.0)
    got = wait_until_done(player, monitor, mark)

    # As a stream starts or stops the sink may render a few tens of milliseconds again (a
    # rewind: its monitor hears both), so the sweep is matched away from its ends.
    middle = sent[SAMPLE_RATE // 5 : -SAMPLE_RATE // 5]
    assert similarity(got, middle) > 0.95
    sounding = np.flatnonzero(np.abs(got) > 1000)
    assert (sounding[-1] - sounding[0]) / SAMPLE_RATE < 1.6  # once, not played again


def similarity(recorded: np.ndarray, expected: np.ndarray) -> float:
    """How alike `expected` is to the stretch of `recorded` it matches best (1: the same up
    to loudness), found by cross-correlation."""
    got, want = recorded.astype(np.float64), expected.astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(got) + len(want))))
    spectrum = np.fft.rfft(got, size) * np.conj(np.fft.rfft(want, size))
    lag = int(np.argmax(np.fft.irfft(spectrum, size)[: len(got) - len(want) + 1]))
    found = got[lag : lag + len(want)]
    return float(np.dot(found, want) / (np.linalg.norm(found) * np.linalg.norm(want)))


def test_a_call_plays_on_past_its_first_read_and_skips_both_ways(
    player: Player, monitor: MonitorRecording, call_dir: Path
) -> None:
    playback = CallPlayback(CallRecording.of_call(call_dir), player)
    mark = monitor.length

    playback.play_from(3.0)
    monitor.wait_for(mark, FIRST_READ + 2.0)  # beyond what the first read held
    on = monitor.length
    skipped_on = playback.skip(5.0)
    monitor.wait_for(on, 1.0)
    back = monitor.length
    skipped_back = playback.skip(-5.0)
    monitor.wait_for(back, 1.0)
    playback.stop()

    heard = seconds_heard(monitor.since(mark))
    assert heard[:4] == [3, 4, 5, 6], heard  # read ahead: no gap where the first read ended
    assert near(landed_after(heard, 4), skipped_on), heard
    assert near(landed_after(heard, -6), skipped_back), heard
    stopped = monitor.length
    assert loudest(monitor.wait_for(stopped, 0.5)[-SAMPLE_RATE // 4 :]) < 50
    assert playback.position is None


def test_a_call_played_to_its_end_stops_by_itself(
    player: Player, monitor: MonitorRecording, call_dir: Path
) -> None:
    playback = CallPlayback(CallRecording.of_call(call_dir), player)
    mark = monitor.length

    playback.play_from(28.5)
    got = wait_until_done(player, monitor, mark)

    assert seconds_heard(got) == [28, 29]
    assert playback.position is None
    with pytest.raises(UserError, match="Nothing is playing"):
        playback.skip(5.0)


def test_playing_after_the_end_of_the_audio_is_one_line(player: Player, call_dir: Path) -> None:
    playback = CallPlayback(CallRecording.of_call(call_dir), player)

    with pytest.raises(UserError) as raised:
        playback.play_from(45.0)

    assert "00:45" in str(raised.value) and "audio-0.flac" in str(raised.value)
    assert playback.position is None
