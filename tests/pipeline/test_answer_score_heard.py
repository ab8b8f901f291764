"""Scoring the clinician's own answers on real practice runs: the demo case's drafted call
played through pocketsphinx twice, once as drafted and once with the disease-activity score
left out of the answer to the severity objection. The second scores lower, exactly there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases
from practice_support import LIBRARY, draft_and_render, practise

from p2p_assist.cases.store import load_case
from p2p_assist.cli.main import main
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import load_script
from p2p_assist.report.answer_card import answer_card
from p2p_assist.report.answer_score import AnswerScore, score_answers
from p2p_assist.report.digest import digest_call

pytestmark = pytest.mark.slow

CASE = "demo-ra-biologic"
WITHOUT_THE_SCORE = (
    "The severity is measured, not my impression. C-reactive protein 38 to 31, raised."
)


def without_the_score(script: Path) -> Path:
    """The same call, but the answer to the severity objection leaves out the DAS28-CRP."""
    text = script.read_text()
    start = text.index('text = "The severity is measured')
    end = text.index("\n", start)
    cut = script.with_name("cut-call.toml")
    cut.write_text(f"{text[:start]}text = {json.dumps(WITHOUT_THE_SCORE)}{text[end:]}")
    return cut


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, tts: None) -> tuple[Path, Path, Path]:
    cases = copy_demo_cases(tmp_path_factory.mktemp("score"), CASE)
    _, timeline, audio = draft_and_render(cases, CASE, "--objections", "severity")
    full = practise(cases, CASE, audio, timeline)
    cut_script = without_the_score(audio.with_suffix(".toml"))
    cut_audio = cut_script.with_suffix(".wav")
    cut = practise(cases, CASE, cut_audio, render_script(load_script(cut_script), cut_audio))
    return cases, full, cut


def scored(cases: Path, call_dir: Path) -> AnswerScore:
    digest = digest_call(call_dir, LIBRARY)
    return score_answers(digest.utterances, load_case(cases, CASE), LIBRARY, digest.duration)


def severity_facts(score: AnswerScore) -> dict[str, bool]:
    (answer,) = [a for a in score.answers if a.objection_id == "severity"]
    return {fact.fact.name: fact.said for fact in answer.facts}


def test_leaving_out_a_value_scores_lower_exactly_there(runs: tuple[Path, Path, Path]) -> None:
    cases, full_call, cut_call = runs
    full, cut = scored(cases, full_call), scored(cases, cut_call)
    print("\n" + answer_card(full, "as drafted") + "\n" + answer_card(cut, "without the score"))
    assert severity_facts(full) == {"DAS28-CRP": True, "C-reactive protein (mg/L)": True}
    assert severity_facts(cut) == {"DAS28-CRP": False, "C-reactive protein (mg/L)": True}
    assert cut.parts["facts"] < full.parts["facts"] and cut.score < full.score
    card = answer_card(cut, "without the score")
    assert "✗ DAS28-CRP — say the DAS28-CRP latest value: 5.5 on 2 Nov 2026 (high activity)" in card
    assert "✓ DAS28-CRP" in answer_card(full, "as drafted")


def test_the_card_and_the_history_on_the_command_line(
    runs: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, full_call, _ = runs
    assert main(["--cases", str(cases), "practice", CASE, "--score", full_call.name]) == 0
    assert "✓ DAS28-CRP" in capsys.readouterr().out
    assert main(["--cases", str(cases), "practice", CASE, "--score", "latest"]) == 0
    assert "✗ DAS28-CRP" in capsys.readouterr().out
    assert main(["--cases", str(cases), "practice", CASE, "--history", "--plain"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:3]
    full, cut = (int(row.split()[-1]) for row in rows)
    assert cut < full
