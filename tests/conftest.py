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


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject addopts) runs one test file in this process: starting workers costs
    more than it saves there, and print/--pdb work as usual. Anything larger gets one worker
    per core (xdist's own count)."""
    files = {str(arg).split("::")[0] for arg in config.args}
    if len(files) == 1 and Path(next(iter(files))).is_file():
        return 0
    return None
