"""The pocketsphinx language model shipped in the package: it loads, it expects the library's
words more than general English does, and none of the benchmark's lines went into it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pocketsphinx
import pytest
from demo_cases import REPO
from rapidfuzz import fuzz

from p2p_assist.recognition.pocketsphinx_engine import (
    DOMAIN_WORDS,
    LANGUAGE_MODEL,
    PocketsphinxRecognizer,
)

# Loading a language model of 2 million bigrams takes about a second apiece.
pytestmark = pytest.mark.slow

BUNDLED = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us.lm.bin"


def load(path: Path) -> pocketsphinx.NGramModel:
    return pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(path))


def log_prob(model: pocketsphinx.NGramModel, sentence: str) -> int:
    """The sentence's log probability in the model's own log base (pocketsphinx takes a word
    followed by its history, latest first)."""
    words = ["<s>", *sentence.split(), "</s>"]
    return sum(
        model.prob(list(reversed(words[max(0, i - 2) : i + 1]))) for i in range(1, len(words))
    )


def test_the_shipped_model_expects_a_reviewer_s_sentence_more_than_general_english_does() -> None:
    mixed, bundled = load(LANGUAGE_MODEL), load(BUNDLED)
    said = "she has to try the preferred drug on our formulary first"
    assert log_prob(mixed, said) > log_prob(bundled, said)


def test_the_library_s_terms_are_in_the_recogniser_s_dictionary() -> None:
    decoder = PocketsphinxRecognizer()._decoder
    words = [line.split(" ", 1)[0] for line in DOMAIN_WORDS.read_text().splitlines()]
    assert "interqual" in words
    assert all(decoder.lookup_word(word) for word in words)


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build", REPO / "scripts" / "build_phone_lm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_benchmark_line_is_in_the_model_s_training_text() -> None:
    build = _builder()
    training, _ = build.training_sentences(build.dictionary_words())
    text = [" ".join(words) for words in training]
    for path in sorted((REPO / "bench" / "data").glob("call_lines_*.jsonl")):
        for row in path.read_text().splitlines():
            for words in build.sentences(json.loads(row)["text"]):
                line = " ".join(words)
                assert not any(fuzz.ratio(line, sentence) >= 80 for sentence in text), line
