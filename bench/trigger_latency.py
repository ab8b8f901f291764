"""Trigger latency: replaying a mock call in real time, how long after the reviewer's
triggering phrase ends does its objection event fire?

latency = wall time of ObjectionRaised - (wall time the replay started + stream time
the phrase's last word ended). The phrase's last word is the word of the (final)
utterance at the end of the matched span; events raised from a partial use the
partial's span. Prints every event, p50/p95 and the process's peak resident memory.
Speaker attribution runs as in a live one-microphone call (build_session gives the input a
labeller); WAV replaces the case's shipped recording, e.g. a phone-channel render:
`p2p-assist mock render cases/CASE/mock-call.toml --channel reviewer=speakerphone -o X.wav`.

    python bench/trigger_latency.py [CASE] [WAV]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from common import REPO, peak_rss_mb

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import ObjectionRaised, UtteranceHeard


def main() -> None:
    case = sys.argv[1] if len(sys.argv) > 1 else "demo-teen-residential"
    audio = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "cases" / case / "mock-call.wav"
    matcher = Matcher(load_library())
    plan = SessionPlan(REPO / "cases", case, None, "pocketsphinx", None, "practice", save=False)
    session = build_session(plan, WavFileSource(audio, paced=True), matcher)
    raised: list[ObjectionRaised] = []
    finals: list[UtteranceHeard] = []
    started = time.monotonic()
    session.start()
    for event in session.events():
        if isinstance(event, ObjectionRaised):
            raised.append(event)
        elif isinstance(event, UtteranceHeard):
            finals.append(event)
    latencies = []
    for event in raised:
        final = next((f for f in finals if f.end >= event.stream_time - 0.05), None)
        if final is None or not final.words:
            continue
        word_index = len(event.text[: event.hit.span[1]].split())
        phrase_end = final.words[min(word_index, len(final.words)) - 1].end
        latency = event.wall - (started + phrase_end)
        latencies.append(latency)
        source = "partial" if event.from_partial else "final"
        print(
            f"{event.hit.id:28} {source:7} phrase ended {phrase_end:7.2f} s  "
            f"latency {latency * 1000:7.0f} ms"
        )
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{len(latencies)} events  p50 {statistics.median(ordered) * 1000:.0f} ms  "
            f"p95 {p95 * 1000:.0f} ms  max {ordered[-1] * 1000:.0f} ms"
        )
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
