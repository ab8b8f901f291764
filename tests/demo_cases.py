"""The one way a test gets a bundled demo case: a copy in its own folder, without saved calls.

README command 1 (`p2p-assist practice demo-teen-residential`) saves a call into the checkout's
`cases/<demo>/calls/`, and README command 2 runs the tests right after it. A test that reads
the checkout's case folder, or copies it whole, then finds a call it did not make.
`tests/suite/test_demo_cases.py` checks that no test reaches the checkout's `cases/` another way.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_CASES = REPO / "cases"
DEMOS = ("demo-ra-biologic", "demo-teen-residential")


def copy_demo_cases(folder: Path, *case_ids: str, source: Path = DEMO_CASES) -> Path:
    """`folder/cases` holding fresh copies of the named demo cases (all of them if none named),
    each without its `calls/`; returns that cases folder."""
    cases = folder / "cases"
    for case_id in case_ids or DEMOS:
        shutil.copytree(source / case_id, cases / case_id, ignore=_without_calls(source / case_id))
    return cases


def demo_file(case_id: str, name: str) -> Path:
    """A file a demo case ships with (its script or recording), read in place: never a call."""
    return DEMO_CASES / case_id / name


def _without_calls(case: Path) -> Callable[[str, list[str]], list[str]]:
    def ignore(folder: str, names: list[str]) -> list[str]:
        return ["calls"] if Path(folder) == case and "calls" in names else []

    return ignore
