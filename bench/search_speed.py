"""Time `p2p-assist search` over many saved calls, written by the real TranscriptWriter.

Builds CALLS calls of UTTERANCES utterances each (labelled lines from tests/data, varied with
numbers, each with its word timings as a recogniser writes them, objection hits where the line
is labelled, a note every 40 lines), then times search_calls: the first run in the process and
the median and p95 of the runs after it.

    python bench/search_speed.py [CALLS] [UTTERANCES] [REPEATS]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import REPO

from p2p_assist.transcript import Note, SavedObjection, Utterance, open_new_call
from p2p_assist.transcript.search import search_calls

CASES = 10
QUERIES: list[tuple[str | None, str | None]] = [
    ("interqual", None),
    ("step therapy", None),
    ("residential treatment", None),
    ("reference number 4", None),
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


def describe(query: str | None, objection: str | None) -> str:
    words = [repr(query)] if query else []
    return " ".join([*words, f"--objection {objection}"] if objection else words)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    per_call = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "cases"
        start = time.perf_counter()
        build(cases, calls, per_call)
        size = sum(path.stat().st_size for path in cases.rglob("transcript.jsonl"))
        print(
            f"built {calls} calls x {per_call} utterances ({size / 1e6:.1f} MB of transcript) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        for query, objection in QUERIES:
            first, hits = timed(cases, query, objection)
            runs = sorted(timed(cases, query, objection)[0] for _ in range(repeats))
            p95 = runs[min(len(runs) - 1, int(len(runs) * 0.95))]
            print(
                f"{describe(query, objection):34} first {first * 1000:5.0f} ms  "
                f"median {statistics.median(runs) * 1000:5.0f} ms  p95 {p95 * 1000:5.0f} ms  "
                f"({hits} hits shown)"
            )


if __name__ == "__main__":
    main()
