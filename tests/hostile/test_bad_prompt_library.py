"""A prompt library someone edited by hand: a broken file is one line naming the file, the field
and the fix; nothing in it can hang the matcher or the call screen."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import CASE, REPO, Cli, copy_cases, no_traceback, one_line_error

from p2p_assist.transcript import SavedObjection, Utterance, open_new_call

pytestmark = pytest.mark.bad_input

NEGATIVES = (
    'examples = ["how was your weekend", "let me pull up the chart", "thanks for calling"]\n'
)
STEP_LINE = "Has she tried the preferred biosimilar first?"


@pytest.fixture
def prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small library of our own (two objections, a few negatives: it trains in a moment),
    with its own matcher cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library = tmp_path / "prompts"
    (library / "objections").mkdir(parents=True)
    for name in ("step_therapy", "severity"):
        shutil.copy(REPO / "prompts" / "objections" / f"{name}.toml", library / "objections")
    shutil.copy(REPO / "prompts" / "documentation.toml", library)
    (library / "negatives.toml").write_text(NEGATIVES)
    return library


def edit(path: Path, pattern: str, replacement: str) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(), count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    path.write_text(text)


def add_pattern(library: Path, item: str, pattern: str) -> None:
    """Put `pattern` first in the patterns of documentation item `item`."""
    doc = library / "documentation.toml"
    edit(doc, rf'^(id = "{item}"\n(?:.*\n)*?)patterns = \[', rf"\g<1>patterns = [\n  '{pattern}',")


def with_library_commands(cli: Cli, library: Path, tmp_path: Path) -> list[tuple[str, ...]]:
    cases = copy_cases(tmp_path)
    return [
        ("--prompts", str(library), "match"),
        ("--prompts", str(library), "--cases", str(cases), "brief", CASE),
        ("--prompts", str(library), "--cases", str(cases), "search", "--objection", "severity"),
    ]


@pytest.mark.parametrize(
    ("where", "pattern", "replacement", "named"),
    [
        (
            "a megabyte trigger phrase",
            r"^phrases = \[",
            'phrases = ["' + "w" * 1_000_000 + '", ',
            "triggers.phrases[0]",
        ),
        (
            "a megabyte example",
            r"^examples = \[",
            'examples = ["' + "we " * 400_000 + '", ',
            "triggers.examples[0]",
        ),
        (
            "an infinite cooldown",
            r"^cooldown_seconds = .*",
            "cooldown_seconds = inf",
            "cooldown_seconds",
        ),
        ("a nan cooldown", r"^cooldown_seconds = .*", "cooldown_seconds = nan", "cooldown_seconds"),
        ("a priority of true", r"^priority = .*", "priority = true", "priority"),
        (
            "a deeply nested value",
            r"^priority = .*",
            "priority = " + "[" * 50_000 + "]" * 50_000,
            "nested too deeply",
        ),
        ("a typo in a field name", r"^priority = ", "priorty = ", "did you mean 'priority'"),
    ],
)
def test_a_broken_objection_file_is_one_line_for_every_command(
    cli: Cli, prompts: Path, tmp_path: Path, where: str, pattern: str, replacement: str, named: str
) -> None:
    edit(prompts / "objections" / "step_therapy.toml", pattern, replacement)
    for command in with_library_commands(cli, prompts, tmp_path):
        one_line_error(cli(*command, stdin=STEP_LINE.encode()), "step_therapy.toml", named)


@pytest.mark.parametrize(
    ("item", "pattern", "named"),
    [
        ("reviewer_name", "(unclosed", "does not compile"),
        ("reviewer_name", "doctor [a-z]+", "no (?P<value>...) group"),
    ],
)
def test_a_documentation_pattern_that_cannot_work_is_named(
    cli: Cli, prompts: Path, item: str, pattern: str, named: str
) -> None:
    add_pattern(prompts, item, pattern)
    ran = cli("--prompts", prompts, "match", stdin=b"this is doctor lisa chen\n")
    one_line_error(ran, "documentation.toml", "patterns", named)


def test_a_choice_that_is_not_a_regex_is_named(cli: Cli, prompts: Path) -> None:
    edit(prompts / "documentation.toml", r'^"MCG" = \[', '"C++ guide" = ["c++ (md"]\n"MCG" = [')
    ran = cli("--prompts", prompts, "match", stdin=b"we use the c++ guide\n")
    one_line_error(ran, "documentation.toml", "choices", "c++ (md", "backslash")


def test_a_pattern_that_backtracks_for_ever_is_switched_off_not_hung(
    cli: Cli, prompts: Path
) -> None:
    add_pattern(prompts, "reference_number", "(?P<value>(a|aa)+)$")
    lines = [STEP_LINE, "a" * 60 + " b", "a" * 60 + " c", "the reference number is 4 7 2 9 1"]
    finished: list[object] = []
    worker = threading.Thread(
        target=lambda: finished.append(
            cli("--prompts", prompts, "match", stdin=("\n".join(lines) + "\n").encode())
        ),
        daemon=True,
    )
    worker.start()
    worker.join(120)  # a hang guard, not a timing assert: the search itself is capped at 50 ms
    assert finished, "match hung on a catastrophic pattern"
    (ran,) = finished
    assert ran.code == 0 and len(ran.out.splitlines()) == len(lines)
    notices = [line for line in ran.err.splitlines() if "reference_number" in line]
    assert len(notices) == 1 and "simplify" in notices[0]
    assert '"captures": [{"field": "reference_number", "value": "47291"}]' in ran.out


def test_search_takes_an_objection_the_given_library_defines(
    cli: Cli, prompts: Path, tmp_path: Path
) -> None:
    own = (REPO / "prompts" / "objections" / "severity.toml").read_text()
    own = own.replace('id = "severity"', 'id = "coverage_cap"')
    (prompts / "objections" / "coverage_cap.toml").write_text(own)
    cases = copy_cases(tmp_path)
    writer = open_new_call(cases, CASE, "live", "test", "test")
    writer.append(
        Utterance(
            start=1.0,
            end=2.0,
            speaker="reviewer",
            text="the plan caps this at ten visits",
            objections=[SavedObjection(id="coverage_cap", score=90.0, span=(0, 4))],
        )
    )
    writer.close()
    ran = cli("--prompts", prompts, "--cases", cases, "search", "--objection", "coverage_cap")
    no_traceback(ran)
    assert ran.code == 0 and "caps this at ten visits" in ran.out
    unknown = cli("--prompts", prompts, "--cases", cases, "search", "--objection", "vibes")
    one_line_error(unknown, "vibes", "coverage_cap")


@pytest.mark.parametrize(
    ("setup", "named"),
    [
        (lambda lib: shutil.rmtree(lib / "objections"), "objections"),
        (lambda lib: [p.unlink() for p in (lib / "objections").glob("*.toml")], "objections"),
        (
            lambda lib: (
                (lib / "documentation.toml").unlink() or (lib / "documentation.toml").mkdir()
            ),
            "documentation.toml",
        ),
        (lambda lib: (lib / "negatives.toml").write_bytes(b"\xff\xfe"), "not UTF-8"),
        (
            lambda lib: (lib / "negatives.toml").write_text("examples = ['" + "x" * 2000 + "']"),
            "examples[0]",
        ),
    ],
    ids=[
        "no objections folder",
        "no objection files",
        "a folder for a file",
        "UTF-16",
        "a 2,000-character negative",
    ],
)
def test_a_library_missing_its_parts_is_one_line(
    cli: Cli, prompts: Path, setup: object, named: str
) -> None:
    setup(prompts)  # type: ignore[operator]
    one_line_error(cli("--prompts", prompts, "match", stdin=b"hello\n"), named)
