"""The speaker cues on real speech: flite voices heard straight into the microphone and over a
rendered speakerphone (mock/channel.py), through the cue frames and the labeller."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from speech import render_speech

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.mock.channel import REVERB_TAIL_SECONDS, apply_channel
from p2p_assist.voice.cues import FrameCues, UtteranceCues
from p2p_assist.voice.labeller import SpeakerLabeller

LINES = {
    "slt": "She has tried two preferred drugs already, each for the full twelve weeks.",
    "rms": "Our policy asks for a trial of the preferred biosimilar before this one.",
    "kal16": "I can send the pharmacy records from both of those trials today.",
}


def pcm_of(path: Path) -> np.ndarray:
    with wave.open(str(path)) as reader:
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").copy()


@pytest.fixture(scope="module")
def spoken(tts: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    folder = tmp_path_factory.mktemp("voices")
    pad = np.zeros(int(REVERB_TAIL_SECONDS * SAMPLE_RATE), dtype=np.int16)
    return {
        voice: np.concatenate([pcm_of(render_speech(text, folder / f"{voice}.wav", voice)), pad])
        for voice, text in LINES.items()
    }


def cues_of(pcm: np.ndarray) -> UtteranceCues:
    frames = FrameCues()
    frames.feed(pcm.astype("<i2").tobytes())
    cues = frames.cues(0.0, len(pcm) / SAMPLE_RATE)
    assert cues is not None
    return cues


@pytest.mark.parametrize("voice", sorted(LINES))
def test_a_voice_in_the_room_is_full_band_and_one_over_the_phone_is_not(
    spoken: dict[str, np.ndarray], voice: str
) -> None:
    near = cues_of(spoken[voice])
    far = cues_of(apply_channel(spoken[voice], "speakerphone"))

    assert near.high_db > -35  # flite's voices reach well above 4 kHz
    assert far.high_db < -45  # the line cuts everything above the telephone band
    assert far.low_db < near.low_db - 10  # and below it


def test_the_mean_cepstrum_tells_two_voices_apart_more_than_two_lines_of_one(
    spoken: dict[str, np.ndarray], tmp_path: Path
) -> None:
    other = pcm_of(render_speech("Thank you, I will note that in the file.", tmp_path / "a.wav"))
    slt, slt_again, rms = (cues_of(pcm) for pcm in (spoken["slt"], other, spoken["rms"]))

    def distance(a: UtteranceCues, b: UtteranceCues) -> float:
        return float(np.linalg.norm(np.subtract(a.cepstrum, b.cepstrum)))

    assert distance(slt, slt_again) < distance(slt, rms)


def test_frames_fed_in_chunks_give_the_cues_of_frames_fed_at_once(
    spoken: dict[str, np.ndarray],
) -> None:
    whole = cues_of(spoken["rms"])
    chunked = FrameCues()
    data = spoken["rms"].astype("<i2").tobytes()
    for start in range(0, len(data), 3_202):  # odd sizes: frames straddle chunks
        chunked.feed(data[start : start + 3_202])

    assert chunked.cues(0.0, len(spoken["rms"]) / SAMPLE_RATE) == whole


def test_silence_gives_no_cues() -> None:
    frames = FrameCues()
    frames.feed(bytes(SAMPLE_RATE * 2 * 3))

    assert frames.cues(0.0, 3.0) is None


def test_the_labeller_tells_the_near_side_from_the_far_side_along_a_call(
    spoken: dict[str, np.ndarray],
) -> None:
    """Reviewer rms over the speakerphone, clinician slt into the microphone, turn by turn."""
    labeller = SpeakerLabeller()
    clock = 0.0
    got: list[tuple[str, str | None]] = []
    for turn in range(6):
        speaker = "reviewer" if turn % 2 == 0 else "clinician"
        audio = (
            apply_channel(spoken["rms"], "speakerphone") if speaker == "reviewer" else spoken["slt"]
        )
        labeller.feed(audio.astype("<i2").tobytes())
        seconds = len(audio) / SAMPLE_RATE
        got.append((speaker, labeller.final(clock, clock + seconds).speaker))
        clock += seconds

    assert [label for _, label in got] == [speaker for speaker, _ in got]


def test_what_the_clinician_marks_stands_over_the_sound(spoken: dict[str, np.ndarray]) -> None:
    labeller = SpeakerLabeller()
    far = apply_channel(spoken["rms"], "speakerphone")
    labeller.feed(far.astype("<i2").tobytes())

    assert labeller.final(0.0, len(far) / SAMPLE_RATE, "clinician").speaker == "clinician"


def test_a_partial_is_judged_on_what_was_said_since_the_last_line(
    spoken: dict[str, np.ndarray],
) -> None:
    labeller = SpeakerLabeller()
    near = spoken["slt"]
    far = apply_channel(spoken["rms"], "speakerphone")
    labeller.feed(far.astype("<i2").tobytes())
    first_end = len(far) / SAMPLE_RATE
    assert labeller.final(0.0, first_end).speaker == "reviewer"
    labeller.feed(near[: SAMPLE_RATE * 2].astype("<i2").tobytes())

    assert labeller.partial(first_end + 2.0).speaker == "clinician"


def test_steady_room_noise_does_not_make_the_far_side_sound_full_band(
    spoken: dict[str, np.ndarray],
) -> None:
    """Noise at the microphone fills the band the phone line leaves empty; its level, learnt
    from the pauses, is taken out of the speech."""
    rng = np.random.default_rng(3)
    far = apply_channel(spoken["rms"], "speakerphone").astype(np.float64)
    near = spoken["slt"].astype(np.float64)
    pause = np.zeros(SAMPLE_RATE * 2)
    call = np.concatenate([pause, far, pause, near, pause])
    call += rng.normal(0.0, 32768 * 10 ** (-45 / 20), len(call))
    frames = FrameCues()
    frames.feed(np.clip(call, -32768, 32767).astype("<i2").tobytes())
    far_start = 2.0
    near_start = far_start + len(far) / SAMPLE_RATE + 2.0
    heard_far = frames.cues(far_start, far_start + len(far) / SAMPLE_RATE)
    heard_near = frames.cues(near_start, near_start + len(near) / SAMPLE_RATE)

    assert heard_far is not None and heard_near is not None
    assert heard_far.high_db < -45
    assert heard_near.high_db > -35


def test_a_line_that_runs_the_far_side_into_the_near_side_is_unknown(
    spoken: dict[str, np.ndarray],
) -> None:
    """The endpointer heard no pause between the reviewer and the clinician: the line holds
    both, so it is nobody's for sure (and may still raise the reviewer's card)."""
    labeller = SpeakerLabeller()
    far = apply_channel(spoken["rms"], "speakerphone")
    labeller.feed(far.astype("<i2").tobytes())
    assert labeller.final(0.0, len(far) / SAMPLE_RATE).speaker == "reviewer"
    both = np.concatenate([far, spoken["slt"]])
    labeller.feed(both.astype("<i2").tobytes())
    start = len(far) / SAMPLE_RATE

    cues = FrameCues()
    cues.feed(both.astype("<i2").tobytes())
    assert cues.cues(0.0, len(both) / SAMPLE_RATE).mixed  # type: ignore[union-attr]
    assert labeller.final(start, start + len(both) / SAMPLE_RATE).speaker is None
