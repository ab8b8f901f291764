"""Shared helpers for the benchmarks: rendering speech and measuring a process."""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def render(text: str, voice: str, out: Path, *, espeak_voice: str | None = None) -> Path:
    """flite (or espeak-ng for a language flite lacks) -> 16 kHz mono 16-bit WAV."""
    raw = out.with_suffix(".raw.wav")
    if espeak_voice:
        subprocess.run(["espeak-ng", "-v", espeak_voice, "-w", str(raw), text], check=True)
    else:
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(raw)], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    raw.unlink()
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
