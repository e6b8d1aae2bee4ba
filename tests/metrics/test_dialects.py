"""Every metric query is an expression that also renders for ClickHouse (the next backend)."""

from typing import Any

import pytest
import sqlglot
import sqlglot.expressions as exp

from aicode import metrics
from aicode.metrics import Filters
from tests.world import D1, D3, World


def test_every_metric_query_renders_for_clickhouse(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    original = world.store.query

    def recording(query: exp.Expr) -> list[dict[str, Any]]:
        sql = query.sql(dialect="clickhouse", unsupported_level=sqlglot.ErrorLevel.RAISE)
        sqlglot.parse_one(sql, read="clickhouse")
        rendered.append(sql)
        return original(query)

    monkeypatch.setattr(world.store, "query", recording)
    scope = Filters.for_days(world.org.num, D1, D3, department_num_path=world.eng)
    ext = scope.with_extensions(["py", "md"])
    metrics.overview(world.store, scope)
    metrics.overview(world.store, ext)
    metrics.daily_activity(world.store, scope)
    metrics.daily_commit_trend(world.store, ext)
    metrics.daily_extension_trend(world.store, scope)
    metrics.member_ranking(world.store, ext)
    metrics.repositories(world.store, scope, search="co", ai_only=True)
    metrics.file_extensions(world.store, scope)
    metrics.user_day_usage(world.store, scope)
    metrics.scope_day_usage(world.store, scope)
    metrics.changes_by_source(world.store, scope)
    metrics.department_totals(world.store, ext)
    metrics.list_commits(world.store, ext)
    list(metrics.iter_commits(world.store, scope, batch=1))
    list(metrics.iter_changes(world.store, scope, batch=1))
    metrics.commit_annotations(world.store, world.org.num, ["aaaa0001"])
    assert len(rendered) > 40
    assert not [sql for sql in rendered if "::" in sql or "GROUP BY ALL" in sql]
