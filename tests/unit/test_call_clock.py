"""One clock for every file: each time and the call's length are on the audio clock, so a call
that ran faster than real time says the same thing in transcript.md, the exports, the note,
the practice score and review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from audio_support import CHUNK, signal_pcm
from report_support import CASE, copy_case, demo_case, durations_shown, library

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.formatting import clock
from p2p_assist.report.after_call import write_reports
from p2p_assist.report.call_view import open_call
from p2p_assist.transcript import (
    Bookmark,
    CallMeta,
    CaptureEdit,
    Note,
    Record,
    Utterance,
    open_new_call,
    read_call,
)
from p2p_assist.transcript.clock import call_duration, record_times
from p2p_assist.transcript.export import EXPORTERS

START = dt.datetime(2026, 11, 23, 14, 5, 9, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def meta(**fields: object) -> CallMeta:
    return CallMeta.model_validate(
        {
            "case_id": "demo",
            "stamp": "s",
            "kind": "practice",
            "started": START,
            "engine": "pocketsphinx",
            "source": "mock-call.wav",
            "pid": 1,
            "hostname": "h",
            **fields,
        }
    )


def test_records_stamped_with_audio_time_keep_it_whatever_the_wall_clock_says() -> None:
    records: list[Record] = [
        Utterance(t=at(2), start=6.0, end=9.0, text="played at three times real time"),
        Bookmark(t=at(3), stream_time=9.5),
        Note(t=at(4), text="typed", stream_time=12.0),
    ]
    assert record_times(records, START) == [6.0, 9.5, 12.0]


def test_a_record_with_only_wall_time_follows_the_audio_timed_record_before_it() -> None:
    records: list[Record] = [
        CaptureEdit(t=at(1), field="ref", value="1"),  # nothing on the audio clock yet
        Utterance(t=at(10), start=20.0, end=30.0, text="a long turn"),
        CaptureEdit(t=at(14), field="ref", value="47291"),
        Note(t=at(15), text="no audio time"),
    ]
    assert record_times(records, START) == [1.0, 20.0, 34.0, 35.0]
    assert record_times(records[1:], None) == [20.0, 34.0, 35.0]
    assert record_times(records[:1], None) == [None]


def test_the_length_is_the_audio_heard_then_the_last_audio_time_then_wall_time() -> None:
    said = [Utterance(t=at(5), start=10.0, end=14.5, text="hello"), Bookmark(stream_time=15.0)]
    assert call_duration(meta(ended=at(8), stream_seconds=31.0), said) == 31.0
    assert call_duration(meta(ended=at(8)), said) == 15.0  # crashed, no audio kept
    assert call_duration(meta(ended=at(8)), []) == 8.0
    assert call_duration(None, []) is None


def played_fast(cases: Path) -> Path:
    """30 s of audio written in a fraction of a second of wall time, as a recording played
    faster than real time is: utterances on the audio clock, the wall clock far behind."""
    with open_new_call(cases, CASE, "practice", "pocketsphinx", "mock-call.wav") as writer:
        for sent in range(0, 30 * SAMPLE_RATE, CHUNK):
            writer.append_audio(0, signal_pcm(sent, CHUNK))
        writer.append(Utterance(start=2.0, end=6.0, speaker="reviewer", text="hello doctor"))
        writer.append(Utterance(start=20.0, end=26.5, speaker="clinician", text="thank you"))
        writer.append(Note(text="typed during the call"))
    return writer.call_dir


def test_every_file_gives_the_call_the_length_of_its_audio(tmp_path: Path) -> None:
    call_dir = played_fast(copy_case(tmp_path))
    write_reports(call_dir, demo_case(call_dir.parents[2]), library())
    shown = durations_shown(call_dir)
    assert shown == dict.fromkeys(shown, "00:30")


def test_every_file_puts_a_note_typed_without_audio_time_at_the_same_moment(
    tmp_path: Path,
) -> None:
    call_dir = played_fast(copy_case(tmp_path))
    write_reports(call_dir, demo_case(call_dir.parents[2]), library())
    call = read_call(call_dir)
    # Typed just after the thank-you ended at 00:26.5 of audio, a moment of wall time after
    # the call began: on the wall clock it would sit at 00:00, before everything said.
    assert "[00:26] Note: typed during the call" in EXPORTERS["txt"](call)
    assert "[00:26] Note: typed during the call" in EXPORTERS["md"](call)
    assert "- Note at 00:26: typed during the call" in (call_dir / "note.md").read_text()
    entries = open_call(call_dir, library()).entries
    assert [clock(entry.seconds) for entry in entries] == ["00:02", "00:20", "00:26"]
