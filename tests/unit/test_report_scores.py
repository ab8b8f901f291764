"""Practice scores: evidence behind each objection heard, checklist captured, agenda reached."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_support import CASE, copy_case, demo_case, library, write_call

from p2p_assist.cli.main import main
from p2p_assist.report.after_call import write_reports
from p2p_assist.report.agenda_steps import step_times
from p2p_assist.report.digest import digest_call
from p2p_assist.report.history import practice_runs
from p2p_assist.report.scores import load_score, score_practice
from p2p_assist.transcript import Utterance


def test_score_parts_follow_from_the_call_and_the_case(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases, kind="practice").call_dir
    score = score_practice(digest_call(call_dir, library()), demo_case(cases), library())
    assert [o.id for o in score.objections] == ["step_therapy"]
    values = {item.id: item.value for item in score.checklist}
    assert values["reviewer_name"] == "mark stevens" and values["reference_number"] == "PA-55"
    assert values["determination"] is None
    assert score.documentation == pytest.approx(3 / len(score.checklist), abs=0.001)
    assert 0 <= score.score <= 100
    assert any("determination" in item.lower() for item in score.prepare)


def test_missing_case_evidence_for_a_raised_objection_costs_points(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases, kind="practice").call_dir
    digest = digest_call(call_dir, library())
    full = score_practice(digest, demo_case(cases), library())
    bare = score_practice(digest, None, library())  # no case: every fact is missing
    assert full.objections[0].missing == [] and full.evidence == 1.0
    assert bare.objections[0].missing and bare.evidence == 0.0
    assert bare.score < full.score
    assert any(item.startswith("Add to the case for") for item in bare.prepare)


def test_agenda_steps_start_at_their_cues_and_run_until_the_next(tmp_path: Path) -> None:
    lines = [
        Utterance(start=0, end=5, text="she is a 52 year old woman with a diagnosis of RA"),
        Utterance(start=30, end=35, text="which criteria set did you apply"),
        Utterance(start=90, end=95, text="what is the reference number"),
    ]
    steps = {step.title: step for step in step_times(library().agenda, lines, call_end=120)}
    assert steps["Present the patient"].started == 0 and steps["Present the patient"].seconds == 30
    assert steps["Establish the basis of the review"].seconds == 60
    assert steps["Request and confirm documentation"].seconds == 30
    assert steps["Agree the path if denied"].started is None


def test_practice_runs_are_scored_on_close_and_listed_oldest_first(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    first = write_call(cases, kind="practice").call_dir
    write_reports(first, demo_case(cases), library())
    write_call(cases, kind="live")  # not practice: left out
    second = write_call(cases, kind="practice").call_dir
    assert load_score(first).stamp == first.name
    runs = practice_runs(cases, CASE, demo_case(cases), library())
    # The second run has no score.json yet: it is scored from its transcript.
    assert [run.stamp for run in runs] == [first.name, second.name]


def test_a_damaged_score_is_rebuilt_from_the_transcript(tmp_path: Path) -> None:
    cases = copy_case(tmp_path)
    call_dir = write_call(cases, kind="practice").call_dir
    write_reports(call_dir, demo_case(cases), library())
    good = load_score(call_dir)
    (call_dir / "score.json").write_text("{not json")
    (run,) = practice_runs(cases, CASE, demo_case(cases), library())
    assert run.score == good.score


def test_history_prints_a_table_and_what_to_prepare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = copy_case(tmp_path)
    write_call(cases, kind="practice")
    write_call(cases, kind="practice")
    assert main(["--cases", str(cases), "practice", CASE, "--history", "--plain"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["run", "date", "score"]
    assert [line.split()[0] for line in out.splitlines()[1:3]] == ["1", "2"]
    assert "prepare better (latest run):" in out
    assert "time per agenda step (latest run): Confirm who is reviewing" in out
