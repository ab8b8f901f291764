from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CASE = "demo-ra-biologic"


@pytest.fixture
def cases(tmp_path: Path, repo_root: Path) -> Path:
    shutil.copytree(repo_root / "cases" / CASE, tmp_path / "cases" / CASE)
    return tmp_path / "cases"
