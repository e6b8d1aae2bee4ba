"""Every compiled query renders for ClickHouse (the next backend) and runs on DuckDB."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters
from aicode.metrics.query import (
    SOURCES,
    Aggregate,
    Condition,
    DataSource,
    FilterOp,
    GroupKey,
    Kind,
    QuerySpec,
    Selection,
    compile_query,
)
from aicode.metrics.query.fields import Field
from tests.world import World

SAMPLE = {
    Kind.TEXT: "vscode",
    Kind.DATE: "2025-06-02",
    Kind.TIME: "2025-06-02T10:00:00+02:00",
    Kind.INT: "3",
    Kind.BOOL: "true",
}


def sample(field: Field) -> str:
    return field.choices[0] if field.kind is Kind.ENUM else SAMPLE[field.kind]


def every_query(source: DataSource) -> list[QuerySpec]:
    """One query per (field, function), plus every key and every filter of the source."""
    fields = list(source.fields)
    if source.offset_day_column is not None:
        fields += [source.field("date UTC-8"), source.field("date UTC+5")]  # type: ignore[list-item]
    keys = tuple(GroupKey(f.name, f"key {i}") for i, f in enumerate(fields) if f.group_key)
    conditions = tuple(
        Condition(f.name, op, sample(f))
        for f in fields
        if f.filterable
        for op in (FilterOp.EQUAL, FilterOp.NOT_EQUAL)
    )
    conditions += tuple(
        Condition(f.name, op, sample(f))
        for f in fields
        if f.filterable and f.kind in (Kind.DATE, Kind.TIME, Kind.INT)
        for op in (FilterOp.GREATER_THAN, FilterOp.LESS_THAN, FilterOp.GE, FilterOp.LE)
    )
    specs = []
    for field in fields:
        if not field.selectable:
            continue
        for function in field.functions:
            plain = function is Aggregate.UNSPECIFIED
            specs.append(
                QuerySpec(
                    source.name,
                    (Selection(field.name, "value", function),),
                    conditions,
                    keys if not plain or field.aggregate else (),
                )
            )
    return specs


def scopes(world: World) -> list[Filters]:
    return [
        Filters(org_num=world.org.num),
        Filters(
            org_num=world.org.num,
            group_name="core",
            since=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
            until=dt.datetime(2025, 6, 30),
        ),
    ]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_query_renders_for_clickhouse_and_runs_on_duckdb(world: World, name: str) -> None:
    rendered = 0
    for scope in scopes(world):
        for spec in every_query(SOURCES[name]):
            query = compile_query(spec, scope, limit=1000).select
            sql = query.sql(dialect="clickhouse", unsupported_level=sqlglot.ErrorLevel.RAISE)
            sqlglot.parse_one(sql, read="clickhouse")
            assert "::" not in sql
            assert "GROUP BY ALL" not in sql
            world.store.query(query)
            rendered += 1
    assert rendered >= 2 * len([f for f in SOURCES[name].fields if f.selectable])


@pytest.mark.parametrize("dialect", ["duckdb", "clickhouse"])
def test_text_values_survive_each_dialects_quoting(dialect: str) -> None:
    value = "a'b\\c\"d'); DROP TABLE chats; --"
    spec = QuerySpec(
        "chats",
        (Selection("chat_loc_used", "n", Aggregate.SUM),),
        (Condition("model_id", FilterOp.EQUAL, value),),
    )
    sql = compile_query(spec, Filters(org_num=1)).select.sql(dialect=dialect)
    parsed = sqlglot.parse_one(sql, read=dialect)
    strings = [lit.this for lit in parsed.find_all(exp.Literal) if lit.is_string]
    assert strings == [value]
    assert len(list(parsed.find_all(exp.Drop))) == 0
