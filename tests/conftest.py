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
    """How many workers `-n auto` (pyproject addopts) starts. Workers pay off where tests wait on
    real-time audio, which only slow tests do; starting them costs more than it saves for one
    test file or for `-m "not slow"` (measured on two cores: 64 s with two workers, 53 s without),
    so those run in this process, where print and --pdb work as usual."""
    files = {str(arg).split("::")[0] for arg in config.args}
    if len(files) == 1 and Path(next(iter(files))).is_file():
        return 0
    if "not slow" in (config.option.markexpr or ""):
        return 0
    return None
