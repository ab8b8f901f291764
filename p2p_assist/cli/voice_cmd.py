"""`p2p-assist voice enroll`: the clinician reads a passage aloud and their voice profile is kept.

On one microphone the tool tells the sides apart by how they sound; a profile of the
clinician's own voice lets it do so from the call's first line. Only the cues are kept
(voice/profile.py), owner-only in the per-user data folder; the recording is never written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

PASSAGE = """\
Good afternoon, this is the treating physician calling about the request for my patient.
I have the chart open in front of me, with her history, the medications she has tried, and
the results from her last three visits. Before we start, could I have your name, your
specialty, and the reference number for this review? I would like to walk you through why
this treatment is the right next step for her, and answer any questions you have."""
ENROLL_SECONDS = 20.0


def register(subparsers: Any) -> None:
    voice = subparsers.add_parser("voice", help="your voice profile, to tell you from the reviewer")
    commands = voice.add_subparsers(dest="voice_command", metavar="COMMAND", required=True)
    enroll = commands.add_parser(
        "enroll",
        help="read a short passage aloud (about 20 s) to make your voice profile",
        description="Records you reading a passage and keeps a profile of your voice's "
        "features (never the audio), owner-only in the per-user data folder.",
    )
    enroll.add_argument("--device", help="input device index or part of its name (see `devices`)")
    enroll.add_argument(
        "--wav", metavar="FILE", type=Path, help="make the profile from a recording instead"
    )
    enroll.add_argument(
        "--seconds", type=float, default=ENROLL_SECONDS, help="how long to record (default 20)"
    )
    enroll.set_defaults(handler=_enroll)
    forget = commands.add_parser("forget", help="delete your voice profile")
    forget.set_defaults(handler=_forget)


def _enroll(args: argparse.Namespace) -> int:
    from p2p_assist.voice.profile import profile_from_pcm, profile_from_wav, save_profile

    if args.wav is not None:
        profile = profile_from_wav(args.wav)
    else:
        profile = profile_from_pcm(_record(args.device, args.seconds), "the recording")
    path = save_profile(profile)
    print(f"voice profile saved to {path} ({profile.speech_seconds:.0f} s of speech)")
    return 0


def _record(device: str | None, seconds: float) -> bytes:
    from p2p_assist.audio.microphone import MicrophoneSource
    from p2p_assist.basics.audio_format import BYTES_PER_SECOND

    source = MicrophoneSource(int(device) if device and device.isdigit() else device)
    print(f"Read this aloud at your normal pace ({seconds:.0f} s):\n\n{PASSAGE}\n", flush=True)
    wanted = round(seconds * BYTES_PER_SECOND)
    heard = bytearray()
    started = time.monotonic()
    try:
        for chunk in source.chunks():
            heard += chunk
            print(f"\r{time.monotonic() - started:4.0f} s", end="", file=sys.stderr, flush=True)
            if len(heard) >= wanted:
                break
    finally:
        source.close()
        print(file=sys.stderr)
    return bytes(heard)


def _forget(args: argparse.Namespace) -> int:
    from p2p_assist.voice.profile import default_profile_path

    path = default_profile_path()
    if not path.is_file():
        print(f"no voice profile at {path}")
        return 0
    path.unlink()
    print(f"voice profile deleted: {path}")
    return 0
