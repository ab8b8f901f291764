"""The call's audio through the real pipeline (flite speech -> pocketsphinx -> saved call):
kept as long as the recording, or not at all when asked, and one length in every file even
when the recording plays faster than real time."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from demo_cases import copy_demo_cases
from report_support import durations_shown

from p2p_assist.audio.base import CHUNK_SECONDS
from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.formatting import clock
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import load_library
from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.transcript.audio_file import audio_files, length_seconds, samples
from p2p_assist.transcript.export import EXPORTERS
from p2p_assist.transcript.reader import list_calls, read_call

CASE = "demo-ra-biologic"


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)


def transcribe_and_save(cases: Path, audio: Path, *extra: str) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "--cases", str(cases), "transcribe", str(audio),
         "--case", CASE, "--engine", "pocketsphinx", "--save", *extra],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    return list_calls(cases, CASE)[0]


def duration_in_json(call_dir: Path) -> float:
    document = json.loads(EXPORTERS["json"](read_call(call_dir)))
    seconds: float = document["duration_seconds"]
    return seconds


@pytest.mark.slow
def test_a_saved_recording_keeps_audio_as_long_as_it_and_no_audio_keeps_none(
    cases: Path, short_call: Path, tts: None
) -> None:
    recording = WavFileSource(short_call).duration
    call_dir = transcribe_and_save(cases, short_call)
    [kept] = audio_files(call_dir)
    assert abs(length_seconds(kept) - recording) <= CHUNK_SECONDS
    heard = np.concatenate(list(samples(kept)))
    original, _ = soundfile.read(short_call, dtype="int16")
    assert np.array_equal(heard, original[: len(heard)])  # what the recogniser heard, exactly
    assert (kept.stat().st_mode & 0o777) == 0o600
    assert duration_in_json(call_dir) == length_seconds(kept)

    without = transcribe_and_save(cases, short_call, "--no-audio")
    assert audio_files(without) == []
    assert duration_in_json(without) == duration_in_json(call_dir)
    assert "- Audio: none was kept" in (without / "note.md").read_text()


@pytest.mark.slow
def test_keep_audio_false_in_case_toml_keeps_none(cases: Path, short_call: Path, tts: None) -> None:
    toml = cases / CASE / "case.toml"
    toml.write_text("keep_audio = false\n" + toml.read_text())
    call_dir = transcribe_and_save(cases, short_call)
    assert audio_files(call_dir) == []
    assert read_call(call_dir).records  # the transcript is kept all the same


@pytest.mark.slow
def test_a_practice_call_at_four_times_real_time_has_one_length_in_every_file(
    cases: Path, short_call: Path, tts: None
) -> None:
    library = load_library()
    case = load_case(cases, CASE)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", True)
    source = WavFileSource(short_call, paced=True, speed=4.0)
    session = build_session(plan, source, case=case)
    session.start()
    for _ in session.events():
        pass
    finished = finish_call(session, case, library)
    call_dir = finished.call_dir
    assert call_dir is not None and finished.reports is not None

    # The wall clock saw about a quarter of the recording's length go by.
    length = clock(source.duration)
    shown = durations_shown(call_dir)
    assert shown == dict.fromkeys(shown, length)


@pytest.mark.slow
def test_audio_lost_with_the_failed_folder_is_reported_when_the_call_ends(
    tmp_path: Path, cases: Path, short_call: Path, tts: None
) -> None:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", True)
    session = build_session(plan, WavFileSource(short_call))
    first = session.call_dir
    assert first is not None
    session.start()
    for _ in session.events():
        pass
    # The case folder's disk is pulled out: its audio cannot be read back, nor can anything be
    # written there (a file where calls/ was).
    shutil.rmtree(first.parent)
    first.parent.write_text("not a folder any more")
    case = load_case(cases, CASE)
    finished = finish_call(session, case, load_library(), fallback=tmp_path / "usb")
    assert finished.call_dir is not None and finished.call_dir.is_relative_to(tmp_path / "usb")
    [lost] = [line for line in finished.lines if "could not be read back" in line]
    assert lost.startswith(f"{first / 'audio-0.flac'}: the audio from 00:00 to ")
    kept = finished.call_dir / "audio-0.flac"
    recording = WavFileSource(short_call).duration
    assert abs(length_seconds(kept) - recording) <= CHUNK_SECONDS  # silence keeps the times
