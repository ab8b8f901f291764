"""audio_retention_days in case.toml: the start-up step deletes older audio and says so, and
keeps the transcripts, the notes, newer audio and the audio of a call still being recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from audio_support import CHUNK, signal_pcm
from report_support import CASE, copy_case, demo_case
from transcript_support import unwritable

from p2p_assist.basics.durable import write_atomic
from p2p_assist.basics.errors import UserError
from p2p_assist.cases.model import Case
from p2p_assist.cases.store import load_case
from p2p_assist.lifecycle.startup import delete_expired_audio
from p2p_assist.transcript import TranscriptWriter, open_new_call
from p2p_assist.transcript.audio_file import audio_files
from p2p_assist.transcript.reader import load_meta
from p2p_assist.transcript.records import now


def call_with_audio(cases: Path, days_ago: float, close: bool = True) -> TranscriptWriter:
    """A call with a second of audio whose call.json says it began `days_ago` days ago."""
    writer = open_new_call(cases, CASE, "live", "pocketsphinx", "microphone")
    for sent in range(0, 16_000, CHUNK):
        writer.append_audio(0, signal_pcm(sent, CHUNK))
    if close:
        writer.close()
    started = now() - dt.timedelta(days=days_ago)
    meta = load_meta(writer.call_dir).model_copy(update={"started": started})
    write_atomic(writer.call_dir / "call.json", meta.to_json())
    return writer


def keeping(cases: Path, days: int | None) -> Case:
    return demo_case(cases).model_copy(update={"audio_retention_days": days})


def test_audio_older_than_the_setting_is_deleted_with_one_line_saying_so(
    tmp_path: Path,
) -> None:
    cases = copy_case(tmp_path)
    old = [call_with_audio(cases, 40).call_dir, call_with_audio(cases, 31).call_dir]
    recent = call_with_audio(cases, 29).call_dir
    size = sum(path.stat().st_size for folder in old for path in audio_files(folder))

    [line] = delete_expired_audio(cases, CASE, keeping(cases, 30))

    assert line.startswith("deleted the audio of 2 call(s) older than 30 days (2 file(s), ")
    assert f"{size / 1e6:.1f} MB" in line and "audio_retention_days" in line
    assert [audio_files(folder) for folder in old] == [[], []]
    assert (old[0] / "transcript.jsonl").is_file() and (old[0] / "transcript.md").is_file()
    assert [path.name for path in audio_files(recent)] == ["audio-0.flac"]
    assert delete_expired_audio(cases, CASE, keeping(cases, 30)) == []  # nothing more to say


def test_without_the_setting_audio_is_kept_for_good(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    folder = call_with_audio(cases, 400).call_dir
    assert delete_expired_audio(cases, CASE, keeping(cases, None)) == []
    assert delete_expired_audio(cases, CASE, None) == []
    assert len(audio_files(folder)) == 1


def test_a_call_being_recorded_keeps_its_audio(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    live = call_with_audio(cases, 90, close=False)
    assert delete_expired_audio(cases, CASE, keeping(cases, 30)) == []
    live.close()
    assert len(audio_files(live.call_dir)) == 1


def test_audio_that_cannot_be_deleted_is_one_line_and_the_call_goes_on(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    folder = call_with_audio(cases, 40).call_dir
    with unwritable(folder):
        [line] = delete_expired_audio(cases, CASE, keeping(cases, 30))
    assert line.startswith(f"{folder / 'audio-0.flac'}: cannot delete audio older than 30 days (")
    assert line.endswith("tried again next start") and "\n" not in line
    assert len(audio_files(folder)) == 1


def test_the_settings_are_read_from_case_toml_and_checked(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    toml = cases / CASE / "case.toml"
    text = toml.read_text()
    toml.write_text("keep_audio = false\naudio_retention_days = 14\n" + text)
    case = load_case(cases, CASE)
    assert (case.keep_audio, case.audio_retention_days) == (False, 14)
    toml.write_text("audio_retention_days = 0\n" + text)
    with pytest.raises(UserError, match="audio_retention_days"):
        load_case(cases, CASE)
