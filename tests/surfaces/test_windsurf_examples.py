"""POST /api/v1/Analytics: the seed's four example requests with their exact answers.

Numbers are worked out by hand in tests/surfaces/windsurf_org.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Tenant
from tests.surfaces.windsurf_org import Org, analytics, build_org
from tests.surfaces.windsurf_requests import (
    CHAT_ANSWER,
    CHAT_EXAMPLE,
    COMMAND_ANSWER,
    COMMAND_EXAMPLE,
    PCW_ANSWER,
    PCW_EXAMPLE,
    PCW_RANGE,
    USER_ANSWER,
    USER_DATA,
    USER_EXAMPLE,
)


@pytest.fixture
def org(client: TestClient, tenant: Tenant) -> Org:
    return build_org(client, tenant)


def test_user_data_example(client: TestClient, org: Org) -> None:
    assert analytics(client, org.read, USER_EXAMPLE) == (200, {"queryResults": [USER_ANSWER]})


def test_chat_data_example(client: TestClient, org: Org) -> None:
    assert analytics(client, org.read, CHAT_EXAMPLE) == (200, {"queryResults": [CHAT_ANSWER]})


def test_command_data_example(client: TestClient, org: Org) -> None:
    assert analytics(client, org.read, COMMAND_EXAMPLE) == (
        200,
        {"queryResults": [COMMAND_ANSWER]},
    )


def test_pcw_data_example(client: TestClient, org: Org) -> None:
    assert analytics(client, org.read, PCW_EXAMPLE, **PCW_RANGE) == (
        200,
        {"queryResults": [PCW_ANSWER]},
    )


def test_several_query_requests_are_answered_in_order(client: TestClient, org: Org) -> None:
    status, body = analytics(
        client, org.read, PCW_EXAMPLE, COMMAND_EXAMPLE, USER_EXAMPLE, CHAT_EXAMPLE, **PCW_RANGE
    )
    assert status == 200, body
    assert body == {"queryResults": [PCW_ANSWER, COMMAND_ANSWER, USER_ANSWER, CHAT_ANSWER]}


def test_item_keys_are_sorted_as_protobuf_json_writes_a_map(client: TestClient, org: Org) -> None:
    response = client.post(
        "/api/v1/Analytics",
        json={"service_key": org.read, "query_requests": [PCW_EXAMPLE]} | PCW_RANGE,
    )
    item = response.json()["queryResults"][0]["responseItems"][0]["item"]
    assert list(item) == ["ai_bytes", "autocomplete_bytes", "command_bytes", "pcw", "total"]


def test_camel_case_keys_are_read_as_protobuf_json_allows(client: TestClient, org: Org) -> None:
    body = {
        "serviceKey": org.read,
        "queryRequests": [
            {
                "dataSource": USER_DATA,
                "selections": [
                    {"field": "num_acceptances", "name": "total_acceptances",
                     "aggregationFunction": "QUERY_AGGREGATION_SUM"},
                    {"field": "num_lines_accepted", "name": "total_lines",
                     "aggregationFunction": "QUERY_AGGREGATION_SUM"},
                ],
                "filters": USER_EXAMPLE["filters"],
            }
        ],
    }  # fmt: skip
    response = client.post("/api/v1/Analytics", json=body)
    assert response.json() == {"queryResults": [USER_ANSWER]}


@pytest.mark.parametrize(
    ("group", "expected"),
    [("core", "110"), ("mobile", "55"), ("nobody", "0")],
)
def test_group_name_restricts_to_the_groups_people(
    client: TestClient, org: Org, group: str, expected: str
) -> None:
    # core = ann (70) + bob (40); mobile = bob (40) + cid (15), in January.
    status, body = analytics(client, org.read, USER_EXAMPLE, group_name=group)
    assert status == 200, body
    assert body["queryResults"][0]["responseItems"][0]["item"]["total_acceptances"] == expected
