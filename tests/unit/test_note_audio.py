"""The note says which file holds the call's audio, or that none was kept."""

from __future__ import annotations

from pathlib import Path

from audio_support import CHUNK, signal_pcm
from report_support import copy_case, demo_case, library, write_call

from p2p_assist.report.after_call import write_reports
from p2p_assist.transcript import TranscriptWriter


def note_of(writer: TranscriptWriter, cases: Path) -> str:
    writer.close()
    reports = write_reports(writer.call_dir, demo_case(cases), library())
    assert reports.note is not None
    return reports.note.path.read_text()


def audio_line(note: str) -> str:
    [line] = [line for line in note.splitlines() if line.startswith("- Audio: ")]
    return line


def test_the_note_names_the_kept_audio(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    writer = write_call(cases, close=False)
    writer.append_audio(0, signal_pcm(0, CHUNK))
    line = audio_line(note_of(writer, cases))
    assert line == (
        f"- Audio: audio-0.flac (both sides), in calls/{writer.call_dir.name}/ beside the "
        "transcript"
    )


def test_with_the_reviewer_on_a_second_input_each_file_says_whose_it_is(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    writer = write_call(cases, close=False)
    writer.append_audio(0, signal_pcm(0, CHUNK))
    writer.append_audio(1, signal_pcm(0, CHUNK))
    line = audio_line(note_of(writer, cases))
    assert line.startswith("- Audio: audio-0.flac (clinician), audio-1.flac (reviewer), in calls/")


def test_without_audio_the_note_says_none_was_kept(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    writer = write_call(cases, close=False)  # no audio fed: as with --no-audio
    line = audio_line(note_of(writer, cases))
    assert line.startswith("- Audio: none was kept for this call")
