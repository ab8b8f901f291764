"""search_calls and `p2p-assist search`: fuzzy hits across every saved call, damage tolerated."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from transcript_support import CASE_ID, make_cases

from p2p_assist.basics.errors import UserError
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cli.main import main
from p2p_assist.library.model import OBJECTION_IDS
from p2p_assist.transcript import Bookmark, Note, Record, SavedObjection, Utterance, open_new_call
from p2p_assist.transcript.search import search_calls, skipped_summary

INTERQUAL = "we go by inter qual criteria for this level of care"
STEP = "she has not had step therepy with two agents"
SMALL_TALK = "thanks for taking the time this afternoon"


def said(start: float, text: str, *objections: str, speaker: Speaker = "reviewer") -> Utterance:
    hits = [SavedObjection(id=hit, score=91.0, span=(0, 4)) for hit in objections]
    return Utterance(start=start, end=start + 2.0, speaker=speaker, text=text, objections=hits)


def record_call(cases: Path, records: Sequence[Record], case_id: str = CASE_ID) -> Path:
    with open_new_call(cases, case_id, "live", "vosk", "microphone") as writer:
        for record in records:
            writer.append(record)
    return writer.call_dir


def texts(cases: Path, query: str | None, **filters: Any) -> list[str]:
    return [hit.text for hit in search_calls(cases, query, **filters).hits]


def indexed(cases: Path) -> Path:
    """The cases folder with its search index made, so a search has nothing to say about it."""
    search_calls(cases, None, limit=1)
    return cases


def test_a_misspelt_query_finds_what_the_recogniser_wrote(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(4.2, SMALL_TALK), said(64.0, INTERQUAL), said(70, STEP)])
    [hit] = search_calls(cases, "InterQual").hits
    assert (hit.case_id, hit.stamp, hit.call_dir) == (CASE_ID, call_dir.name, call_dir)
    assert (hit.seconds, hit.speaker, hit.text) == (64.0, "Reviewer", INTERQUAL)
    assert 80 <= hit.score < 100 and not hit.unfinished
    assert texts(cases, "step therapy") == [STEP]
    assert texts(cases, "prior authorisation form") == []


def test_a_line_shorter_than_the_query_must_match_it_whole(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, "step"), said(2, "step therapy")])
    assert texts(cases, "step therapy") == ["step therapy"]


def test_best_score_first_then_the_newest_call(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    older = record_call(cases, [said(1, "interqual criteria apply")])
    newer = record_call(cases, [said(1, "interqual criteria apply"), said(2, "inter qual")])
    hits = search_calls(cases, "interqual").hits
    assert [(hit.call_dir, hit.text) for hit in hits] == [
        (newer, "interqual criteria apply"),
        (older, "interqual criteria apply"),
        (newer, "inter qual"),
    ]
    assert hits[0].score == 100 > hits[2].score


def test_the_limit_keeps_the_best_lines(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(n, f"inter qual {n}") for n in range(5)] + [said(9, "interqual")])
    assert texts(cases, "interqual", limit=2) == ["interqual", "inter qual 0"]


def test_case_filter_searches_one_case_only(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    (cases / "other").mkdir()
    record_call(cases, [said(1, INTERQUAL)])
    record_call(cases, [said(1, INTERQUAL)], case_id="other")
    assert {hit.case_id for hit in search_calls(cases, "interqual").hits} == {CASE_ID, "other"}
    assert [hit.case_id for hit in search_calls(cases, "interqual", case_id="other").hits] == [
        "other"
    ]


def test_an_unknown_case_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="case folder not found"):
        search_calls(make_cases(tmp_path), "interqual", case_id="nobody")


def test_objection_filter_alone_and_with_text(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(
        cases,
        [
            said(1, "her scores do not show severe illness", "severity"),
            said(
                2,
                "the severity is not documented anywhere",
                "severity",
                "insufficient_documentation",
            ),
            said(3, "how severe is it, doctor", speaker="clinician"),
            Note(text="severity came up twice"),
        ],
    )
    assert texts(cases, None, objection="severity") == [
        "her scores do not show severe illness",
        "the severity is not documented anywhere",
    ]
    assert texts(cases, "documented", objection="severity") == [
        "the severity is not documented anywhere"
    ]
    assert texts(cases, None, objection="step_therapy") == []


def test_notes_and_bookmarks_are_found_with_their_time(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as writer:
        writer.append(said(1, SMALL_TALK))
        writer.append(Note(t=writer.meta.started + dt.timedelta(seconds=95), text="Ask for MCG"))
        writer.append(Bookmark(stream_time=130.5, label="reviewer read the MCG criteria"))
    hits = search_calls(cases, "mcg").hits
    assert [(hit.speaker, hit.seconds, hit.text) for hit in hits] == [
        ("Note", 95.0, "Ask for MCG"),
        ("Bookmark", 130.5, "reviewer read the MCG criteria"),
    ]


def test_a_damaged_line_is_skipped_and_counted_a_blank_one_ignored(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, INTERQUAL), said(2, STEP)])
    jsonl = call_dir / "transcript.jsonl"
    first, second = jsonl.read_bytes().splitlines(keepends=True)
    jsonl.write_bytes(first + b'{"kind": "utterance", "text": "inter\xff\n' + b"  \n" + second)
    result = search_calls(cases, "interqual")
    assert [hit.text for hit in result.hits] == [INTERQUAL]
    assert texts(cases, "step therapy") == [STEP]
    assert result.damaged_lines == 1 and result.missing_transcripts == 0
    summary = skipped_summary(result)
    assert summary is not None and summary.startswith("skipped 1 damaged line in 1 call")
    assert f"p2p-assist review {CASE_ID}" in summary


def test_a_missing_transcript_is_skipped_and_other_calls_still_searched(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    lost = record_call(cases, [said(1, INTERQUAL)])
    kept = record_call(cases, [said(1, INTERQUAL)])
    (lost / "transcript.jsonl").unlink()
    result = search_calls(cases, "interqual")
    assert [hit.call_dir for hit in result.hits] == [kept]
    assert result.missing_transcripts == 1 and result.damaged_lines == 0
    assert skipped_summary(result) == (
        f"skipped 1 missing or unreadable transcript.jsonl in 1 call "
        f"(see them with: p2p-assist review {CASE_ID})"
    )


def test_without_call_json_the_transcript_is_still_searched(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, SMALL_TALK), Note(text="ask for interqual")])
    (call_dir / "call.json").unlink()
    [hit] = search_calls(cases, "interqual").hits
    assert hit.speaker == "Note" and 0 <= hit.seconds < 60 and not hit.unfinished


def test_an_unfinished_call_is_searched_and_marked(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    ended = record_call(cases, [said(1, INTERQUAL)])
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:
        live.append(said(1, INTERQUAL))
        hits = search_calls(cases, "interqual").hits
    assert [(hit.call_dir, hit.unfinished) for hit in hits] == [
        (live.call_dir, True),
        (ended, False),
    ]


def test_a_line_in_another_key_order_is_still_read(tmp_path: Path) -> None:
    """Lines are cut before parsing only where record_line puts "words"; others parse whole."""
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, SMALL_TALK)])
    line = said(3, INTERQUAL).model_dump(mode="json")
    reordered = {key: line[key] for key in reversed(list(line))}
    with (call_dir / "transcript.jsonl").open("a") as jsonl:
        jsonl.write(json.dumps(reordered, separators=(",", ":")) + "\n")
    assert texts(cases, "interqual") == [INTERQUAL]


def test_text_that_looks_like_a_key_is_not_cut(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    tricky = 'he typed ,"words":[ and ,"objections": into the chat about interqual'
    record_call(cases, [said(1, tricky, "proprietary_criteria")])
    assert texts(cases, "interqual", objection="proprietary_criteria") == [tricky]


def test_a_query_without_letters_or_digits_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no letters or digits"):
        search_calls(make_cases(tmp_path), " ?! ")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_one_line_per_hit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(75.9, INTERQUAL)])
    code, out, err = run(["--cases", str(indexed(cases)), "search", "interqual"], capsys)
    assert (code, err) == (0, "")
    assert out == f"{CASE_ID}  {call_dir.name}  01:15  Reviewer: {INTERQUAL}\n"


def test_cli_marks_unfinished_calls_and_sums_up_damage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = indexed(make_cases(tmp_path))
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:
        live.append(said(1, INTERQUAL))
        with (live.call_dir / "transcript.jsonl").open("ab") as jsonl:
            jsonl.write(b"{not json\n")
        code, out, err = run(["--cases", str(cases), "search", "interqual"], capsys)
    assert code == 0 and out.rstrip("\n").endswith("(unfinished)")
    assert err.startswith("p2p-assist: skipped 1 damaged line in 1 call")
    assert len(err.splitlines()) == 1


def test_cli_exits_1_when_nothing_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SMALL_TALK)])
    code, out, err = run(["--cases", str(indexed(cases)), "search", "interqual"], capsys)
    assert (code, out) == (1, "") and err == "p2p-assist: no line matches\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search"], "search needs TEXT, --objection ID or both"),
        (
            ["search", "--objection", "vibes"],
            "unknown objection — use one of: alternative_treatment",
        ),
        (["search", "x", "--case", "nobody"], "nobody: case folder not found"),
        (["search", "..."], "no letters or digits"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    cases = make_cases(tmp_path)
    code, out, err = run(["--cases", str(cases), *args], capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and expected in err and "Traceback" not in err


def test_cli_names_every_valid_objection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = run(["--cases", str(make_cases(tmp_path)), "search", "--objection", "x"], capsys)
    assert all(objection in err for objection in OBJECTION_IDS)
