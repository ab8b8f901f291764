"""Recognition and objection matching on the phone channel: clean vs phone vs speakerphone.

For each labelled set (bench/data, see call_lines.py) and each flite voice as the reviewer,
the set is rendered as a one-microphone call through each channel and recognised by
pocketsphinx. Printed: word error rate on the reviewer's lines per voice and channel; objection
precision, recall and F1 on the reviewer's lines per channel (all voices pooled, and per voice);
cards raised by the clinician's own lines when turns are not marked.

English numbers are pocketsphinx only: the only Vosk model a registry here carries is Korean.

    python bench/phone_channel.py                 # both sets
    python bench/phone_channel.py tune --errors   # one set, with the tuning set's misses
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor

from call_lines import CHANNELS, VOICES, Heard, heard_lines, load_lines
from rapidfuzz.distance import Levenshtein

from p2p_assist.basics.vocabulary import VoiceChannel
from p2p_assist.library.load import load_library
from p2p_assist.matching.evaluation import Scores, evaluate
from p2p_assist.matching.matcher import Matcher
from p2p_assist.matching.text import normalize
from p2p_assist.mock.script import Voice

SETS = ("tune", "heldout")


def word_errors(heard: list[Heard]) -> tuple[int, int]:
    errors = words = 0
    for item in heard:
        reference = normalize(item.line.text).split()
        hypothesis = normalize(item.hypothesis).split()
        errors += Levenshtein.distance(reference, hypothesis)
        words += len(reference)
    return errors, words


def scores(matcher: Matcher, heard: list[Heard]) -> Scores:
    rows = [
        {"text": item.hypothesis, "labels": sorted(item.line.labels), "kind": item.line.kind}
        for item in heard
    ]
    return evaluate(matcher, rows)  # type: ignore[arg-type]


def _recognise(job: tuple[str, Voice, VoiceChannel]) -> list[Heard]:
    name, voice, channel = job
    return heard_lines(load_lines(name), voice, channel)


def report(
    name: str,
    matcher: Matcher,
    show_errors: bool,
    voices: tuple[Voice, ...] = VOICES,
    channels: tuple[VoiceChannel, ...] = CHANNELS,
) -> None:
    jobs = [(name, voice, channel) for voice in voices for channel in channels]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        results = dict(zip(jobs, pool.map(_recognise, jobs), strict=True))
    print(f"== {name} set: pocketsphinx (no English Vosk model can be had here)")
    print(f"{'WER, reviewer lines':22}" + "".join(f"{channel:>14}" for channel in channels))
    for voice in (*voices, None):
        cells = []
        for channel in channels:
            errors = words = 0
            for v in voices if voice is None else (voice,):
                e, w = word_errors(_reviewer(results[(name, v, channel)]))
                errors, words = errors + e, words + w
            cells.append(f"{errors / words:14.3f}")
        print(f"{voice or 'all voices':22}" + "".join(cells))
    print(f"{'objections P/R/F1':22}" + "".join(f"{channel:>20}" for channel in channels))
    pooled: dict[VoiceChannel, Scores] = {}
    for voice in (*voices, None):
        cells = []
        for channel in channels:
            heard = [
                item
                for v in (voices if voice is None else (voice,))
                for item in _reviewer(results[(name, v, channel)])
            ]
            score = scores(matcher, heard)
            pooled[channel] = score
            cells.append(f"{score.precision():6.3f} {score.recall():6.3f} {score.f1():6.3f}")
        print(f"{voice or 'all voices':22}" + "".join(f"{cell:>20}" for cell in cells))
    if "clean" in pooled and "speakerphone" in pooled:
        gap = pooled["clean"].f1() - pooled["speakerphone"].f1()
        print(f"F1 clean - speakerphone: {gap:.3f} (target <= 0.05)")
    clinician = [item for job, heard in results.items() if job[2] == "clean" for item in heard]
    clinician = [item for item in clinician if item.line.kind == "clinician"]
    cards = sum(bool(matcher.match(item.hypothesis).objections) for item in clinician)
    print(f"clinician lines raising a card (turns not marked): {cards}/{len(clinician)}")
    if show_errors:
        _print_errors(matcher, results, name)
    print()


def _reviewer(heard: list[Heard]) -> list[Heard]:
    return [item for item in heard if item.line.speaker == "reviewer"]


def _print_errors(
    matcher: Matcher, results: dict[tuple[str, Voice, VoiceChannel], list[Heard]], name: str
) -> None:
    if name != "tune":
        raise SystemExit("--errors shows the tuning set only: the held-out set stays unseen")
    for (_, voice, channel), heard in results.items():
        for item in _reviewer(heard):
            got = {hit.id for hit in matcher.match(item.hypothesis).objections}
            if got != item.line.labels:
                print(f"  {voice:5} {channel:12} want {sorted(item.line.labels)} got {sorted(got)}")
                print(f"      said:  {item.line.text}")
                print(f"      heard: {item.hypothesis}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", choices=SETS, default=list(SETS))
    parser.add_argument("--errors", action="store_true", help="list the tuning set's misses")
    parser.add_argument("--voices", nargs="+", choices=VOICES, default=list(VOICES))
    parser.add_argument("--channels", nargs="+", choices=CHANNELS, default=list(CHANNELS))
    args = parser.parse_args()
    matcher = Matcher(load_library())
    for name in args.sets:
        report(name, matcher, args.errors, tuple(args.voices), tuple(args.channels))


if __name__ == "__main__":
    main()
