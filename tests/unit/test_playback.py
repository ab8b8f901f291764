"""Review playback without a device: a clip converted for the device and drained as the
audio callback drains it, the call's inputs read as one, and the ways the audio can be
missing or damaged — each one line, the rest still playing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from playback_support import keep_audio, stepped_tones
from transcript_support import CASE_ID, make_cases

from p2p_assist.audio.call_recording import NO_AUDIO, CallRecording
from p2p_assist.audio.playback import Playing
from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import open_new_call
from p2p_assist.ui.review_audio import line_at


def pcm(samples: np.ndarray) -> bytes:
    return samples.astype("<i2").tobytes()


def drain(playing: Playing, block: int) -> np.ndarray:
    """Call the clip as the audio callback does, until it is done; what it gave."""
    out: list[np.ndarray] = []
    for _ in range(10_000):
        if playing.done:
            break
        frames = np.empty((block, playing._channels), np.int16)
        playing.fill(frames)
        out.append(frames)
    return np.concatenate(out)


def pitch(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.argmax(spectrum) * rate / len(samples))


def test_a_clip_is_resampled_and_doubled_for_a_stereo_48_khz_device() -> None:
    tone = stepped_tones(2)[:SAMPLE_RATE]  # one second at 300 Hz
    playing = Playing(at=4.0, rate=48_000, channels=2, tail_frames=480)
    playing.extend(pcm(tone[:7_000]))
    playing.extend(pcm(tone[7_000:]), final=True)

    played = drain(playing, block=512)

    assert np.array_equal(played[:, 0], played[:, 1])
    sounding = np.flatnonzero(np.abs(played[:, 0]) > 100)
    # As long as it was, give or take the filter's edges.
    assert abs(sounding[-1] - sounding[0] - 48_000) < 100
    assert abs(pitch(played[:48_000, 0], 48_000) - 300) < 2
    assert playing.position == pytest.approx(5.0)  # the end, on the call's clock
    assert playing.queued_until == pytest.approx(5.0)


def test_a_clip_at_16_khz_plays_its_samples_unchanged_then_silence() -> None:
    tone = stepped_tones(1)
    playing = Playing(at=0.0, rate=SAMPLE_RATE, channels=1, tail_frames=64)
    playing.extend(pcm(tone), final=True)

    played = drain(playing, block=300)

    assert np.array_equal(played[: len(tone), 0], tone)
    assert not played[len(tone) :].any()


def test_a_queue_that_runs_dry_is_a_gap_not_progress() -> None:
    playing = Playing(at=10.0, rate=SAMPLE_RATE, channels=1, tail_frames=0)
    playing.extend(pcm(stepped_tones(1)[:1_600]))  # 0.1 s, more to come
    frames = np.empty((3_200, 1), np.int16)
    playing.fill(frames)
    playing.fill(frames)

    assert playing.position == pytest.approx(10.1)
    assert not playing.done
    playing.extend(b"", final=True)
    playing.fill(frames)
    assert playing.done


def test_two_inputs_are_heard_mixed(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "mic", keep_audio=False) as writer:
        pass
    clinician = stepped_tones(3)
    reviewer = (stepped_tones(2, start=10) // 2).astype(np.int16)
    keep_audio(writer.call_dir, clinician, 0)
    keep_audio(writer.call_dir, reviewer, 1)

    heard = np.frombuffer(CallRecording.of_call(writer.call_dir).read(1.0, 2.5), "<i2")

    part = slice(SAMPLE_RATE, SAMPLE_RATE * 5 // 2)
    expected = clinician[part].astype(np.int32)
    expected[:SAMPLE_RATE] += reviewer[SAMPLE_RATE:]  # the reviewer's line ends at 2 s
    assert np.array_equal(heard, np.clip(expected, -32768, 32767))


def test_an_unreadable_input_is_one_line_and_the_other_still_plays(tmp_path: Path) -> None:
    call_dir = tmp_path / "call"
    call_dir.mkdir()
    keep_audio(call_dir, stepped_tones(2), 0)
    (call_dir / "audio-1.flac").write_bytes(b"fLaC" + bytes(range(200)))
    recording = CallRecording.of_call(call_dir)

    heard = recording.read(0.0, 1.0)
    recording.read(1.0, 2.0)

    assert heard == pcm(stepped_tones(2)[:SAMPLE_RATE])
    assert len(recording.problems) == 1  # once, not at every read
    assert "audio-1.flac" in recording.problems[0] and "\n" not in recording.problems[0]


def test_when_no_input_reads_the_first_problem_is_the_one_line(tmp_path: Path) -> None:
    call_dir = tmp_path / "call"
    call_dir.mkdir()
    (call_dir / "audio-0.flac").write_bytes(b"not audio at all")

    with pytest.raises(UserError, match=r"audio-0\.flac: cannot be read as audio") as raised:
        CallRecording.of_call(call_dir).read(0.0, 1.0)
    assert "\n" not in str(raised.value)


def test_a_call_without_kept_audio_says_so(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        CallRecording.of_call(tmp_path).read(0.0, 1.0)
    assert str(raised.value) == NO_AUDIO


def test_a_cut_file_plays_to_the_cut_and_says_where_it_ends(tmp_path: Path) -> None:
    call_dir = tmp_path / "call"
    call_dir.mkdir()
    whole = keep_audio(call_dir, stepped_tones(80), 0).read_bytes()
    (call_dir / "audio-0.flac").write_bytes(whole[: len(whole) // 2])
    recording = CallRecording.of_call(call_dir)

    early = recording.read(5.0, 6.0)
    late = recording.read(70.0, 71.0)

    assert early == pcm(stepped_tones(1, start=5))
    assert late == b""
    message = str(recording.nothing_at(70.0))
    assert "01:10" in message and "audio-0.flac" in message


@pytest.mark.parametrize(
    ("seconds", "line"), [(0.5, None), (2.0, 0), (9.9, 0), (10.0, 2), (14.0, 2), (99.0, 3)]
)
def test_the_line_heard_is_the_last_to_start_before_it(seconds: float, line: int | None) -> None:
    # The second line has no time of its own: playback never lands on it.
    assert line_at([2.0, None, 10.0, 20.0], seconds) == line


ALSA_COMPLAINS = """
import ctypes, ctypes.util, sys
if sys.argv[1] == "quiet":
    from p2p_assist.audio.alsa_messages import quiet_alsa
    quiet_alsa()
handle = ctypes.c_void_p()
ctypes.CDLL(ctypes.util.find_library("asound")).snd_pcm_open(
    ctypes.byref(handle), b"no-such-device", 0, 0
)
"""


@pytest.mark.parametrize("quiet", [False, True])
def test_alsa_says_nothing_on_the_screen_once_quieted(quiet: bool) -> None:
    """The TUI draws on stderr, where libasound prints its complaints."""
    run = [sys.executable, "-c", ALSA_COMPLAINS, "quiet" if quiet else "loud"]
    result = subprocess.run(run, capture_output=True, text=True, check=True)

    assert ("ALSA lib" in result.stderr) is not quiet
