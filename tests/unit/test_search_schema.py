"""Search reads transcript lines through its own light TypedDicts (for speed); they must say
the same as the store's record models, or search would skip lines the store wrote."""

from __future__ import annotations

import datetime as dt
import json
import typing

import pytest
from pydantic import BaseModel

from p2p_assist.transcript import records, search_lines

PAIRS: list[tuple[type, type[BaseModel]]] = [
    (search_lines._UtteranceLine, records.Utterance),
    (search_lines._NoteLine, records.Note),
    (search_lines._BookmarkLine, records.Bookmark),
    (search_lines._CaptureEditLine, records.CaptureEdit),
    (search_lines._ObjectionLine, records.SavedObjection),
    (search_lines._CaptureConfirmedLine, records.CaptureConfirmed),
    (search_lines._CardLine, records.CardShown),
    (search_lines._RetractionLine, records.CardRetracted),
]


@pytest.mark.parametrize(("light", "model"), PAIRS, ids=[m.__name__ for _, m in PAIRS])
def test_every_field_search_reads_is_a_field_of_the_record(light: type, model: type) -> None:
    fields = model.model_fields
    hints = typing.get_type_hints(light, include_extras=True)
    for name, hint in hints.items():
        assert name in fields, f"{light.__name__}.{name} is not a field of {model.__name__}"
        optional_in_search = typing.get_origin(hint) is typing.NotRequired
        # kind and t always get written (a literal and a default factory).
        assert optional_in_search or fields[name].is_required() or name in ("kind", "t"), (
            f"search needs {name}, which {model.__name__} may leave out"
        )


def test_each_kind_search_knows_is_a_record_kind() -> None:
    record_kinds = {
        typing.get_args(model.model_fields["kind"].annotation)[0]
        for model in (
            records.Utterance,
            records.Note,
            records.Bookmark,
            records.CaptureEdit,
            records.CaptureConfirmed,
            records.CardShown,
            records.CardRetracted,
        )
    }
    light_kinds = {
        typing.get_args(typing.get_type_hints(light)["kind"])[0]
        for light, model in PAIRS
        if "kind" in typing.get_type_hints(light)
    }
    assert light_kinds == record_kinds


SAMPLES: list[records.Record] = [
    records.Utterance(
        start=1.5,
        end=3.0,
        speaker="reviewer",
        text="she has not tried methotrexate",
        words=[("she", 1.5, 1.7, 0.9)],
        objections=[records.SavedObjection(id="step_therapy", score=91.0, span=(8, 19))],
        captures=[records.SavedCapture(field="reference_number", value="47291")],
    ),
    records.Utterance(start=4.0, end=5.0, text="unlabelled line"),
    records.Note(text="asked for the criteria", stream_time=12.0),
    records.Note(text="typed after the call", t=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)),
    records.Bookmark(stream_time=30.0, label="criteria named"),
    records.CaptureEdit(field="reviewer_name", value="Karen Whitfield"),
    records.CaptureConfirmed(field="reference_number", value="47291"),
    records.CardShown(
        stream_time=8.0,
        objection_id="step_therapy",
        score=88.0,
        heard="she has not tried",
        span=(4, 17),
        from_partial=True,
        times=1,
    ),
    records.CardRetracted(stream_time=9.0, objection_id="step_therapy", final_text="she has"),
]


@pytest.mark.parametrize("record", SAMPLES, ids=lambda r: r.kind)
def test_every_line_the_store_writes_is_read_by_search(record: records.Record) -> None:
    line = records.record_line(record)
    parsed = search_lines._LINE.validate_json(line)
    assert parsed["kind"] == record.kind
    written = json.loads(line)
    for key, value in parsed.items():
        if key != "objections":
            assert written[key] == value
