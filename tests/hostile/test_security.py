"""Patient data stays where the clinician put it, private: no link carries a call out of the
cases folder, no archive fills the disk, `-o` never writes over what p2p-assist keeps, and
every file made is owner-only whatever the umask."""

from __future__ import annotations

import os
import shutil
import stat
import wave
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CASE, OTHER_CASE, REPO, Cli, copy_cases, one_line_error, snapshot
from report_support import write_call

from p2p_assist.basics.errors import UserError
from p2p_assist.recognition import models
from p2p_assist.transcript import Utterance, open_new_call, read_call

pytestmark = pytest.mark.security


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("linked", ["case folder", "calls"])
def test_a_call_is_never_saved_through_a_link_out_of_the_cases_folder(
    tmp_path: Path, linked: str
) -> None:
    cases = copy_cases(tmp_path)
    elsewhere = tmp_path / "shared-drive"
    elsewhere.mkdir(mode=0o755)
    if linked == "case folder":
        (cases / CASE).rename(elsewhere / CASE)
        (cases / CASE).symlink_to(elsewhere / CASE)
    else:
        (cases / CASE / "calls").symlink_to(elsewhere)
    before = snapshot(elsewhere)
    with pytest.raises(UserError, match="through a link") as refused:
        open_new_call(cases, CASE, "live", "test", "test")
    assert "\n" not in str(refused.value) and str(cases) in str(refused.value)
    assert snapshot(elsewhere) == before and not list(elsewhere.rglob("writer.lock"))


def test_a_calls_link_into_another_case_is_refused_too(tmp_path: Path) -> None:
    cases = copy_cases(tmp_path, CASE, OTHER_CASE)
    (cases / OTHER_CASE / "calls").mkdir()
    (cases / CASE / "calls").symlink_to(cases / OTHER_CASE / "calls")
    with pytest.raises(UserError, match="through a link"):
        open_new_call(cases, CASE, "live", "test", "test")
    assert list((cases / OTHER_CASE / "calls").iterdir()) == []


def test_a_linked_cases_folder_is_where_calls_go(tmp_path: Path, loose_umask: None) -> None:
    """The root may be a link ($P2P_ASSIST_CASES on another disk); calls land inside it."""
    real = copy_cases(tmp_path / "disk")
    link = tmp_path / "cases"
    link.symlink_to(real)
    writer = open_new_call(link, CASE, "live", "test", "test")
    writer.append(Utterance(start=0, end=1, text="inside"))
    writer.close()
    (call_dir,) = (real / CASE / "calls").iterdir()
    assert mode(call_dir) == 0o700 and mode(call_dir / "transcript.jsonl") == 0o600


def test_saving_elsewhere_through_a_link_is_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    writer = open_new_call(cases, CASE, "live", "test", "test")
    writer.append(Utterance(start=0, end=1, text="held"))
    fallback = tmp_path / "unsaved"
    fallback.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (fallback / CASE).symlink_to(outside)
    with pytest.raises(UserError, match="through a link"):
        writer.save_to(fallback)
    assert list(outside.iterdir()) == []
    writer.append(Utterance(start=1, end=2, text="still here"))
    writer.close()
    texts = [r.text for r in read_call(writer.call_dir).records if isinstance(r, Utterance)]
    assert texts == ["held", "still here"]


