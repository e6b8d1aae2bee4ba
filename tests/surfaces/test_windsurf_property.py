"""Random valid Analytics requests, each checked against the same aggregation done in Python.

The organization is random but fixed (seeded); hypothesis draws the requests: data source,
aggregated or plain selections, grouping keys, filters with values in the field's type,
group_name and PCW bounds. The expected answer comes from tests/surfaces/windsurf_oracle.py,
which computes it from the facts as sent, without the catalog or SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Tenant
from tests.surfaces.windsurf_oracle import (
    COMMAND_SOURCES,
    DAYS,
    DIM,
    FIELDS,
    GROUPS,
    HOURS,
    INTENTS,
    PCW_FILTERS,
    PROVIDERS,
    USERS,
    expected_answer,
    make_facts,
    source_rows,
)
from tests.surfaces.windsurf_org import send_facts

# -- random valid requests --------------------------------------------------------------------


@st.composite
def query_requests(draw: st.DrawFn) -> dict[str, Any]:
    source = draw(st.sampled_from(["USER", "CHAT", "COMMAND", "PCW"]))
    fields = dict(FIELDS[source])
    if source in ("USER", "CHAT"):
        offset = draw(st.integers(-12, 14))
        fields[f"date UTC{offset:+d}"] = ("date", DIM)
    aggregated = source != "PCW" and draw(st.booleans())
    choices = [
        (f, fn)
        for f, (_, fns) in fields.items()
        for fn in fns
        if (fn != "UNSPECIFIED") == aggregated
    ]
    picked = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=4))
    selections = []
    for i, (field, function) in enumerate(picked):
        named = draw(st.booleans())
        default = f"{function}_{field}".lower()
        if not named and default not in [s[0] for s in selections]:
            selections.append((default, field, function))
        else:
            selections.append((f"s{i}", field, function))
    groupable = [f for f, (kind, _) in fields.items() if kind not in ("int", "distinct", "total")]
    keys = []
    if source != "PCW":
        chosen = draw(st.lists(st.sampled_from(groupable), max_size=2))
        offsets = [f for f in fields if f.startswith("date UTC")]
        if offsets and draw(st.booleans()):
            chosen.insert(0, offsets[0])  # day boundaries are where mistakes hide
        keys = [(f"k{i}", field) for i, field in enumerate(chosen)]
    filterable = (
        dict(PCW_FILTERS)
        if source == "PCW"
        else {f: kind for f, (kind, _) in fields.items() if kind != "distinct"}
    )
    filtered = draw(st.lists(st.sampled_from(sorted(filterable)), max_size=3))
    filters = [draw(filter_for(field, filterable[field])) for field in filtered]
    return {"source": source, "selections": selections, "keys": keys, "filters": filters}


def filter_for(field: str, kind: str) -> st.SearchStrategy[tuple[str, str, str]]:
    ordered = ["EQUAL", "NOT_EQUAL", "GREATER_THAN", "LESS_THAN", "GE", "LE"]
    equality = ["EQUAL", "NOT_EQUAL"]
    if kind == "date":
        values = st.dates(dt.date(2024, 2, 28), dt.date(2024, 3, 5)).map(dt.date.isoformat)
        return st.tuples(st.just(field), st.sampled_from(ordered), values)
    if kind == "time":
        values = st.sampled_from(DAYS).flatmap(
            lambda d: st.sampled_from(HOURS).map(
                lambda h: (d + dt.timedelta(hours=h, minutes=30)).isoformat()
            )
        )
        return st.tuples(st.just(field), st.sampled_from(ordered), values | st.just("2024-03-02"))
    if kind == "int":
        return st.tuples(st.just(field), st.sampled_from(ordered), st.integers(0, 40).map(str))
    if kind == "flag":
        return st.tuples(st.just(field), st.sampled_from(equality),
                         st.sampled_from(["true", "false", "TRUE"]))  # fmt: skip
    text = {
        "ide": ["vscode", "JetBrains", "emacs"],
        "version": ["1.0", "2.0", "3.0"],
        "language": ["python", "GO", "Rust", "java"],
        "model_id": ["m1", "m2"],
        "latest_intent_type": INTENTS,
        "command_source": COMMAND_SOURCES,
        "provider_source": PROVIDERS,
        "api_key": ["0" * 32],
    }[field]
    return st.tuples(st.just(field), st.sampled_from(equality), st.sampled_from(text))


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    requests = draw(st.lists(query_requests(), min_size=1, max_size=2))
    group = draw(st.sampled_from([None, "g1", "g2"]))
    start = draw(st.sampled_from(DAYS)) + dt.timedelta(hours=draw(st.sampled_from(HOURS)))
    end = start + dt.timedelta(hours=draw(st.integers(0, 72)))
    for request in requests:
        request["group"] = group
        request["bounds"] = (start.replace(tzinfo=None), end.replace(tzinfo=None))
    return {"requests": requests, "group": group, "start": start, "end": end}


def wire(request: dict[str, Any]) -> dict[str, Any]:
    names = {"USER": "USER_DATA", "CHAT": "CHAT_DATA", "COMMAND": "COMMAND_DATA", "PCW": "PCW_DATA"}
    return {
        "data_source": f"QUERY_DATA_SOURCE_{names[request['source']]}",
        "selections": [
            {"field": field, "aggregation_function": f"QUERY_AGGREGATION_{function}"}
            | ({} if name == f"{function}_{field}".lower() else {"name": name})
            for name, field, function in request["selections"]
        ],
        "filters": [
            {"name": f, "filter": f"QUERY_FILTER_{op}", "value": v}
            for f, op, v in request["filters"]
        ],
        "aggregations": [{"field": f, "name": n} for n, f in request["keys"]],
    }


def same(actual: dict[str, str], expected: dict[str, Any]) -> bool:
    if actual.keys() != expected.keys():
        return False
    for name, want in expected.items():
        if isinstance(want, float):
            if abs(float(actual[name]) - want) > 1e-6 * max(1.0, abs(want)):
                return False
        elif actual[name] != want:
            return False
    return True


@pytest.fixture
def population(client: TestClient, tenant: Tenant) -> tuple[list[dict[str, Any]], dict[str, str]]:
    people = [{"email": u, "groups": GROUPS[u]} for u in USERS]
    response = client.post(
        f"/api/v1/organizations/{tenant.org.id}/people",
        json={"people": people},
        headers=tenant.headers("admin"),
    )
    assert response.status_code == 200, response.text
    facts = make_facts()
    send_facts(client, tenant, facts)
    listed = client.get(
        f"/api/v1/organizations/{tenant.org.id}/people", headers=tenant.headers("read")
    ).json()["people"]
    return facts, {p["email"]: p["id"] for p in listed}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies())
def test_random_requests_match_python(
    client: TestClient,
    tenant: Tenant,
    population: tuple[list[dict[str, Any]], dict[str, str]],
    body: dict[str, Any],
) -> None:
    # The store is only read here, so sharing one organization across examples is safe.
    facts, user_ids = population
    payload: dict[str, Any] = {
        "service_key": tenant.read,
        "query_requests": [wire(r) for r in body["requests"]],
        "start_timestamp": body["start"].isoformat(),
        "end_timestamp": body["end"].isoformat(),
    }
    if body["group"] is not None:
        payload["group_name"] = body["group"]
    response = client.post("/api/v1/Analytics", json=payload)
    assert response.status_code == 200, (payload, response.text)
    results = response.json()["queryResults"]
    assert len(results) == len(body["requests"])
    for request, result in zip(body["requests"], results, strict=True):
        actual = [entry["item"] for entry in result["responseItems"]]
        expected = expected_answer(facts, request, user_ids)
        assert len(actual) == len(expected), (payload, actual, expected)
        for got, want in zip(actual, expected, strict=True):
            assert same(got, want), (payload, actual, expected)


def test_the_oracle_sees_every_kind_of_row(
    population: tuple[list[dict[str, Any]], dict[str, str]],
) -> None:
    # Guard against a vacuous property: every data source has rows, merged hours included.
    facts, _ = population
    completions = [f for f in facts if f["type"] == "completion"]
    assert len(source_rows(facts, "USER")) < len(completions)
    for source in ("CHAT", "COMMAND", "PCW"):
        assert len(source_rows(facts, source)) >= 20


NAMES = ["api_key", "date", "date UTC-8", "hour", "ide", "accepted", "num_acceptances",
         "distinct_users", "percent_code_written", "nope", ""]  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=12),
    st.sampled_from([*NAMES, "2024-01-01", "true", "QUERY_AGGREGATION_SUM", "QUERY_FILTER_GE",
                     "QUERY_DATA_SOURCE_USER_DATA", "QUERY_DATA_SOURCE_PCW_DATA"]),
)  # fmt: skip


def loose(keys: list[str]) -> st.SearchStrategy[Any]:
    """Objects with the schema's keys (and strays) holding any JSON value."""
    values = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
    return st.dictionaries(st.sampled_from([*keys, "extra"]), values, max_size=len(keys))


