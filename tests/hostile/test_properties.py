"""Generated hostile inputs (hypothesis): whatever a case file, a transcript line or a prompt
library holds, the program gives a result or one clear error, never an exception it did not
mean, and never loses the good parts."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import CASE, REPO, copy_cases
from demo_cases import demo_file
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from p2p_assist.basics.errors import UserError
from p2p_assist.cases.check import gaps, p2p_window
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import load_library
from p2p_assist.library.model import DocumentationItem, Objection
from p2p_assist.library.process import process_notes, rules_or_generic
from p2p_assist.matching.captures import CaptureExtractor
from p2p_assist.matching.objections import TriggerRules, compile_triggers
from p2p_assist.matching.utterance import Vocabulary
from p2p_assist.report.brief import render_brief
from p2p_assist.transcript import Utterance, open_new_call, read_call
from p2p_assist.transcript.export import EXPORTERS
from p2p_assist.transcript.search import search_calls

pytestmark = pytest.mark.bad_input

LIBRARY = load_library()
DEMO = tomllib.loads(demo_file(CASE, "case.toml").read_text())
TODAY = dt.date(2026, 12, 1)

# --- a TOML writer small enough to trust: inline tables and arrays, one key per line ----------


def toml_string(text: str) -> str:
    """JSON's string escapes are TOML's, except that TOML wants DEL escaped and takes no
    surrogate pairs (so characters are written as they are)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(value)


def toml_document(data: dict[str, Any]) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in data.items())


def leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaf_paths(item, (*path, key))] or [path]
    if isinstance(value, list):
        return [p for n, item in enumerate(value) for p in leaf_paths(item, (*path, n))] or [path]
    return [path]


def leaf(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def replaced(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], new)
    return copy


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
HOSTILE = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    TEXT,
    st.dates(),
    st.lists(st.integers(), max_size=3),
    st.just({}),
    st.just([[[[]]]]),
)
# The edges, drawn as often as everything else together: where overflow and nan live.
EXTREMES = st.sampled_from(
    [
        0,
        -1,
        2**31,
        2**63 - 1,
        -(2**63),
        1e308,
        -1e308,
        math.nan,
        math.inf,
        -math.inf,
        True,
        dt.date.min,
        dt.date.max,
    ]
)
PATHS = leaf_paths(DEMO)
# Numbers and dates are where arithmetic happens (windows, deadlines, changes): drawn half the time.
ARITHMETIC_PATHS = [path for path in PATHS if isinstance(leaf(DEMO, path), int | float | dt.date)]


@settings(max_examples=200)
@given(
    path=st.one_of(st.sampled_from(ARITHMETIC_PATHS), st.sampled_from(PATHS)),
    value=st.one_of(EXTREMES, HOSTILE),
)
def test_any_value_anywhere_in_a_case_file(path: tuple[Any, ...], value: Any) -> None:
    with tempfile.TemporaryDirectory() as root:
        cases = Path(root)
        (cases / "x").mkdir()
        (cases / "x" / "case.toml").write_text(toml_document(replaced(DEMO, path, value)))
        try:
            case = load_case(cases, "x")
        except UserError as error:
            assert "\n" not in str(error) and "case.toml" in str(error)
            return
    for today in (TODAY, dt.date.min, dt.date.max):
        assert p2p_window(case, today).describe()
        rules = rules_or_generic(case, LIBRARY)
        assert rules is not None and process_notes(case, rules, today)
    gaps(case)
    brief = render_brief("x", case, LIBRARY, TODAY)
    assert "nan →" not in brief and "→ inf" not in brief


@given(field=st.text(st.characters(categories=("Ll", "Lu", "Nd")), min_size=1, max_size=20))
def test_an_unknown_field_in_a_case_file_is_named(field: str) -> None:
    if field in DEMO:
        return
    with tempfile.TemporaryDirectory() as root:
        cases = Path(root)
        (cases / "x").mkdir()
        document = toml_document({**DEMO, field: "x"})
        (cases / "x" / "case.toml").write_text(document)
        with pytest.raises(UserError, match="unknown field") as refused:
            load_case(cases, "x")
    assert field in str(refused.value)


