from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.library.load import Library

if TYPE_CHECKING:
    from test_review_screen import Clock

CASE = "demo-ra-biologic"


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)


# The review tests' clock and library. Imported when used: the review helpers import CASE from
# here, so a module-level import would run in a circle.
@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from test_review_screen import freeze_writer_clock

    return freeze_writer_clock(monkeypatch)


@pytest.fixture
def library() -> Library:
    from test_review_screen import demo_library

    return demo_library()