@st.composite
def wild_bodies(draw: st.DrawFn) -> Any:
    part = st.one_of(
        loose(["field", "name", "aggregation_function"]),
        loose(["name", "filter", "value"]),
        SCALARS,
    )
    queries = st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "data_source": SCALARS,
                "selections": st.lists(part, max_size=3) | SCALARS,
                "filters": st.lists(part, max_size=3),
                "aggregations": st.lists(loose(["field", "name"]), max_size=2),
            },
        ),
        max_size=2,
    )
    body = draw(
        st.fixed_dictionaries(
            {"query_requests": queries | SCALARS},
            optional={"group_name": SCALARS, "start_timestamp": SCALARS, "end_timestamp": SCALARS},
        )
    )
    return draw(st.sampled_from([body, [body], "x", None]))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=wild_bodies())
def test_any_body_gets_an_answer_or_a_clear_error(
    client: TestClient, tenant: Tenant, body: Any
) -> None:
    if isinstance(body, dict):
        body = {"service_key": tenant.read, **body}
    response = client.post("/api/v1/Analytics", json=body)
    answer = response.json()
    if response.status_code == 200:
        assert set(answer) == {"queryResults"}
    else:
        assert response.status_code in (400, 401), answer
        assert set(answer) == {"code", "message"}
        assert answer["code"] in ("invalid_argument", "unauthenticated")
