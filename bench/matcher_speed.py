"""Time per utterance for the matcher: the bundled library, then one grown to 5x the phrases.

Prints microseconds per utterance (median and p95 over every labelled line, speech
style included) and the one-off load time (training the learned layer, cold and cached).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from p2p_assist.library.load import Library, load_library
from p2p_assist.matching.evaluation import load_labelled
from p2p_assist.matching.matcher import Matcher

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def grown(library: Library, factor: int) -> Library:
    """Each objection's phrases repeated with suffix words, as a user adding many variants would."""
    objections = {}
    for key, objection in library.objections.items():
        extra = [
            f"{phrase} variant{n}"
            for n in range(factor - 1)
            for phrase in objection.triggers.phrases
        ]
        triggers = objection.triggers.model_copy(
            update={"phrases": [*objection.triggers.phrases, *extra]}
        )
        objections[key] = objection.model_copy(update={"triggers": triggers})
    return dataclasses.replace(library, objections=objections)


def time_per_line(matcher: Matcher, lines: list[str], rounds: int = 3) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        for line in lines:
            start = time.perf_counter()
            matcher.match(line)
            samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    lines = [
        str(row["text"]) for path in sorted(DATA.glob("*.jsonl")) for row in load_labelled(path)
    ]
    library = load_library()
    for label, lib in (("bundled", library), ("grown x5", grown(library, 5))):
        phrases = sum(len(o.triggers.phrases) for o in lib.objections.values())
        examples = sum(len(o.triggers.examples) for o in lib.objections.values())
        with tempfile.TemporaryDirectory() as cache:
            os.environ["XDG_CACHE_HOME"] = cache  # cold: the learned layer trains
            cold, _ = timed(Matcher, lib)
            warm, matcher = timed(Matcher, lib)  # warm: weights read from the cache
        median, p95 = time_per_line(matcher, lines)
        print(
            f"{label:9} phrases={phrases:5} examples={examples:5}  load cold {cold:5.1f} s, "
            f"cached {warm:4.2f} s  per utterance: median {median:5.0f} µs  p95 {p95:5.0f} µs "
            f"({len(lines)} lines x3)"
        )


def timed(make: Callable[[Library], Matcher], library: Library) -> tuple[float, Matcher]:
    start = time.perf_counter()
    made = make(library)
    return time.perf_counter() - start, made


if __name__ == "__main__":
    main()
