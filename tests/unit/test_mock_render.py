"""Rendering mock calls: real flite/espeak-ng speech, 16 kHz mono WAV, timeline answer key."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.errors import UserError
from p2p_assist.cli.main import main
from p2p_assist.mock.channel import REVERB_TAIL_SECONDS
from p2p_assist.mock.render import LEAD_SECONDS, render_script
from p2p_assist.mock.script import MockScript, load_script
from p2p_assist.mock.timeline import Timeline, load_timeline, timeline_path

SCRIPT = """
title = "Knee arthroscopy denial"
case_id = "demo-knee"

[[turns]]
speaker = "reviewer"
text = "The notes do not document a trial of physical therapy."
pause_after = 1.2
expect = ["conservative-therapy"]
captures = { reviewer_name = "Doctor Patel" }

[[turns]]
speaker = "clinician"
text = "The patient completed eight weeks of physical therapy without relief."

[[turns]]
speaker = "reviewer"
text = "Thank you, I will take that into account."
pause_after = 0.3
"""


@pytest.fixture(scope="module")
def script_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("script") / "knee.toml"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tts: None, script_path: Path) -> tuple[Path, Timeline]:
    out = script_path.parent / "out" / "knee.wav"
    return out, render_script(load_script(script_path), out, engine="flite")


def read_wav(path: Path) -> tuple[wave._wave_params, np.ndarray]:
    with wave.open(str(path)) as reader:
        params = reader.getparams()
        samples = np.frombuffer(reader.readframes(params.nframes), dtype="<i2")
    return params, samples.astype(np.float64) / 32768


def median_pitch(samples: np.ndarray, rate: int = 16_000) -> float:
    """Autocorrelation F0 over voiced 40 ms frames: enough to tell a male from a female voice."""
    frame = int(0.04 * rate)
    shortest, longest = rate // 400, rate // 60
    pitches = []
    for start in range(0, len(samples) - frame, frame // 2):
        window = samples[start : start + frame] * np.hanning(frame)
        if np.sqrt(np.mean(window**2)) < 0.02:
            continue
        corr = np.correlate(window, window, "full")[frame - 1 :]
        lag = shortest + int(np.argmax(corr[shortest:longest]))
        if corr[lag] > 0.5 * corr[0]:
            pitches.append(rate / lag)
    return float(np.median(pitches))


def turn_audio(samples: np.ndarray, timeline: Timeline, index: int) -> np.ndarray:
    turn = timeline.turns[index]
    return samples[int(turn.start * 16_000) : int(turn.end * 16_000)]


def test_the_call_is_a_16k_mono_16_bit_wav_as_long_as_the_timeline_says(
    rendered: tuple[Path, Timeline],
) -> None:
    wav, timeline = rendered
    params, _ = read_wav(wav)

    assert (params.framerate, params.nchannels, params.sampwidth) == (16_000, 1, 2)
    assert params.nframes / 16_000 == pytest.approx(timeline.duration, abs=1e-6)
    assert WavFileSource(wav).duration == pytest.approx(timeline.duration, abs=1e-6)


def test_turns_are_ordered_within_the_audio_and_separated_by_their_pauses(
    rendered: tuple[Path, Timeline],
) -> None:
    _, timeline = rendered
    turns = timeline.turns

    assert [turn.index for turn in turns] == [0, 1, 2]
    assert turns[0].start >= LEAD_SECONDS
    assert all(turn.start < turn.end <= timeline.duration for turn in turns)
    assert turns[1].start - turns[0].end >= 1.2
    assert turns[2].start - turns[1].end >= 0.8
    assert timeline.duration - turns[2].end >= 0.3


def test_speech_fills_each_turn_and_silence_the_gaps(rendered: tuple[Path, Timeline]) -> None:
    wav, timeline = rendered
    _, samples = read_wav(wav)
    # The reviewer's speakerphone room rings on for a moment after the voice stops.
    ring = REVERB_TAIL_SECONDS if timeline.turns[0].channel == "speakerphone" else 0.0
    gap = samples[
        int((timeline.turns[0].end + ring) * 16_000) + 400 : int(timeline.turns[1].start * 16_000)
        - 400
    ]

    assert np.abs(gap).max() < 0.002
    assert all(np.sqrt(np.mean(turn_audio(samples, timeline, i) ** 2)) > 0.02 for i in range(3))


def test_reviewer_and_clinician_speak_with_different_voices(
    rendered: tuple[Path, Timeline],
) -> None:
    wav, timeline = rendered
    _, samples = read_wav(wav)

    assert [turn.voice for turn in timeline.turns] == ["rms", "slt", "rms"]
    reviewer = median_pitch(turn_audio(samples, timeline, 0))
    clinician = median_pitch(turn_audio(samples, timeline, 1))
    assert clinician > 1.3 * reviewer  # slt is a female voice, rms a male one


def test_the_timeline_json_carries_the_answer_key(rendered: tuple[Path, Timeline]) -> None:
    wav, timeline = rendered

    loaded = load_timeline(timeline_path(wav))

    assert loaded == timeline
    assert loaded.audio == "knee.wav"
    assert (loaded.title, loaded.case_id, loaded.tts) == (
        "Knee arthroscopy denial",
        "demo-knee",
        "flite",
    )
    assert loaded.turns[0].expect == ("conservative-therapy",)
    assert loaded.turns[0].captures == {"reviewer_name": "Doctor Patel"}
    assert loaded.turns[1].text.startswith("The patient completed")


def test_espeak_ng_renders_when_asked_with_distinct_voices(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is required for this test (apt-get install espeak-ng)")
    script = MockScript.model_validate(
        {
            "title": "espeak",
            "turns": [
                {"speaker": "reviewer", "text": "Physical therapy was not documented."},
                {"speaker": "clinician", "text": "Physical therapy was not documented."},
            ],
        }
    )

    timeline = render_script(script, tmp_path / "e.wav", engine="espeak-ng")
    _, samples = read_wav(tmp_path / "e.wav")

    assert timeline.tts == "espeak-ng"
    reviewer = median_pitch(turn_audio(samples, timeline, 0))
    clinician = median_pitch(turn_audio(samples, timeline, 1))
    assert clinician > 1.3 * reviewer


def test_missing_synthesiser_names_the_debian_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script_path: Path
) -> None:
    only_sox = tmp_path / "bin"
    only_sox.mkdir()
    (only_sox / "sox").symlink_to(shutil.which("sox") or "sox")
    monkeypatch.setenv("PATH", str(only_sox))

    with pytest.raises(UserError, match=r"apt-get install flite"):
        render_script(load_script(script_path), tmp_path / "x.wav")


def test_cli_renders_and_prints_duration_and_turns(
    tts: None, script_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "call.wav"

    assert main(["mock", "render", str(script_path), "-o", str(out)]) == 0

    printed = capsys.readouterr().out
    assert f"{out}: " in printed
    assert "3 turns" in printed
    assert "clinician  clean         The patient completed" in printed
    assert "reviewer   speakerphone  The notes do not" in printed
    assert out.exists()
    assert timeline_path(out).exists()


def test_cli_reports_a_bad_script_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[turns]]\nspeaker = "judge"\ntext = "Order."\n', encoding="utf-8")

    assert main(["mock", "render", str(bad), "-o", str(tmp_path / "bad.wav")]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{bad}: turns[0].speaker:" in error


def above_4k_per_voice_band(pcm: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(pcm)) ** 2
    freqs = np.fft.rfftfreq(len(pcm), 1 / 16_000)
    voice = spectrum[(freqs >= 300) & (freqs < 3_400)].sum()
    return float(spectrum[freqs >= 4_000].sum() / voice)


def test_by_default_the_reviewer_is_on_speakerphone_and_the_clinician_speaks_full_band(
    rendered: tuple[Path, Timeline],
) -> None:
    wav, timeline = rendered
    _, samples = read_wav(wav)

    assert [turn.channel for turn in timeline.turns] == ["speakerphone", "clean", "speakerphone"]
    assert load_timeline(timeline_path(wav)).turns[0].channel == "speakerphone"
    assert above_4k_per_voice_band(turn_audio(samples, timeline, 0)) < 1e-5
    assert above_4k_per_voice_band(turn_audio(samples, timeline, 2)) < 1e-5
    assert above_4k_per_voice_band(turn_audio(samples, timeline, 1)) > 1e-3


def test_cli_channel_option_renders_the_clean_call_for_comparison(
    tts: None, script_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clean.wav"

    assert main(["mock", "render", str(script_path), "-o", str(out), "--channel", "clean"]) == 0

    timeline = load_timeline(timeline_path(out))
    _, samples = read_wav(out)
    assert {turn.channel for turn in timeline.turns} == {"clean"}
    assert above_4k_per_voice_band(turn_audio(samples, timeline, 0)) > 1e-3
    assert "reviewer   clean " in capsys.readouterr().out


def test_cli_channel_option_sets_one_speaker(tts: None, script_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "phone.wav"
    options = ["--channel", "clean", "--channel", "clinician=phone"]

    assert main(["mock", "render", str(script_path), "-o", str(out), *options]) == 0

    channels = [turn.channel for turn in load_timeline(timeline_path(out)).turns]
    assert channels == ["clean", "phone", "clean"]


@pytest.mark.parametrize("value", ["walkie-talkie", "judge=phone"])
def test_cli_rejects_an_unknown_channel_or_speaker(
    script_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(
            ["mock", "render", str(script_path), "-o", str(tmp_path / "x.wav"), "--channel", value]
        )

    assert exited.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert "--channel" in error and ("unknown channel" in error or "unknown speaker" in error)
