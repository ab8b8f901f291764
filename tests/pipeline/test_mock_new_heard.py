"""A call drafted by `mock new` is heard as it promises: rendered by flite, played through
pocketsphinx as a practice run (turn marks from its timeline), every objection the script
expects is raised by the end of its turn, on both demo cases and on a bare `case new` case."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_cases import copy_demo_cases
from practice_support import LIBRARY, draft_and_render, practise

from p2p_assist.cli.main import main
from p2p_assist.report.digest import digest_call

pytestmark = pytest.mark.slow

SLACK_SECONDS = 2.0  # a card follows the end of the sentence that raised it


@pytest.mark.parametrize("case_id", ["demo-ra-biologic", "demo-teen-residential", "bare"])
def test_every_expected_objection_is_raised_when_spoken_and_heard(
    tmp_path: Path, tts: None, case_id: str
) -> None:
    cases = copy_demo_cases(tmp_path, "demo-ra-biologic", "demo-teen-residential")
    assert main(["--cases", str(cases), "case", "new", "bare"]) == 0
    _, timeline, audio = draft_and_render(cases, case_id)
    raised = {
        r.objection_id: r.times[0]
        for r in digest_call(practise(cases, case_id, audio, timeline), LIBRARY).raised
    }
    expected = [(oid, turn.end) for turn in timeline.turns for oid in turn.expect]
    assert len({oid for oid, _ in expected}) >= 3
    late = [(oid, end) for oid, end in expected if raised.get(oid, 1e9) > end + SLACK_SECONDS]
    print(f"\n{case_id}: expected {[oid for oid, _ in expected]}, raised {sorted(raised)}")
    assert late == []
