"""The text-level CLI as a user runs it: a real process, real files, stdin and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from demo_cases import copy_demo_cases


def run(
    args: list[str], stdin: bytes = b"", cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "p2p_assist", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_match_writes_one_json_object_per_line_in_order() -> None:
    lines = [
        "Has she tried the preferred biosimilar first?",
        "",
        "how was your weekend",
        "this is doctor lisa chen, reference number 4 7 2 9 1",
    ]
    done = run(["match"], ("\n".join(lines) + "\n").encode())
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [row["text"] for row in out] == lines
    assert "step_therapy" in {o["id"] for o in out[0]["objections"]}
    assert out[1]["objections"] == [] and out[2]["objections"] == []
    assert {"field": "reference_number", "value": "47291"} in out[3]["captures"]
    assert all(set(row) == {"text", "objections", "captures", "set_aside"} for row in out)
    assert all(0 < o["score"] <= 100 for row in out for o in row["objections"])


def test_match_says_which_objections_the_sentence_set_aside_and_why() -> None:
    approved = "Fair enough, she has tried the preferred biosimilar, so I can approve it."
    done = run(["match"], f"{approved}\nShe has to try the preferred biosimilar first.\n".encode())
    approval, objection = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert approval["objections"] == []
    assert {"id": "step_therapy", "because": "approval", "words": "i can approve"} in approval[
        "set_aside"
    ]
    assert objection["set_aside"] == [] and objection["objections"][0]["id"] == "step_therapy"


def test_match_on_empty_stdin_writes_nothing_and_exits_zero() -> None:
    done = run(["match"], b"")
    assert done.returncode == 0 and done.stdout == b""


def test_match_call_mode_applies_cooldown() -> None:
    line = b"That product isn't a covered benefit under her plan.\n"
    done = run(["match", "--call"], line * 3)
    rows = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert [len(r["objections"]) > 0 for r in rows] == [True, False, False]


def test_match_rejects_non_utf8_in_one_line() -> None:
    done = run(["match"], b"fine line\n\xff\xfe broken\n")
    assert done.returncode != 0
    err = done.stderr.decode()
    assert "stdin" in err and "UTF-8" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_match_with_a_broken_prompt_folder(tmp_path: Path) -> None:
    (tmp_path / "objections").mkdir()
    (tmp_path / "objections" / "x.toml").write_text("id = \n")
    done = run(["--prompts", str(tmp_path), "match"], b"hello\n")
    err = done.stderr.decode()
    assert done.returncode == 2 and "x.toml" in err and "Traceback" not in err


def test_case_commands_with_cases_flag_and_env(tmp_path: Path) -> None:
    cases = copy_demo_cases(tmp_path, "demo-ra-biologic")
    listed = run(["--cases", str(cases), "case", "list"])
    assert b"demo-ra-biologic" in listed.stdout and b"P2P window" in listed.stdout
    checked = run(
        ["case", "check", "demo-ra-biologic", "--today", "2026-11-20"],
        env={"P2P_ASSIST_CASES": str(cases)},
    )
    out = checked.stdout.decode()
    assert checked.returncode == 0
    assert "ready for a call" in out and "Gaps" in out and "10 days left" in out  # 14-day window
    made = run(["--cases", str(cases), "case", "new", "new-one"])
    assert made.returncode == 0 and (cases / "new-one" / "case.toml").is_file()


@pytest.mark.parametrize("bad", ["../escape", "/tmp/abs"])
def test_case_check_refuses_paths_outside_cases(tmp_path: Path, bad: str) -> None:
    done = run(["--cases", str(tmp_path), "case", "check", bad])
    assert done.returncode == 2
    assert b"plain folder name" in done.stderr and b"Traceback" not in done.stderr


def test_missing_case_is_one_clear_line(tmp_path: Path) -> None:
    done = run(["--cases", str(tmp_path), "case", "check", "nobody"])
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and len(err.splitlines()) == 1
    assert "nobody/case.toml" in err and "case new nobody" in err
