from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from speech import have_tts
from virtual_mic import virtual_mic  # noqa: F401 (a fixture for audio and UI tests)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def tts() -> None:
    """Tests that speak need flite and sox; .ci/run installs both from Debian."""
    if not have_tts():
        pytest.fail("flite and sox are required for speech tests (apt-get install flite sox)")


@pytest.fixture(scope="session", autouse=True)
def private_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The per-user data folder (demo calls, first-run cases, unsaved calls) points into tmp
    for the whole run, subprocesses included, so no test writes into the real home. The cache
    (the trained matcher) stays where it is: it holds no patient data and saves retraining."""
    folder = tmp_path_factory.mktemp("user-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder))
        yield folder
