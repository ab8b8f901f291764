"""Precision and recall of the matcher on a labelled set of reviewer lines (JSON lines)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from p2p_assist.matching.matcher import Matcher


@dataclass
class Scores:
    true_pos: Counter[str] = field(default_factory=Counter)
    false_pos: Counter[str] = field(default_factory=Counter)
    false_neg: Counter[str] = field(default_factory=Counter)
    false_cards_by_kind: Counter[str] = field(default_factory=Counter)
    lines: int = 0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def precision(self, label: str | None = None) -> float:
        tp, fp = self._counts(label, self.true_pos), self._counts(label, self.false_pos)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, label: str | None = None) -> float:
        tp, fn = self._counts(label, self.true_pos), self._counts(label, self.false_neg)
        return tp / (tp + fn) if tp + fn else 1.0

    def f1(self, label: str | None = None) -> float:
        p, r = self.precision(label), self.recall(label)
        return 2 * p * r / (p + r) if p + r else 0.0

    @staticmethod
    def _counts(label: str | None, counter: Counter[str]) -> int:
        return sum(counter.values()) if label is None else counter[label]


def load_labelled(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(matcher: Matcher, rows: list[dict[str, object]]) -> Scores:
    scores = Scores()
    for row in rows:
        text = str(row["text"])
        gold = {str(label) for label in row["labels"]}  # type: ignore[attr-defined]
        got = {hit.id for hit in matcher.match(text).objections}
        scores.lines += 1
        for label in got & gold:
            scores.true_pos[label] += 1
        for label in got - gold:
            scores.false_pos[label] += 1
            if not gold:
                scores.false_cards_by_kind[str(row.get("kind", "negative"))] += 1
        for label in gold - got:
            scores.false_neg[label] += 1
        if got != gold:
            scores.errors.append((text, sorted(gold), sorted(got)))
    return scores


def report(scores: Scores, labels: list[str]) -> str:
    rows = [f"{'id':28} {'prec':>6} {'recall':>6} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for label in labels:
        rows.append(
            f"{label:28} {scores.precision(label):6.3f} {scores.recall(label):6.3f} "
            f"{scores.f1(label):6.3f} {scores.true_pos[label]:4} {scores.false_pos[label]:4} "
            f"{scores.false_neg[label]:4}"
        )
    rows.append(
        f"{'micro':28} {scores.precision():6.3f} {scores.recall():6.3f} {scores.f1():6.3f}"
        f"   lines={scores.lines}"
    )
    kinds = ", ".join(f"{k}={v}" for k, v in sorted(scores.false_cards_by_kind.items())) or "none"
    rows.append(f"false cards on negative lines: {kinds}")
    return "\n".join(rows)


@dataclass
class DeterminationScores:
    """How often the determination heard in a line is the labelled one (None: nothing said)."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def accuracy(self, kinds: tuple[str, ...] | None = None) -> float:
        right = sum(n for kind, n in self.right.items() if kinds is None or kind in kinds)
        total = sum(n for kind, n in self.total.items() if kinds is None or kind in kinds)
        return right / total if total else 1.0


def evaluate_determinations(matcher: Matcher, rows: list[dict[str, object]]) -> DeterminationScores:
    scores = DeterminationScores()
    for row in rows:
        text, kind = str(row["text"]), str(row["kind"])
        gold = row["determination"]
        heard = {c.field: c.value for c in matcher.match(text).captures}.get("determination")
        scores.total[kind] += 1
        if heard == gold:
            scores.right[kind] += 1
        else:
            scores.errors.append((text, None if gold is None else str(gold), heard))
    return scores