# --- transcripts -------------------------------------------------------------------------------

GOOD_LINES = ["the first thing said", "the second thing said", "the last thing said"]
JSON_HOSTILE = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.none(),
    TEXT,
    st.lists(st.floats(), max_size=3),
)
RECORD_FIELDS = ["start", "end", "text", "speaker", "t", "kind", "words", "objections", "captures"]
LINE = st.one_of(
    st.binary(max_size=200),
    st.builds(
        lambda field, value: json.dumps(
            {
                "kind": "utterance",
                "t": "2026-11-23T10:00:00+00:00",
                "start": 1.0,
                "end": 2.0,
                "text": "x",
                field: value,
            }
        ).encode(),
        st.sampled_from(RECORD_FIELDS),
        JSON_HOSTILE,
    ),
)


@given(lines=st.lists(LINE, min_size=1, max_size=6))
def test_any_damage_to_a_transcript_keeps_the_good_lines(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as root:
        cases = copy_cases(Path(root))
        writer = open_new_call(cases, CASE, "live", "test", "test")
        for number, text in enumerate(GOOD_LINES):
            writer.append(Utterance(start=number * 10.0, end=number * 10.0 + 2, text=text))
        writer.close()
        with (writer.call_dir / "transcript.jsonl").open("ab") as transcript:
            transcript.write(b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n")
        call = read_call(writer.call_dir)
        outputs = {name: export(call) for name, export in EXPORTERS.items()}
        search_calls(cases, "thing said")
    for text in GOOD_LINES:
        assert text in outputs["txt"] and text in outputs["srt"]
    json.loads(outputs["json"], parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


# --- prompt libraries --------------------------------------------------------------------------

REGEXISH = st.text(alphabet="ab (|)[]{}+*?\\^$.:<>P=!-0123456789w", max_size=24)


@given(pattern=REGEXISH, phrasing=REGEXISH, said=st.text(alphabet="ab a b", max_size=60))
def test_any_documentation_regex_is_refused_or_searched_safely(
    pattern: str, phrasing: str, said: str
) -> None:
    try:
        item = DocumentationItem(
            id="x",
            label="x",
            ask="x",
            kind="choice",
            patterns=[f"(?P<value>{pattern})"],
            choices={"X": [phrasing]},
        )
    except ValidationError as error:
        assert error.errors()[0]["loc"][0] in ("patterns", "choices")
        return
    notices: list[str] = []
    captures = CaptureExtractor([item], notices.append).extract(said)
    assert all(capture.field == "x" for capture in captures)
    assert all("simplify" in notice for notice in notices)


STEP = tomllib.loads((REPO / "prompts" / "objections" / "step_therapy.toml").read_text())


@given(phrases=st.lists(TEXT, min_size=1, max_size=4), said=TEXT)
def test_any_trigger_phrase_is_refused_or_matched_safely(phrases: list[str], said: str) -> None:
    data = {**STEP, "triggers": {**STEP["triggers"], "phrases": phrases}}
    try:
        objection = Objection.model_validate(data)
        index = compile_triggers([objection], Path("objections"))
    except (ValidationError, UserError):
        return
    rules = TriggerRules([objection], index)
    hits = rules.match(Vocabulary(index.vocabulary()).read(said))
    assert all(hit.id == "step_therapy" for hit in hits)


def test_the_demo_case_round_trips_through_the_writer() -> None:
    """The generator's base line: the unchanged demo case, written by toml_document, loads."""
    with tempfile.TemporaryDirectory() as root:
        cases = Path(root)
        (cases / "x").mkdir()
        shutil.copy(demo_file(CASE, "case.toml"), cases / "x" / "case.toml")
        (cases / "x" / "case.toml").write_text(toml_document(DEMO))
        assert load_case(cases, "x").denial.letter_date == DEMO["denial"]["letter_date"]
