"""The search index: found by sound, kept in step with the call folders, owner-only, rebuilt
when damaged, safe with two searches and a call being written at once."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from transcript_support import CASE_ID, make_cases, mode

from p2p_assist.cli.main import main
from p2p_assist.transcript import (
    Record,
    SavedObjection,
    Utterance,
    open_new_call,
    search_index,
    search_lines,
    search_update,
)
from p2p_assist.transcript.corrections import LineFixed, ObjectionVerdict, append_correction
from p2p_assist.transcript.layout import case_ids
from p2p_assist.transcript.records import CallMeta, CardRetracted, CardShown
from p2p_assist.transcript.search import search_calls
from p2p_assist.transcript.search_index import INDEX_NAME
from p2p_assist.transcript.search_match import SOUND_MIN

SPELLED = "we go by interqual for this level of care"
TERKEL = "we go by terkel criteria here"
INTERPOL = "the interpol guidelines apply"
INNER_QUAL = "inner qual says she does not qualify"
INTERVAL = "the interval between visits was long"
SMALL_TALK = "thanks for taking the time this afternoon"


def said(start: float, text: str, *objections: str) -> Utterance:
    hits = [SavedObjection(id=hit, score=91.0, span=(0, 4)) for hit in objections]
    return Utterance(start=start, end=start + 2.0, speaker="reviewer", text=text, objections=hits)


def record_call(cases: Path, records: Sequence[Record], case_id: str = CASE_ID) -> Path:
    with open_new_call(cases, case_id, "live", "vosk", "microphone") as writer:
        for record in records:
            writer.append(record)
    return writer.call_dir


def texts(cases: Path, query: str | None, **filters: Any) -> list[str]:
    return [hit.text for hit in search_calls(cases, query, limit=1000, **filters).hits]


def append_line(call_dir: Path, record: Record) -> None:
    with (call_dir / "transcript.jsonl").open("ab") as transcript:
        transcript.write(record.model_dump_json().encode() + b"\n")


# --- by sound -----------------------------------------------------------------------------


def test_interqual_finds_what_the_recogniser_wrote_for_it(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(
        cases,
        [said(n, text) for n, text in enumerate([TERKEL, INTERPOL, INNER_QUAL, INTERVAL, SPELLED])],
    )
    hits = search_calls(cases, "interqual").hits
    assert [(hit.text, hit.by_sound) for hit in hits[:1]] == [(SPELLED, False)]
    assert {hit.text for hit in hits[1:]} == {TERKEL, INTERPOL, INNER_QUAL}
    assert all(hit.by_sound and hit.score >= SOUND_MIN for hit in hits[1:])
    assert INTERVAL not in [hit.text for hit in hits]  # a stop heard as a hiss: too far


def test_every_spelled_match_comes_before_the_sound_matches(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, TERKEL), said(2, "we use inter qual")])
    hits = search_calls(cases, "interqual").hits
    assert [(hit.text, hit.by_sound) for hit in hits] == [
        ("we use inter qual", False),
        (TERKEL, True),
    ]
    assert hits[0].score < hits[1].score  # ranked by how it matched first, then by score


def test_a_query_of_several_words_is_heard_across_the_words_said(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, "she needs the hum era injections"), said(2, SMALL_TALK)])
    [hit] = search_calls(cases, "humira injection").hits
    assert hit.by_sound and hit.text == "she needs the hum era injections"


def test_a_query_of_few_sounds_is_not_searched_by_sound(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, "make a game of it"), said(2, "the magic number")])
    assert texts(cases, "mcg") == []


def test_the_cli_marks_a_line_found_by_sound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(61, TERKEL)])
    assert main(["--cases", str(cases), "search", "interqual"]) == 0
    out = capsys.readouterr().out
    assert out.endswith(f"01:01  Reviewer: {TERKEL}  (sounds alike)\n")


# --- kept in step with the call folders -----------------------------------------------------


def test_a_new_call_is_found_by_the_next_search(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    assert texts(cases, "criteria") == []
    record_call(cases, [said(1, TERKEL)])
    assert texts(cases, "criteria") == [TERKEL]


def test_a_transcript_that_changed_is_read_again(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, SMALL_TALK)])
    assert texts(cases, "interqual") == []
    append_line(call_dir, said(5, SPELLED))
    assert texts(cases, "interqual") == [SPELLED]


def test_a_deleted_call_is_forgotten(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    kept = record_call(cases, [said(1, SPELLED)])
    gone = record_call(cases, [said(1, SPELLED)])
    assert len(texts(cases, "interqual")) == 2
    shutil.rmtree(gone)
    assert [hit.call_dir for hit in search_calls(cases, "interqual").hits] == [kept]
    with sqlite3.connect(cases / INDEX_NAME) as db:
        assert db.execute("SELECT stamp FROM calls").fetchall() == [(kept.name,)]
        assert db.execute("SELECT count(*) FROM lines").fetchone() == (1,)
        words_match_their_lines(db)


def test_only_the_calls_that_changed_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = make_cases(tmp_path)
    calls = [record_call(cases, [said(1, f"{SMALL_TALK} {n}")]) for n in range(3)]
    read: list[Path] = []

    def counted(call_dir: Path) -> search_lines.CallLines:
        read.append(call_dir)
        return search_lines.read_call_lines(call_dir)

    monkeypatch.setattr(search_update, "read_call_lines", counted)
    search_calls(cases, "afternoon")
    assert sorted(read) == sorted(calls)
    read.clear()
    search_calls(cases, "afternoon")
    assert read == []
    append_line(calls[1], said(9, SPELLED))
    search_calls(cases, "afternoon")
    assert read == [calls[1]]


def test_a_call_that_ended_is_no_longer_marked_unfinished(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:
        live.append(said(1, SPELLED))
        assert [hit.unfinished for hit in search_calls(cases, "interqual").hits] == [True]
    assert (
        CallMeta.model_validate_json((live.call_dir / "call.json").read_bytes()).status == "ended"
    )
    assert [hit.unfinished for hit in search_calls(cases, "interqual").hits] == [False]


def test_a_line_corrected_in_review_is_found_as_corrected(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    line = said(1, "we go by inner cool")
    call_dir = record_call(cases, [line])
    assert texts(cases, "interqual criteria") == []
    append_correction(call_dir, LineFixed(line_t=line.t, text="we go by InterQual criteria"))
    [hit] = search_calls(cases, "interqual criteria").hits
    assert (hit.text, hit.by_sound) == ("we go by InterQual criteria", False)


def test_searching_one_case_keeps_the_others_indexed(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    (cases / "other").mkdir()
    record_call(cases, [said(1, SPELLED)])
    record_call(cases, [said(1, SPELLED)], case_id="other")
    search_calls(cases, "interqual")
    assert [hit.case_id for hit in search_calls(cases, "interqual", case_id="other").hits] == [
        "other"
    ]
    with sqlite3.connect(cases / INDEX_NAME) as db:
        assert db.execute("SELECT count(*) FROM calls").fetchone() == (2,)
    assert case_ids(cases) == [CASE_ID, "other"]  # the index is no case


# --- what counts as raising an objection ------------------------------------------------------


def card(at: float, objection: str, heard: str) -> CardShown:
    return CardShown(
        stream_time=at,
        objection_id=objection,
        score=88.0,
        heard=heard,
        span=(0, 4),
        from_partial=True,
        speaker="reviewer",
        times=1,
    )


def test_a_withdrawn_card_does_not_count_for_its_objection(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(
        cases,
        [
            card(1.0, "step_therapy", "she has not tried"),
            CardRetracted(stream_time=3.0, objection_id="step_therapy", final_text="she has"),
            said(1, "she has tried everything we asked"),
        ],
    )
    assert texts(cases, None, objection="step_therapy") == []


def test_a_card_raised_as_the_call_stopped_is_a_line_of_its_own(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(
        cases,
        [
            said(1, SMALL_TALK),
            card(7.5, "step_therapy", "she has not tried"),
            card(8.0, "severity", "she has not tried methotrexate and it is mild"),
        ],
    )
    [hit] = search_calls(cases, None, objection="step_therapy").hits
    assert (hit.seconds, hit.speaker) == (7.5, "Reviewer")
    assert hit.text == "she has not tried methotrexate and it is mild"  # the latest words
    assert texts(cases, None, objection="severity") == [hit.text]


def test_an_objection_rejected_in_review_does_not_count(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, "the severity is not there", "severity")])
    assert len(texts(cases, None, objection="severity")) == 1
    append_correction(call_dir, ObjectionVerdict(objection_id="severity", verdict="rejected"))
    assert texts(cases, None, objection="severity") == []
    assert texts(cases, "severity") == ["the severity is not there"]


# --- a damaged or missing index -----------------------------------------------------------


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def empty(path: Path) -> None:
    os.truncate(path, 0)


def garbage(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(path.stat().st_size))


def garbage_inside(path: Path) -> None:
    """The header intact, the pages after it overwritten."""
    size = path.stat().st_size
    with path.open("r+b") as index:
        index.seek(4096)
        index.write(random.Random(2).randbytes(size - 4096))


def other_version(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")


def delete(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize(
    ("damage", "said_so"),
    [
        (truncate, "was damaged"),
        (empty, "was empty — rebuilt it"),
        (garbage, "was damaged (file is not a database) — rebuilt it"),
        (garbage_inside, "was damaged"),
        (other_version, "was made by another version of p2p-assist"),
        (delete, "made the search index"),
    ],
)
def test_a_damaged_or_missing_index_is_rebuilt_with_one_line(
    tmp_path: Path, damage: Callable[[Path], None], said_so: str
) -> None:
    cases = make_cases(tmp_path)
    # Enough lines that the index has pages past its first.
    record_call(cases, [said(n, f"{SMALL_TALK} {n} {SPELLED * (n % 2)}") for n in range(80)])
    before = search_calls(cases, "interqual")
    damage(cases / INDEX_NAME)
    after = search_calls(cases, "interqual")
    assert after.hits == before.hits
    [notice] = after.notices
    assert said_so in notice and str(cases / INDEX_NAME) in notice
    assert search_calls(cases, "interqual").notices == ()
    assert mode(cases / INDEX_NAME) == 0o600


def test_the_cli_says_the_index_was_rebuilt_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    assert main(["--cases", str(cases), "search", "interqual"]) == 0
    assert (
        capsys.readouterr().err
        == f"p2p-assist: made the search index {cases / INDEX_NAME} (1 call)\n"
    )
    garbage(cases / INDEX_NAME)
    assert main(["--cases", str(cases), "search", "interqual"]) == 0
    out, err = capsys.readouterr()
    assert out.endswith(f"Reviewer: {SPELLED}\n")
    assert len(err.splitlines()) == 1 and "search index" in err and "rebuilt it" in err


# --- owner-only, never elsewhere ----------------------------------------------------------


def test_the_index_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    old = os.umask(0)
    try:
        search_calls(cases, "interqual")
    finally:
        os.umask(old)
    assert mode(cases / INDEX_NAME) == 0o600


def test_an_index_opened_up_is_made_owner_only_again(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    search_calls(cases, "interqual")
    (cases / INDEX_NAME).chmod(0o644)
    assert texts(cases, "interqual") == [SPELLED]
    assert mode(cases / INDEX_NAME) == 0o600


def test_a_link_in_place_of_the_index_is_not_followed(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    elsewhere = tmp_path / "shared" / "index.sqlite"
    elsewhere.parent.mkdir()
    (cases / INDEX_NAME).symlink_to(elsewhere)
    result = search_calls(cases, "interqual")
    assert [hit.text for hit in result.hits] == [SPELLED]
    [notice] = result.notices
    assert notice.startswith(f"cannot keep the search index {cases / INDEX_NAME}")
    assert notice.endswith("— searched without it")
    assert not elsewhere.exists()


def test_a_folder_in_place_of_the_index_leaves_search_working(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SPELLED)])
    (cases / INDEX_NAME).mkdir()
    result = search_calls(cases, "interqual")
    assert [hit.text for hit in result.hits] == [SPELLED]
    assert "searched without it" in result.notices[0]


# --- at the same time ---------------------------------------------------------------------


def test_a_search_during_a_call_finds_every_line_written_so_far(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    record_call(cases, [said(1, SMALL_TALK)])
    written = 0
    stop = threading.Event()
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:

        def speak() -> None:
            nonlocal written
            while not stop.is_set():
                live.append(said(written, f"line {written} about interqual"))
                written += 1

        speaker = threading.Thread(target=speak)
        speaker.start()
        seen: list[list[int]] = []
        try:
            for _ in range(8):
                result = search_calls(cases, "interqual", limit=10_000)
                assert result.problems == [] and all(hit.unfinished for hit in result.hits)
                seen.append(sorted(int(hit.text.split()[1]) for hit in result.hits))
        finally:
            stop.set()
            speaker.join()
    for numbers in seen:
        assert numbers == list(range(len(numbers)))  # as far as written, never a gap
    assert [len(numbers) for numbers in seen] == sorted(len(numbers) for numbers in seen)
    final = search_calls(cases, "interqual", limit=10_000).hits
    assert len(final) == written and not any(hit.unfinished for hit in final)


def test_a_line_still_being_written_is_not_damage(tmp_path: Path) -> None:
    cases = make_cases(tmp_path)
    with open_new_call(cases, CASE_ID, "live", "vosk", "microphone") as live:
        live.append(said(1, SMALL_TALK))
        line = said(2, SPELLED).model_dump_json().encode() + b"\n"
        with (live.call_dir / "transcript.jsonl").open("ab") as transcript:
            transcript.write(line[:40])
            transcript.flush()
            result = search_calls(cases, "interqual")
            assert (result.hits, result.problems) == ([], [])
            transcript.write(line[40:])
        assert texts(cases, "interqual") == [SPELLED]


def _search_in_a_process(cases: Path) -> list[str]:
    return texts(cases, "interqual")


def test_two_searches_at_once_index_each_call_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = make_cases(tmp_path)
    monkeypatch.setattr(search_update, "BATCH_CALLS", 3)  # so that the two take turns
    for n in range(16):
        record_call(cases, [said(1, f"{SMALL_TALK} {n}"), said(2, f"interqual {n}")])
    with multiprocessing.get_context("fork").Pool(2) as pool:
        first, second = pool.map(_search_in_a_process, [cases, cases])
    assert first == second and len(first) == 16
    with sqlite3.connect(cases / INDEX_NAME) as db:
        assert db.execute("SELECT count(*) FROM calls").fetchone() == (len(first),)
        assert db.execute("SELECT count(*) FROM lines").fetchone() == (2 * len(first),)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        words_match_their_lines(db)


def words_match_their_lines(db: sqlite3.Connection) -> None:
    """FTS5's own check: every word indexed is in its line, and every line's words are
    indexed (raises sqlite3.DatabaseError if not)."""
    db.execute("INSERT INTO words (words) VALUES ('integrity-check')")


def test_a_search_reads_while_another_writes_and_waits_only_so_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = make_cases(tmp_path)
    call_dir = record_call(cases, [said(1, SPELLED)])
    search_calls(cases, "interqual")
    monkeypatch.setattr(search_index, "BUSY_SECONDS", 0.2)
    other = sqlite3.connect(cases / INDEX_NAME, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another search, writing
        unchanged = search_calls(cases, "interqual")
        assert ([hit.text for hit in unchanged.hits], unchanged.notices) == ([SPELLED], ())
        append_line(call_dir, said(5, f"{SPELLED} again"))  # now this search must write too
        waited = search_calls(cases, "interqual")
        assert [hit.text for hit in waited.hits] == [SPELLED, f"{SPELLED} again"]
        [notice] = waited.notices
        assert "database is locked" in notice and notice.endswith("searched without it")
    finally:
        other.close()
    assert search_calls(cases, "interqual").notices == ()
