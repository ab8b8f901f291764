"""The reviewer's side of a drafted mock call (`prompts/mock_calls.toml`): words, not code.

A clinician practising for a payer that talks differently edits the lines, not the drafting
logic. Each list holds alternatives, tried in order: the first whose `{facts}` the case has
is spoken, so a thin case still gets a call, only a vaguer one.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from p2p_assist.basics.locations import prompts_dir
from p2p_assist.basics.strict import Strict
from p2p_assist.basics.tomlfile import load_toml_model
from p2p_assist.library.model import Determination
from p2p_assist.library.placeholders import check_placeholders

MOCK_CALLS_FILE = "mock_calls.toml"

MOCK_FACTS: dict[str, str] = {
    "reviewer": "the invented reviewer's name",
    "title": "the invented reviewer's job title",
    "payer": "the health plan",
    "service": "the requested service, in a few words",
    "level_of_care": "the requested level of care",
    "denial_reason": "the denial reason as the letter gives it",
    "criteria_set": "the criteria set named in the denial",
    "specialty": "the reviewer specialty the case calls for",
    "diagnosis": "the primary diagnosis",
    "preferred": "the first alternative the case lists (what a plan would rather pay for)",
    "treatment": "the first prior treatment",
    "treatment_start": "when the first prior treatment started",
    "measure": "the main severity measure",
    "latest": "its latest value",
    "latest_date": "the month of its latest value",
    "reference": "the call's reference number, digit by digit",
}
"""What a reviewer line may name as {fact}; cases/… facts are the clinician's side."""

Lines = list[str]


class ReviewerLines(Strict):
    name: str = Field(min_length=1, description="invented: a mock never names a real person")
    title: str = ""
    opening: Lines = Field(min_length=1)
    specialty: Lines = Field(min_length=1)
    denial: Lines = Field(min_length=1)
    criteria: Lines = Field(min_length=1)
    reference: Lines = Field(min_length=1)
    letter: str
    appeal: str
    closing: str
    determination: dict[Determination, str]


class ObjectionLines(Strict):
    lines: Lines = Field(min_length=1, description="the objection as first put")
    tough: Lines = Field(default=[], description="harder versions, for --tough")
    follow_up: Lines = Field(default=[], description="pressed when the answer left a gap")


class MockLines(Strict):
    reviewer: ReviewerLines
    objections: dict[str, ObjectionLines] = Field(default_factory=dict)


def load_mock_lines(folder: Path | str | None = None) -> MockLines:
    """The user's own mock_calls.toml when their prompt folder has one, else the bundled one."""
    own = prompts_dir(folder) / MOCK_CALLS_FILE
    path = own if own.exists() else prompts_dir(None) / MOCK_CALLS_FILE
    lines = load_toml_model(path, MockLines)
    _check_placeholders(path, lines)
    return lines


def _check_placeholders(path: Path, lines: MockLines) -> None:
    reviewer = lines.reviewer
    texts: list[tuple[str, str]] = [
        (f"reviewer.{name}[{number}]", text)
        for name in ("opening", "specialty", "denial", "criteria", "reference")
        for number, text in enumerate(getattr(reviewer, name))
    ]
    texts += [
        (f"reviewer.{name}", getattr(reviewer, name)) for name in ("letter", "appeal", "closing")
    ]
    for objection_id, table in lines.objections.items():
        for name in ("lines", "tough", "follow_up"):
            texts += [
                (f"objections.{objection_id}.{name}[{number}]", text)
                for number, text in enumerate(getattr(table, name))
            ]
    for field, text in texts:
        check_placeholders(path, text, field, MOCK_FACTS)
