"""Build pocketsphinx's domain-adapted language model: the bundled US English model mixed
with a trigram model of the prompt library's own words.

    python scripts/build_phone_lm.py [--weight 0.5] [-o p2p_assist/recognition/p2p-en-us.lm.bin]

Why: over a phone line the acoustic evidence is weak and the decoder leans on its language
model, whose general English says "inter call" is likelier than "InterQual" and knows no
"methotrexate after a full dose". Mixing in n-grams of the words reviewers use here (the
library's triggers and example sentences, the mock-call lines, the demo scripts) tips those
close calls the right way, while the general model keeps ordinary words decodable.

How: the general model's unigrams and bigrams are read from the bundled `en-us.lm.bin`
(pocketsphinx 5.0 aborts while writing that model's trigrams as ARPA — its header miscounts
the trie, cmusphinx/pocketsphinx#501 — so the mixture is a general bigram model plus domain
trigrams). The domain model is interpolated absolute discounting over the library's text,
backed off to the general unigrams. The two are mixed linearly (`--weight` = the domain's
share) as SRILM's static `-mix-lm` does: every n-gram either model lists gets the mixed
probability, and backoff weights are recomputed so each context sums to one.

No sentence of the labelled benchmark sets (bench/data/call_lines_*.jsonl) nor one close to
it goes into the training text, so benchmark numbers stay honest; the build prints how many
it left out.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pocketsphinx
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
MODEL = Path(pocketsphinx.get_model_path()) / "en-us"
DICTIONARY = MODEL / "cmudict-en-us.dict"
DOMAIN_WORDS = ROOT / "p2p_assist" / "recognition" / "domain_words.dict"
GENERAL = MODEL / "en-us.lm.bin"
OUTPUT = ROOT / "p2p_assist" / "recognition" / "p2p-en-us.lm.bin"
HELD_BACK = sorted((ROOT / "bench" / "data").glob("call_lines_*.jsonl"))
DISCOUNT = 0.7  # absolute discount per seen n-gram, for counts this small
UNIGRAM_FLOOR = 0.1  # the domain unigram's share given to general English
NEAR_DUPLICATE = 80  # rapidfuzz ratio at or above which a sentence counts as a benchmark line
GENERAL_ATTEMPTS = 5
GENERAL_UNIGRAMS = 72547
GENERAL_BIGRAMS_AT_LEAST = 2_050_000
ABSENT_LOG10 = -7.0  # a domain word the general model lacks: about its rarest words
_CLITICS = ("s", "re", "ve", "ll", "d")
_PRONOUNS = frozenset("i you he she it we they that there who what where when how here".split())
_SENTENCE = re.compile(r"[.?!;:\n]+")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+")
_DIGITS = dict(
    zip("0123456789", "zero one two three four five six seven eight nine".split(), strict=True)
)

Unigrams = dict[str, tuple[float, float]]  # word -> (log10 probability, log10 backoff)
Bigrams = dict[tuple[str, str], float]  # (history, word) -> log10 probability


def sentences(text: str) -> Iterator[list[str]]:
    """Lowercased words; a digit on its own is said ("8 3 0 5 6", a reference number), a
    longer number stays as written, which no dictionary holds, so it splits the sentence
    rather than vanish from it (a model that learnt "the reference number is" ends there
    would not expect the digits after it)."""
    for part in _SENTENCE.split(text.lower().replace("-", " ")):
        words = [_DIGITS.get(word, word) for word in _TOKEN.findall(part)]
        if words:
            yield words


def library_text() -> list[str]:
    """Every string in the prompt library and the demo mock-call scripts."""
    files = sorted((ROOT / "prompts").rglob("*.toml"))
    files += sorted((ROOT / "cases").glob("demo-*/mock-call.toml"))
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in files:
        walk(tomllib.loads(path.read_text()))
    return found


def held_back_lines() -> list[str]:
    lines = []
    for path in HELD_BACK:
        for row in path.read_text().splitlines():
            if row.strip():
                lines += [" ".join(words) for words in sentences(json.loads(row)["text"])]
    return lines


def training_sentences(vocabulary: set[str]) -> tuple[list[list[str]], int]:
    """The library's sentences minus benchmark look-alikes; words outside the pronouncing
    dictionary split a sentence (the decoder could never say them), and a piece left that
    looks like a benchmark line is left out too."""
    held = held_back_lines()
    kept: list[list[str]] = []
    dropped = 0
    for text in library_text():
        for words in sentences(text):
            if _near_any(words, held):
                dropped += 1
                continue
            for run in _sayable_runs(words, vocabulary):
                if _near_any(run, held):
                    dropped += 1
                else:
                    kept.append(run)
    return kept, dropped


def _near_any(words: list[str], held: list[str]) -> bool:
    joined = " ".join(words)
    return any(
        fuzz.ratio(joined, line) >= NEAR_DUPLICATE
        or (len(words) >= 5 and (joined in line or line in joined))
        for line in held
    )


def _sayable_runs(words: list[str], vocabulary: set[str]) -> Iterator[list[str]]:
    run: list[str] = []
    for word in words:
        if (spoken := spoken_form(word, vocabulary)) is not None:
            run.append(spoken)
        elif run:
            yield run
            run = []
    if run:
        yield run


def dictionary_words() -> set[str]:
    """Words the decoder can say: the bundled dictionary's and the library's own terms."""
    words = set()
    for path in (DICTIONARY, DOMAIN_WORDS):
        with path.open() as handle:
            for line in handle:
                words.add(re.sub(r"\(\d+\)$", "", line.split(" ", 1)[0]))
    return words


def spoken_form(word: str, vocabulary: set[str]) -> str | None:
    """The dictionary's spelling of a library word, which drops apostrophes in triggers
    ("doesnt", "shes"); None when the decoder cannot say it."""
    if word in vocabulary:
        return word
    if word.endswith("nt") and (restored := f"{word[:-2]}n't") in vocabulary:
        return restored
    for clitic in _CLITICS:
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and stem in _PRONOUNS and f"{stem}'{clitic}" in vocabulary:
            return f"{stem}'{clitic}"
    return None


def general_model(folder: Path) -> tuple[Unigrams, Bigrams]:
    """The bundled model's unigrams and bigrams. Writing it as ARPA aborts in the trigram
    section (see the module docstring), so it runs in a child process, and now and then the
    broken writer garbles the numbers too: a dump is used only once it reads as a model."""
    out = folder / "general.arpa"
    code = (
        "import pocketsphinx as p, sys;"
        "m = p.NGramModel(p.Config(), p.LogMath(), sys.argv[1]);"
        "m.write(sys.argv[2], p.NGramModel.str_to_type('arpa'))"
    )
    for _ in range(GENERAL_ATTEMPTS):
        subprocess.run([sys.executable, "-c", code, str(GENERAL), str(out)], check=False)
        unigrams, bigrams = read_general(out)
        if _plausible(unigrams, bigrams):
            return unigrams, bigrams
    raise SystemExit(f"{GENERAL}: could not read its unigrams and bigrams; run the build again")


def _plausible(unigrams: Unigrams, bigrams: Bigrams) -> bool:
    """The bundled model has 72547 unigrams and 2051541 bigrams, the last few of which the
    aborted writer never flushes; log probabilities lie in [-99, 0], backoffs near 0."""
    return (
        len(unigrams) == GENERAL_UNIGRAMS
        and len(bigrams) >= GENERAL_BIGRAMS_AT_LEAST
        and all(-99 <= p <= 0 and -10 <= bow <= 10 for p, bow in unigrams.values())
        and all(-99 <= p <= 0 for p in bigrams.values())
    )


def read_general(path: Path) -> tuple[Unigrams, Bigrams]:
    unigrams: Unigrams = {}
    bigrams: Bigrams = {}
    section = 0
    with path.open() as handle:
        for line in handle:
            if line.startswith("\\3-grams:"):
                break
            if line.startswith("\\"):
                section = {"\\1-grams:": 1, "\\2-grams:": 2}.get(line.strip(), 0)
                continue
            fields = line.split()
            if section == 1 and len(fields) >= 2:
                unigrams[fields[1]] = (float(fields[0]), float(fields[2]) if len(fields) > 2 else 0)
            elif section == 2 and len(fields) >= 3:
                bigrams[(fields[1], fields[2])] = float(fields[0])
    return unigrams, bigrams


class DomainModel:
    """Interpolated absolute discounting, backed off to a unigram mixed with general English."""

    def __init__(self, text: list[list[str]], general_unigram: dict[str, float]) -> None:
        self.counts: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
        for words in text:
            padded = ["<s>", *words, "</s>"]
            for order in (1, 2, 3):
                for i in range(len(padded) - order + 1):
                    gram = tuple(padded[i : i + order])
                    if gram != ("<s>",):
                        self.counts[order - 1][gram] += 1
        self.history: list[Counter[tuple[str, ...]]] = [Counter(), Counter()]
        self.types: list[Counter[tuple[str, ...]]] = [Counter(), Counter()]
        for order in (2, 3):
            for gram, count in self.counts[order - 1].items():
                self.history[order - 2][gram[:-1]] += count
                self.types[order - 2][gram[:-1]] += 1
        self.total = sum(self.counts[0].values())
        self.general_unigram = general_unigram

    def unigram(self, word: str) -> float:
        seen = self.counts[0][(word,)] / self.total
        return (1 - UNIGRAM_FLOOR) * seen + UNIGRAM_FLOOR * self.general_unigram.get(word, 0.0)

    def prob(self, gram: tuple[str, ...]) -> float:
        if len(gram) == 1:
            return self.unigram(gram[0])
        history = gram[:-1]
        lower = self.prob(gram[1:])
        seen = self.history[len(gram) - 2][history]
        if not seen:
            return lower
        count = self.counts[len(gram) - 1][gram]
        share = DISCOUNT * self.types[len(gram) - 2][history] / seen
        return max(count - DISCOUNT, 0) / seen + share * lower


def mix(
    general: tuple[Unigrams, Bigrams],
    domain_text: list[list[str]],
    weight: float,
    out: Path,
) -> None:
    unigrams, bigrams = general
    for words in domain_text:
        for word in words:
            unigrams.setdefault(word, (ABSENT_LOG10, 0.0))
    g1 = {word: 10**logp for word, (logp, _) in unigrams.items()}
    g1["<s>"] = 0.0
    gbow = {word: 10**bow for word, (_, bow) in unigrams.items()}
    domain = DomainModel(domain_text, g1)

    def general2(v: str, w: str) -> float:
        logp = bigrams.get((v, w))
        return 10**logp if logp is not None else gbow[v] * g1[w]

    m1 = {w: weight * domain.unigram(w) + (1 - weight) * g1[w] for w in unigrams}
    m1["<s>"] = 0.0
    m2: dict[tuple[str, ...], float] = {}
    for v, w in bigrams:
        m2[(v, w)] = weight * domain.prob((v, w)) + (1 - weight) * 10 ** bigrams[(v, w)]
    for v, w in domain.counts[1]:
        if (v, w) not in m2:
            m2[(v, w)] = weight * domain.prob((v, w)) + (1 - weight) * general2(v, w)
    bow2 = _backoffs(m2, lambda gram: m1[gram[-1]])

    def mixed2(v: str, w: str) -> float:
        found = m2.get((v, w))
        return found if found is not None else bow2.get((v,), 1.0) * m1[w]

    m3 = {
        gram: weight * domain.prob(gram) + (1 - weight) * general2(gram[1], gram[2])
        for gram in domain.counts[2]
    }
    bow3 = _backoffs(m3, lambda gram: mixed2(gram[1], gram[2]))
    _write_arpa(out, m1, bow2, m2, bow3, m3)


def _backoffs(
    explicit: dict[tuple[str, ...], float], lower: Callable[[tuple[str, ...]], float]
) -> dict[tuple[str, ...], float]:
    """Each history's backoff weight: the probability its listed words leave, spread over the
    rest in proportion to the next lower order's probabilities."""
    listed: dict[tuple[str, ...], float] = defaultdict(float)
    backed: dict[tuple[str, ...], float] = defaultdict(float)
    for gram, p in explicit.items():
        listed[gram[:-1]] += p
        backed[gram[:-1]] += lower(gram)
    return {
        history: max(1 - listed[history], 1e-6) / max(1 - backed[history], 1e-6)
        for history in listed
    }


