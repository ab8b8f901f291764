"""End to end per voice: each demo mock call rendered with the reviewer in each flite voice,
run through pocketsphinx and the matcher; how many of the script's objections and
documentation values were caught.

    python bench/e2e_voices.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import REPO
from rapidfuzz import fuzz

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.render import render_script
from p2p_assist.mock.script import Voices, load_script
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import ObjectionRaised, UtteranceHeard

VOICES = ("slt", "rms", "awb", "kal16")
CASES = ("demo-teen-residential", "demo-ra-biologic")


def _heard(value: str, got: list[str]) -> bool:
    """A captured value counts when it holds the expected one, allowing a misheard letter."""
    return any(fuzz.partial_ratio(value.lower(), g.lower()) >= 85 for g in got)


def main() -> None:
    matcher = Matcher(load_library())
    for case in CASES:
        script = load_script(REPO / "cases" / case / "mock-call.toml")
        expected = {i for turn in script.turns for i in turn.expect}
        wanted = {(k, v) for turn in script.turns for k, v in turn.captures.items()}
        for voice in VOICES:
            clinician = "slt" if voice != "slt" else "kal16"
            voiced = script.model_copy(
                update={"voices": Voices(reviewer=voice, clinician=clinician)}
            )
            with tempfile.TemporaryDirectory() as folder:
                audio = Path(folder) / "call.wav"
                render_script(voiced, audio)
                plan = SessionPlan(
                    REPO / "cases", case, None, "pocketsphinx", None, "practice", False
                )
                session = build_session(plan, WavFileSource(audio), matcher)
                session.start()
                raised, captured = set(), set()
                for event in session.events():
                    if isinstance(event, ObjectionRaised):
                        raised.add(event.hit.id)
                    elif isinstance(event, UtteranceHeard):
                        captured |= {(c.field, c.value) for c in event.captures}
            hits = expected & raised
            caught = {(k, v) for k, v in wanted if _heard(v, [g for f, g in captured if f == k])}
            extra = raised - expected
            print(
                f"{case:22} reviewer={voice:5} objections {len(hits)}/{len(expected)}  "
                f"other cards {len(extra)}  captures {len(caught)}/{len(wanted)}  "
                f"missed {sorted(expected - raised)} {sorted(k for k, _ in wanted - caught)}"
            )


if __name__ == "__main__":
    main()
