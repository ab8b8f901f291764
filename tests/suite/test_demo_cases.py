"""README command 1 leaves a saved call in a demo case; README command 2 must still pass.

Tests get a demo case only through `demo_cases.copy_demo_cases`, which leaves saved calls
behind. The first test keeps every test module on that path, the second checks the copy, and
the third runs the tests that used to count a developer's call as their own, in a copy of the
checkout that has one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from demo_cases import DEMO_CASES, DEMOS, REPO, copy_demo_cases

from p2p_assist.transcript import Utterance, open_new_call

# Spellings of the checkout's own case folder; only demo_cases.py may use them.
CHECKOUT_CASES = re.compile(r'(REPO|repo_root)\s*/\s*"cases"|DEMO_CASES|Path\("cases"\)')

# After a practice run, every test that took its case from one of these fixtures failed with
# `too many values to unpack` (or wrote over the saved call's folder): the pipeline fixture
# (test_transcribe_end_to_end.py) and tests/ui/conftest.py's, which the tmux test and the call
# screen's tests share. One quick test per fixture is run here; test_call_command_on_virtual_mic
# and the SIGKILL test took their case the same way.
AFFECTED = (
    "tests/pipeline/test_transcribe_end_to_end.py::"
    "test_demo_call_raises_its_objections_and_every_utterance_is_saved",
    "tests/ui/test_terminal_smoke.py",
    "tests/ui/test_call_screen.py::test_unwritable_case_folder_is_saved_elsewhere_and_said_so",
)
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".*_cache", "*.egg-info", "build", "calls"
)


def test_no_test_reads_the_checkouts_case_folder_except_through_demo_cases() -> None:
    tests = REPO / "tests"
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted(tests.rglob("*.py"))
        if path != tests / "demo_cases.py" and path != Path(__file__)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if CHECKOUT_CASES.search(line)
    ]
    assert offenders == [], "use demo_cases.copy_demo_cases instead:\n" + "\n".join(offenders)


def test_a_copied_demo_case_leaves_the_saved_calls_behind(tmp_path: Path) -> None:
    checkout_cases = tmp_path / "checkout" / "cases"
    shutil.copytree(DEMO_CASES / DEMOS[0], checkout_cases / DEMOS[0], ignore=NOT_COPIED)
    save_practice_call(checkout_cases, DEMOS[0])

    cases = copy_demo_cases(tmp_path / "test", DEMOS[0], source=checkout_cases)

    assert not (cases / DEMOS[0] / "calls").exists()
    assert {p.name for p in (cases / DEMOS[0]).iterdir()} == {
        p.name for p in (checkout_cases / DEMOS[0]).iterdir() if p.name != "calls"
    }


@pytest.mark.slow
def test_affected_tests_pass_with_a_saved_practice_call_in_the_checkout(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO, checkout, ignore=NOT_COPIED)
    saved = [save_practice_call(checkout / "cases", case_id) for case_id in DEMOS]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *AFFECTED],
        cwd=checkout, env=environment, capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "skipped" not in done.stdout.strip().splitlines()[-1]
    assert all((call / "transcript.jsonl").is_file() for call in saved)  # still there, untouched
    assert [len(list((checkout / "cases" / c / "calls").iterdir())) for c in DEMOS] == [1, 1]


def save_practice_call(cases: Path, case_id: str) -> Path:
    """What `p2p-assist practice CASE` leaves behind, written by the real writer."""
    writer = open_new_call(cases, case_id, "practice", "pocketsphinx", "mock-call.wav")
    writer.append(Utterance(start=1.0, end=3.5, speaker="reviewer", text="hello this is the plan"))
    writer.close()
    return writer.call_dir
