"""Time `p2p-assist search` over many saved calls, written by the real TranscriptWriter:
the full scan it was (BEFORE, from git) against the FTS5 index it is.

Builds CALLS calls of UTTERANCES utterances each (labelled lines from tests/data, varied with
numbers, each with its word timings as a recogniser writes them, objection hits where the line
is labelled, a note every 40 lines), then times search_calls in fresh processes, each query's
first run and the median and p95 of the runs after it:
- before: the code at BEFORE (`git archive`), which reads every transcript on every query;
- after, cold: no index yet, so the first query builds it (its time is the build);
- after, new process: the index is there and up to date (what a CLI search pays);
- after, one call grown: a line appended to one call, so the first query re-reads it.

    python bench/search_speed.py [CALLS] [UTTERANCES] [REPEATS] [--before REV]

The calls are written with an fsync per line; TMPDIR=/dev/shm builds them in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO

from p2p_assist.transcript import Note, SavedObjection, Utterance, open_new_call
from p2p_assist.transcript.search import search_calls

CASES = 10
BEFORE = "e3df06f"
"""The last commit whose search read every transcript on every query."""
BEFORE_REPEATS = 5
QUERIES: list[tuple[str | None, str | None]] = [
    ("interqual", None),
    ("step therapy", None),
    ("residential treatment", None),
    ("reference number 4", None),
    ("terkel", None),
    ("methotrexat", None),
    (None, "severity"),
    ("tried", "step_therapy"),
]


def labelled_lines() -> list[tuple[str, list[str]]]:
    path = REPO / "tests" / "data" / "reviewer_lines_dev.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [(str(row["text"]), list(row["labels"])) for row in rows]


def utterance(rng: random.Random, lines: list[tuple[str, list[str]]], at: float) -> Utterance:
    text, labels = rng.choice(lines)
    text = f"{text} That was {rng.randint(2, 400)} days, about {rng.randint(1, 9)} visits."
    words = [
        (word, at + 0.3 * n, at + 0.3 * n + 0.25, round(rng.uniform(0.6, 1.0), 3))
        for n, word in enumerate(text.split())
    ]
    hits = [SavedObjection(id=label, score=rng.uniform(70, 100), span=(0, 8)) for label in labels]
    return Utterance(
        start=at,
        end=words[-1][2],
        speaker="clinician" if not labels and rng.random() < 0.5 else "reviewer",
        text=text,
        words=words,
        objections=hits,
    )


def build(cases: Path, calls: int, per_call: int) -> None:
    rng = random.Random(7)
    lines = labelled_lines()
    for case in range(CASES):
        (cases / f"bench-{case:02d}").mkdir(parents=True)
    for number in range(calls):
        case_id = f"bench-{number % CASES:02d}"
        writer = open_new_call(cases, case_id, "transcribed", "bench", "bench")
        at = 0.0
        for line in range(per_call):
            record = utterance(rng, lines, at)
            writer.append(record)
            at = record.end + rng.uniform(0.3, 2.0)
            if line % 40 == 39:
                writer.append(Note(text=f"reviewer asked for the {rng.randint(1, 12)} notes"))
        writer.close()


def timed(cases: Path, query: str | None, objection: str | None) -> tuple[float, int]:
    start = time.perf_counter()
    result = search_calls(cases, query, objection=objection)
    return time.perf_counter() - start, len(result.hits)


def time_queries(cases: Path, repeats: int) -> None:
    """In a process of its own: one JSON line per query on stdout."""
    for query, objection in QUERIES:
        first, hits = timed(cases, query, objection)
        runs = sorted(timed(cases, query, objection)[0] for _ in range(repeats))
        p95 = runs[min(len(runs) - 1, int(len(runs) * 0.95))]
        print(json.dumps([describe(query, objection), first, statistics.median(runs), p95, hits]))


def describe(query: str | None, objection: str | None) -> str:
    words = [repr(query)] if query else []
    return " ".join([*words, f"--objection {objection}"] if objection else words)


def report(title: str, cases: Path, repeats: int, code: Path | None = None) -> None:
    """Times the queries in a fresh process running `code` (a package tree), else this one."""
    env = dict(os.environ, PYTHONPATH=str(code)) if code else None
    command = [sys.executable, __file__, "--time", str(cases), str(repeats)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    print(f"\n{title}")
    p95s = []
    for line in out.splitlines():
        name, first, median, p95, hits = json.loads(line)
        p95s.append(p95)
        print(
            f"  {name:34} first {first * 1000:6.0f} ms  median {median * 1000:5.0f} ms  "
            f"p95 {p95 * 1000:5.0f} ms  ({hits} hits shown)"
        )
    print(f"  worst p95 {max(p95s) * 1000:.0f} ms")


def before_tree(rev: str, folder: Path) -> Path | None:
    """The package as it was at `rev`, or None outside a git checkout."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "p2p_assist"], capture_output=True
    )
    if archive.returncode != 0:
        print(f"no 'before' timing: git archive {rev} failed ({archive.stderr.decode().strip()})")
        return None
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main() -> None:
    if sys.argv[1:2] == ["--time"]:
        time_queries(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("calls", nargs="?", type=int, default=1000)
    parser.add_argument("utterances", nargs="?", type=int, default=120)
    parser.add_argument("repeats", nargs="?", type=int, default=20)
    parser.add_argument("--before", default=BEFORE, help="the commit to time as 'before'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "cases"
        start = time.perf_counter()
        build(cases, args.calls, args.utterances)
        size = sum(path.stat().st_size for path in cases.rglob("transcript.jsonl"))
        print(
            f"built {args.calls} calls x {args.utterances} utterances ({size / 1e6:.1f} MB of "
            f"transcript) in {time.perf_counter() - start:.1f} s"
        )
        if (old := before_tree(args.before, Path(folder) / "before")) is not None:
            # Each query reads every transcript: a few runs show it as well as twenty.
            runs = min(args.repeats, BEFORE_REPEATS)
            title = f"before ({args.before}: every transcript read on every query; {runs} runs)"
            report(title, cases, runs, old)
        report("after, cold (the first query builds the index)", cases, args.repeats)
        index = cases / ".search.sqlite"
        print(f"  index {index.stat().st_size / 1e6:.1f} MB")
        report("after, new process (index up to date)", cases, args.repeats)
        grown = next(cases.rglob("transcript.jsonl"))
        writer_line = Utterance(start=9999.0, end=10001.0, text="one more line, about terkel")
        with grown.open("ab") as transcript:
            transcript.write(writer_line.model_dump_json().encode() + b"\n")
        report("after, one call grown (the first query re-reads it)", cases, args.repeats)


if __name__ == "__main__":
    main()
