"""The call's kept audio: owner-only FLAC beside the transcript, every sample read back, and
safe against a kill, a full disk and a lost folder, as the transcript is."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from audio_support import CHUNK, signal_pcm
from transcript_support import CASE_ID, make_cases, mode

from p2p_assist.basics.audio_format import SAMPLE_RATE
from p2p_assist.basics.errors import UserError
from p2p_assist.cli.main import build_parser
from p2p_assist.transcript import close_unfinished, open_new_call, read_call
from p2p_assist.transcript.audio_file import (
    audio_files,
    length_seconds,
    read_pcm,
    samples,
)

TESTS = str(Path(__file__).resolve().parents[1])


def read_all(path: Path) -> np.ndarray:
    return np.concatenate([np.zeros(0, np.int16), *samples(path)])


def expected(start: int, stop: int) -> np.ndarray:
    return np.frombuffer(signal_pcm(start, stop - start), "<i2")


def feed(writer: Any, channel: int, start: int, seconds: float) -> int:
    """Append `seconds` of the test signal in 0.1 s chunks; returns the next sample."""
    for _ in range(round(seconds * SAMPLE_RATE / CHUNK)):
        writer.append_audio(channel, signal_pcm(start, CHUNK))
        start += CHUNK
    return start


def test_each_input_is_kept_owner_only_and_reads_back_sample_for_sample(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # the modes must not depend on the umask
    try:
        with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "mic") as writer:
            feed(writer, 0, 0, 3.0)
            feed(writer, 1, 0, 2.0)
    finally:
        os.umask(old_umask)
    files = audio_files(writer.call_dir)
    assert [path.name for path in files] == ["audio-0.flac", "audio-1.flac"]
    assert [mode(path) for path in files] == [0o600, 0o600]
    assert mode(writer.call_dir) == 0o700
    assert np.array_equal(read_all(files[0]), expected(0, 3 * SAMPLE_RATE))
    assert np.array_equal(read_all(files[1]), expected(0, 2 * SAMPLE_RATE))
    meta = read_call(writer.call_dir).meta
    assert meta is not None and meta.stream_seconds == 3.0  # the longer input


def test_a_time_range_reads_back_for_review(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "mic") as writer:
        feed(writer, 0, 0, 4.0)
    path = audio_files(writer.call_dir)[0]
    assert read_pcm(path, 1.25, 2.5) == signal_pcm(20_000, 20_000)
    assert read_pcm(path, 3.5, 9.0) == signal_pcm(56_000, 8_000)  # cut short at the end
    assert read_pcm(path, 5.0, 6.0) == b""
    assert length_seconds(path) == 4.0


def test_without_audio_nothing_is_written_but_the_length_is_still_counted(
    tmp_path: Path,
) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "mic", keep_audio=False) as writer:
        feed(writer, 0, 0, 2.5)
    assert audio_files(writer.call_dir) == []
    meta = read_call(writer.call_dir).meta
    assert meta is not None and meta.stream_seconds == 2.5


def test_audio_after_the_call_closed_is_not_kept(tmp_path: Path) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "mic") as writer:
        feed(writer, 0, 0, 1.0)
    feed(writer, 0, SAMPLE_RATE, 1.0)  # a chunk still in flight when end() closed the call
    assert length_seconds(audio_files(writer.call_dir)[0]) == 1.0


@pytest.mark.parametrize("cut", [100, 5_000, 40_001, -1])
def test_a_file_cut_anywhere_reads_back_exactly_up_to_the_cut(tmp_path: Path, cut: int) -> None:
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "mic") as writer:
        feed(writer, 0, 0, 5.0)
    whole = audio_files(writer.call_dir)[0].read_bytes()
    cut_file = tmp_path / "cut.flac"
    cut_file.write_bytes(whole[:cut])
    got = read_all(cut_file)
    assert np.array_equal(got, expected(0, len(got)))
    if cut > 20_000:  # a cut after the first frames keeps them
        assert len(got) > 0


def test_a_file_that_is_not_audio_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "audio-0.flac"
    path.write_bytes(b"not a flac file at all" * 10)
    with pytest.raises(UserError) as raised:
        read_pcm(path, 0, 1)
    message = str(raised.value)
    assert message.startswith(f"{path}: cannot be read as audio (") and "\n" not in message


# A separate process writing audio as fast as it can, so the kill lands mid-frame.
WRITE_AUDIO_FOREVER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from audio_support import CHUNK, signal_pcm
from p2p_assist.transcript import open_new_call

writer = open_new_call(Path(sys.argv[1]), sys.argv[2], "live", "scripted", "test")
print(writer.call_dir, flush=True)
sent = 0
while True:
    writer.append_audio(0, signal_pcm(sent, CHUNK))
    sent += CHUNK
    print(sent, flush=True)
"""


