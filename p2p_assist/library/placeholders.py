"""The `{fact}` placeholders of talking points and of a mock call's reviewer lines."""

from __future__ import annotations

import string
from collections.abc import Collection
from pathlib import Path

from p2p_assist.basics.errors import file_error


def placeholders(text: str) -> list[str]:
    """Names used in `text`; raises ValueError on unbalanced braces."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]


def check_placeholders(path: Path, text: str, field: str, known: Collection[str]) -> None:
    """One line naming the file and field when `text` names a fact outside `known`."""
    try:
        names = placeholders(text)
    except ValueError:
        raise file_error(
            path, "unbalanced { } in text", "write {fact} or double the brace", field
        ) from None
    for name in names:
        if name not in known:
            raise file_error(
                path,
                f"unknown placeholder {{{name}}}",
                f"use one of: {', '.join(sorted(known))}",
                field,
            )
