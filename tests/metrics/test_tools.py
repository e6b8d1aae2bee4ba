"""Usage per IDE / assistant and per model, over the hand-made world."""

from typing import Any

import pytest
import sqlglot
import sqlglot.expressions as exp

from aicode.metrics import (
    ChangeTotals,
    ChatTotals,
    CompletionTotals,
    Filters,
    IdeUsage,
    ModelUsage,
    source_split,
    usage_by_ide,
    usage_by_model,
)
from tests.world import D1, D2, D3, World


def scope(world: World, **rest: object) -> Filters:
    return Filters.for_days(world.org.num, D1, D3, **rest)


def test_usage_by_ide(world: World) -> None:
    assert usage_by_ide(world.store, scope(world)) == [
        IdeUsage(
            "vscode",
            3,
            CompletionTotals(3, 20, 7, 30, 10, 120),
            ChatTotals(2, 1, 0, 0, 0),
            ChangeTotals(),
        ),
        IdeUsage("", 2, CompletionTotals(), ChatTotals(), ChangeTotals(4, 3, 12, 3, 8, 1)),
        IdeUsage(
            "jetbrains",
            2,
            CompletionTotals(1, 5, 1, 5, 2, 0),
            ChatTotals(1, 1, 0, 0, 5),
            ChangeTotals(),
        ),
    ]


def test_usage_by_ide_follows_people_and_days(world: World) -> None:
    bob = usage_by_ide(world.store, scope(world, user_nums=(world.bob.num,)))
    assert [(u.ide, u.active_developers, u.completions.suggested) for u in bob] == [
        ("", 1, 0),
        ("vscode", 1, 10),
    ]
    day2 = usage_by_ide(world.store, Filters.for_days(world.org.num, D2, D2))
    assert [(u.ide, u.active_developers) for u in day2] == [
        ("vscode", 2),
        ("", 1),
        ("jetbrains", 1),
    ]


def test_usage_by_model(world: World) -> None:
    assert usage_by_model(world.store, scope(world)) == [
        ModelUsage("", 3, ChatTotals(3, 2, 0, 0, 5), ChangeTotals(3, 2, 9, 2, 5, 0)),
        ModelUsage("m1", 1, ChatTotals(), ChangeTotals(1, 1, 3, 1, 3, 1)),
    ]
    agents = usage_by_model(world.store, scope(world, sources=("AGENT",)))
    assert [(m.model, m.changes.changes) for m in agents] == [("", 1), ("m1", 1)]


def test_new_queries_render_for_clickhouse(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    original = world.store.query

    def recording(query: exp.Expr) -> list[dict[str, Any]]:
        sql = query.sql(dialect="clickhouse", unsupported_level=sqlglot.ErrorLevel.RAISE)
        sqlglot.parse_one(sql, read="clickhouse")
        rendered.append(sql)
        return original(query)

    monkeypatch.setattr(world.store, "query", recording)
    usage_by_ide(world.store, scope(world))
    usage_by_model(world.store, scope(world))
    source_split(world.store, scope(world))
    assert len(rendered) >= 10
    assert not [sql for sql in rendered if "::" in sql or "GROUP BY ALL" in sql]
