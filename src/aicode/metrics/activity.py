"""Assistant usage from the completion, chat and change rollups: totals, days, developers.

A developer is *active* on a day when they produced any completion, chat turn or AI change
that day. Distinct counts are exact: rollups keep the user, so a distinct over them is a
distinct over people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters, day_range, people, whole_organization
from aicode.metrics.rates import percent
from aicode.metrics.sql import all_of, col, count_distinct, lit, total
from aicode.store.base import Store

COMPLETION_DAY = "completion_user_day"
CHAT_DAY = "chat_user_day"
CHANGE_DAY = "change_user_day"
CHANGE_LANG_DAY = "change_lang_user_day"
CHANGE_ORG_DAY = "change_org_day"
# One row per person and day with any completion, chat turn or AI change (and which of them).
ACTIVITY_DAY = "activity_user_day"


def usage_where(filters: Filters, *, sources: bool = False, extensions: bool = False) -> exp.Expr:
    """Conditions for a usage rollup: org, people, days, and optionally sources/extensions."""
    conditions = [*people(filters), *day_range(filters)]
    if sources and filters.sources is not None:
        conditions.append(col("source").isin(*[lit(s) for s in filters.sources]))
    if extensions and filters.file_extensions is not None:
        conditions.append(col("extension").isin(*[lit(e) for e in filters.file_extensions]))
    condition = all_of(conditions)
    assert condition is not None
    return condition


def active_user_days(filters: Filters) -> exp.Select:
    """(user_num, day) pairs with any assistant activity, each once.

    Distinct: until compaction a person-day may have several partial rows.
    """
    return (
        sqlglot.select("user_num", "day").distinct().from_(ACTIVITY_DAY).where(usage_where(filters))
    )


@dataclasses.dataclass(frozen=True)
class CompletionTotals:
    """Inline completions shown and accepted."""

    events: int = 0
    suggested: int = 0
    accepted: int = 0
    lines_suggested: int = 0
    lines_accepted: int = 0
    bytes_accepted: int = 0

    @property
    def acceptance_rate(self) -> float:
        """Accepted / suggested, percent."""
        return percent(self.accepted, self.suggested)


@dataclasses.dataclass(frozen=True)
class ChatTotals:
    """Chat answers and what happened to them."""

    turns: int = 0
    accepted: int = 0
    inserted_at_cursor: int = 0
    applied: int = 0
    loc_used: int = 0


@dataclasses.dataclass(frozen=True)
class ChangeTotals:
    """AI edits (agents, quests, inline chat, tab) and their lines."""

    changes: int = 0
    accepted_changes: int = 0
    lines_added: int = 0
    lines_deleted: int = 0
    accepted_lines_added: int = 0
    accepted_lines_deleted: int = 0

    @property
    def accepted_lines_edited(self) -> int:
        """Accepted lines added + deleted."""
        return self.accepted_lines_added + self.accepted_lines_deleted

    @property
    def acceptance_rate(self) -> float:
        """Accepted changes / changes, percent."""
        return percent(self.accepted_changes, self.changes)


_COMPLETION_MEASURES = (
    "events",
    "count_suggested",
    "count_accepted",
    "lines_suggested",
    "lines_accepted",
    "bytes_accepted",
)
_CHAT_MEASURES = ("turns", "accepted", "inserted_at_cursor", "applied", "loc_used")
_CHANGE_MEASURES = (
    "changes",
    "accepted_changes",
    "lines_added",
    "lines_deleted",
    "accepted_lines_added",
    "accepted_lines_deleted",
)


_WIDE = {"completion": COMPLETION_DAY, "chat": CHAT_DAY, "change": CHANGE_DAY}


def measure_source(
    kind: str, names: tuple[str, ...], filters: Filters
) -> tuple[str, list[exp.Expr], exp.Expr]:
    """Where one kind's totals are read: (table, summed measures named as given, conditions).

    ``activity_user_day`` holds each person-day's totals across every dimension, so it answers
    unless the scope filters by source (changes): then the person-less ``change_org_day`` for
    the whole organization, else the wide rollup.
    """
    if kind == "change" and filters.sources is not None:
        table = CHANGE_ORG_DAY if whole_organization(filters) else _WIDE[kind]
        return table, [total(m).as_(m) for m in names], usage_where(filters, sources=True)
    measures = [total(f"{kind}_{m}").as_(m) for m in names]
    return ACTIVITY_DAY, measures, usage_where(filters)


def _totals(rows: list[dict[str, Any]], names: tuple[str, ...], prefix: str = "") -> list[int]:
    row = rows[0] if rows else {}
    return [int(row.get(prefix + n) or 0) for n in names]


def completion_totals(store: Store, filters: Filters) -> CompletionTotals:
    """Completion counts in the scope."""
    table, measures, where = measure_source("completion", _COMPLETION_MEASURES, filters)
    query = sqlglot.select(*measures).from_(table).where(where)
    return CompletionTotals(*_totals(store.query(query), _COMPLETION_MEASURES))


def chat_totals(store: Store, filters: Filters) -> ChatTotals:
    """Chat counts in the scope."""
    table, measures, where = measure_source("chat", _CHAT_MEASURES, filters)
    query = sqlglot.select(*measures).from_(table).where(where)
    return ChatTotals(*_totals(store.query(query), _CHAT_MEASURES))


@dataclasses.dataclass(frozen=True)
class UsageTotals:
    """Completions, chats, AI changes and active developers of one scope."""

    completions: CompletionTotals
    chats: ChatTotals
    changes: ChangeTotals
    active_developers: int


_KINDS = (
    ("completion", _COMPLETION_MEASURES),
    ("chat", _CHAT_MEASURES),
    ("change", _CHANGE_MEASURES),
)


def _one_scan(filters: Filters) -> list[exp.Expr] | None:
    """Every kind's measures as one select list, or None.

    None unless every kind reads the activity rollup under the same conditions. Measures are
    renamed per kind (``chat__accepted``) so that shared names cannot collide.
    """
    sources = [measure_source(kind, names, filters) for kind, names in _KINDS]
    if any(table != ACTIVITY_DAY for table, _, _ in sources):
        return None
    return [
        measure.this.as_(f"{kind}__{measure.alias}")
        for (kind, _), (_, measures, _) in zip(_KINDS, sources, strict=True)
        for measure in measures
    ]


def _active_per_day_query(filters: Filters) -> exp.Select:
    # Distinct, not a count of rows: until compaction a person-day may have several rows.
    # A query of its own: grouped, DuckDB's distinct aggregate beside sums is several times
    # slower than the two queries apart.
    return (
        sqlglot.select("day", count_distinct("user_num").as_("n"))
        .from_(ACTIVITY_DAY)
        .where(usage_where(filters))
        .group_by("day")
    )


def active_per_day(store: Store, filters: Filters) -> dict[dt.date, int]:
    """Active developers of each day with any activity in the scope."""
    return {r["day"]: int(r["n"]) for r in store.query(_active_per_day_query(filters))}


def _kind_values(row: dict[str, Any]) -> tuple[list[int], list[int], list[int], int]:
    return (
        _totals([row], _COMPLETION_MEASURES, "completion__"),
        _totals([row], _CHAT_MEASURES, "chat__"),
        _totals([row], _CHANGE_MEASURES, "change__"),
        int(row.get("active_developers") or 0),
    )


def usage_totals(store: Store, filters: Filters) -> UsageTotals:
    """The four usage totals; one scan of the activity rollup when it answers them all."""
    selects = None if filters.file_extensions is not None else _one_scan(filters)
    if selects is None:
        return UsageTotals(
            completion_totals(store, filters),
            chat_totals(store, filters),
            change_totals(store, filters),
            active_developers(store, filters),
        )
    developers = count_distinct("user_num").as_("active_developers")
    query = sqlglot.select(*selects, developers).from_(ACTIVITY_DAY).where(usage_where(filters))
    rows = store.query(query)
    completions, chats, changes, active = _kind_values(rows[0] if rows else {})
    return UsageTotals(
        CompletionTotals(*completions), ChatTotals(*chats), ChangeTotals(*changes), active
    )


def change_totals(store: Store, filters: Filters) -> ChangeTotals:
    """AI change counts in the scope (``filters.sources`` and extensions apply)."""
    if filters.file_extensions is not None:
        # Per-extension lines live at file level; change counts are not split by file.
        names = _CHANGE_MEASURES[2:]
        query = (
            sqlglot.select(*[total(m).as_(m) for m in names])
            .from_(CHANGE_LANG_DAY)
            .where(usage_where(filters, sources=True, extensions=True))
        )
        return ChangeTotals(0, 0, *_totals(store.query(query), names))
    table, measures, where = measure_source("change", _CHANGE_MEASURES, filters)
    query = sqlglot.select(*measures).from_(table).where(where)
    return ChangeTotals(*_totals(store.query(query), _CHANGE_MEASURES))


def changes_by_source(store: Store, filters: Filters) -> dict[tuple[str, str], ChangeTotals]:
    """AI change counts per (source, productType)."""
    # Organization-wide, the person-less twin of the rollup answers with far fewer rows.
    table = CHANGE_ORG_DAY if whole_organization(filters) else CHANGE_DAY
    query = (
        sqlglot.select("source", "product_type", *[total(m).as_(m) for m in _CHANGE_MEASURES])
        .from_(table)
        .where(usage_where(filters, sources=True))
        .group_by("source", "product_type")
        .order_by("source", "product_type")
    )
    return {
        (r["source"], r["product_type"]): ChangeTotals(*[int(r[m]) for m in _CHANGE_MEASURES])
        for r in store.query(query)
    }


def active_developers(store: Store, filters: Filters) -> int:
    """People with any assistant activity in the scope."""
    # Straight over the rollup: partial rows of one person-day count once all the same.
    query = sqlglot.select(count_distinct("user_num").as_("n")).from_(ACTIVITY_DAY)
    return int(store.query(query.where(usage_where(filters)))[0]["n"])


@dataclasses.dataclass(frozen=True)
class DailyActivity:
    """One day of assistant usage across the scope."""

    day: dt.date
    active_developers: int
    completions: CompletionTotals
    chats: ChatTotals
    changes: ChangeTotals


def daily_activity(store: Store, filters: Filters) -> list[DailyActivity]:
    """Usage per day for every day of the range (zeros on quiet days), oldest first."""
    selects = _one_scan(filters)
    if selects is not None:
        query = (
            sqlglot.select("day", *selects)
            .from_(ACTIVITY_DAY)
            .where(usage_where(filters))
            .group_by("day")
        )
        active_rows, rows = store.query_all([_active_per_day_query(filters), query])
        active = {r["day"]: int(r["n"]) for r in active_rows}
        values = {r["day"]: _kind_values(r) for r in rows}
        completions = {day: v[0] for day, v in values.items()}
        chats = {day: v[1] for day, v in values.items()}
        changes = {day: v[2] for day, v in values.items()}
    else:
        active = active_per_day(store, filters)

        def per_day(kind: str, names: tuple[str, ...]) -> dict[dt.date, list[int]]:
            table, measures, where = measure_source(kind, names, filters)
            query = sqlglot.select("day", *measures).from_(table).where(where).group_by("day")
            return {r["day"]: [int(r[m]) for m in names] for r in store.query(query)}

        completions = per_day("completion", _COMPLETION_MEASURES)
        chats = per_day("chat", _CHAT_MEASURES)
        changes = per_day("change", _CHANGE_MEASURES)
    days = list(filters.days()) or sorted(
        set(active) | set(completions) | set(chats) | set(changes)
    )
    return [
        DailyActivity(
            day=day,
            active_developers=active.get(day, 0),
            completions=CompletionTotals(*completions.get(day, [0] * 6)),
            chats=ChatTotals(*chats.get(day, [0] * 5)),
            changes=ChangeTotals(*changes.get(day, [0] * 6)),
        )
        for day in days
    ]