@pytest.mark.slow
def test_transcribe_save_through_a_link_is_one_line(cli: Cli, tmp_path: Path) -> None:
    cases = copy_cases(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (cases / CASE / "calls").symlink_to(elsewhere)
    audio = tmp_path / "silence.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * 16_000)
    ran = cli(
        "--cases", cases, "transcribe", audio, "--case", CASE, "--save", "--engine", "pocketsphinx"
    )
    one_line_error(ran, "through a link")
    assert list(elsewhere.iterdir()) == []


# --- archives ----------------------------------------------------------------------------------


def model_zip(path: Path, payload: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zipped:
        zipped.writestr("vosk-model-x/conf/mfcc.conf", "--sample-frequency=16000\n")
        zipped.writestr("vosk-model-x/am/final.mdl", payload)
        zipped.writestr("vosk-model-x/graph/HCLG.fst", b"fst")
    return path


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(cli: Cli, tmp_path: Path) -> None:
    bomb = model_zip(tmp_path / "model.zip", b"\0" * 50_000_000)
    assert bomb.stat().st_size < 1_000_000
    ran = cli("model", "install", "--from", bomb, "--dest", tmp_path / "models")
    one_line_error(ran, "model.zip", "zip bomb")
    assert list((tmp_path / "models").iterdir()) == []


def test_an_archive_larger_than_any_model_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(models, "MAX_UNPACKED_BYTES", 1_000_000)
    archive = model_zip(tmp_path / "model.zip", os.urandom(2_000_000), zipfile.ZIP_STORED)
    ran = cli("model", "install", "--from", archive, "--dest", tmp_path / "models")
    one_line_error(ran, "model.zip", "more than any Vosk model")
    assert list((tmp_path / "models").iterdir()) == []


@pytest.mark.parametrize("member", ["../escaped.txt", "/etc/escaped.txt", "C:/escaped.txt"])
def test_an_archive_member_outside_the_model_is_refused(
    cli: Cli, tmp_path: Path, member: str
) -> None:
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(member, "x")
    ran = cli("model", "install", "--from", archive, "--dest", tmp_path / "d" / "models")
    one_line_error(ran, "unsafe path")
    assert not list(tmp_path.rglob("escaped.txt"))


# --- -o never writes over p2p-assist's own files -----------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Path]:
    cases = copy_cases(tmp_path)
    call_dir = write_call(cases).call_dir
    (call_dir / "note.md").write_text("the clinician's note\n")
    (call_dir / "note-2.md").write_text("an edited note\n")
    return cases, call_dir


OWN_FILES = ["transcript.jsonl", "transcript.md", "call.json", "note.md", "note-2.md"]


@pytest.mark.parametrize("name", OWN_FILES)
@pytest.mark.parametrize("command", ["export", "brief"])
def test_o_refuses_a_file_of_the_call(
    cli: Cli, saved: tuple[Path, Path], name: str, command: str
) -> None:
    cases, call_dir = saved
    before = snapshot(cases)
    args = ["export", CASE, "latest", "--format", "txt"] if command == "export" else ["brief", CASE]
    ran = cli("--cases", cases, *args, "-o", call_dir / name)
    one_line_error(ran, name, "new file name")
    assert snapshot(cases) == before


@pytest.mark.parametrize(
    "command",
    [
        ["brief", CASE],
        ["export", CASE, "latest", "--format", "md"],
        ["mock", "render", "{cases}/" + CASE + "/mock-call.toml"],
    ],
    ids=["brief", "export", "mock render"],
)
@pytest.mark.parametrize("through_a_link", [False, True], ids=["direct", "through a link"])
def test_o_refuses_the_case_file(
    cli: Cli, saved: tuple[Path, Path], command: list[str], through_a_link: bool
) -> None:
    cases, _ = saved
    target = cases / CASE / "case.toml"
    if through_a_link:
        (cases / "brief.md").symlink_to(target)
        target = cases / "brief.md"
    before = snapshot(cases)
    args = [part.format(cases=cases) for part in command]
    one_line_error(cli("--cases", cases, *args, "-o", target), "case file", "new file name")
    assert snapshot(cases) == before


def test_mock_render_refuses_to_write_over_its_own_script(cli: Cli, cases: Path) -> None:
    script = cases / CASE / "mock-call.toml"
    before = script.read_bytes()
    one_line_error(cli("mock", "render", script, "-o", script), "TOML")
    assert script.read_bytes() == before


# --- owner-only, whatever the umask ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["brief", CASE], ["export", CASE, "latest", "--format", "json"]],
    ids=["brief", "export"],
)
def test_o_makes_an_owner_only_file(
    cli: Cli, saved: tuple[Path, Path], loose_umask: None, command: list[str]
) -> None:
    cases, _ = saved
    out = cases.parent / "out.txt"
    assert cli("--cases", cases, *command, "-o", out).code == 0
    assert mode(out) == 0o600


def test_case_new_is_owner_only(cli: Cli, tmp_path: Path, loose_umask: None) -> None:
    cases = tmp_path / "cases"
    assert cli("--cases", cases, "case", "new", "fresh").code == 0
    assert mode(cases / "fresh") == 0o700 and mode(cases / "fresh" / "case.toml") == 0o600


def test_the_matcher_cache_is_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    from p2p_assist.library.load import load_library
    from p2p_assist.matching.matcher import Matcher

    prompts = tmp_path / "prompts"
    (prompts / "objections").mkdir(parents=True)
    shutil.copy(REPO / "prompts" / "objections" / "severity.toml", prompts / "objections")
    (prompts / "negatives.toml").write_text('examples = ["how was your weekend"]\n')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    Matcher(load_library(prompts))
    (cached,) = (tmp_path / "cache" / "p2p-assist").iterdir()
    assert mode(cached.parent) == 0o700 and mode(cached) == 0o600
