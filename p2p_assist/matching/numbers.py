"""Spoken numbers to digits, the way recognisers write them ("four seven two" -> "4 7 2").

Recognisers write numbers as words; people write digits. Captures (reference numbers,
timelines) need digits, so both forms are brought to digits before matching.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000}


def words_to_digits(tokens: list[str]) -> list[str]:
    """Replace runs of number words by numbers; digit-by-digit runs stay separate.

    "oh" only counts as zero next to other numbers, so "oh I see" is left alone.
    """
    out: list[str] = []
    value: int | None = None
    last_kind = ""
    for index, token in enumerate(tokens):
        kind, number = _classify(token, tokens, index)
        if kind == "":
            if value is not None:
                out.append(str(value))
                value = None
            out.append(token)
            last_kind = ""
            continue
        if value is None:
            value, last_kind = number, kind
        elif kind == "unit" and last_kind == "tens" and number < 10:
            value, last_kind = value + number, "unit"
        elif kind == "scale" and last_kind in {"unit", "tens"}:
            value, last_kind = value * number, "scale"
        elif kind in {"unit", "tens"} and last_kind == "scale":
            value, last_kind = value + number, kind
        else:
            out.append(str(value))
            value, last_kind = number, kind
    if value is not None:
        out.append(str(value))
    return out


def _classify(token: str, tokens: list[str], index: int) -> tuple[str, int]:
    if token.isdigit():
        return "digits", int(token)
    if token == "oh" and not _numeric_neighbour(tokens, index):
        return "", 0
    if token in UNITS:
        return "unit", UNITS[token]
    if token in TENS:
        return "tens", TENS[token]
    if token in SCALES and index > 0:
        return "scale", SCALES[token]
    return "", 0


def _numeric_neighbour(tokens: list[str], index: int) -> bool:
    for near in (index - 1, index + 1):
        if 0 <= near < len(tokens) and near != index:
            word = tokens[near]
            if word.isdigit() or (word in UNITS and word != "oh") or word in TENS:
                return True
    return False
