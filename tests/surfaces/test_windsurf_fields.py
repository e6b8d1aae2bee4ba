"""POST /api/v1/Analytics: every data source's fields, functions, keys and filters.

Numbers are worked out by hand in tests/surfaces/windsurf_org.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Tenant
from tests.surfaces.windsurf_org import Org, analytics, build_org, items
from tests.surfaces.windsurf_requests import (
    CHAT_DATA,
    COMMAND_DATA,
    PCW_DATA,
    USER_DATA,
    agg,
    flt,
    sel,
)


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> Org:
    return build_org(client, tenant)


def test_user_data_rows_are_per_person_per_hour(client: TestClient, org: Org) -> None:
    # Rows: ann 01-10 09h (c1+c2: 70, 450 lines), bob 01-15 (40, 313), cid 01-31 (15, 100),
    # bob 02-01 01h (7, 9), cid 12-31 23h (c6+c7: 5, 9), bob 02-01 05h (4, 6).
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": USER_DATA,
            "selections": [
                sel("num_acceptances", "most", "MAX"),
                sel("num_acceptances", "least", "MIN"),
                sel("num_acceptances", None, "SUM"),
                sel("num_lines_accepted", "mean_lines", "AVG"),
                sel("num_bytes_accepted", "bytes", "SUM"),
                sel("api_key", "rows", "COUNT"),
                sel("distinct_users", "people", "COUNT"),
            ],
        },
    )
    assert status == 200, body
    assert body == {
        "queryResults": [
            items(
                {
                    "most": "70",
                    "least": "4",
                    "sum_num_acceptances": "141",
                    "mean_lines": "147.833333",
                    "bytes": "23140",
                    "rows": "6",
                    "people": "3",
                }
            )
        ]
    }


def test_distinct_counts_of_people_days_and_hours(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": USER_DATA,
            "selections": [
                sel("distinct_users"),
                sel("distinct_developer_days", "days"),
                sel("distinct_developer_hours", "hours"),
            ],
        },
        {
            "data_source": USER_DATA,
            "selections": [sel("distinct_developer_hours", "hours")],
            "aggregations": [agg("api_key", "key")],
        },
    )
    assert status == 200, body
    per_person = sorted(
        [
            {"key": org.keys["ann"], "hours": "1"},
            {"key": org.keys["bob"], "hours": "3"},
            {"key": org.keys["cid"], "hours": "2"},
        ],
        key=lambda item: item["key"],
    )
    assert body == {
        "queryResults": [
            items({"unspecified_distinct_users": "3", "days": "5", "hours": "6"}),
            items(*per_person),
        ]
    }


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("date", [("2023-12-31", 5), ("2024-01-10", 70), ("2024-01-15", 40),
                  ("2024-01-31", 15), ("2024-02-01", 11)]),
        ("date UTC-8", [("2023-12-31", 5), ("2024-01-10", 70), ("2024-01-15", 40),
                        ("2024-01-31", 26)]),
        ("date UTC+2", [("2024-01-01", 5), ("2024-01-10", 70), ("2024-01-15", 40),
                        ("2024-02-01", 26)]),
    ],
)  # fmt: skip
def test_dates_in_utc_and_at_an_offset(
    client: TestClient, org: Org, field: str, days: list[tuple[str, int]]
) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": USER_DATA,
            "selections": [sel("num_acceptances", "n", "SUM")],
            "aggregations": [agg(field, "day")],
        },
    )
    assert status == 200, body
    assert body == {"queryResults": [items(*[{"day": d, "n": str(n)} for d, n in days])]}


def test_offset_dates_filter_too(client: TestClient, org: Org) -> None:
    # h4 answers at 2024-03-05 23:30 UTC: 2024-03-06 at UTC+1.
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": CHAT_DATA,
            "selections": [sel("num_chats_received", "chats", "SUM")],
            "filters": [flt("date UTC+1", "EQUAL", "2024-03-06")],
            "aggregations": [agg("latest_intent_type", "intent")],
        },
    )
    assert status == 200, body
    assert body == {
        "queryResults": [
            items(
                {"chats": "1", "intent": "CHAT_INTENT_FUNCTION_EXPLAIN"},
                {"chats": "1", "intent": "CHAT_INTENT_GENERIC"},
                {"chats": "1", "intent": "EXPLAIN_CODE"},
            )
        ]
    }


def test_plain_selections_list_distinct_combinations(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": USER_DATA,
            "selections": [sel("api_key"), sel("ide", "editor"), sel("version")],
            "filters": [flt("hour", "GE", "2024-01-01"), flt("hour", "LESS_THAN", "2024-02-01")],
        },
    )
    assert status == 200, body
    expected = sorted(
        [
            {"unspecified_api_key": org.keys["ann"], "editor": "vscode",
             "unspecified_version": "1.28.0"},
            {"unspecified_api_key": org.keys["bob"], "editor": "jetbrains",
             "unspecified_version": "1.30.0"},
            {"unspecified_api_key": org.keys["cid"], "editor": "vscode",
             "unspecified_version": "1.30.0"},
        ],
        key=lambda item: item["unspecified_api_key"],
    )  # fmt: skip
    assert body == {"queryResults": [items(*expected)]}


def test_hour_and_timestamp_are_rfc3339_utc(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": USER_DATA,
            "selections": [sel("hour"), sel("language", "lang")],
            "filters": [flt("api_key", "EQUAL", org.keys["bob"].upper())],
        },
        {
            "data_source": COMMAND_DATA,
            "selections": [sel("timestamp", "at"), sel("date", "day")],
            "filters": [flt("provider_source", "EQUAL", "PROVIDER_SOURCE_COMMAND_GENERATE")],
        },
    )
    assert status == 200, body
    assert body == {
        "queryResults": [
            items(
                {"unspecified_hour": "2024-01-15T14:00:00Z", "lang": "GO"},
                {"unspecified_hour": "2024-02-01T01:00:00Z", "lang": "GO"},
                {"unspecified_hour": "2024-02-01T05:00:00Z", "lang": "GO"},
            ),
            items({"at": "2024-04-03T08:00:00Z", "day": "2024-04-03"}),
        ]
    }


def test_chat_fields_by_intent(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": CHAT_DATA,
            "selections": [
                sel("num_chats_received", "chats", "SUM"),
                sel("chat_accepted", "accepted", "SUM"),
                sel("chat_accepted", "answers", "COUNT"),
                sel("chat_inserted_at_cursor", "inserted", "SUM"),
                sel("chat_applied", "applied", "SUM"),
                sel("chat_loc_used", "most_loc", "MAX"),
                sel("model_id", "models", "COUNT"),
            ],
            "aggregations": [agg("latest_intent_type", "intent")],
        },
    )
    assert status == 200, body

    def row(intent: str, *values: int) -> dict[str, str]:
        names = ["chats", "accepted", "answers", "inserted", "applied", "most_loc", "models"]
        return {"intent": intent} | {n: str(v) for n, v in zip(names, values, strict=True)}

    assert body == {
        "queryResults": [
            items(
                row("CHAT_INTENT_FUNCTION_DOCSTRING", 3, 1, 3, 1, 1, 50, 3),
                row("CHAT_INTENT_FUNCTION_EXPLAIN", 1, 1, 1, 0, 0, 0, 1),
                row("CHAT_INTENT_GENERIC", 1, 0, 1, 1, 0, 10, 1),
                row("EXPLAIN_CODE", 1, 0, 1, 0, 0, 3, 1),
            )
        ]
    }


def test_chat_model_version_and_flag_filters(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": CHAT_DATA,
            "selections": [sel("chat_loc_used", "loc", "SUM")],
            "filters": [flt("chat_applied", "NOT_EQUAL", "TRUE")],
            "aggregations": [agg("model_id", "model"), agg("version", "v")],
        },
    )
    assert status == 200, body
    assert body == {
        "queryResults": [
            items(
                {"model": "claude-3.5", "v": "1.30.0", "loc": "24"},
                {"model": "gpt-4o", "v": "1.28.0", "loc": "10"},
                {"model": "gpt-4o", "v": "1.30.0", "loc": "50"},
                {"model": "qwen", "v": "2.1.0", "loc": "3"},
            )
        ]
    }


def test_command_data_counts_rejected_commands_and_only_commands(
    client: TestClient, org: Org
) -> None:
    # INLINECHAT edits g1..g5 (g6 is an agent edit); g4 was rejected.
    names = ["added", "removed", "bytes_in", "bytes_out", "sel_lines", "sel_bytes", "n"]
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": COMMAND_DATA,
            "selections": [
                sel("lines_added", "added", "SUM"),
                sel("lines_removed", "removed", "SUM"),
                sel("bytes_added", "bytes_in", "SUM"),
                sel("bytes_removed", "bytes_out", "SUM"),
                sel("selection_lines", "sel_lines", "SUM"),
                sel("selection_bytes", "sel_bytes", "SUM"),
                sel("accepted", "n", "COUNT"),
            ],
            "aggregations": [agg("accepted", "kept")],
        },
    )
    assert status == 200, body

    def row(kept: str, *values: int) -> dict[str, str]:
        return {"kept": kept} | {n: str(v) for n, v in zip(names, values, strict=True)}

    assert body == {
        "queryResults": [
            items(
                row("false", 40, 1, 1200, 20, 2, 50, 1),
                row("true", 64, 32, 1920, 640, 42, 1240, 4),
            )
        ]
    }


def test_command_sources_and_numeric_filters(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": COMMAND_DATA,
            "selections": [sel("lines_added", "added", "SUM"), sel("accepted", "kept", "SUM")],
            "filters": [
                flt("lines_added", "GREATER_THAN", "10"),
                flt("timestamp", "LESS_THAN", "2024-04-03T00:00:00+02:00"),
            ],
            "aggregations": [agg("command_source", "source"), agg("ide", "ide")],
        },
    )
    assert status == 200, body
    # g1 (15, vscode) and g3 (31, jetbrains) and g4 (40, rejected); g2 has 6 lines, g5 is later.
    assert body == {
        "queryResults": [
            items(
                {"source": "COMMAND_REQUEST_SOURCE_DEFAULT", "ide": "jetbrains", "added": "31",
                 "kept": "1"},
                {"source": "COMMAND_REQUEST_SOURCE_DEFAULT", "ide": "vscode", "added": "55",
                 "kept": "1"},
            )
        ]
    }  # fmt: skip


def test_pcw_over_everything_and_its_filters(client: TestClient, org: Org) -> None:
    # All typing: 4492 by hand, 6013 autocomplete, 1455 command: 7468 / 11960 = 0.6244.
    selections = [sel("percent_code_written", "pcw"), sel("user_bytes"), sel("total_bytes")]
    status, body = analytics(
        client,
        org.read,
        {"data_source": PCW_DATA, "selections": selections},
        {
            "data_source": PCW_DATA,
            "selections": selections,
            "filters": [flt("ide", "EQUAL", "VSCode"), flt("version", "EQUAL", "1.28.0")],
        },
        {
            "data_source": PCW_DATA,
            "selections": selections,
            "filters": [flt("language", "EQUAL", "kotlin")],
        },
    )
    assert status == 200, body
    everything = {
        "pcw": "0.62",
        "unspecified_user_bytes": "4492",
        "unspecified_total_bytes": "11960",
    }
    assert body == {
        "queryResults": [
            items(everything),
            items(everything),
            items({"pcw": "0", "unspecified_user_bytes": "0", "unspecified_total_bytes": "0"}),
        ]
    }


def test_pcw_bounds_are_inclusive_and_apply_to_pcw_only(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {"data_source": PCW_DATA, "selections": [sel("codeium_bytes", "ai")]},
        {"data_source": USER_DATA, "selections": [sel("num_acceptances", "n", "SUM")]},
        start_timestamp="2024-02-01T10:00:00Z",
        end_timestamp="2024-06-15T10:00:00Z",
    )
    assert status == 200, body
    # t1 (4000), t3 (500) and t2 (2018) lie on the bounds; completions ignore them.
    assert body == {"queryResults": [items({"ai": "6518"}), items({"n": "141"})]}


def test_aggregates_over_no_rows(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client,
        org.read,
        {
            "data_source": COMMAND_DATA,
            "selections": [
                sel("lines_added", "sum", "SUM"),
                sel("lines_added", "avg", "AVG"),
                sel("lines_added", "max", "MAX"),
                sel("accepted", "count", "COUNT"),
            ],
            "filters": [flt("date", "LE", "2020-01-01")],
        },
        {
            "data_source": COMMAND_DATA,
            "selections": [sel("lines_added", "sum", "SUM")],
            "filters": [flt("date", "LE", "2020-01-01")],
            "aggregations": [agg("language", "lang")],
        },
    )
    assert status == 200, body
    assert body == {
        "queryResults": [
            items({"sum": "0", "avg": "", "max": "", "count": "0"}),
            {"responseItems": []},
        ]
    }
