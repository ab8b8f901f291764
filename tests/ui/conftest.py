from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

CASE = "demo-ra-biologic"


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)
