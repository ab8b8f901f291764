"""The import contracts in pyproject.toml (`[tool.importlinter]`) hold, and they would catch a
new back-arrow. `.ci/run` runs `lint-imports` too; checking here keeps the rule in the loop a
developer runs (README command 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from demo_cases import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """The contracts of root/pyproject.toml checked on root/p2p_assist (import-linter puts the
    working folder first on the import path)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


def package_with(tmp_path: Path, module: str, source: str) -> Path:
    """A copy of the package and its contracts, with one extra module."""
    shutil.copytree(REPO / "p2p_assist", tmp_path / "p2p_assist")
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / "p2p_assist" / Path(*module.split("."))).with_suffix(".py").write_text(source)
    return tmp_path


def test_the_package_keeps_its_import_contracts() -> None:
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        (
            "basics.back_arrow",
            "import p2p_assist.session\n",
            "p2p_assist.basics is not allowed to import p2p_assist.session",
        ),
        (
            "library.back_arrow",
            "from p2p_assist.matching import matcher\n",
            "p2p_assist.library is not allowed to import p2p_assist.matching",
        ),
        (
            "matching.screen",
            "from textual.app import App\n",
            "p2p_assist.matching is not allowed to import textual",
        ),
        ("cli.screen", "import textual\n", "p2p_assist.cli is not allowed to import textual"),
    ],
)
def test_a_new_back_arrow_or_textual_outside_the_ui_breaks_a_contract(
    tmp_path: Path, module: str, source: str, broken: str
) -> None:
    done = lint_imports(package_with(tmp_path, module, source))
    assert done.returncode != 0
    assert broken in done.stdout, done.stdout
