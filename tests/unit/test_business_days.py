"""Dates on real working days: weekends and US federal holidays are skipped, a calendar
deadline on a closed day names the working day before it, and counts read as spoken."""

from __future__ import annotations

import datetime as dt

import pytest

from p2p_assist.basics.business_days import (
    add_business_days,
    business_day_on_or_before,
    deadline_words,
    holiday_name,
    is_business_day,
    why_closed,
)
from p2p_assist.basics.formatting import plural


def test_weekends_and_federal_holidays_are_not_business_days() -> None:
    assert is_business_day(dt.date(2026, 11, 25))  # a Wednesday
    assert not is_business_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_business_day(dt.date(2026, 11, 26))  # Thanksgiving
    assert holiday_name(dt.date(2026, 11, 26)) == "Thanksgiving Day"
    assert not is_business_day(dt.date(2026, 7, 3))  # Independence Day, observed on the Friday
    assert why_closed(dt.date(2026, 11, 29)) == "a Sunday"
    assert why_closed(dt.date(2026, 11, 30)) is None


def test_counting_business_days_skips_a_holiday_and_a_weekend() -> None:
    wednesday = dt.date(2026, 11, 25)  # the day before Thanksgiving
    assert add_business_days(wednesday, 0) == wednesday
    assert add_business_days(wednesday, 1) == dt.date(2026, 11, 27)  # Friday
    assert add_business_days(wednesday, 3) == dt.date(2026, 12, 1)  # Tuesday
    christmas_eve = dt.date(2026, 12, 24)  # a Thursday in 2026
    assert add_business_days(christmas_eve, 1) == dt.date(
        2026, 12, 28
    )  # over Christmas and a weekend


def test_a_request_on_a_saturday_counts_from_monday() -> None:
    assert add_business_days(dt.date(2026, 11, 21), 1) == dt.date(2026, 11, 23)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_business_days(dt.date(2026, 11, 25), -1)


def test_deadline_on_a_working_day_reads_plainly() -> None:
    assert deadline_words(dt.date(2026, 11, 30)) == "by Mon 30 Nov 2026"


def test_deadline_on_a_saturday_after_a_holiday_names_both_and_the_day_to_send_by() -> None:
    assert business_day_on_or_before(dt.date(2027, 1, 2)) == dt.date(2026, 12, 31)
    assert deadline_words(dt.date(2027, 1, 2)) == (
        "due Sat 2 Jan 2027 (a Saturday; Fri 1 Jan 2027 is New Year's Day)"
        " — send by Thu 31 Dec 2026"
    )


def test_deadline_on_a_holiday_says_which() -> None:
    assert deadline_words(dt.date(2026, 5, 25), "closes", "ask by") == (
        "closes Mon 25 May 2026 (Memorial Day) — ask by Fri 22 May 2026"
    )


@pytest.mark.parametrize(
    ("count", "word", "expected"),
    [(1, "day", "1 day"), (0, "day", "0 days"), (3, "business day", "3 business days"),
     (-1, "day", "-1 day"), (72, "hour", "72 hours")],
)  # fmt: skip
def test_plural_never_says_1_days(count: int, word: str, expected: str) -> None:
    assert plural(count, word) == expected
