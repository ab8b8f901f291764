"""Where cases, prompts and models live, and how the user overrides each.

Order for each: explicit CLI flag, then environment variable, then the default.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CASES_ENV = "P2P_ASSIST_CASES"
PROMPTS_ENV = "P2P_ASSIST_PROMPTS"
MODEL_ENV = "P2P_ASSIST_VOSK_MODEL"

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def _bundled(name: str) -> Path:
    """A top-level folder shipped with the project (source checkout or installed data)."""
    in_checkout = _SOURCE_ROOT / name
    if in_checkout.is_dir():
        return in_checkout
    return Path(sys.prefix) / "share" / "p2p-assist" / name


def cases_dir(explicit: Path | str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if env := os.environ.get(CASES_ENV):
        return Path(env)
    return Path("cases")


def prompts_dir(explicit: Path | str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if env := os.environ.get(PROMPTS_ENV):
        return Path(env)
    return _bundled("prompts")


def models_dir() -> Path:
    return _bundled("models")


def cache_dir() -> Path:
    """Derived data only (never patient data): e.g. the trained matcher weights."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "p2p-assist"


def unsaved_dir() -> Path:
    """Where a call goes when its case folder cannot be written (kept owner-only)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "p2p-assist" / "unsaved"
