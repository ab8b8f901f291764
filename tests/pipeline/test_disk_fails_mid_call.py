"""The case folder fails mid-call (the disk fills): nothing said is lost. The screen says so at
once, and ending the call saves every line to the fallback folder and says where — it never
claims the call was saved where it was not."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from report_support import CASE, copy_case, demo_case

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.lifecycle.finish import finish_call
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import SessionError, UtteranceHeard
from p2p_assist.transcript import writer as writer_module
from p2p_assist.transcript.audio_file import length_seconds
from p2p_assist.transcript.reader import read_call
from p2p_assist.transcript.records import Utterance


def test_disk_full_mid_call_saves_every_line_elsewhere_and_says_where(
    tmp_path: Path, short_call: Path, matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = copy_case(tmp_path)
    real_append = writer_module.append_durably
    written = 0

    def fills_after_two_lines(fd: int, data: bytes) -> None:
        """The disk holding the cases folder fills after two lines; the fallback has room."""
        nonlocal written
        in_cases = Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(cases)
        if in_cases and written >= 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written += in_cases
        real_append(fd, data)

    monkeypatch.setattr(writer_module, "append_durably", fills_after_two_lines)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, WavFileSource(short_call), matcher)
    session.start()
    events = list(session.events(timeout=120))
    heard = [event for event in events if isinstance(event, UtteranceHeard)]
    errors = [event.message for event in events if isinstance(event, SessionError)]
    assert len(heard) >= 3
    assert any("No space left on device" in e and "in memory" in e for e in errors)
    first_folder = session.call_dir
    fallback = tmp_path / "unsaved"
    finished = finish_call(session, demo_case(cases), matcher.library, fallback=fallback)
    assert finished.closed.saved and finished.call_dir is not None
    assert fallback in finished.call_dir.parents and finished.call_dir != first_folder
    saved = [r for r in read_call(finished.call_dir).records if isinstance(r, Utterance)]
    assert [u.text for u in saved] == [e.text for e in heard]  # every line, in order
    assert finished.lines[0] == f"call saved to {finished.call_dir}"
    assert any("saved instead to" in line for line in finished.lines)
    assert (finished.call_dir / "note.md").is_file()  # written up where it was saved
    recording = WavFileSource(short_call).duration
    assert length_seconds(finished.call_dir / "audio-0.flac") == pytest.approx(recording, abs=0.1)


def test_when_no_folder_can_be_written_it_says_the_call_was_not_saved(
    tmp_path: Path, short_call: Path, matcher: Matcher
) -> None:
    cases = copy_case(tmp_path)
    (cases / CASE / "calls").write_text("not a folder")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the fallback folder should be")
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    session = build_session(plan, WavFileSource(short_call), matcher)
    session.start()
    list(session.events(timeout=120))
    finished = finish_call(session, demo_case(cases), matcher.library, fallback=blocked)
    assert not finished.closed.saved and finished.call_dir is None
    assert finished.lines[0] == "the call could NOT be saved"
    assert not any(line.startswith("call saved") for line in finished.lines)
