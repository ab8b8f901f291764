from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script

CASE = "demo-ra-biologic"
SHORT_CALL = """
title = "A short practice call"
case_id = "demo-ra-biologic"
[voices]
reviewer = "rms"
clinician = "slt"
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


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    return copy_demo_cases(tmp_path, CASE)
