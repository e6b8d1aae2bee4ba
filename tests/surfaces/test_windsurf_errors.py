"""POST /api/v1/Analytics refusals: each rule of the seed, bad bodies, and the service key."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.surfaces.test_windsurf_examples import (
    CHAT_DATA,
    COMMAND_DATA,
    PCW_DATA,
    USER_ANSWER,
    USER_DATA,
    USER_EXAMPLE,
    agg,
    flt,
    sel,
)
from tests.surfaces.windsurf_org import Org, analytics, build_org, items


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> Org:
    return build_org(client, tenant)


def invalid(message: str) -> tuple[int, dict[str, str]]:
    return 400, {"code": "invalid_argument", "message": message}


def query(source: str = USER_DATA, **parts: Any) -> dict[str, Any]:
    return {"data_source": source, **parts}


SUM_ACCEPTANCES = sel("num_acceptances", "total", "SUM")

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


# -- the service key -------------------------------------------------------------------------


def test_missing_service_key(client: TestClient, org: Org) -> None:
    response = client.post("/api/v1/Analytics", json={"query_requests": [USER_EXAMPLE]})
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "service_key is required"}


@pytest.mark.parametrize("key", ["", "aic_not-a-token", 42])
def test_wrong_service_key_before_anything_else(client: TestClient, org: Org, key: Any) -> None:
    # Even a broken query answers 401 to a caller without a valid key.
    status, body = analytics(client, key, query("NOPE", selections=[]))
    expected = "service_key is required" if key in ("", 42) else "service_key is not valid"
    assert (status, body) == (401, {"code": "unauthenticated", "message": expected})


def test_a_revoked_key_is_not_valid(
    client: TestClient, store: Store, tenant: Tenant, org: Org
) -> None:
    token = next(t for t in store.list_tokens(tenant.org) if t.name == "read-token")
    assert store.revoke_token(tenant.org, token.id)
    assert analytics(client, org.read, USER_EXAMPLE) == (
        401,
        {"code": "unauthenticated", "message": "service_key is not valid"},
    )


def test_an_ingest_key_may_not_read(client: TestClient, org: Org) -> None:
    assert analytics(client, org.tenant.ingest, USER_EXAMPLE) == (
        403,
        {"code": "permission_denied", "message": "service_key lacks the read scope"},
    )


def test_an_admin_key_may_read(client: TestClient, org: Org) -> None:
    assert analytics(client, org.tenant.admin, USER_EXAMPLE) == (
        200,
        {"queryResults": [USER_ANSWER]},
    )


def test_another_organizations_key_sees_only_its_own_data(
    client: TestClient, org: Org, other_tenant: Tenant
) -> None:
    others = {"data_source": USER_DATA, "selections": [sel("num_acceptances", "n", "SUM")]}
    by_key = {
        "data_source": CHAT_DATA,
        "selections": [sel("chat_loc_used", "loc", "SUM")],
        "filters": [flt("api_key", "EQUAL", org.keys["ann"])],
        "aggregations": [agg("ide", "ide")],
    }
    assert analytics(client, other_tenant.read, others, by_key, group_name="core") == (
        200,
        {"queryResults": [items({"n": "0"}), items()]},
    )
    # ... while the organization's own key sees them.
    assert analytics(client, org.read, others, by_key, group_name="core") == (
        200,
        {"queryResults": [items({"n": "121"}), items({"ide": "jetbrains", "loc": "50"},
                                                     {"ide": "vscode", "loc": "10"})]},
    )  # fmt: skip


# -- request text is data, never SQL -----------------------------------------------------------


INJECTIONS = [
    "x'; DROP TABLE completions; --",
    'x"; DROP TABLE users; --',
    "' OR '1'='1",
    "\\'; SELECT 1; --",
    "1) OR (1=1",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_field_names_is_an_unknown_field(
    client: TestClient, org: Org, attack: str
) -> None:
    for where in ("selections", "aggregations", "filters"):
        parts: dict[str, Any] = {"selections": [SUM_ACCEPTANCES]}
        if where == "selections":
            parts["selections"] = [sel(attack, "n", "SUM")]
        elif where == "aggregations":
            parts["aggregations"] = [agg(attack, "k")]
        else:
            parts["filters"] = [flt(attack, "EQUAL", "x")]
        status, body = analytics(client, org.read, query(**parts))
        assert status == 400
        assert "unknown field" in body["message"]
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


@pytest.mark.parametrize(
    "attack",
    [
        "date UTC-8; DROP TABLE completions",
        "date UTC-8) OR (1=1",
        "date UTC-8 --",
        "date UTC-(8)",
        "date UTC-٨",
    ],
)
def test_injection_through_date_offsets_is_an_unknown_field(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client, org.read, query(selections=[SUM_ACCEPTANCES], aggregations=[agg(attack, "d")])
    )
    assert status == 400
    assert body["message"].startswith('query_requests[0].aggregations[0] "d": unknown field')
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_aliases_is_only_a_name(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client,
        org.read,
        query(
            selections=[sel("num_acceptances", attack, "SUM")],
            aggregations=[agg("ide", attack + "2")],
        ),
    )
    assert status == 200
    assert body == {
        "queryResults": [
            items({attack + "2": "jetbrains", attack: "51"}, {attack + "2": "vscode", attack: "90"})
        ]
    }


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_values_and_group_names_is_data(
    client: TestClient, org: Org, attack: str
) -> None:
    status, body = analytics(
        client,
        org.read,
        query(selections=[SUM_ACCEPTANCES], filters=[flt("ide", "EQUAL", attack)]),
        query(CHAT_DATA, selections=[sel("chat_loc_used", "loc", "SUM")],
              filters=[flt("version", "NOT_EQUAL", attack), flt("model_id", "EQUAL", attack)]),
        query(selections=[SUM_ACCEPTANCES]),
        group_name=attack,
    )  # fmt: skip
    assert status == 200
    assert body == {
        "queryResults": [items({"total": "0"}), items({"loc": "0"}), items({"total": "0"})]
    }
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


def test_a_value_that_looks_like_sql_matches_itself(
    client: TestClient, tenant: Tenant, org: Org
) -> None:
    from tests.surfaces.windsurf_org import send_facts

    odd = "vs'code\\\"; DROP TABLE chats; --"
    send_facts(
        client,
        tenant,
        [{"type": "chat", "id": "odd", "user": "ann@ws.dev", "ts": "2024-05-01T10:00:00Z",
          "ide": odd, "chatType": "CHAT_INTENT_GENERIC", "locUsed": 7}],
    )  # fmt: skip
    status, body = analytics(
        client,
        org.read,
        query(CHAT_DATA, selections=[sel("chat_loc_used", "loc", "SUM")],
              filters=[flt("ide", "EQUAL", odd.upper())], aggregations=[agg("ide", "ide")]),
    )  # fmt: skip
    assert (status, body) == (200, {"queryResults": [items({"ide": odd.lower(), "loc": "7"})]})


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
