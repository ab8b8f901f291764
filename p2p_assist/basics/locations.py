"""Where cases, prompts and models live, and how the user overrides each.

Order for each: explicit CLI flag, then environment variable, then the default. The defaults
depend on how p2p-assist runs:
- from a source checkout (the repo's own `prompts/`, `cases/` and `models/` beside the
  package), those folders are read in place, so an edit there is live;
- from an installed wheel, the prompt library and the demo cases are the read-only copies that
  the build hook in `setup.py` puts in `p2p_assist/_bundled/`, and what the user makes (cases,
  models, calls on a demo) goes to the per-user data folder platformdirs names
  (`~/.local/share/p2p-assist` on Linux). Nothing is ever written inside the installed package.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

CASES_ENV = "P2P_ASSIST_CASES"
PROMPTS_ENV = "P2P_ASSIST_PROMPTS"
MODEL_ENV = "P2P_ASSIST_VOSK_MODEL"

_APP = "p2p-assist"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]
_INSTALLED_DATA = Path(__file__).resolve().parents[1] / "_bundled"


def in_checkout() -> bool:
    """True when running from the repo (plain or `pip install -e`), not from a built wheel."""
    return (_SOURCE_ROOT / "pyproject.toml").is_file() and (_SOURCE_ROOT / "prompts").is_dir()


def _bundled(name: str) -> Path:
    """A top-level folder shipped with the project: the checkout's own, else the wheel's copy."""
    return (_SOURCE_ROOT if in_checkout() else _INSTALLED_DATA) / name


def user_data_dir() -> Path:
    """The per-user data folder: cases, models and demo calls of an installed p2p-assist."""
    return platformdirs.user_data_path(_APP, appauthor=False)


def cases_dir(explicit: Path | str | None = None) -> Path:
    """The user's own cases: --cases, $P2P_ASSIST_CASES, ./cases if present, else per user."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(CASES_ENV):
        return Path(env)
    here = Path("cases")
    return here if here.is_dir() else user_cases_dir()


def user_cases_dir() -> Path:
    """The default home of the user's cases outside a folder with its own ./cases."""
    return user_data_dir() / "cases"


def demos_dir() -> Path:
    """The demo cases shipped with p2p-assist (read-only once installed)."""
    return _bundled("cases")


def demo_calls_dir() -> Path:
    """Where a demo used outside the user's own cases keeps its case file copy and its calls."""
    return user_data_dir() / "demos"


def prompts_dir(explicit: Path | str | None = None) -> Path:
    if explicit:
        return Path(explicit)
    if env := os.environ.get(PROMPTS_ENV):
        return Path(env)
    return _bundled("prompts")


def models_dir() -> Path:
    """Vosk models: the checkout's `models/`, else per user (`model install` writes here)."""
    return _SOURCE_ROOT / "models" if in_checkout() else user_data_dir() / "models"


def cache_dir() -> Path:
    """Derived data only (never patient data): e.g. the trained matcher weights."""
    return platformdirs.user_cache_path(_APP, appauthor=False)


def unsaved_dir() -> Path:
    """Where a call goes when its case folder cannot be written (kept owner-only)."""
    return user_data_dir() / "unsaved"
