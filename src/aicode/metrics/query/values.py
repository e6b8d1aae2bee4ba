"""Filter values: text from the request, parsed in the field's type and bound as a literal.

A value never becomes SQL text: it is parsed into a Python value (date, instant, integer,
boolean, or a string SQLGlot quotes) or refused with a message naming the filter.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import sqlglot.expressions as exp

from aicode.metrics.query.fields import Field
from aicode.metrics.query.spec import FilterOp, Kind, Place
from aicode.metrics.sql import date_lit, ts_lit

_EQUALITY = frozenset({FilterOp.EQUAL, FilterOp.NOT_EQUAL})
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COMPARE: dict[FilterOp, type[exp.Binary]] = {
    FilterOp.EQUAL: exp.EQ,
    FilterOp.NOT_EQUAL: exp.NEQ,
    FilterOp.GREATER_THAN: exp.GT,
    FilterOp.LESS_THAN: exp.LT,
    FilterOp.GE: exp.GTE,
    FilterOp.LE: exp.LTE,
}


def quoted(text: str) -> str:
    """Text as it appears in an error message: double-quoted, control characters escaped."""
    return json.dumps(text, ensure_ascii=False)


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_instant(text: str) -> dt.datetime | None:
    """A date (its midnight) or an ISO 8601 / RFC 3339 time as naive UTC, or None.

    A time without an offset is taken as UTC, as fact times are.
    """
    if not _DATE.match(text):
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        try:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # an offset pushing year 1 or 9999 out of range
            return None
    return value


def _literal(field: Field, text: str, place: Place) -> exp.Expr:
    kind = field.kind
    if kind is Kind.ENUM:
        if text not in field.choices:
            choices = ", ".join(field.choices)
            raise place.error(f"{quoted(text)} is not one of {choices}")
        return exp.Literal.string(text)
    if kind is Kind.BOOL:
        if text.lower() not in ("true", "false"):
            raise place.error(f'{quoted(text)} is not "true" or "false"')
        return exp.true() if text.lower() == "true" else exp.false()
    if kind is Kind.INT:
        if not _INTEGER.fullmatch(text):
            raise place.error(f"{quoted(text)} is not an integer")
        return exp.Literal.number(int(text))
    if kind is Kind.DATE:
        day = parse_date(text)
        if day is None:
            raise place.error(f"{quoted(text)} is not a date (YYYY-MM-DD)")
        return date_lit(day)
    if kind is Kind.TIME:
        instant = parse_instant(text)
        if instant is None:
            raise place.error(f"{quoted(text)} is not a date (YYYY-MM-DD) or an RFC 3339 time")
        return ts_lit(instant)
    return exp.Literal.string(text)


def condition(field: Field, op: FilterOp, raw: str, place: Place) -> exp.Expr:
    """The condition ``field op value``, the value parsed in the field's type."""
    if field.kind in (Kind.TEXT, Kind.ENUM, Kind.BOOL) and op not in _EQUALITY:
        raise place.error(
            f"{op.name} does not apply to {field.kind.value} fields; use EQUAL or NOT_EQUAL"
        )
    value = _literal(field, field.normalize(raw), place)
    return _COMPARE[op](this=field.compared(), expression=value)
