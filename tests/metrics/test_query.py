"""The query compiler without HTTP: catalogs as the seed tables them, specs, SQL shape."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters
from aicode.metrics.query import (
    SOURCES,
    Aggregate,
    Condition,
    FilterOp,
    GroupKey,
    Kind,
    QueryError,
    QuerySpec,
    Selection,
    compile_query,
    run_queries,
)
from tests.world import World

DIM = {"UNSPECIFIED", "COUNT"}
NUM = {"SUM", "MAX", "MIN", "AVG"}
FLAG = {"SUM", "COUNT"}
TOTAL = {"UNSPECIFIED"}

# The seed's "Available fields" tables, transcribed.
SEED_FIELDS: dict[str, dict[str, set[str]]] = {
    "completions": {
        "api_key": DIM, "date": DIM, "hour": DIM, "language": DIM, "ide": DIM, "version": DIM,
        "num_acceptances": NUM, "num_lines_accepted": NUM, "num_bytes_accepted": NUM,
        "distinct_users": DIM, "distinct_developer_days": DIM, "distinct_developer_hours": DIM,
    },
    "chats": {
        "api_key": DIM, "model_id": DIM, "date": DIM, "ide": DIM, "version": DIM,
        "latest_intent_type": DIM, "num_chats_received": NUM, "chat_accepted": FLAG,
        "chat_inserted_at_cursor": FLAG, "chat_applied": FLAG, "chat_loc_used": NUM,
    },
    "commands": {
        "api_key": DIM, "date": DIM, "timestamp": DIM, "language": DIM, "ide": DIM,
        "version": DIM, "command_source": DIM, "provider_source": DIM, "lines_added": NUM,
        "lines_removed": NUM, "bytes_added": NUM, "bytes_removed": NUM, "selection_lines": NUM,
        "selection_bytes": NUM, "accepted": FLAG,
    },
    "code_written": {
        "percent_code_written": TOTAL, "codeium_bytes": TOTAL, "user_bytes": TOTAL,
        "total_bytes": TOTAL, "codeium_bytes_by_autocomplete": TOTAL,
        "codeium_bytes_by_command": TOTAL,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SEED_FIELDS))
def test_catalogs_offer_exactly_the_seeds_fields_and_functions(name: str) -> None:
    source = SOURCES[name]
    selectable = {f.name: {a.name for a in f.functions} for f in source.fields if f.selectable}
    assert selectable == SEED_FIELDS[name]


def test_pcw_filters_are_language_ide_and_version_only() -> None:
    source = SOURCES["code_written"]
    assert {f.name for f in source.fields if f.filterable} == {"language", "ide", "version"}


@pytest.mark.parametrize(
    ("source", "offsets"),
    [("completions", True), ("chats", True), ("commands", False), ("code_written", False)],
)
def test_offset_dates_exist_where_the_seed_lists_them(source: str, offsets: bool) -> None:
    found = SOURCES[source].field("date UTC-8")
    assert (found is not None) == offsets
    if found is not None:
        assert (found.name, found.kind) == ("date UTC-8", Kind.DATE)
        assert SOURCES[source].field("date UTC+14") is not None
        assert SOURCES[source].field("date UTC-12") is not None
        assert SOURCES[source].field("date UTC-13") is None
        assert SOURCES[source].field("date UTC+15") is None


@pytest.mark.parametrize(
    ("selection", "alias"),
    [
        (Selection("num_acceptances", None, Aggregate.SUM), "sum_num_acceptances"),
        (Selection("api_key"), "unspecified_api_key"),
        (Selection("date UTC-8", None, Aggregate.COUNT), "count_date utc-8"),
        (Selection("ide", "", Aggregate.COUNT), "count_ide"),
        (Selection("ide", "IDE Type"), "IDE Type"),
    ],
)
def test_default_alias_is_function_and_field_in_lower_case(
    selection: Selection, alias: str
) -> None:
    assert selection.alias == alias


def test_request_names_never_reach_sql() -> None:
    spec = QuerySpec(
        "chats",
        (Selection("chat_loc_used", "x'); DROP TABLE chats; --", Aggregate.SUM),),
        (Condition("ide", FilterOp.EQUAL, "vs'code"),),
        (GroupKey("ide", 'y"; --'),),
    )
    compiled = compile_query(spec, Filters(org_num=1))
    sql = compiled.select.sql("duckdb")
    assert "DROP" not in sql
    assert 'y"' not in sql
    assert "'vs''code'" in sql
    assert [o.name for o in compiled.outputs] == ["x'); DROP TABLE chats; --", 'y"; --']
    assert [o.columns for o in compiled.outputs] == [("v0",), ("k0",)]


def test_users_are_joined_only_when_the_person_is_shown_or_filtered() -> None:
    def joins(*parts: Selection, keys: tuple[GroupKey, ...] = ()) -> int:
        compiled = compile_query(QuerySpec("commands", parts, (), keys), Filters(org_num=1))
        return len(list(compiled.select.find_all(exp.Join)))

    assert joins(Selection("api_key", "n", Aggregate.COUNT)) == 0
    assert joins(Selection("api_key")) == 1
    assert (
        joins(Selection("lines_added", "n", Aggregate.SUM), keys=(GroupKey("api_key", "k"),)) == 1
    )


def test_a_limit_fetches_one_row_more() -> None:
    spec = QuerySpec("completions", (Selection("hour"),))
    compiled = compile_query(spec, Filters(org_num=1), limit=10)
    limit = compiled.select.args["limit"]
    assert limit.expression.this == "11"


def test_errors_carry_the_location_as_field() -> None:
    spec = QuerySpec(
        "chats", (Selection("chat_loc_used", "n", Aggregate.COUNT),), location="query_requests[2]"
    )
    with pytest.raises(QueryError) as caught:
        compile_query(spec, Filters(org_num=1))
    assert caught.value.field == "query_requests[2].selections[0]"
    assert caught.value.status == 400


def test_no_query_runs_unless_all_are_valid(world: World) -> None:
    ran: list[exp.Expr] = []
    original = world.store.query

    def recording(query: exp.Expr) -> list[dict[str, object]]:
        ran.append(query)
        return original(query)

    world.store.query = recording  # type: ignore[method-assign]
    good = QuerySpec("completions", (Selection("num_acceptances", "n", Aggregate.SUM),))
    bad = QuerySpec("completions", (Selection("nope"),), location="query_requests[1]")
    with pytest.raises(QueryError):
        run_queries(world.store, Filters(org_num=world.org.num), [good, bad], max_rows=10)
    assert ran == []


def test_values_are_typed_python_values(world: World) -> None:
    # The test world: ann's completions on 2025-06-02 (python 4 accepted, java 1).
    spec = QuerySpec(
        "completions",
        (
            Selection("num_acceptances", "n", Aggregate.SUM),
            Selection("num_lines_accepted", "avg", Aggregate.AVG),
        ),
        (Condition("api_key", FilterOp.NOT_EQUAL, "x"),),
        (GroupKey("date", "day"), GroupKey("language", "lang")),
    )
    (result,) = run_queries(world.store, Filters(org_num=world.org.num), [spec], max_rows=10)
    assert result.kinds == {"n": Kind.INT, "avg": Kind.FLOAT, "day": Kind.DATE, "lang": Kind.TEXT}
    assert [tuple(r.values()) for r in result.rows] == [
        (1, 2.0, dt.date(2025, 6, 2), "JAVA"),
        (5, 3.5, dt.date(2025, 6, 2), "PYTHON"),
        (2, 3.0, dt.date(2025, 6, 3), "TYPESCRIPT"),
    ]
