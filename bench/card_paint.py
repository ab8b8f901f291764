"""Time from the session's objection event to its card painted on screen, measured through
the app (Textual's headless driver) while a demo mock call plays in real time.

    python bench/card_paint.py [CASE] [SPEED]
"""

from __future__ import annotations

import asyncio
import statistics
import sys

from common import REPO

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import load_library
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.ui.app import LiveCall, make_app
from p2p_assist.ui.call_screen import CallContext


async def main() -> None:
    case_id = sys.argv[1] if len(sys.argv) > 1 else "demo-teen-residential"
    speed = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    audio = REPO / "cases" / case_id / "mock-call.wav"
    plan = SessionPlan(REPO / "cases", case_id, None, "pocketsphinx", None, "practice", False)
    session = build_session(plan, WavFileSource(audio, paced=True, speed=speed))
    case = load_case(REPO / "cases", case_id)
    app = make_app(LiveCall(session, CallContext(case_id, case, "P2P window", load_library())))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.call_screen
        assert screen is not None
        while not screen.audio_ended:
            await pilot.pause(0.5)
    times = sorted(latency * 1000 for latency in screen.paint_latencies)
    if not times:
        print("no cards were raised")
        return
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{case_id} at speed {speed:g}: {len(times)} cards  event→painted p50 "
        f"{statistics.median(times):.1f} ms  p95 {p95:.1f} ms  max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
