"""The learned layer: one-vs-rest logistic regression over terms and term pairs.

Trigger rules catch the phrasings someone wrote down; reviewers say the same thing
in endless other ways. The library's example sentences (and its negatives: small
talk, logistics, the clinician's own lines) train a small linear model at load
time, so a new phrasing is recognised by the words it shares with many examples.
Weights are cached by a hash of the training text, so a start costs one file read.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from p2p_assist.basics.durable import ensure_private_dirs, write_atomic
from p2p_assist.matching.features import features
from p2p_assist.matching.utterance import ParsedText

FloatArray = npt.NDArray[np.float64]
EPOCHS = 400
LEARNING_RATE = 0.5
L2 = 3e-4
BAL = 0.2
MIN_COUNT = 1
OTHER_LABEL_WEIGHT = 1.0
MODEL_VERSION = 1


@dataclass(frozen=True)
class TrainingSet:
    labels: list[str]
    examples: list[tuple[str, frozenset[str]]]  # text, the labels it carries

    def digest(self) -> str:
        settings = [MODEL_VERSION, EPOCHS, LEARNING_RATE, L2, BAL, MIN_COUNT, OTHER_LABEL_WEIGHT]
        examples = [[text, sorted(labels)] for text, labels in self.examples]
        payload = json.dumps([settings, self.labels, examples])
        return hashlib.sha256(payload.encode()).hexdigest()[:24]


class ObjectionClassifier:
    def __init__(
        self, labels: list[str], index: dict[str, int], weights: FloatArray, bias: FloatArray
    ) -> None:
        self.labels = labels
        self.index = index
        self.weights = weights  # (features, labels)
        self.bias = bias

    def probabilities(self, utterance: ParsedText) -> dict[str, float]:
        rows = [self.index[f] for f in features(utterance) if f in self.index]
        logits = self.bias + self.weights[rows].sum(axis=0)
        probs = 1.0 / (1.0 + np.exp(-logits))
        return dict(zip(self.labels, probs.tolist(), strict=True))

    def contributions(self, utterance: ParsedText, label: str) -> list[tuple[int, float]]:
        """(term ordinal, weight) of each term pushing towards `label`, for the span."""
        column = self.labels.index(label)
        out = []
        for ordinal, term in enumerate(utterance.terms):
            row = self.index.get(term.text)
            if row is not None and self.weights[row, column] > 0:
                out.append((ordinal, float(self.weights[row, column])))
        return out

    @classmethod
    def train(
        cls,
        data: TrainingSet,
        read: Callable[[str], ParsedText],
        cache: Path | None,
        on_notice: Callable[[str], None] | None = None,
    ) -> ObjectionClassifier:
        """The cached model for `data`, else a newly trained one (then cached). A damaged
        cache is replaced, and `on_notice` gets one line saying so."""
        try:
            cached = _load(cache, data) if cache else None
        except CacheDamaged as damaged:
            if on_notice is not None:
                on_notice(str(damaged))
            cached = None
        if cached is not None:
            return cached
        rows = [features(read(text)) for text, _ in data.examples]
        # A feature seen in one sentence only is that sentence's quirk, not a pattern.
        seen = Counter(name for row in rows for name in row)
        rows = [[name for name in row if seen[name] >= MIN_COUNT] for row in rows]
        names = sorted({name for row in rows for name in row})
        index = {name: number for number, name in enumerate(names)}
        targets = np.array(
            [
                [1.0 if label in labels else 0.0 for label in data.labels]
                for _, labels in data.examples
            ]
        )
        weights, bias = _fit([[index[name] for name in row] for row in rows], len(names), targets)
        model = cls(data.labels, index, weights, bias)
        if cache:
            _save(cache, data, model)
        return model


def _fit(rows: list[list[int]], width: int, targets: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Full-batch gradient descent with momentum on the mean logistic loss (sparse rows)."""
    flat = np.array([column for row in rows for column in row], dtype=np.int64)
    owner = np.repeat(np.arange(len(rows)), [len(row) for row in rows])
    starts = np.concatenate([[0], np.cumsum([len(row) for row in rows])[:-1]]).astype(np.int64)
    nonempty = np.array([len(row) > 0 for row in rows])
    count, labels = targets.shape
    # Positives are rare for each label; weigh them up so recall is not starved.
    positives = targets.sum(axis=0)
    balance = np.where(targets > 0, (count - positives) / np.maximum(positives, 1.0) * BAL, 1.0)
    # Another objection's example is weak evidence against this one: lines can raise two.
    has_label = targets.sum(axis=1, keepdims=True) > 0
    balance = np.where((targets == 0) & has_label, balance * OTHER_LABEL_WEIGHT, balance)
    weights = np.zeros((width, labels))
    bias = np.zeros(labels)
    velocity_w, velocity_b = np.zeros_like(weights), np.zeros_like(bias)
    for _ in range(EPOCHS):
        logits = np.tile(bias, (count, 1))
        if len(flat):
            sums = np.add.reduceat(weights[flat], starts[nonempty], axis=0)
            logits[nonempty] += sums
        error = (1.0 / (1.0 + np.exp(-logits)) - targets) * balance / count
        grad_w = np.zeros_like(weights)
        np.add.at(grad_w, flat, error[owner])
        grad_w += L2 * weights
        velocity_w = 0.9 * velocity_w - LEARNING_RATE * grad_w
        velocity_b = 0.9 * velocity_b - LEARNING_RATE * error.sum(axis=0)
        weights += velocity_w
        bias += velocity_b
    return weights, bias


