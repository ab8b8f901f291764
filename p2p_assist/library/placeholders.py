"""The `{fact}` placeholders of talking points."""

from __future__ import annotations

import string


def placeholders(text: str) -> list[str]:
    """Names used in `text`; raises ValueError on unbalanced braces."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]
