"""The disk fills up: every command that writes says so in one line, leaves the old file as it
was and no temporary file behind; a call's lines stay in memory until they are saved elsewhere.

Each test runs twice: on a real tmpfs filled to the last byte (where mounting is allowed, as
root on CI), and with ENOSPC injected at the durable-write layer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import (
    CASE,
    REPO,
    Cli,
    Disk,
    copy_cases,
    leftovers,
    no_traceback,
    one_line_error,
    snapshot,
    tmpfs,
)
from report_support import write_call

from p2p_assist.basics.errors import UserError
from p2p_assist.transcript import Utterance, close_unfinished, find_unfinished, open_new_call
from p2p_assist.transcript.reader import read_call

pytestmark = pytest.mark.fault

TINY_SCRIPT = """
title = "tiny"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
clinician = "slt"
[[turns]]
speaker = "reviewer"
text = "Hello."
"""

CRASH_MID_CALL = """
import os, sys
from pathlib import Path
from p2p_assist.transcript import Utterance, open_new_call
writer = open_new_call(Path(sys.argv[1]), "demo-ra-biologic", "live", "test", "test")
for number in range(3):
    writer.append(Utterance(start=number, end=number + 1, text=f"said before the crash {number}"))
os._exit(0)  # no close, no release: as kill -9 leaves it
"""


def crashed_call(cases: Path) -> Path:
    subprocess.run([sys.executable, "-c", CRASH_MID_CALL, str(cases)], check=True)
    (call_dir,) = find_unfinished(cases, CASE)
    return call_dir


def test_case_new(cli: Cli, full_disk: Disk) -> None:
    cases = full_disk.folder / "cases"
    cases.mkdir()
    full_disk.fill()
    one_line_error(cli("--cases", cases, "case", "new", "new-case"), "No space left")
    assert not (cases / "new-case" / "case.toml").exists()
    assert leftovers(full_disk.folder) == []


@pytest.mark.parametrize(
    "command",
    [["brief", CASE], ["export", CASE, "latest", "--format", "txt"]],
    ids=["brief", "export"],
)
def test_output_file_keeps_its_old_text(
    cli: Cli, tmp_path: Path, full_disk: Disk, command: list[str]
) -> None:
    cases = copy_cases(tmp_path)
    write_call(cases)
    target = full_disk.folder / "out.md"
    target.write_text("yesterday's version\n")
    full_disk.fill()
    ran = cli("--cases", cases, *command, "-o", target)
    one_line_error(ran, "out.md", "No space left")
    assert target.read_text() == "yesterday's version\n"
    assert leftovers(full_disk.folder) == []


def test_note_keeps_the_note_it_had(cli: Cli, full_disk: Disk) -> None:
    cases = copy_cases(full_disk.folder)
    call_dir = write_call(cases).call_dir
    before = snapshot(call_dir)
    full_disk.fill()
    ran = cli("--cases", cases, "note", CASE)
    no_traceback(ran)
    assert ran.code == 1 and "No space left" in ran.err
    assert snapshot(call_dir) == before
    assert leftovers(full_disk.folder) == []


def test_matcher_cache_on_a_full_disk_costs_a_retrain_only(
    cli: Cli, full_disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = full_disk.folder / "prompts"
    (prompts / "objections").mkdir(parents=True)
    shutil.copy(REPO / "prompts" / "objections" / "step_therapy.toml", prompts / "objections")
    (prompts / "negatives.toml").write_text('examples = ["how was your weekend"]\n')
    monkeypatch.setenv("XDG_CACHE_HOME", str(full_disk.folder / "cache"))
    full_disk.fill()
    ran = cli("--prompts", prompts, "match", stdin=b"Has she tried the preferred drug first?\n")
    assert ran.code == 0 and "step_therapy" in ran.out, ran.err
    assert leftovers(full_disk.folder) == [] and not list(
        (full_disk.folder / "cache").rglob("*.npz")
    )


def test_a_call_on_a_full_disk_is_held_and_saved_elsewhere(full_disk: Disk, tmp_path: Path) -> None:
    cases = copy_cases(full_disk.folder)
    full_disk.fill()
    writer = open_new_call(cases, CASE, "live", "test", "test")
    lines = [f"said while the disk was full {number}" for number in range(4)]
    for number, text in enumerate(lines):
        writer.append(Utterance(start=number, end=number + 1, text=text))
    assert writer.degraded and "nothing is lost yet" in (writer.degraded_message or "")
    saved = writer.save_to(tmp_path / "unsaved")
    writer.close()
    records = read_call(saved).records
    assert [record.text for record in records if isinstance(record, Utterance)] == lines


def test_recovery_on_a_full_disk_is_one_line_and_loses_nothing(full_disk: Disk) -> None:
    cases = copy_cases(full_disk.folder)
    call_dir = crashed_call(cases)
    before = snapshot(call_dir)
    full_disk.fill()
    with pytest.raises(UserError, match="cannot finish the interrupted call") as refused:
        close_unfinished(call_dir)
    assert "\n" not in str(refused.value) and "No space left" in str(refused.value)
    assert {name: data for name, data in snapshot(call_dir).items() if name != "writer.lock"} == {
        name: data for name, data in before.items() if name != "writer.lock"
    }


def test_mock_render_leaves_no_partial_wav(cli: Cli, tmp_path: Path, full_disk: Disk) -> None:
    script = tmp_path / "tiny.toml"
    script.write_text(TINY_SCRIPT)
    out = full_disk.folder / "tiny.wav"
    full_disk.fill()
    one_line_error(cli("mock", "render", script, "-o", out), "No space left")
    assert not out.exists() and leftovers(full_disk.folder) == []


def test_model_install_onto_a_full_disk(cli: Cli, tmp_path: Path) -> None:
    """zipfile writes the model itself, past the durable layer: a real small disk only."""
    archive = tmp_path / "vosk-model-tiny.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("am/final.mdl", "conf/mfcc.conf", "graph/HCLG.fst"):
            zipped.writestr(f"vosk-model-tiny/{name}", b"\x5a" * 400_000)
    with tmpfs("256k") as disk:
        ran = cli("model", "install", "--from", archive, "--dest", disk / "models")
        one_line_error(ran, "install failed", "No space left")
        assert leftovers(disk) == [] and list((disk / "models").iterdir()) == []
