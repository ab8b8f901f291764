"""The clinician's own answers scored: facts the card names heard or not, conduct, the call.
(On real practice runs through pocketsphinx: tests/pipeline/test_answer_score_heard.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from report_support import CASE, copy_case, demo_case, library

from p2p_assist.cases.model import Case
from p2p_assist.report.answer_card import answer_card
from p2p_assist.report.answer_score import AnswerHeard, AnswerScore, score_answers
from p2p_assist.transcript import SavedCapture, SavedObjection, Utterance


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return demo_case(copy_case(tmp_path_factory.mktemp("case")))


def reviewer(start: float, text: str, *objections: str, **captures: str) -> Utterance:
    return Utterance(
        start=start,
        end=start + 5,
        speaker="reviewer",
        text=text,
        objections=[SavedObjection(id=oid, score=90.0, span=(0, 1)) for oid in objections],
        captures=[SavedCapture(field=key, value=value) for key, value in captures.items()],
    )


def clinician(start: float, text: str, seconds: float = 8) -> Utterance:
    return Utterance(start=start, end=start + seconds, speaker="clinician", text=text)


STEP = "she has to try the preferred biosimilar for twelve weeks first"
MTX_DATES_AND_REASON = (
    "methotrexate from june twenty twenty five until january, stopped for hepatotoxicity"
)


def score(lines: list[Utterance], case: Case, duration: float = 600) -> AnswerScore:
    return score_answers(lines, case, library(), duration)


def answer(result: AnswerScore, objection_id: str) -> AnswerHeard:
    return next(a for a in result.answers if a.objection_id == objection_id)


def verdicts(found: AnswerHeard) -> dict[str, bool]:
    return {fact.fact.name: fact.said for fact in found.facts}


def test_a_drug_said_with_its_dates_and_reason_counts_and_one_left_out_is_named(
    case: Case,
) -> None:
    lines = [
        reviewer(60, STEP, "step_therapy"),
        clinician(66, MTX_DATES_AND_REASON),
    ]
    found = answer(score(lines, case), "step_therapy")
    assert verdicts(found)["Methotrexate"] is True
    assert verdicts(found)["Leflunomide"] is False
    card = answer_card(score(lines, case), "test")
    assert "✓ Methotrexate" in card
    assert (
        "✗ Leflunomide — say Leflunomide by name, with its dates and reason for stopping: "
        "Feb 2026 – Sep 2026; Inadequate response plus recurrent transaminase rise"
    ) in card


def test_a_missing_date_is_the_exact_fact_to_add(case: Case) -> None:
    lines = [
        reviewer(60, STEP, "step_therapy"),
        clinician(66, "methotrexate caused hepatotoxicity"),
    ]
    card = answer_card(score(lines, case), "test")
    assert "✗ Methotrexate — say the Methotrexate dates: Jun 2025 – Jan 2026" in card


def test_a_value_counts_as_a_recogniser_writes_it(case: Case) -> None:
    said = reviewer(60, "her disease does not warrant this", "severity")
    heard = score([said, clinician(66, "her das score was five point five in november")], case)
    missed = score([said, clinician(66, "her das score was high in november")], case)
    assert verdicts(answer(heard, "severity"))["DAS28-CRP"] is True
    assert verdicts(answer(missed, "severity"))["DAS28-CRP"] is False
    assert missed.score < heard.score
    assert "say the DAS28-CRP latest value: 5.5 on 2 Nov 2026 (high activity)" in answer_card(
        missed, "t"
    )


def test_an_answer_runs_until_the_next_objection(case: Case) -> None:
    lines = [
        reviewer(60, STEP, "step_therapy"),
        clinician(66, "she cannot take it"),
        reviewer(80, "and the dates of those trials"),  # a follow-up: still this answer
        clinician(85, "methotrexate from june twenty twenty five"),
        reviewer(100, "her disease does not warrant this", "severity"),
        clinician(106, "leflunomide failed too"),
    ]
    result = score(lines, case)
    assert [u.text for u in answer(result, "step_therapy").lines] == [
        "she cannot take it",
        "methotrexate from june twenty twenty five",
    ]
    assert [u.text for u in answer(result, "severity").lines] == ["leflunomide failed too"]


def test_silence_after_an_objection_is_scored_as_no_answer(case: Case) -> None:
    result = score([reviewer(60, STEP, "step_therapy")], case)
    assert answer(result, "step_therapy").lines == []
    assert result.parts["facts"] == 0
    assert "no answer heard" in answer_card(result, "t")


def conduct(result: AnswerScore) -> dict[str, bool]:
    return {check.label.split(" the ")[-1]: check.done for check in result.conduct}


def test_asking_for_the_criteria_reference_and_rationale_is_conduct(case: Case) -> None:
    quiet = score([reviewer(60, STEP, "step_therapy"), clinician(66, "she cannot take it")], case)
    asked = score(
        [
            reviewer(5, "this is doctor mark stevens", reviewer_name="mark stevens"),
            reviewer(60, STEP, "step_therapy"),
            clinician(66, "which criteria set and version are you applying"),
            reviewer(76, "our own policy"),
            clinician(90, "what is your specialty"),
            reviewer(100, "family medicine"),
            clinician(120, "what is the reference number and please put the rationale in writing"),
        ],
        case,
    )
    assert not any(conduct(quiet)[key] for key in ("criteria set and version", "reference number"))
    assert all(conduct(asked).values())
    assert asked.score > quiet.score
    card = answer_card(quiet, "t")
    assert "✗ asked for the reference number — ask: “What is the reference number" in card


def test_a_long_answer_and_talking_over_the_reviewer_are_flagged(case: Case) -> None:
    lines = [
        reviewer(60, STEP, "step_therapy"),
        clinician(63, "well let me tell you the whole story", seconds=50),
        clinician(113, "and there is more", seconds=30),
    ]
    result = score(lines, case)
    long = next(check for check in result.conduct if "under 60 s" in check.label)
    overlap = next(check for check in result.conduct if "finish" in check.label)
    assert not long.done and "01:03 ran 80 s" in long.advice
    assert not overlap.done and "01:03" in overlap.advice


def test_the_calls_length_and_first_answer_are_judged_against_the_norm(case: Case) -> None:
    lines = [reviewer(60, STEP, "step_therapy"), clinician(66, "she cannot take it")]
    short = answer_card(score(lines, case, duration=150), "t")
    usual = answer_card(score(lines, case, duration=600), "t")
    assert "✓ first answer at 01:06" in usual
    assert "✗ length 02:30 — shorter than the usual 5 to 20 minutes" in short
    assert "✓ length 10:00" in usual


def test_without_the_case_only_conduct_and_the_call_are_scored(case: Case) -> None:
    lines = [reviewer(60, STEP, "step_therapy"), clinician(66, "she cannot take it")]
    result = score_answers(lines, None, library(), 600)
    assert answer(result, "step_therapy").facts == []
    assert "(the card names no case facts to check)" in answer_card(result, "t")


def test_history_lists_each_runs_answer_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from report_support import write_call

    from p2p_assist.cli.main import main

    cases = copy_case(tmp_path)
    write_call(cases, kind="practice")
    assert main(["--cases", str(cases), "practice", CASE, "--history", "--plain"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert header.split()[-1] == "answers"
    assert row.split()[-1].isdigit()
    assert main(["--cases", str(cases), "practice", CASE, "--score", "latest"]) == 0
    out = capsys.readouterr().out
    assert "your answers scored" in out and "Step therapy" in out


def test_a_reason_said_in_plain_words_counts_as_the_case_files_term(case: Case) -> None:
    """case.toml says "Hepatotoxicity"; a clinician says the liver enzymes rose
    (prompts/spoken_terms.toml)."""
    plain = "methotrexate from june twenty twenty five, we stopped it when her liver enzymes rose"
    lines = [reviewer(10, STEP, "step_therapy"), clinician(16, plain)]
    assert verdicts(answer(score(lines, case), "step_therapy"))["Methotrexate"] is True
    assert "hepatotoxicity" in library().spoken_terms
    unheard = "methotrexate from june twenty twenty five, we stopped it when her knee swelled"
    lines = [reviewer(10, STEP, "step_therapy"), clinician(16, unheard)]
    assert verdicts(answer(score(lines, case), "step_therapy"))["Methotrexate"] is False
