"""Checks shared by every kind of fact: the error naming a field, and fact times."""

from __future__ import annotations

import datetime as dt
from typing import Final

EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EARLIEST: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_SLACK: Final = dt.timedelta(days=1)
_MICRO: Final = dt.timedelta(microseconds=1)


class FactError(Exception):
    """A fact that decoded but does not make sense; names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def to_micros(value: dt.datetime | int, field: str, now: dt.datetime) -> int:
    """Epoch microseconds of a fact time, refusing times before 2000 or in the future."""
    if isinstance(value, int):
        if not 0 <= value <= 10**14:
            raise FactError(field, "epoch milliseconds out of range")
        when = EPOCH + dt.timedelta(milliseconds=value)
    else:
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if when < EARLIEST:
        raise FactError(field, "date is before 2000-01-01")
    if when > now + FUTURE_SLACK:
        raise FactError(field, "date is in the future")
    return (when - EPOCH) // _MICRO
