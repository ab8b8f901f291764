from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script

sys.path.insert(0, str(Path(__file__).parent))

from demo_cases import REPO
from speech import have_tts
from virtual_mic import pulse_server, virtual_mic  # noqa: F401 (fixtures for audio and UI tests)

SHORT_CALL = """
title = "A short practice call"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
clinician = "slt"
# Clean, not the speakerphone a script gets by default: these tests are about the screen and
# the store, and pocketsphinx mishears much of a speakerphone (bench/phone_channel.py).
[channel]
reviewer = "clean"
[[turns]]
speaker = "reviewer"
text = "Hello, my name is Doctor Mark Stevens, a rheumatologist with the health plan."
[[turns]]
speaker = "reviewer"
text = "Weekly dosing from day one is off label, and we consider it investigational."
expect = ["experimental"]
[[turns]]
speaker = "reviewer"
text = "The reference number is 8 3 0 5 6."
"""


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(load_library())


@pytest.fixture(scope="session")
def short_call(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("short-call")
    script = folder / "short.toml"
    script.write_text(SHORT_CALL)
    render_script(load_script(script), folder / "short.wav")
    return folder / "short.wav"


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
