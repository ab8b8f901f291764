"""Who is speaking on one microphone: labels per utterance on speakerphone mock calls.

Each labelled set of call lines (bench/data/call_lines_tune.jsonl, call_lines_heldout.jsonl)
is rendered once per pair of flite voices (speaker_calls.PAIRS: the reviewer over a
speakerphone, the clinician straight into the microphone, same-sex pairs included) and
recognised by pocketsphinx as a live call would be. The audio is then streamed through a
SpeakerLabeller in 0.1 s chunks, and each final is labelled when the endpointer would have
closed it. The truth of a final is the speaker of the rendered turns it overlaps; a final
that runs one side's line into the other's (the endpointer heard no pause between them) holds
both, and its right label is unknown (the call then treats it as the reviewer's).

Printed per voice pair and set: % of utterances labelled correctly (unknown counts as wrong,
and is shown apart; `both`: lines holding both sides); reviewer lines taken for the
clinician's (`rev→clin`: their cards would be lost); cards raised by the clinician's lines
per 20 of them (the matcher on the final's words, with its label: an unknown line is matched
as the reviewer's); clinician lines whose label while still being spoken (their first
partial, 1 s in) was not theirs (a card raised then is withdrawn when the line closes); and
CPU ms of labelling per utterance (the cue frames of all the call's audio, fed as it arrives,
plus the judgements, over the number of utterances; CPU time, as the benchmark shares its
cores with the recogniser and other work). With --noise, steady white noise is added at the
microphone (the finals stay those recognised on the quiet call).
The held-out set is reported apart and was never used to set a constant.

    python bench/speaker_attribution.py               # both sets
    python bench/speaker_attribution.py tune --errors # one set, with its mislabelled lines
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from call_lines import CACHE
from common import render
from speaker_calls import PAIRS, Final, call_wav, recognised_finals

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.basics.audio_format import BYTES_PER_SECOND
from p2p_assist.basics.vocabulary import Speaker
from p2p_assist.cli.voice_cmd import PASSAGE
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.script import Voice
from p2p_assist.mock.timeline import Timeline, load_timeline, timeline_path
from p2p_assist.voice.attribution import SideModel
from p2p_assist.voice.labeller import SpeakerLabeller
from p2p_assist.voice.profile import profile_from_wav

SETS = ("tune", "heldout")
CLOSED_AFTER = 0.5  # the endpointer's silence: a final comes out this long after its last word
PARTIAL_AT = 1.0  # pocketsphinx's first partial of a line comes a second in
BOTH_SECONDS = 0.5


@dataclass(frozen=True)
class Labelled:
    final: Final
    truth: Speaker | None  # None: the line holds both sides
    label: Speaker | None
    early: Speaker | None  # the label a partial would have had


@dataclass(frozen=True)
class PairResult:
    reviewer: Voice
    clinician: Voice
    lines: list[Labelled]
    seconds: float  # labelling time, all of it (CPU: the machine is shared)


def truth_of(final: Final, timeline: Timeline) -> Speaker | None:
    """The speaker of the turns the final overlaps; None when it runs one side's line into
    the other's (at least BOTH_SECONDS of each), where `unknown` is the right label."""
    said: dict[Speaker, float] = {}
    for turn in timeline.turns:
        overlap = min(turn.end, final.end) - max(turn.start, final.start)
        if overlap > 0:
            said[turn.speaker] = said.get(turn.speaker, 0.0) + overlap
    if not said:  # noise between turns: the nearest turn's
        nearest = min(timeline.turns, key=lambda turn: abs(turn.start - final.start))
        return nearest.speaker
    if len(said) == 2 and min(said.values()) >= BOTH_SECONDS:
        return None
    return max(said, key=lambda speaker: said[speaker])


def label_call(
    wav: Path, finals: list[Final], clinician: SideModel | None, noise_dbfs: float | None
) -> tuple[list[tuple[Final, Speaker | None, Speaker | None]], float]:
    """Each final with its label and its label a second in; the seconds labelling took."""
    labeller = SpeakerLabeller(clinician)
    noisy = RoomNoise(noise_dbfs) if noise_dbfs is not None else None
    waiting = sorted(finals, key=lambda final: final.end)
    labelled: list[tuple[Final, Speaker | None, Speaker | None]] = []
    early: dict[Final, Speaker | None] = {}
    spent = heard = 0.0
    for clean in WavFileSource(wav).chunks():
        chunk = noisy.add(clean) if noisy is not None else clean
        started = time.process_time()
        labeller.feed(chunk)
        heard += len(chunk) / BYTES_PER_SECOND
        # A partial for the line being spoken on every other chunk (pocketsphinx gives about
        # five a second); the one a second in is kept as the line's early label.
        speaking = next((f for f in waiting[:2] if f.start + PARTIAL_AT <= heard <= f.end), None)
        if speaking is not None and round(heard * 10) % 2 == 0:
            label = labeller.partial(heard).speaker
            early.setdefault(speaking, label)
        while waiting and waiting[0].end + CLOSED_AFTER <= heard:
            final = waiting.pop(0)
            label = labeller.final(final.start, final.end).speaker
            labelled.append((final, label, early.get(final, label)))
        spent += time.process_time() - started
    for final in waiting:
        label = labeller.final(final.start, final.end).speaker
        labelled.append((final, label, early.get(final, label)))
    return labelled, spent