def cache_path(cache: Path, data: TrainingSet) -> Path:
    return cache / f"classifier-{data.digest()}.npz"


def _load(cache: Path, data: TrainingSet) -> ObjectionClassifier | None:
    """The cached model, or None when there is none. A cache that cannot be used (cut short
    by a full disk, emptied, from another numpy) is deleted and CacheDamaged raised, so the
    caller retrains and says so once."""
    path = cache_path(cache, data)
    try:
        with np.load(path, allow_pickle=False) as saved:
            names, weights, bias = saved["names"], saved["weights"], saved["bias"]
    except FileNotFoundError:
        return None
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise _damaged(path, f"unreadable ({error.__class__.__name__})") from None
    if not _fits(names, weights, bias, len(data.labels)):
        raise _damaged(path, "holds weights that do not fit the library")
    index = {str(name): number for number, name in enumerate(names)}
    return ObjectionClassifier(data.labels, index, weights, bias)


def _fits(names: object, weights: object, bias: object, labels: int) -> bool:
    """Arrays (a member that is not one loads as bytes) of the right shapes, finite floats."""
    if not (
        isinstance(names, np.ndarray)
        and isinstance(weights, np.ndarray)
        and isinstance(bias, np.ndarray)
    ):
        return False
    return (
        names.ndim == 1
        and weights.dtype == bias.dtype == np.float64
        and weights.shape == (len(names), labels)
        and bias.shape == (labels,)
        and bool(np.isfinite(weights).all() and np.isfinite(bias).all())
    )


class CacheDamaged(Exception):
    """The weights cache was damaged and has been removed; the message is one line for the user."""


def _damaged(path: Path, problem: str) -> CacheDamaged:
    with contextlib.suppress(OSError):
        path.unlink()
    return CacheDamaged(f"{path}: matcher cache {problem} — retrained it; nothing to do")


def _save(cache: Path, data: TrainingSet, model: ObjectionClassifier) -> None:
    """Best effort: a read-only cache only costs the next start a retrain. Written atomically,
    so a crash or a full disk leaves the old file or none, never half of one."""
    names = sorted(model.index, key=model.index.__getitem__)
    packed = io.BytesIO()
    np.savez(packed, names=np.array(names), weights=model.weights, bias=model.bias)
    try:
        ensure_private_dirs(cache)
        write_atomic(cache_path(cache, data), packed.getvalue())
    except OSError:
        return
