"""The headless pipeline for real: flite speech -> pocketsphinx -> matcher -> saved call."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases, demo_file

from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script
from p2p_assist.transcript.reader import list_calls, read_call
from p2p_assist.transcript.recovery import find_unfinished

# The demo call through pocketsphinx twice, once paced in real time.
pytestmark = pytest.mark.slow

CASE = "demo-teen-residential"


@pytest.fixture(scope="module")
def rendered_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo mock call, rendered here with flite (not the bundled WAV)."""
    out = tmp_path_factory.mktemp("render") / "call.wav"
    render_script(load_script(demo_file(CASE, "mock-call.toml")), out)
    return out


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)


def transcribe(audio: Path, cases: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "p2p_assist", "--cases", str(cases), "transcribe", str(audio),
         "--case", CASE, "--engine", "pocketsphinx", "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def test_demo_call_raises_its_objections_and_every_utterance_is_saved(
    rendered_call: Path, cases: Path, tts: None
) -> None:
    process = transcribe(rendered_call, cases, "--save")
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr.decode()
    printed = [json.loads(line) for line in stdout.decode().splitlines()]
    raised = {o["id"] for row in printed for o in row["objections"]}
    expected = {
        i for turn in load_script(demo_file(CASE, "mock-call.toml")).turns for i in turn.expect
    }
    found = expected & raised
    print(f"\nobjections detected (voices rms/slt): {len(found)}/{len(expected)} {sorted(found)}")
    assert len(found) >= len(expected) - 1

    (call_dir,) = list_calls(cases, CASE)
    call = read_call(call_dir)
    assert call.problems == []
    utterances = [r for r in call.records if r.kind == "utterance"]
    assert [u.text for u in utterances] == [row["text"] for row in printed]
    assert call.meta is not None and call.meta.status == "ended" and call.meta.kind == "transcribed"
    assert (call_dir / "transcript.md").is_file()
    assert (call_dir.stat().st_mode & 0o777) == 0o700
    for name in ("transcript.jsonl", "call.json", "transcript.md"):
        assert ((call_dir / name).stat().st_mode & 0o777) == 0o600


def test_sigkill_mid_call_loses_at_most_the_utterance_in_flight(
    rendered_call: Path, cases: Path, tts: None
) -> None:
    process = transcribe(rendered_call, cases, "--save", "--paced")
    assert process.stdout is not None
    seen = []
    deadline = time.monotonic() + 300
    while len(seen) < 3 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(json.loads(line))
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert len(seen) == 3, process.stderr.read().decode() if process.stderr else ""

    (call_dir,) = list_calls(cases, CASE)
    call = read_call(call_dir)
    texts = [r.text for r in call.records if r.kind == "utterance"]
    assert texts[: len(seen)] == [row["text"] for row in seen]  # every printed line was on disk
    assert len(call.problems) <= 1  # at most a torn last line
    assert find_unfinished(cases, CASE) == [call_dir]

    rerun = subprocess.run(
        [sys.executable, "-m", "p2p_assist", "--cases", str(cases), "transcribe",
         str(rendered_call), "--case", CASE, "--engine", "pocketsphinx", "--save"],
        capture_output=True, timeout=600, check=False,
    )  # fmt: skip
    assert b"recovered an unfinished call" in rerun.stderr
    recovered = read_call(call_dir)
    assert recovered.meta is not None and recovered.meta.status == "recovered"
    assert [r.text for r in recovered.records if r.kind == "utterance"][: len(seen)] == texts[
        : len(seen)
    ]
