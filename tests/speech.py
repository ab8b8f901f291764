"""Real speech for tests: flite renders text, sox converts it to 16 kHz mono 16-bit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FLITE_VOICES = ("slt", "rms", "awb", "kal16")


def have_tts() -> bool:
    return shutil.which("flite") is not None and shutil.which("sox") is not None


def render_speech(text: str, out: Path, voice: str = "slt", rate: int = 16_000) -> Path:
    """Speak `text` with a flite voice into `out` as mono 16-bit WAV at `rate` Hz."""
    raw = out.with_suffix(".flite.wav")
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(raw)], check=True)
    subprocess.run(
        ["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(out)],
        check=True,
    )
    raw.unlink()
    return out