def test_sigkill_keeps_every_sample_up_to_the_last_second(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", WRITE_AUDIO_FOREVER, str(cases), CASE_ID, TESTS],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        call_dir = Path(process.stdout.readline().strip())
        sent = 0
        while sent < 30 * SAMPLE_RATE:
            sent = int(process.stdout.readline())
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    audio = call_dir / "audio-0.flac"

    kept = read_all(audio)
    assert len(kept) >= sent - SAMPLE_RATE
    assert np.array_equal(kept, expected(0, len(kept)))

    call = close_unfinished(call_dir)  # recovery finishes the file: it now seeks and has a length
    assert call.meta is not None and call.meta.stream_seconds == length_seconds(audio)
    assert length_seconds(audio) == len(kept) / SAMPLE_RATE
    assert read_pcm(audio, 20.0, 21.0) == signal_pcm(20 * SAMPLE_RATE, SAMPLE_RATE)
    assert mode(audio) == 0o600


# Runs in its own process: the size limit applies to every file the process writes.
FILL_THE_DISK = """
import json, resource, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from audio_support import CHUNK, signal_pcm
from p2p_assist.transcript import open_new_call

cases, elsewhere, lose_old = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "lose"
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with EFBIG instead
writer = open_new_call(cases, "demo", "live", "vosk", "microphone")
sent = 0

def feed(seconds):
    global sent
    for _ in range(seconds * 10):
        writer.append_audio(0, signal_pcm(sent, CHUNK))
        sent += CHUNK

feed(5)
audio = writer.call_dir / "audio-0.flac"
unlimited = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (audio.stat().st_size + 3000, unlimited[1]))
feed(5)
report = {"first": str(writer.call_dir), "message": writer.degraded_message}
resource.setrlimit(resource.RLIMIT_FSIZE, unlimited)
if lose_old:
    audio.unlink()  # as if its disk had been pulled out
report["saved"] = str(writer.save_to(elsewhere))
report["problems"] = writer.take_audio_problems()
feed(2)
writer.close()
report["sent"] = sent
print(json.dumps(report))
"""


def fill_the_disk(tmp_path: Path, lose_old: bool) -> dict[str, Any]:
    command = [
        sys.executable,
        "-c",
        FILL_THE_DISK,
        str(make_cases(tmp_path)),
        str(tmp_path / "usb"),
        "lose" if lose_old else "keep",
        TESTS,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_full_disk_holds_the_audio_and_saving_elsewhere_carries_all_of_it(
    tmp_path: Path,
) -> None:
    report = fill_the_disk(tmp_path, lose_old=False)
    assert report["message"].startswith(f"{report['first']}/audio-0.flac: cannot save the call (")
    assert "\n" not in report["message"]
    saved = Path(report["saved"])
    assert saved.is_relative_to(tmp_path / "usb")
    moved = saved / "audio-0.flac"
    assert mode(moved) == 0o600
    assert np.array_equal(read_all(moved), expected(0, report["sent"]))
    assert report["problems"] == []
    meta = read_call(saved).meta
    assert meta is not None and meta.stream_seconds == report["sent"] / SAMPLE_RATE


def test_audio_lost_with_its_folder_is_reported_and_silence_keeps_the_times(
    tmp_path: Path,
) -> None:
    report = fill_the_disk(tmp_path, lose_old=True)
    [problem] = report["problems"]
    assert problem.startswith(f"{report['first']}/audio-0.flac: the audio from 00:00 to 00:0")
    assert "could not be read back" in problem and "silence" in problem
    kept = read_all(Path(report["saved"]) / "audio-0.flac")
    assert len(kept) == report["sent"]  # the times in the transcript still match the audio
    silent = int(np.flatnonzero(kept)[0])
    assert 0 < silent < 10 * SAMPLE_RATE
    assert np.array_equal(kept[silent:], expected(silent, report["sent"]))


def test_a_folder_that_cannot_take_the_call_leaves_the_audio_where_it_was(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the other folder should be")
    with open_new_call(make_cases(tmp_path), CASE_ID, "live", "vosk", "mic") as writer:
        sent = feed(writer, 0, 0, 1.0)
        with pytest.raises(UserError, match="cannot save the call there"):
            writer.save_to(blocked)
        sent = feed(writer, 0, sent, 1.0)
    assert np.array_equal(read_all(writer.call_dir / "audio-0.flac"), expected(0, sent))


@pytest.mark.parametrize("command", [["call", "x"], ["practice", "x"], ["transcribe", "x.wav"]])
def test_each_command_that_saves_a_call_can_leave_out_its_audio(command: list[str]) -> None:
    assert build_parser().parse_args([*command, "--no-audio"]).no_audio is True
    assert build_parser().parse_args(command).no_audio is False
