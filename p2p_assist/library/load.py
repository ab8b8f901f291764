"""Load and check the prompt library folder.

Layout: `objections/<id>.toml` (one per objection, the file named after its id),
`documentation.toml`, `agenda.toml`, `next_steps.toml`, `negatives.toml`, `consent.toml`,
`conduct.toml`, `spoken_terms.toml` and `payer_rules/<name>.toml`. A user's own folder may
leave out all but the objections; the bundled files are used instead, and its own payer rules
are added to (or replace by name) the bundled ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from p2p_assist.basics.errors import file_error
from p2p_assist.basics.locations import prompts_dir
from p2p_assist.basics.tomlfile import load_toml_model
from p2p_assist.library.facts_catalog import BULLET_FACTS, FACTS
from p2p_assist.library.model import (
    Agenda,
    Documentation,
    Negatives,
    NextSteps,
    Objection,
    SpokenTerms,
)
from p2p_assist.library.placeholders import check_placeholders
from p2p_assist.library.playbook import Conduct, Consent, PayerRules

RULES_FOLDER = "payer_rules"


@dataclass(frozen=True)
class Library:
    folder: Path
    objections: dict[str, Objection]
    documentation: Documentation
    agenda: Agenda
    next_steps: NextSteps
    negatives: Negatives
    consent: Consent
    conduct: Conduct
    payer_rules: dict[str, PayerRules]
    spoken_terms: dict[str, list[str]]  # words said aloud for a case file's terms


def load_library(folder: Path | str | None = None) -> Library:
    root = prompts_dir(folder)
    objection_dir = root / "objections"
    if not objection_dir.is_dir():
        raise file_error(
            objection_dir, "folder not found", "point --prompts at a library with objections/"
        )
    files = sorted(objection_dir.glob("*.toml"))
    if not files:
        raise file_error(objection_dir, "no objection files", "add at least one <id>.toml")
    objections: dict[str, Objection] = {}
    for path in files:
        objection = load_toml_model(path, Objection)
        _check_objection(path, objection)
        objections[objection.id] = objection
    bundled = prompts_dir(None)
    return Library(
        folder=root,
        objections=objections,
        documentation=load_toml_model(
            _own_or_bundled(root, bundled, "documentation.toml"), Documentation
        ),
        agenda=load_toml_model(_own_or_bundled(root, bundled, "agenda.toml"), Agenda),
        negatives=load_toml_model(_own_or_bundled(root, bundled, "negatives.toml"), Negatives),
        next_steps=load_toml_model(_own_or_bundled(root, bundled, "next_steps.toml"), NextSteps),
        consent=load_toml_model(_own_or_bundled(root, bundled, "consent.toml"), Consent),
        conduct=load_toml_model(_own_or_bundled(root, bundled, "conduct.toml"), Conduct),
        payer_rules={**_payer_rules(bundled), **_payer_rules(root)},
        spoken_terms=load_toml_model(
            _own_or_bundled(root, bundled, "spoken_terms.toml"), SpokenTerms
        ).terms,
    )


def _own_or_bundled(root: Path, bundled: Path, name: str) -> Path:
    own = root / name
    return own if own.exists() else bundled / name


def _payer_rules(root: Path) -> dict[str, PayerRules]:
    """Profiles by file name: a case picks one with [payer] rules = "<name>"."""
    return {
        path.stem: load_toml_model(path, PayerRules)
        for path in sorted((root / RULES_FOLDER).glob("*.toml"))
    }


def _check_objection(path: Path, objection: Objection) -> None:
    if objection.id != path.stem:
        raise file_error(
            path,
            f"id '{objection.id}' differs from the file name",
            f"rename the file to {objection.id}.toml or fix the id",
            "id",
        )
    for field, items in (
        ("say", [objection.say]),
        ("rebuttal.points", objection.rebuttal.points),
        ("rebuttal.questions", objection.rebuttal.questions),
    ):
        for number, text in enumerate(items):
            check_placeholders(path, text, f"{field}[{number}]", FACTS)
    for number, name in enumerate(objection.bullets):
        if name not in BULLET_FACTS:
            raise file_error(
                path,
                f"no one-line bullets for case fact '{name}'",
                f"use one of: {', '.join(sorted(BULLET_FACTS))}",
                f"bullets[{number}]",
            )
    for number, name in enumerate(objection.needs):
        if name not in FACTS:
            raise file_error(
                path,
                f"unknown case fact '{name}'",
                f"use one of: {', '.join(sorted(FACTS))}",
                f"needs[{number}]",
            )