def _log(p: float) -> str:
    return f"{math.log10(p):.4f}" if p > 0 else "-99.0000"


def _write_arpa(
    out: Path,
    m1: dict[str, float],
    bow2: dict[tuple[str, ...], float],
    m2: dict[tuple[str, ...], float],
    bow3: dict[tuple[str, ...], float],
    m3: dict[tuple[str, ...], float],
) -> None:
    with out.open("w") as handle:
        handle.write(f"\\data\\\nngram 1={len(m1)}\nngram 2={len(m2)}\nngram 3={len(m3)}\n")
        handle.write("\n\\1-grams:\n")
        for word, p in m1.items():
            handle.write(f"{_log(p)}\t{word}\t{_log(bow2.get((word,), 1.0))}\n")
        handle.write("\n\\2-grams:\n")
        for gram, p in m2.items():
            handle.write(f"{_log(p)}\t{' '.join(gram)}\t{_log(bow3.get(gram, 1.0))}\n")
        handle.write("\n\\3-grams:\n")
        for gram, p in m3.items():
            handle.write(f"{_log(p)}\t{' '.join(gram)}\n")
        handle.write("\n\\end\\\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weight", type=float, default=0.5, help="the domain model's share")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    text, dropped = training_sentences(dictionary_words())
    words = sum(len(s) for s in text)
    print(f"domain text: {len(text)} sentences, {words} words; {dropped} left out (benchmark)")
    with tempfile.TemporaryDirectory() as folder:
        general = general_model(Path(folder))
        arpa = Path(folder) / "mixed.arpa"
        mix(general, text, args.weight, arpa)
        model = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), str(arpa))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        model.write(str(args.output), pocketsphinx.NGramModel.str_to_type("bin"))
    print(f"wrote {args.output} ({args.output.stat().st_size / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
