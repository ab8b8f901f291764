"""Where things live: a checkout reads its own folders; an installed package reads what it ships
and keeps what the user makes in the per-user folders platformdirs names."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import DEMOS, demo_file

from p2p_assist.basics import locations


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in (locations.CASES_ENV, locations.PROMPTS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def installed(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As if the package sat in site-packages: no repo above it."""
    monkeypatch.setattr(locations, "_SOURCE_ROOT", user_dirs / "lib" / "python3")
    return user_dirs


def test_a_checkout_reads_its_own_folders(user_dirs: Path, repo_root: Path) -> None:
    assert locations.in_checkout()
    assert locations.prompts_dir() == repo_root / "prompts"
    assert locations.demos_dir() == demo_file(DEMOS[0], "case.toml").parent.parent
    assert locations.models_dir() == repo_root / "models"


def test_an_installed_package_reads_what_it_ships(installed: Path) -> None:
    package = Path(locations.__file__).resolve().parents[1]
    assert not locations.in_checkout()
    assert locations.prompts_dir() == package / "_bundled" / "prompts"
    assert locations.demos_dir() == package / "_bundled" / "cases"


def test_an_installed_package_keeps_user_data_per_user(installed: Path) -> None:
    assert locations.models_dir() == installed / "data" / "p2p-assist" / "models"
    assert locations.cases_dir() == installed / "data" / "p2p-assist" / "cases"
    assert locations.demo_calls_dir() == installed / "data" / "p2p-assist" / "demos"
    assert locations.unsaved_dir() == installed / "data" / "p2p-assist" / "unsaved"
    assert locations.cache_dir() == installed / "cache" / "p2p-assist"


def test_cases_folder_order_flag_environment_here_then_per_user(
    user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert locations.cases_dir() == user_dirs / "data" / "p2p-assist" / "cases"
    (user_dirs / "cases").mkdir()
    assert locations.cases_dir().parts == ("cases",)
    monkeypatch.setenv(locations.CASES_ENV, "/from/env")
    assert locations.cases_dir() == Path("/from/env")
    assert locations.cases_dir("flag") == Path("flag")


def test_prompts_order_flag_environment_then_shipped(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(locations.PROMPTS_ENV, "/mine")
    assert locations.prompts_dir() == Path("/mine")
    assert locations.prompts_dir("flag") == Path("flag")