class RoomNoise:
    """Steady white noise at the microphone, under both sides (a room, a fan, the mic's own
    hiss): it fills the band above the telephone line that the far side leaves empty. Seeded,
    so runs agree. The recogniser's finals stay those of the quiet call."""

    def __init__(self, dbfs: float) -> None:
        self._rng = np.random.default_rng(10)
        self._sigma = 32768 * 10 ** (dbfs / 20)

    def add(self, chunk: bytes) -> bytes:
        samples = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
        samples += self._rng.normal(0.0, self._sigma, len(samples))
        return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


def run_pair(job: tuple[str, Voice, Voice, bool, float | None]) -> PairResult:
    name, reviewer, clinician, profiled, noise_dbfs = job
    wav = call_wav(name, reviewer, clinician)
    timeline = load_timeline(timeline_path(wav))
    profile = clinician_profile(clinician) if profiled else None
    labelled, seconds = label_call(wav, recognised_finals(wav), profile, noise_dbfs)
    lines = [
        Labelled(final, truth_of(final, timeline), label, early) for final, label, early in labelled
    ]
    return PairResult(reviewer, clinician, lines, seconds)


def clinician_profile(voice: Voice) -> SideModel:
    """The clinician's voice reading the enrolment passage, as `voice enroll` hears it: straight
    into the microphone (so the profile also knows the near side's channel)."""
    wav = CACHE / "speaker-profile" / f"{voice}.wav"
    if not wav.is_file():
        wav.parent.mkdir(parents=True, exist_ok=True)
        render(PASSAGE, voice, wav)
    return profile_from_wav(wav).side_model()


def report(
    name: str, matcher: Matcher, profiled: bool, noise_dbfs: float | None, show_errors: bool
) -> None:
    jobs = [(name, reviewer, clinician, profiled, noise_dbfs) for reviewer, clinician in PAIRS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run_pair, jobs))
    title = "with the clinician's voice profile" if profiled else "no profile: the channel cues"
    room = f", room noise at {noise_dbfs:g} dBFS" if noise_dbfs is not None else ""
    print(f"== {name} set, {title}{room}")
    print(
        f"{'reviewer/clinician':20}{'lines':>7}{'correct %':>11}{'unknown':>9}{'both':>6}"
        f"{'rev→clin':>9}"
        f"{'cards/20 clin':>15}{'early wrong':>13}{'CPU ms/line':>13}"
    )
    totals = [0] * 8
    spent = 0.0
    for result in results:
        counts = _counts(matcher, result.lines)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        spent += result.seconds
        _row(f"{result.reviewer}/{result.clinician}", counts, result.seconds)
    _row("all pairs", totals, spent)
    if show_errors:
        if name != "tune":
            raise SystemExit("--errors shows the tuning set only: the held-out set stays unseen")
        for result in results:
            for line in result.lines:
                if line.label != line.truth:
                    print(
                        f"  {result.reviewer}/{result.clinician} {line.truth} -> {line.label}: "
                        f"{line.final.start:.1f}-{line.final.end:.1f} {line.final.text[:60]}"
                    )
    print()


def _counts(matcher: Matcher, lines: list[Labelled]) -> list[int]:
    clinician = [line for line in lines if line.truth == "clinician"]
    cards = sum(bool(matcher.match(line.final.text, line.label).objections) for line in clinician)
    return [
        len(lines),
        sum(line.label == line.truth for line in lines),
        sum(line.label is None for line in lines),
        sum(line.truth is None for line in lines),
        sum(line.truth == "reviewer" and line.label == "clinician" for line in lines),
        len(clinician),
        cards,
        sum(line.early != "clinician" for line in clinician),
    ]


def _row(title: str, counts: list[int], seconds: float) -> None:
    lines, correct, unknown, both, silenced, clinician, cards, early = counts
    print(
        f"{title:20}{lines:7d}{100 * correct / lines:11.1f}{unknown:9d}{both:6d}{silenced:9d}"
        f"{20 * cards / max(clinician, 1):9.2f} ({cards}/{clinician})"
        f"{early:7d}/{clinician:<5d}{1000 * seconds / lines:13.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", choices=[*SETS, []], default=[])
    parser.add_argument("--errors", action="store_true", help="list the tuning set's mislabels")
    parser.add_argument(
        "--noise",
        type=float,
        nargs="*",
        default=[],
        metavar="DBFS",
        help="also run with white room noise at these levels (e.g. -50 -40)",
    )
    args = parser.parse_args()
    matcher = Matcher(load_library())
    for name in args.sets or SETS:
        for noise in (None, *args.noise):
            for profiled in (False, True):
                report(name, matcher, profiled, noise, args.errors)


if __name__ == "__main__":
    main()
