"""`mock new` drafts a mock call from the clinician's own case; `mock check` holds a script to
what the library can hear. (Rendered and transcribed: tests/pipeline/test_mock_new_heard.py.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases

from p2p_assist.cli.main import main
from p2p_assist.mock.script import MockScript, load_script

RA, TEEN = "demo-ra-biologic", "demo-teen-residential"


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    cases = copy_demo_cases(tmp_path)
    assert main(["--cases", str(cases), "case", "new", "bare"]) == 0
    return cases


def draft(cases: Path, case_id: str, out: Path, *extra: str) -> MockScript:
    assert main(["--cases", str(cases), "mock", "new", case_id, "-o", str(out), *extra]) == 0
    return load_script(out)


def expected(script: MockScript) -> list[str]:
    """Every objection the script's turns expect, in order, each once."""
    return list(dict.fromkeys(oid for turn in script.turns for oid in turn.expect))


def chosen(out: Path) -> list[str]:
    """The objections the call was drafted to raise, as its header comment names them."""
    line = next(line for line in out.read_text().splitlines() if "reviewer raises:" in line)
    return line.split(":", 1)[1].strip().rstrip(".").split(", ")


@pytest.mark.parametrize("case_id", [RA, TEEN, "bare"])
def test_a_drafted_call_loads_checks_and_raises_objections_on_reviewer_turns(
    cases: Path, tmp_path: Path, case_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{case_id}.toml"
    script = draft(cases, case_id, out)
    assert script.case_id == case_id
    assert len(chosen(out)) == 3 and set(chosen(out)) <= set(expected(script))
    assert all(turn.speaker == "reviewer" for turn in script.turns if turn.expect)
    captured = {key for turn in script.turns for key in turn.captures}
    assert {"reviewer_name", "reference_number", "determination"} <= captured
    assert main(["--cases", str(cases), "mock", "check", str(out)]) == 0
    assert "good" in capsys.readouterr().out


def test_the_call_speaks_the_cases_own_drug_dates_and_facts(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "ra.toml"
    script = draft(cases, RA, out, "--objections", "step_therapy,severity")
    reviewer = " ".join(t.text for t in script.turns if t.speaker == "reviewer")
    clinician = " ".join(t.text for t in script.turns if t.speaker == "clinician")
    assert chosen(out) == ["step_therapy", "severity"]
    assert "Tocilizumab" in reviewer and "Adalimumab-adaz" in reviewer
    assert "DAS28-CRP I have is 5.5, from November 2026" in reviewer
    assert "Methotrexate Jun 2025 to Jan 2026" in clinician
    assert "Cascade Mutual Health" in reviewer


def test_a_residential_request_meets_the_step_down_objections(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "teen.toml"
    script = draft(cases, TEEN, out)
    assert chosen(out)[:2] == ["stabilization_only", "alternative_treatment"]
    assert any("residential treatment center" in t.text for t in script.turns)


def test_the_weakest_spots_of_a_thin_case_come_first_and_are_named(
    cases: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bare.toml"
    script = draft(cases, "bare", out)
    text = out.read_text()
    assert "The case is missing:" in text  # the comment above the objection says what to add
    assert "I don't have that in front of me" in " ".join(t.text for t in script.turns)


def test_the_file_is_commented_for_editing_and_round_trips(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "ra.toml"
    script = draft(cases, RA, out)
    lines = out.read_text().splitlines()
    blocks = [n for n, line in enumerate(lines) if line == "[[turns]]"]
    assert len(blocks) == len(script.turns)
    assert all(lines[n - 1].startswith("# ") for n in blocks)
    assert f"p2p-assist mock render {out}" in out.read_text()
    assert MockScript.model_validate(tomllib.loads(out.read_text())) == script


def test_tough_presses_every_objection_and_ends_in_a_denial(cases: Path, tmp_path: Path) -> None:
    plain = draft(cases, RA, tmp_path / "plain.toml")
    tough = draft(cases, RA, tmp_path / "tough.toml", "--tough")
    assert len(chosen(tmp_path / "tough.toml")) == 4
    determinations = [t.captures.get("determination") for t in tough.turns]
    assert "denied" in determinations and "denied" not in [
        t.captures.get("determination") for t in plain.turns
    ]
    follow_ups = [t for t in tough.turns if "Follow-up" in t.text or t.text.endswith("?")]
    assert len(follow_ups) > len([t for t in plain.turns if t.text.endswith("?")])


def test_an_existing_script_is_never_replaced_unless_asked(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = cases / RA / "mock-call.toml"
    before = shipped.read_bytes()
    assert main(["--cases", str(cases), "mock", "new", RA]) == 2
    error = capsys.readouterr().err
    assert shipped.read_bytes() == before
    assert error.count("\n") == 1 and "already exists" in error and "--force" in error
    assert main(["--cases", str(cases), "mock", "new", RA, "--force"]) == 0
    assert shipped.read_bytes() != before


def test_a_case_file_is_never_written_over(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = cases / RA / "case.toml"
    before = target.read_bytes()
    assert main(["--cases", str(cases), "mock", "new", RA, "-o", str(target), "--force"]) == 2
    assert target.read_bytes() == before
    assert "case file" in capsys.readouterr().err


def test_an_unknown_objection_id_is_one_line_naming_the_known_ones(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.toml"
    argv = ["--cases", str(cases), "mock", "new", RA, "-o", str(out), "--objections", "sevrity"]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "'sevrity'" in error and "severity" in error
    assert not out.exists()


def test_practice_without_a_recording_says_how_to_make_one(
    cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cases", str(cases), "practice", "bare"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "p2p-assist mock new bare" in error and "p2p-assist mock render" in error


SCRIPT = """
title = "checked"
[[turns]]
speaker = "reviewer"
text = "Hello, this is Doctor Lena Marsh."
captures = { reviewer_name = "Lena Marsh" }
[[turns]]
speaker = "reviewer"
text = "She has to try the first line options first, a full trial at a therapeutic dose."
expect = ["step_therapy"]
"""


@pytest.mark.parametrize(
    ("change", "where", "fix"),
    [
        (('expect = ["step_therapy"]', 'expect = ["step_therpy"]'), "turns[1].expect", "use one"),
        (("reviewer_name =", "reviewer_nam ="), "turns[0].captures", "reviewer_name"),
        (('"She has to try', '"The weather is nice. She has'), None, None),
        (("She has to try the first line options first, a full trial at a therapeutic dose.",
          "Thanks, I have the file open in front of me."), "turns[1].text", "reword"),
        (('speaker = "reviewer"\ntext = "She', 'speaker = "clinician"\ntext = "She'),
         "turns[1].expect", "move it to a reviewer turn"),
        (('speaker = "reviewer"\ntext = "Hello', 'speaker = "payer"\ntext = "Hello'),
         "turns[0].speaker", "correct the value"),
    ],
)  # fmt: skip
def test_mock_check_gives_one_line_per_problem_naming_turn_field_and_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    where: str | None,
    fix: str | None,
) -> None:
    path = tmp_path / "call.toml"
    path.write_text(SCRIPT.replace(*change))
    code = main(["mock", "check", str(path)])
    error = capsys.readouterr().err
    if where is None:  # still raises it: a good script
        assert code == 0 and error == ""
        return
    assert code != 0
    (line,) = [line for line in error.splitlines() if ": note: " not in line]
    assert str(path) in line and where in line and fix in line


def test_mock_check_notes_objections_the_words_raise_beyond_what_is_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "call.toml"
    path.write_text(SCRIPT.replace('expect = ["step_therapy"]', "expect = []"))
    assert main(["mock", "check", str(path)]) == 0
    assert capsys.readouterr().err == (
        f"p2p-assist: {path}: note: turns[1].expect: the words also raise 'step_therapy' — "
        "add it to expect, or reword the turn\n"
    )


def test_a_reviewer_line_naming_an_unknown_fact_is_one_line(
    cases: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from demo_cases import REPO

    prompts = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", prompts)
    lines = prompts / "mock_calls.toml"
    lines.write_text(lines.read_text().replace("{preferred} first, for", "{prefered} first, for"))
    out = tmp_path / "x.toml"
    argv = ["--cases", str(cases), "--prompts", str(prompts), "mock", "new", RA, "-o", str(out)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{lines}: objections.step_therapy.lines[0]: unknown placeholder {{prefered}}" in error
    assert "use one of:" in error and "preferred" in error and not out.exists()
