"""What a crash or a full disk leaves behind on the next start: an empty lock, a matcher cache
cut short. Each is noticed, mended and said in one line; nothing is lost."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CASE, REPO, Cli, copy_cases

from p2p_assist.basics.locations import cache_dir
from p2p_assist.library.load import load_library
from p2p_assist.matching.classifier import cache_path
from p2p_assist.matching.matcher import Matcher, training_set
from p2p_assist.transcript import Utterance, close_unfinished, find_unfinished, open_new_call
from p2p_assist.transcript.lock import LOCK_NAME, holder
from p2p_assist.transcript.reader import read_call

pytestmark = pytest.mark.fault

STEP_LINE = b"Has she tried the preferred drug first?\n"


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    return int(done.stdout)


def crash_with_empty_lock(cases: Path) -> Path:
    """A call whose writer died right after creating writer.lock, before writing into it."""
    writer = open_new_call(cases, CASE, "live", "test", "test")
    for number in range(3):
        writer.append(Utterance(start=number, end=number + 1, text=f"kept {number}"))
    call_dir = writer.call_dir
    saved = {name: (call_dir / name).read_bytes() for name in ("call.json", "transcript.jsonl")}
    shutil.rmtree(call_dir)  # rebuild the folder as the dead process would have left it
    call_dir.mkdir(mode=0o700)
    meta = json.loads(saved["call.json"])
    meta.update(pid=dead_pid(), hostname=socket.gethostname())
    (call_dir / "call.json").write_text(json.dumps(meta))
    (call_dir / "transcript.jsonl").write_bytes(saved["transcript.jsonl"])
    (call_dir / LOCK_NAME).write_bytes(b"")
    return call_dir


def test_an_empty_lock_left_by_a_crash_is_recovered(tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    call_dir = crash_with_empty_lock(cases)
    assert holder(call_dir) is None
    assert find_unfinished(cases, CASE) == [call_dir]
    closed = close_unfinished(call_dir)
    assert closed.meta is not None and closed.meta.status == "recovered"
    assert [r.text for r in closed.records if isinstance(r, Utterance)] == [
        "kept 0",
        "kept 1",
        "kept 2",
    ]
    assert not (call_dir / LOCK_NAME).exists() and (call_dir / "transcript.md").is_file()


def test_an_empty_lock_of_a_live_writer_is_respected(tmp_path: Path) -> None:
    """A writer between creating the lock and writing it has not written call.json yet."""
    cases = copy_cases(tmp_path)
    call_dir = crash_with_empty_lock(cases)
    (call_dir / "call.json").unlink()
    assert holder(call_dir) == "an unreadable lock"


def test_an_empty_lock_of_a_running_process_is_respected(tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    call_dir = crash_with_empty_lock(cases)
    meta = json.loads((call_dir / "call.json").read_text())
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as alive:
        try:
            meta["pid"] = alive.pid
            (call_dir / "call.json").write_text(json.dumps(meta))
            assert holder(call_dir) == f"pid {alive.pid} on host {socket.gethostname()}"
            assert find_unfinished(cases, CASE) == []
        finally:
            alive.kill()


# --- the matcher's cache -----------------------------------------------------------------------


@pytest.fixture
def prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library = tmp_path / "prompts"
    (library / "objections").mkdir(parents=True)
    shutil.copy(REPO / "prompts" / "objections" / "step_therapy.toml", library / "objections")
    (library / "negatives.toml").write_text('examples = ["how was your weekend"]\n')
    return library


def damage_cache(prompts: Path, damage: bytes | None) -> Path:
    path = cache_path(cache_dir(), training_set(load_library(prompts)))
    Matcher(load_library(prompts))  # trains and caches
    assert path.is_file()
    if damage is None:  # one array replaced by bytes that are no array
        with zipfile.ZipFile(path) as zipped:
            members = {name: zipped.read(name) for name in zipped.namelist()}
        with zipfile.ZipFile(path, "w") as zipped:
            for name, data in members.items():
                zipped.writestr(name, b"not an array" if name == "bias.npy" else data)
    else:
        path.write_bytes(damage(path.read_bytes()) if callable(damage) else damage)
    return path


@pytest.mark.parametrize(
    "damage",
    [b"", lambda data: data[: len(data) // 2], b"\x00" * 4096, b"PK\x03\x04garbage", None],
    ids=["empty", "cut in half", "zeros", "a broken zip", "a member replaced"],
)
def test_a_damaged_cache_is_rebuilt_with_one_line(cli: Cli, prompts: Path, damage: object) -> None:
    path = damage_cache(prompts, damage)  # type: ignore[arg-type]
    ran = cli("--prompts", prompts, "match", stdin=STEP_LINE)
    assert ran.code == 0 and "step_therapy" in ran.out
    (notice,) = ran.err.splitlines()
    assert str(path) in notice and "retrained" in notice
    again = cli("--prompts", prompts, "match", stdin=STEP_LINE)
    assert (again.code, again.err) == (0, "") and again.out == ran.out


def test_a_cache_whose_weights_do_not_fit_the_library_is_rebuilt(cli: Cli, prompts: Path) -> None:
    import numpy as np

    path = damage_cache(prompts, b"")
    np.savez(path.with_suffix(""), names=np.array(["x"]), weights=np.ones((1, 7)), bias=np.ones(7))
    ran = cli("--prompts", prompts, "match", stdin=STEP_LINE)
    assert ran.code == 0 and "step_therapy" in ran.out and "do not fit" in ran.err


def test_the_cache_is_written_whole_or_not_at_all(prompts: Path) -> None:
    Matcher(load_library(prompts))
    names = sorted(path.name for path in cache_dir().iterdir())
    assert len(names) == 1 and names[0].startswith("classifier-") and names[0].endswith(".npz")


def test_a_transcript_cut_mid_line_by_a_crash_keeps_every_whole_line(tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    writer = open_new_call(cases, CASE, "live", "test", "test")
    for number in range(3):
        writer.append(Utterance(start=number, end=number + 1, text=f"kept {number}"))
    writer.close()
    with (writer.call_dir / "transcript.jsonl").open("ab") as transcript:
        transcript.write(b'{"kind":"utterance","t":"2026-')
    call = read_call(writer.call_dir)
    assert [r.text for r in call.records if isinstance(r, Utterance)] == [
        "kept 0",
        "kept 1",
        "kept 2",
    ]
    assert call.problems == ["transcript.jsonl line 4: damaged, skipped"]
