"""POST /api/v1/Analytics refusals: each rule of the seed with its exact message, bad bodies."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.surfaces.windsurf_org import Org, analytics, build_org, items
from tests.surfaces.windsurf_requests import (
    CHAT_DATA,
    COMMAND_DATA,
    PCW_DATA,
    SUM_ACCEPTANCES,
    USER_DATA,
    USER_EXAMPLE,
    agg,
    flt,
    invalid,
    query,
    sel,
)


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> Org:
    return build_org(client, tenant)


# -- the seed's rules ------------------------------------------------------------------------


def test_aggregated_and_plain_selections_do_not_mix(client: TestClient, org: Org) -> None:
    assert analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES, sel("ide", "ide_type")])
    ) == invalid(
        'query_requests[0].selections[1] "ide_type": has no aggregation function but '
        'selections[0] "total" uses SUM: give every selection an aggregation function, or '
        "none of them"
    )


def test_plain_then_aggregated_selection_is_refused_too(client: TestClient, org: Org) -> None:
    assert analytics(
        client, org.read, query(selections=[sel("distinct_users"), SUM_ACCEPTANCES])
    ) == invalid(
        'query_requests[0].selections[1] "total": uses SUM but selections[0] '
        '"unspecified_distinct_users" has no aggregation function: give every selection an '
        "aggregation function, or none of them"
    )


def test_distinct_fields_are_not_aggregation_keys(client: TestClient, org: Org) -> None:
    assert analytics(
        client,
        org.read,
        query(selections=[SUM_ACCEPTANCES], aggregations=[agg("distinct_developer_days", "d")]),
    ) == invalid(
        'query_requests[0].aggregations[0] "d": distinct_developer_days cannot be an '
        "aggregation key: distinct_* fields are counts"
    )


def test_measures_are_not_aggregation_keys(client: TestClient, org: Org) -> None:
    assert analytics(
        client,
        org.read,
        query(selections=[SUM_ACCEPTANCES], aggregations=[agg("num_lines_accepted", "lines")]),
    ) == invalid(
        'query_requests[0].aggregations[0] "lines": field "num_lines_accepted" is not a '
        "grouping field"
    )


def test_aliases_are_unique_across_selections(client: TestClient, org: Org) -> None:
    assert analytics(
        client,
        org.read,
        query(selections=[SUM_ACCEPTANCES, sel("num_lines_accepted", "total", "SUM")]),
    ) == invalid('query_requests[0].selections[1] "total": name is already used by selections[0]')


def test_default_aliases_count_as_names(client: TestClient, org: Org) -> None:
    assert analytics(
        client,
        org.read,
        query(
            selections=[sel("num_acceptances", None, "SUM"), sel("num_acceptances", None, "SUM")]
        ),
    ) == invalid(
        'query_requests[0].selections[1] "sum_num_acceptances": name is already used by '
        "selections[0]"
    )


def test_aliases_are_unique_across_selections_and_aggregations(
    client: TestClient, org: Org
) -> None:
    assert analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], aggregations=[agg("ide", "total")])
    ) == invalid('query_requests[0].aggregations[0] "total": name is already used by selections[0]')


def test_unknown_selection_field(client: TestClient, org: Org) -> None:
    assert analytics(
        client, org.read, query(CHAT_DATA, selections=[sel("num_acceptances", "n", "SUM")])
    ) == invalid(
        'query_requests[0].selections[0] "n": unknown field "num_acceptances"; fields of this '
        "data source: api_key, model_id, date, date UTC-N or date UTC+N (UTC-12 to UTC+14), "
        "ide, version, latest_intent_type, num_chats_received, chat_accepted, "
        "chat_inserted_at_cursor, chat_applied, chat_loc_used"
    )


def test_unknown_filter_field_as_the_seed_spells_it(client: TestClient, org: Org) -> None:
    # The seed's Chat example names its filter in translation; the field is latest_intent_type.
    assert analytics(
        client,
        org.read,
        query(
            COMMAND_DATA,
            selections=[sel("lines_added", "n", "SUM")],
            filters=[flt("tipo_de_intención_más_reciente", "EQUAL", "x")],
        ),
    ) == invalid(
        'query_requests[0].filters[0] "tipo_de_intención_más_reciente": unknown field; fields '
        "filters may use: api_key, date, timestamp, language, ide, version, command_source, "
        "provider_source, lines_added, lines_removed, bytes_added, bytes_removed, "
        "selection_lines, selection_bytes, accepted"
    )


def test_unknown_aggregation_field(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], aggregations=[agg("team", "t")])
    )
    assert status == 400
    assert body["message"].startswith(
        'query_requests[0].aggregations[0] "t": unknown field "team"; fields of this data '
        "source: api_key, date, date UTC-N"
    )


@pytest.mark.parametrize("offset", ["date UTC-13", "date UTC+15", "date UTC-8:30", "date UTC8"])
def test_offsets_outside_the_world_are_unknown_fields(
    client: TestClient, org: Org, offset: str
) -> None:
    status, body = analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], aggregations=[agg(offset, "d")])
    )
    assert status == 400
    assert body["message"].startswith(
        f'query_requests[0].aggregations[0] "d": unknown field "{offset}"'
    )


def test_offset_dates_only_where_the_seed_lists_them(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client, org.read, query(COMMAND_DATA, selections=[sel("date UTC-8", "d")])
    )
    assert status == 400
    assert body["message"].startswith('query_requests[0].selections[0] "d": unknown field')


def test_unknown_data_source(client: TestClient, org: Org) -> None:
    assert analytics(
        client, org.read, query("QUERY_DATA_SOURCE_GIT_DATA", selections=[SUM_ACCEPTANCES])
    ) == invalid(
        'query_requests[0].data_source: unknown data source "QUERY_DATA_SOURCE_GIT_DATA"; '
        "expected one of QUERY_DATA_SOURCE_USER_DATA, QUERY_DATA_SOURCE_CHAT_DATA, "
        "QUERY_DATA_SOURCE_COMMAND_DATA, QUERY_DATA_SOURCE_PCW_DATA"
    )


@pytest.mark.parametrize(
    ("source", "selection", "message"),
    [
        (USER_DATA, sel("num_acceptances", "n", "COUNT"),
         'aggregation function COUNT is not valid for field "num_acceptances" '
         "(valid: SUM, AVG, MAX, MIN)"),
        (USER_DATA, sel("num_acceptances", "n"),
         'aggregation function UNSPECIFIED is not valid for field "num_acceptances" '
         "(valid: SUM, AVG, MAX, MIN)"),
        (USER_DATA, sel("api_key", "n", "SUM"),
         'aggregation function SUM is not valid for field "api_key" (valid: UNSPECIFIED, COUNT)'),
        (USER_DATA, sel("distinct_users", "n", "MAX"),
         'aggregation function MAX is not valid for field "distinct_users" '
         "(valid: UNSPECIFIED, COUNT)"),
        (CHAT_DATA, sel("chat_accepted", "n", "AVG"),
         'aggregation function AVG is not valid for field "chat_accepted" (valid: COUNT, SUM)'),
        (COMMAND_DATA, sel("accepted", "n"),
         'aggregation function UNSPECIFIED is not valid for field "accepted" (valid: COUNT, SUM)'),
        (PCW_DATA, sel("codeium_bytes", "n", "SUM"),
         'aggregation function SUM is not valid for field "codeium_bytes" (valid: UNSPECIFIED)'),
    ],
)  # fmt: skip
def test_functions_the_field_does_not_allow(
    client: TestClient, org: Org, source: str, selection: dict[str, str], message: str
) -> None:
    assert analytics(client, org.read, query(source, selections=[selection])) == invalid(
        f'query_requests[0].selections[0] "n": {message}'
    )


def test_pcw_filter_fields_are_not_selections(client: TestClient, org: Org) -> None:
    assert analytics(
        client, org.read, query(PCW_DATA, selections=[sel("language", "lang")])
    ) == invalid(
        'query_requests[0].selections[0] "lang": field "language" can only be used in filters'
    )
    assert analytics(
        client,
        org.read,
        query(PCW_DATA, selections=[sel("user_bytes")], aggregations=[agg("ide", "ide")]),
    ) == invalid('query_requests[0].aggregations[0] "ide": field "ide" can only be used in filters')


@pytest.mark.parametrize(
    ("source", "condition", "message"),
    [
        (USER_DATA, flt("hour", "GE", "yesterday"),
         '"hour": "yesterday" is not a date (YYYY-MM-DD) or an RFC 3339 time'),
        (USER_DATA, flt("date", "EQUAL", "2024-02-30"),
         '"date": "2024-02-30" is not a date (YYYY-MM-DD)'),
        (USER_DATA, flt("date UTC-8", "GE", "2024-01-01T00:00:00Z"),
         '"date UTC-8": "2024-01-01T00:00:00Z" is not a date (YYYY-MM-DD)'),
        (COMMAND_DATA, flt("lines_added", "GE", "1.5"), '"lines_added": "1.5" is not an integer'),
        (COMMAND_DATA, flt("accepted", "EQUAL", "yes"),
         '"accepted": "yes" is not "true" or "false"'),
        (COMMAND_DATA, flt("provider_source", "EQUAL", "PROVIDER_SOURCE_AGENT"),
         '"provider_source": "PROVIDER_SOURCE_AGENT" is not one of '
         "PROVIDER_SOURCE_COMMAND_GENERATE, PROVIDER_SOURCE_COMMAND_EDIT"),
        (CHAT_DATA, flt("ide", "GREATER_THAN", "vscode"),
         '"ide": GREATER_THAN does not apply to text fields; use EQUAL or NOT_EQUAL'),
        (CHAT_DATA, flt("chat_accepted", "LE", "true"),
         '"chat_accepted": LE does not apply to bool fields; use EQUAL or NOT_EQUAL'),
        (USER_DATA, flt("distinct_users", "GE", "2"),
         '"distinct_users": this field cannot be used in filters'),
        (PCW_DATA, flt("user_bytes", "GE", "2"),
         '"user_bytes": this field cannot be used in filters'),
    ],
)  # fmt: skip
def test_bad_filters(
    client: TestClient, org: Org, source: str, condition: dict[str, str], message: str
) -> None:
    selection = sel("codeium_bytes") if source == PCW_DATA else sel("date", "d", "COUNT")
    assert analytics(
        client, org.read, query(source, selections=[selection], filters=[condition])
    ) == invalid(f"query_requests[0].filters[0] {message}")


def test_the_first_faulty_query_request_is_named(client: TestClient, org: Org) -> None:
    assert analytics(
        client,
        org.read,
        USER_EXAMPLE,
        query(CHAT_DATA, selections=[sel("chat_loc_used", "loc", "COUNT")]),
    ) == invalid(
        'query_requests[1].selections[0] "loc": aggregation function COUNT is not valid for '
        'field "chat_loc_used" (valid: SUM, AVG, MAX, MIN)'
    )


# -- the body's shape ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("queries", "top", "message"),
    [
        ([], {}, "query_requests must not be empty"),
        ([query(selections=[])], {}, "query_requests[0].selections must not be empty"),
        ([query(selections="num_acceptances")], {},
         "query_requests[0].selections must be a JSON array"),
        ([query(selections=[1])], {}, "query_requests[0].selections[0] must be a JSON object"),
        ([query(selections=[{"name": "x"}])], {},
         "query_requests[0].selections[0].field is required"),
        ([query(selections=[{"field": 7}])], {},
         "query_requests[0].selections[0].field must be a string"),
        ([query(selections=[SUM_ACCEPTANCES | {"aggregation_funtion": "x"}])], {},
         'query_requests[0].selections[0]: unknown field "aggregation_funtion"; expected field, '
         "name, aggregation_function"),
        ([query(selections=[sel("num_acceptances", "n", "MEDIAN")])], {},
         'query_requests[0].selections[0].aggregation_function: unknown function '
         '"QUERY_AGGREGATION_MEDIAN"; expected one of QUERY_AGGREGATION_UNSPECIFIED, '
         "QUERY_AGGREGATION_COUNT, QUERY_AGGREGATION_SUM, QUERY_AGGREGATION_AVG, "
         "QUERY_AGGREGATION_MAX, QUERY_AGGREGATION_MIN"),
        ([query(selections=[SUM_ACCEPTANCES], filters=[flt("ide", "LIKE", "v%")])], {},
         'query_requests[0].filters[0].filter: unknown filter "QUERY_FILTER_LIKE"; expected one '
         "of QUERY_FILTER_EQUAL, QUERY_FILTER_NOT_EQUAL, QUERY_FILTER_GREATER_THAN, "
         "QUERY_FILTER_LESS_THAN, QUERY_FILTER_GE, QUERY_FILTER_LE"),
        ([query(selections=[SUM_ACCEPTANCES],
                filters=[{"name": "ide", "filter": "QUERY_FILTER_EQUAL"}])],
         {}, "query_requests[0].filters[0].value is required"),
        ([query(selections=[SUM_ACCEPTANCES], filters=[flt("num_acceptances", "GE", 5)])], {},  # type: ignore[arg-type]
         "query_requests[0].filters[0].value must be a string"),
        ([query(selections=[SUM_ACCEPTANCES], aggregations=[{"field": "ide"}])], {},
         "query_requests[0].aggregations[0].name is required"),
        ([{"selections": [SUM_ACCEPTANCES]}], {}, "query_requests[0].data_source is required"),
        ([query(selections=[SUM_ACCEPTANCES], name="x")], {},
         'query_requests[0]: unknown field "name"; expected data_source, selections, filters, '
         "aggregations"),
        ([USER_EXAMPLE] * 21, {}, "query_requests has 21 entries; at most 20"),
        ([query(selections=[sel("ide", "x" * 257)])], {},
         "query_requests[0].selections[0].name is longer than 256 characters"),
        ([USER_EXAMPLE], {"data_source": USER_DATA},
         'request: unknown field "data_source"; expected service_key, group_name, '
         "query_requests, start_timestamp, end_timestamp"),
        ([USER_EXAMPLE], {"group_name": ["core"]}, "group_name must be a string"),
        ([USER_EXAMPLE], {"start_timestamp": "last week"},
         'start_timestamp: "last week" is not an RFC 3339 time (2024-01-01T00:00:00Z)'),
        ([USER_EXAMPLE], {"start_timestamp": "2024-02-01T00:00:00Z",
                          "end_timestamp": "2024-01-01T00:00:00Z"},
         "start_timestamp is after end_timestamp"),
    ],
)  # fmt: skip
def test_malformed_requests(
    client: TestClient, org: Org, queries: list[Any], top: dict[str, Any], message: str
) -> None:
    assert analytics(client, org.read, *queries, **top) == invalid(message)


def test_missing_query_requests(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/Analytics", json={"service_key": org.read})
    assert (response.status_code, response.json()) == invalid("query_requests must not be empty")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the request body is empty"),
        (b"[1, 2]", "the request body must be a JSON object"),
        (b'{"service_key": ',
         "the request body is not valid JSON: unexpected end of data: line 1 column 17 (char 16)"),
    ],
)  # fmt: skip
def test_bodies_that_are_not_a_json_object(client: TestClient, body: bytes, message: str) -> None:
    response = client.post(
        "/api/v1/Analytics", content=body, headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()) == invalid(message)


def test_too_large_answers_are_refused_not_cut(
    settings: Settings, store: Store, tenant: Tenant
) -> None:
    with TestClient(create_app(settings.replace(query_max_rows=3), store=store)) as small:
        org = build_org(small, tenant)
        plain = query(selections=[sel("hour")])
        assert analytics(small, org.read, plain) == invalid(
            "query_requests[0]: the answer has more than 3 rows; narrow it with filters or "
            "aggregations"
        )
        narrowed = query(
            selections=[sel("hour")], filters=[flt("api_key", "EQUAL", org.keys["bob"])]
        )
        status, body = analytics(small, org.read, narrowed)
        assert status == 200
        assert len(body["queryResults"][0]["responseItems"]) == 3


def test_the_most_filters_allowed_still_answer(client: TestClient, org: Org) -> None:
    # 50 filters compile to one flat AND (nested pairs would nest parentheses 50 deep).
    many = [flt("date UTC-8", "GE", "2024-01-01")] * 25 + [flt("hour", "LE", "2024-02-01")] * 25
    assert analytics(client, org.read, query(selections=[SUM_ACCEPTANCES], filters=many)) == (
        200,
        {"queryResults": [items({"total": "125"})]},
    )
    assert analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], filters=[*many, many[0]])
    ) == invalid("query_requests[0].filters has 51 entries; at most 50")


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_times_beyond_the_calendar_are_bad_values(client: TestClient, org: Org, value: str) -> None:
    assert analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], filters=[flt("hour", "GE", value)])
    ) == invalid(
        f'query_requests[0].filters[0] "hour": "{value}" is not a date (YYYY-MM-DD) or an '
        "RFC 3339 time"
    )
    assert analytics(client, org.read, USER_EXAMPLE, end_timestamp=value) == invalid(
        f'end_timestamp: "{value}" is not an RFC 3339 time (2024-01-01T00:00:00Z)'
    )
