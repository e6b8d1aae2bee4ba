"""Assistant usage per IDE / assistant and per model, from the usage rollups.

An IDE (or CLI assistant) is the ``ide`` a fact was sent with; models are named by chat turns
and AI edits (completion facts carry no model in the rollups). Active developers of a tool
are the people with any completion, chat turn or AI edit through it, counted once each.
File-extension filters do not apply: these rollups are not split by file.
"""

from __future__ import annotations

import dataclasses

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.activity import (
    _CHANGE_MEASURES,
    _CHAT_MEASURES,
    _COMPLETION_MEASURES,
    CHANGE_DAY,
    CHAT_DAY,
    COMPLETION_DAY,
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    usage_where,
)
from aicode.metrics.filters import Filters
from aicode.metrics.sql import count_distinct, total
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class IdeUsage:
    """Usage through one IDE or assistant ('' when the client did not say)."""

    ide: str
    active_developers: int
    completions: CompletionTotals
    chats: ChatTotals
    changes: ChangeTotals


@dataclasses.dataclass(frozen=True)
class ModelUsage:
    """Chat turns and AI edits answered by one model ('' when unknown)."""

    model: str
    active_developers: int
    chats: ChatTotals
    changes: ChangeTotals


def _sums(
    store: Store, table: str, dim: str, names: tuple[str, ...], where: exp.Expr
) -> dict[str, list[int]]:
    query = (
        sqlglot.select(dim, *[total(m).as_(m) for m in names])
        .from_(table)
        .where(where)
        .group_by(dim)
    )
    return {r[dim]: [int(r[m]) for m in names] for r in store.query(query)}


def _developers(
    store: Store, dim: str, tables: tuple[str, ...], filters: Filters
) -> dict[str, int]:
    parts = [
        sqlglot.select(dim, "user_num").from_(table).where(usage_where(filters)) for table in tables
    ]
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = union.union(part, distinct=True)
    query = (
        sqlglot.select(dim, count_distinct("user_num").as_("n"))
        .from_(union.subquery("a"))
        .group_by(dim)
    )
    return {r[dim]: int(r["n"]) for r in store.query(query)}


def _ordered(keys: set[str], developers: dict[str, int]) -> list[str]:
    """Most active developers first, then by name."""
    return sorted(keys, key=lambda k: (-developers.get(k, 0), k))


def usage_by_ide(store: Store, filters: Filters) -> list[IdeUsage]:
    """Completions, chat turns, AI edits and active developers per IDE / assistant."""
    where = usage_where(filters)
    completions = _sums(store, COMPLETION_DAY, "ide", _COMPLETION_MEASURES, where)
    chats = _sums(store, CHAT_DAY, "ide", _CHAT_MEASURES, where)
    changes = _sums(store, CHANGE_DAY, "ide", _CHANGE_MEASURES, usage_where(filters, sources=True))
    developers = _developers(store, "ide", (COMPLETION_DAY, CHAT_DAY, CHANGE_DAY), filters)
    keys = set(completions) | set(chats) | set(changes) | set(developers)
    return [
        IdeUsage(
            ide=ide,
            active_developers=developers.get(ide, 0),
            completions=CompletionTotals(*completions.get(ide, [0] * 6)),
            chats=ChatTotals(*chats.get(ide, [0] * 5)),
            changes=ChangeTotals(*changes.get(ide, [0] * 6)),
        )
        for ide in _ordered(keys, developers)
    ]


def usage_by_model(store: Store, filters: Filters) -> list[ModelUsage]:
    """Chat turns, AI edits and active developers per model."""
    chats = _sums(store, CHAT_DAY, "model", _CHAT_MEASURES, usage_where(filters))
    changes = _sums(
        store, CHANGE_DAY, "model", _CHANGE_MEASURES, usage_where(filters, sources=True)
    )
    developers = _developers(store, "model", (CHAT_DAY, CHANGE_DAY), filters)
    keys = set(chats) | set(changes) | set(developers)
    return [
        ModelUsage(
            model=model,
            active_developers=developers.get(model, 0),
            chats=ChatTotals(*chats.get(model, [0] * 5)),
            changes=ChangeTotals(*changes.get(model, [0] * 6)),
        )
        for model in _ordered(keys, developers)
    ]
