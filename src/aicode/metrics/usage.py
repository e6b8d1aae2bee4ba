"""Per-person-per-day and per-department-per-day usage with breakdowns (Lingma's model).

Coding lines per language combine accepted inline completion lines with accepted lines of
assistant edits (agent, quest, inline chat). TAB-sourced edits are left out of coding because
the same keystrokes already arrive as completions; counting both would count them twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.activity import (
    ACTIVITY_DAY,
    CHANGE_DAY,
    CHANGE_LANG_DAY,
    CHAT_DAY,
    COMPLETION_DAY,
    active_per_day,
    active_user_days,
    usage_where,
)
from aicode.metrics.filters import Filters
from aicode.metrics.page import Page
from aicode.metrics.sql import col, count_distinct, lit, total
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class CompletionBreakdown:
    """Completions of one (ide, language)."""

    ide: str
    language: str
    count_suggested: int
    count_accepted: int
    lines_suggested: int
    lines_accepted: int
    active_developers: int

    @property
    def lines_changed(self) -> int:
        """Lines completions changed: the accepted lines, as the coding breakdown counts them."""
        return self.lines_accepted


@dataclasses.dataclass(frozen=True)
class ChatBreakdown:
    """Chat turns of one (chat type, ide)."""

    chat_type: str
    ide: str
    turns: int
    accepted: int
    loc_used: int
    active_developers: int


@dataclasses.dataclass(frozen=True)
class CodingBreakdown:
    """Accepted and changed lines of one language."""

    language: str
    lines_accepted: int
    lines_changed: int
    assistant_lines_accepted: int
    active_developers: int


@dataclasses.dataclass(frozen=True)
class DayUsage:
    """Usage of one person (or one scope, e.g. a department) on one UTC day."""

    day: dt.date
    user_num: int | None
    user_id: str | None
    completions: list[CompletionBreakdown]
    chats: list[ChatBreakdown]
    coding: list[CodingBreakdown]
    last_active: dt.datetime | None
    active_developers: int
    active_chat: int
    active_completion: int

    @property
    def chat_turns(self) -> int:
        """Chat turns of the day."""
        return sum(c.turns for c in self.chats)

    @property
    def chat_turns_accepted(self) -> int:
        """Accepted chat turns of the day."""
        return sum(c.accepted for c in self.chats)

    @property
    def count_suggested(self) -> int:
        """Completions shown."""
        return sum(c.count_suggested for c in self.completions)

    @property
    def count_accepted(self) -> int:
        """Completions accepted."""
        return sum(c.count_accepted for c in self.completions)

    @property
    def completion_lines_suggested(self) -> int:
        """Lines of completions shown."""
        return sum(c.lines_suggested for c in self.completions)

    @property
    def completion_lines_accepted(self) -> int:
        """Lines of completions accepted."""
        return sum(c.lines_accepted for c in self.completions)

    @property
    def lines_accepted(self) -> int:
        """All accepted AI lines: completions plus assistant edits."""
        return sum(c.lines_accepted for c in self.coding)

    @property
    def lines_changed(self) -> int:
        """All lines changed by AI: completion lines plus assistant lines added and deleted."""
        return sum(c.lines_changed for c in self.coding)

    @property
    def assistant_lines_accepted(self) -> int:
        """Accepted lines of assistant edits (chat, agent, quest, inline chat)."""
        return sum(c.assistant_lines_accepted for c in self.coding)


_Key = tuple[dt.date, int | None]


def _grouped(
    table: str,
    filters: Filters,
    by_user: bool,
    dims: list[str],
    measures: list[str],
    extra: exp.Expr | None = None,
) -> exp.Select:
    keys = ["day", *(["user_num"] if by_user else []), *dims]
    where = usage_where(filters)
    if extra is not None:
        where = exp.and_(where, extra)
    return (
        sqlglot.select(
            *keys,
            *[total(m).as_(m) for m in measures],
            count_distinct("user_num").as_("developers"),
        )
        .from_(table, copy=False)
        .where(where, copy=False)
        .group_by(*keys, copy=False)
        .order_by(*keys, copy=False)
    )


def _coding_source(filters: Filters) -> exp.Subquery:
    completion = (
        sqlglot.select(
            "day",
            "user_num",
            "language",
            col("lines_accepted").as_("completion_lines"),
            lit(0).as_("assistant_lines"),
            lit(0).as_("assistant_edited"),
        )
        .from_(COMPLETION_DAY, copy=False)
        .where(usage_where(filters), copy=False)
        .where(col("lines_accepted") > lit(0), copy=False)
    )
    assistant = (
        sqlglot.select(
            "day",
            "user_num",
            "language",
            lit(0).as_("completion_lines"),
            col("accepted_lines_added").as_("assistant_lines"),
            exp.Add(this=col("accepted_lines_added"), expression=col("accepted_lines_deleted")).as_(
                "assistant_edited"
            ),
        )
        .from_(CHANGE_LANG_DAY, copy=False)
        .where(usage_where(filters), copy=False)
        .where(col("source").neq(lit("TAB")), copy=False)
        .where(
            exp.Add(this=col("accepted_lines_added"), expression=col("accepted_lines_deleted"))
            > lit(0),
            copy=False,
        )
    )
    return completion.union(assistant, distinct=False, copy=False).subquery("coding", copy=False)


def _collect(store: Store, filters: Filters, by_user: bool) -> dict[_Key, dict[str, Any]]:
    """Breakdowns and activity per (day, user or None)."""
    out: dict[_Key, dict[str, Any]] = defaultdict(
        lambda: {
            "completions": [],
            "chats": [],
            "coding": [],
            "last": None,
            "active": 0,
            "chat": 0,
            "completion": 0,
        }
    )

    def key(row: dict[str, Any]) -> _Key:
        return row["day"], (int(row["user_num"]) if by_user else None)

    keys = ["day", *(["user_num"] if by_user else []), "language"]
    coding = (
        sqlglot.select(
            *keys,
            total("completion_lines").as_("completion_lines"),
            total("assistant_lines").as_("assistant_lines"),
            total("assistant_edited").as_("assistant_edited"),
            count_distinct("user_num").as_("developers"),
        )
        .from_(_coding_source(filters), copy=False)
        .group_by(*keys, copy=False)
        .order_by(*keys, copy=False)
    )
    # Four independent queries: the store may run them side by side.
    completions, chats, codings, activity = store.query_all(
        [
            _grouped(
                COMPLETION_DAY,
                filters,
                by_user,
                ["ide", "language"],
                ["count_suggested", "count_accepted", "lines_suggested", "lines_accepted"],
            ),
            _grouped(
                CHAT_DAY, filters, by_user, ["chat_type", "ide"], ["turns", "accepted", "loc_used"]
            ),
            coding,
            _activity_query(filters, by_user),
        ]
    )
    for r in completions:
        out[key(r)]["completions"].append(
            CompletionBreakdown(
                r["ide"],
                r["language"],
                int(r["count_suggested"]),
                int(r["count_accepted"]),
                int(r["lines_suggested"]),
                int(r["lines_accepted"]),
                int(r["developers"]),
            )
        )
    for r in chats:
        out[key(r)]["chats"].append(
            ChatBreakdown(
                r["chat_type"],
                r["ide"],
                int(r["turns"]),
                int(r["accepted"]),
                int(r["loc_used"]),
                int(r["developers"]),
            )
        )
    for r in codings:
        out[key(r)]["coding"].append(
            CodingBreakdown(
                r["language"],
                int(r["completion_lines"]) + int(r["assistant_lines"]),
                int(r["completion_lines"]) + int(r["assistant_edited"]),
                int(r["assistant_lines"]),
                int(r["developers"]),
            )
        )
    for r in activity:
        entry = out[key(r)]
        entry["active"] = int(r["active"])
        entry["chat"] = int(r["chat"])
        entry["completion"] = int(r["completion"])
        entry["last"] = r["last"]
    return out


def _distinct_users_of(kind: str) -> exp.Expr:
    """count(DISTINCT user_num) over the activity rows flagged with one kind."""
    case = exp.Case().when(col(kind), col("user_num"))
    return exp.Count(this=exp.Distinct(expressions=[case]))


def _activity_query(filters: Filters, by_user: bool) -> exp.Select:
    """Active developers (any, in chat, in completion) and last activity, in one statement."""
    keys = ["day", *(["user_num"] if by_user else [])]
    return (
        sqlglot.select(
            *keys,
            count_distinct("user_num").as_("active"),
            _distinct_users_of("chat").as_("chat"),
            _distinct_users_of("completion").as_("completion"),
            exp.func("max", col("last_ts")).as_("last"),
        )
        .from_(ACTIVITY_DAY, copy=False)
        .where(usage_where(filters), copy=False)
        .group_by(*keys, copy=False)
    )


def _day_usage(
    day: dt.date, user_num: int | None, user_id: str | None, entry: dict[str, Any]
) -> DayUsage:
    return DayUsage(
        day=day,
        user_num=user_num,
        user_id=user_id,
        completions=entry["completions"],
        chats=entry["chats"],
        coding=entry["coding"],
        last_active=entry["last"],
        active_developers=entry["active"],
        active_chat=entry["chat"],
        active_completion=entry["completion"],
    )


def user_day_usage(
    store: Store, filters: Filters, *, page: int = 1, per_page: int = 100
) -> Page[DayUsage]:
    """One entry per person per day with any activity, by day then user id, paginated."""
    # Active people per day (one small query) give the total and the days the page covers;
    # the page's person-days are then listed from those days only, not from the whole range.
    per_day = sorted(active_per_day(store, filters).items())
    total_rows = sum(n for _, n in per_day)
    skip = (page - 1) * per_page
    before = 0  # person-days on the days before the page's first day
    covered = 0  # person-days on the page's days
    days: list[dt.date] = []
    for day, n in per_day:
        if not days and before + n <= skip:
            before += n
            continue
        days.append(day)
        covered += n
        if before + covered >= skip + per_page:
            break
    rows: list[dict[str, Any]] = []
    if days:
        window = dataclasses.replace(filters, start=days[0], end=days[-1])
        pairs = (
            sqlglot.select(col("day", "a"), col("user_num", "a"), col("id", "u").as_("user_id"))
            .from_(active_user_days(window).subquery("a"))
            .join(exp.to_table("users").as_("u"), on=col("user_num", "a").eq(col("user_num", "u")))
        )
        rows = store.query(
            pairs.order_by(col("day", "a"), col("id", "u")).limit(per_page).offset(skip - before)
        )
    items: list[DayUsage] = []
    if rows:
        scoped = dataclasses.replace(
            filters,
            start=min(r["day"] for r in rows),
            end=max(r["day"] for r in rows),
            user_nums=tuple(sorted({int(r["user_num"]) for r in rows})),
        )
        collected = _collect(store, scoped, by_user=True)
        items = [
            _day_usage(
                r["day"],
                int(r["user_num"]),
                r["user_id"],
                collected[(r["day"], int(r["user_num"]))],
            )
            for r in rows
        ]
    return Page(items=items, total=total_rows, page=page, per_page=per_page)


def scope_day_usage(store: Store, filters: Filters) -> list[DayUsage]:
    """One entry per day of the range for the whole scope (zeros on quiet days)."""
    collected = _collect(store, filters, by_user=False)
    days = list(filters.days()) or sorted(day for day, _ in collected)
    empty: dict[str, Any] = {
        "completions": [],
        "chats": [],
        "coding": [],
        "last": None,
        "active": 0,
        "chat": 0,
        "completion": 0,
    }
    return [_day_usage(day, None, None, collected.get((day, None), empty)) for day in days]


__all__ = [
    "CHANGE_DAY",
    "ChatBreakdown",
    "CodingBreakdown",
    "CompletionBreakdown",
    "DayUsage",
    "scope_day_usage",
    "user_day_usage",
]
