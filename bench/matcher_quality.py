"""Per-objection precision and recall of the matcher on the labelled sets in tests/data.

python bench/matcher_quality.py            # dev and holdout
python bench/matcher_quality.py FILE.jsonl # any labelled set
"""

from __future__ import annotations

import sys
from pathlib import Path

from p2p_assist.library.load import load_library
from p2p_assist.library.model import OBJECTION_IDS
from p2p_assist.matching.evaluation import evaluate, load_labelled, report
from p2p_assist.matching.matcher import Matcher

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    files = [Path(arg) for arg in sys.argv[1:]] or sorted(DATA.glob("reviewer_lines_*.jsonl"))
    matcher = Matcher(load_library())
    for path in files:
        print(f"== {path.name}")
        print(report(evaluate(matcher, load_labelled(path)), list(OBJECTION_IDS)))
        print()


if __name__ == "__main__":
    main()
