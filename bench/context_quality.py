"""Context before a card: objection precision/recall per labelled set, determination accuracy.

python bench/context_quality.py            # every labelled set, tuning and held-out
python bench/context_quality.py --errors   # also list the lines it gets wrong (tuning sets only)
python bench/context_quality.py --tuning   # leave the held-out sets out (while tuning)

Objection sets: tests/data/reviewer_lines_*.jsonl and bench/data/context_lines_*.jsonl (lines
with objection words inside approvals, concessions, the clinician's questions, hypotheticals).
Determination sets: bench/data/determination_*.jsonl. The *_holdout sets are never tuned on.
determination_tuning2.jsonl was the first held-out set: scored once (conditional and future
phrasings 25/27), then tuned on; determination_holdout.jsonl was written after that.
"""

from __future__ import annotations

import sys
from pathlib import Path

from p2p_assist.library.load import load_library
from p2p_assist.matching.evaluation import (
    evaluate,
    evaluate_determinations,
    load_labelled,
)
from p2p_assist.matching.matcher import Matcher

REPO = Path(__file__).resolve().parent.parent
OBJECTION_SETS = [
    *sorted((REPO / "tests" / "data").glob("reviewer_lines_*.jsonl")),
    *sorted((REPO / "bench" / "data").glob("context_lines_*.jsonl")),
]
DETERMINATION_SETS = sorted((REPO / "bench" / "data").glob("determination_*.jsonl"))
CONDITIONAL_OR_FUTURE = ("conditional", "future")


def held_out(path: Path) -> bool:
    """Never tuned on, so its wrong lines are not listed: a glance would be tuning."""
    return "holdout" in path.name or "heldout" in path.name


def main() -> None:
    errors_wanted = "--errors" in sys.argv
    tuning_only = "--tuning" in sys.argv
    matcher = Matcher(load_library())
    print(f"{'objections':32} {'prec':>6} {'recall':>6} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for path in [p for p in OBJECTION_SETS if not (tuning_only and held_out(p))]:
        scores = evaluate(matcher, load_labelled(path))
        tp, fp = sum(scores.true_pos.values()), sum(scores.false_pos.values())
        fn = sum(scores.false_neg.values())
        print(
            f"{path.name:32} {scores.precision():6.3f} {scores.recall():6.3f} {scores.f1():6.3f}"
            f" {tp:4} {fp:4} {fn:4}"
        )
        kinds = ", ".join(f"{k}={v}" for k, v in sorted(scores.false_cards_by_kind.items()))
        print(f"{'':32} false cards on lines that raise none: {kinds or 'none'}")
        for text, want, got in scores.errors if errors_wanted and not held_out(path) else []:
            print(f"    want {want} got {got}: {text}")
    print()
    print(f"{'determination':32} {'cond+future':>11} {'all':>6}  per kind")
    for path in [p for p in DETERMINATION_SETS if not (tuning_only and held_out(p))]:
        det = evaluate_determinations(matcher, load_labelled(path))
        kinds = " ".join(f"{k}={det.right[k]}/{n}" for k, n in sorted(det.total.items()))
        print(
            f"{path.name:32} {det.accuracy(CONDITIONAL_OR_FUTURE):11.3f}"
            f" {det.accuracy():6.3f}  {kinds}"
        )
        for text, gold, heard in det.errors if errors_wanted and not held_out(path) else []:
            print(f"    want {gold} got {heard}: {text}")


if __name__ == "__main__":
    main()
