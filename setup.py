"""Build hook: ship the prompt library and the demo cases inside the wheel.

The design card keeps `prompts/` and `cases/` at the top of the repo, beside the package: users
edit them there and a checkout reads them in place. An installed p2p-assist has no repo beside
it, so building a wheel copies them into the package as `p2p_assist/_bundled/prompts` and
`p2p_assist/_bundled/cases` (found there by `p2p_assist/basics/locations.py`). Git holds one
copy; every wheel carries a read-only one.

Why a build_py hook and not `package-dir` + `package-data`: mapping top-level folders in as
packages means listing every package by hand (`packages.find` cannot be combined with extra
mapped ones), and package-data globs cannot leave out what must never ship: saved calls
(`cases/*/calls/`, patient health information) and any case in `cases/` that is not a demo (a
clinician working from a checkout keeps real cases there). Here only `cases/demo-*/` is
copied, without `calls/` or hidden files, and the target is cleared first so a stale build/
folder cannot leak an older file into the wheel.

An editable install (`pip install -e .`) copies nothing: it runs from the checkout, which reads
the top-level folders directly. MANIFEST.in puts the same files in an sdist, so a wheel built
from the sdist (`python -m build`) gets them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
TARGET = Path("p2p_assist", "_bundled")
DEMO_PREFIX = "demo-"


def _hidden(names: list[str]) -> set[str]:
    return {name for name in names if name.startswith(".") or name == "__pycache__"}


def _copy(source: Path, target: Path, leave_out: frozenset[str] = frozenset()) -> None:
    """Copy a folder without hidden files and caches, nor `leave_out` at its top level."""
    shutil.copytree(
        source,
        target,
        ignore=lambda folder, names: (
            _hidden(names) | (leave_out & set(names) if Path(folder) == source else set())
        ),
    )


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / TARGET
        shutil.rmtree(target, ignore_errors=True)
        _copy(ROOT / "prompts", target / "prompts")
        for demo in sorted((ROOT / "cases").glob(f"{DEMO_PREFIX}*/")):
            _copy(demo, target / "cases" / demo.name, leave_out=frozenset({"calls"}))


setup(cmdclass={"build_py": BuildPyWithData})
