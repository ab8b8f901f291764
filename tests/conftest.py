from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from demo_cases import REPO
from speech import have_tts
from virtual_mic import virtual_mic  # noqa: F401 (a fixture for audio and UI tests)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def tts() -> None:
    """Tests that speak need flite and sox; .ci/run installs both from Debian."""
    if not have_tts():
        pytest.fail("flite and sox are required for speech tests (apt-get install flite sox)")
