"""Dates on real working days: weekdays that are not US federal holidays.

Payers count short process limits in business days (Illinois: contact within 1 business day of
a P2P request, hold it within 3) and long ones in calendar days (10 days to ask for a P2P, 180
to appeal). A calendar deadline can fall on a Saturday or on Thanksgiving, when no office will
receive anything, so its wording says so and names the business day before it to send by.

The holiday list comes from the `holidays` package (federal holidays, observed days included),
not from a hand-kept table that would go stale.
"""

from __future__ import annotations

import datetime as dt

import holidays

_FEDERAL = holidays.country_holidays("US")
_ONE_DAY = dt.timedelta(days=1)


def long_day(day: dt.date) -> str:
    """The one way a deadline is written: weekday, day, month, year (Sat 2 Jan 2027)."""
    return f"{day:%a %-d %b %Y}"


def holiday_name(day: dt.date) -> str | None:
    name = _FEDERAL.get(day)
    return str(name) if name else None


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _FEDERAL


def why_closed(day: dt.date) -> str | None:
    """Why offices are shut on `day` ("a Saturday", "Thanksgiving Day"), or None on a work day."""
    name = holiday_name(day)
    if name:
        return name
    return f"a {day:%A}" if day.weekday() >= 5 else None


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th business day after `start` (0 gives `start` itself)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    for _ in range(count):
        day += _ONE_DAY
        while not is_business_day(day):
            day += _ONE_DAY
    return day


def business_day_on_or_before(day: dt.date) -> dt.date:
    while not is_business_day(day):
        day -= _ONE_DAY
    return day


def deadline_words(due: dt.date, due_word: str = "due", act: str = "send by") -> str:
    """How a calendar deadline reads: "by Mon 30 Nov 2026", or, when `due` is no working day,
    when to act instead:
    "due Sat 2 Jan 2027 (a Saturday; Fri 1 Jan 2027 is New Year's Day) — send by Thu 31 Dec
    2026". Holidays skipped on the way back are named, so the earlier date makes sense."""
    if is_business_day(due):
        return f"by {long_day(due)}"
    send_by = business_day_on_or_before(due)
    reasons = [str(why_closed(due))]
    day = due - _ONE_DAY
    while day > send_by:
        name = holiday_name(day)
        if name and day.weekday() < 5:  # a weekend holiday needs no explaining
            reasons.append(f"{long_day(day)} is {name}")
        day -= _ONE_DAY
    return f"{due_word} {long_day(due)} ({'; '.join(reasons)}) — {act} {long_day(send_by)}"
