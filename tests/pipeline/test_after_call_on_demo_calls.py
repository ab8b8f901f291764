"""After-call documents from real calls: both demo mock calls transcribed by pocketsphinx and
saved, then written up, searched and exported as a clinician would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from demo_cases import DEMOS, copy_demo_cases

from p2p_assist.library.load import load_library
from p2p_assist.mock.script import load_script
from p2p_assist.report.digest import digest_call
from p2p_assist.transcript.reader import list_calls

pytestmark = pytest.mark.slow  # both demo calls transcribed in full before the first test


@pytest.fixture(scope="module")
def demo_calls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both bundled mock calls transcribed and saved at once (one per core)."""
    cases = copy_demo_cases(tmp_path_factory.mktemp("after-call"), *DEMOS)
    processes = []
    for case_id in DEMOS:
        wav = cases / case_id / "mock-call.wav"
        command = ["transcribe", str(wav), "--case", case_id, "--engine", "pocketsphinx", "--save"]
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "p2p_assist", "--cases", str(cases), *command],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr.decode()
        assert b"call note written to" in stderr
    return cases


def only_call(cases: Path, case_id: str) -> Path:
    (call_dir,) = list_calls(cases, case_id)
    return call_dir


@pytest.mark.parametrize("case_id", DEMOS)
def test_note_quotes_the_objections_the_script_raises(demo_calls: Path, case_id: str) -> None:
    library = load_library()
    call_dir = only_call(demo_calls, case_id)
    note = (call_dir / "note.md").read_text()
    assert (call_dir / "note.md").stat().st_mode & 0o777 == 0o600
    script = load_script(demo_calls / case_id / "mock-call.toml")
    expected = {objection for turn in script.turns for objection in turn.expect}
    titled = {i for i in expected if f". {library.objections[i].title} — " in note}
    assert len(titled) >= len(expected) - 1, sorted(expected - titled)
    raised = digest_call(call_dir, library).raised
    for objection in raised:
        assert f"> “{' '.join(objection.first.text.split())}” — " in note


def test_heard_outcome_drives_the_dated_next_steps(demo_calls: Path) -> None:
    note = (only_call(demo_calls, "demo-teen-residential") / "note.md").read_text()
    assert "Determination: denied (heard at" in note
    assert "## Next steps (denied)" in note
    # The teen case is urgent: the expedited appeal is first in line, due the next day.
    assert "Request an expedited appeal — **by " in note
    # A family physician reviewed a child psychiatry case: ask for a peer.
    assert "Ask for a same-specialty review" in note


def test_search_finds_what_the_reviewers_said_across_both_cases(demo_calls: Path) -> None:
    from p2p_assist.transcript.search import search_calls

    hits = search_calls(demo_calls, None, objection="step_therapy").hits
    assert "demo-ra-biologic" in {hit.case_id for hit in hits}
    only_ra = search_calls(demo_calls, None, case_id="demo-ra-biologic", objection="step_therapy")
    assert only_ra.hits and {hit.case_id for hit in only_ra.hits} == {"demo-ra-biologic"}
    interqual = search_calls(demo_calls, "criteria", case_id="demo-teen-residential").hits
    assert interqual and all(hit.case_id == "demo-teen-residential" for hit in interqual)


def test_export_srt_of_a_demo_call_has_ordered_cues(demo_calls: Path) -> None:
    from p2p_assist.transcript.export import export_srt
    from p2p_assist.transcript.reader import read_call

    srt = export_srt(read_call(only_call(demo_calls, "demo-ra-biologic")))
    cues = [block.splitlines() for block in srt.strip().split("\n\n")]
    assert [int(cue[0]) for cue in cues] == list(range(1, len(cues) + 1))
    starts = [cue[1].split(" --> ")[0] for cue in cues]
    assert starts == sorted(starts) and len(cues) > 20
