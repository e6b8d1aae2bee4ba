"""The demo configuration and list readers the cross-surface agreement tests share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from aicode.demo import DemoConfig, DemoResult

CONFIG = DemoConfig(seed=11, developers=20, days=14, end=dt.date(2025, 3, 14))


def cursor_items(client: TestClient, demo: DemoResult, path: str) -> list[dict[str, Any]]:
    """Every item of a Cursor list over the demo's days."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(
            f"/analytics/ai-code/{path}",
            params={
                "startDate": "2025-03-01",
                "endDate": "2025-03-14",
                "page": page,
                "pageSize": 1000,
            },
            auth=(demo.tokens.read, ""),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if len(items) >= body["totalCount"]:
            return items
        page += 1


def qoder_items(client: TestClient, demo: DemoResult, path: str) -> list[dict[str, Any]]:
    """Every item of a Qoder tracking list over the demo's days."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get(
            f"/v1/organizations/{demo.organization.id}/ai-code-tracking/{path}",
            params={
                "startDate": "2025-03-01T00:00:00Z",
                "endDate": "2025-03-15T00:00:00Z",
                "page": page,
                "pageSize": 200,
            },
            headers={"Authorization": f"Bearer {demo.tokens.read}"},
        )
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        items += data["items"]
        if page >= data["pagination"]["totalPages"]:
            return items
        page += 1


def pair_sum(item: dict[str, Any], pairs: tuple[str, ...], kind: str) -> int:
    return sum(int(item[f"{pair}Lines{kind}"]) for pair in pairs)


DAYS = [f"2025-03-{day:02d}" for day in range(1, 15)]
MS_PER_DAY = 86_400_000
FIRST_DAY_MS = 1740787200000  # 2025-03-01T00:00:00Z


def lingma(client: TestClient, demo: DemoResult, endpoint: str, **params: str) -> list[Any]:
    """Every item of a Lingma endpoint over the demo's days."""
    response = client.get(
        f"/oapi/v1/lingma/organizations/{demo.organization.id}/{endpoint}",
        params={"startTime": DAYS[0], "endTime": DAYS[-1], "perPage": 1000, **params},
        headers={"x-yunxiao-token": demo.tokens.read},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-total-pages"] == "1"
    items: list[Any] = response.json()
    return items


def lingma_day(item: dict[str, Any]) -> str:
    """A Lingma item's UTC day as YYYY-MM-DD."""
    return DAYS[(int(item["date"]) - FIRST_DAY_MS) // MS_PER_DAY]


def by_day(items: list[dict[str, Any]], day: Any, field: str) -> dict[str, int]:
    """``field`` summed per day over ``items``, every demo day present."""
    out = dict.fromkeys(DAYS, 0)
    for item in items:
        out[day(item)] += int(item[field])
    return out


def windsurf(client: TestClient, demo: DemoResult, source: str, **query: Any) -> list[Any]:
    """The items of one Windsurf query over the demo's days, grouped by date."""
    within = [
        {"name": "date", "filter": "QUERY_FILTER_GE", "value": DAYS[0]},
        {"name": "date", "filter": "QUERY_FILTER_LE", "value": DAYS[-1]},
    ]
    request = {"data_source": f"QUERY_DATA_SOURCE_{source}", "filters": within, **query}
    response = client.post(
        "/api/v1/Analytics", json={"service_key": demo.tokens.read, "query_requests": [request]}
    )
    assert response.status_code == 200, response.text
    return [entry["item"] for entry in response.json()["queryResults"][0]["responseItems"]]


def windsurf_days(
    client: TestClient, demo: DemoResult, source: str, **sums: tuple[str, str]
) -> dict[str, dict[str, int]]:
    """Per selection name, its aggregate per day (every demo day present)."""
    items = windsurf(
        client,
        demo,
        source,
        selections=[
            {"field": field, "name": name, "aggregation_function": f"QUERY_AGGREGATION_{fn}"}
            for name, (field, fn) in sums.items()
        ],
        aggregations=[{"field": "date", "name": "day"}],
    )
    return {name: by_day(items, lambda i: i["day"], name) for name in sums}


def qoder(client: TestClient, demo: DemoResult, path: str, **params: str | int) -> Any:
    """A Qoder metrics answer over the demo's days (``path`` under ``ai-code/``)."""
    response = client.get(
        f"/v1/organizations/{demo.organization.id}/ai-code/{path}",
        params={
            "start_date": f"{DAYS[0]}T00:00:00Z",
            "end_date": f"{DAYS[-1]}T23:59:59Z",
            **params,
        },
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def qoder_days(trend: list[dict[str, Any]], field: str) -> dict[str, int]:
    """A Qoder daily-trend list's ``field`` per day (every demo day present)."""
    return by_day(trend, lambda i: i["date"].removesuffix("T00:00:00Z"), field)


def native_daily(client: TestClient, demo: DemoResult) -> list[dict[str, Any]]:
    """The native API's daily trend over the demo's days."""
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/daily",
        params={"start": DAYS[0], "end": DAYS[-1]},
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    assert [d["date"] for d in items] == DAYS
    return items


def root_departments(client: TestClient, demo: DemoResult) -> list[str]:
    """The demo's top-level departments, which partition its people."""
    response = client.get(
        f"/api/v1/organizations/{demo.organization.id}/departments",
        headers={"Authorization": f"Bearer {demo.tokens.read}"},
    )
    assert response.status_code == 200, response.text
    roots = [d["departmentId"] for d in response.json()["items"] if d["parentId"] is None]
    assert len(roots) > 1
    return roots


def lingma_departments(client: TestClient, demo: DemoResult) -> list[dict[str, Any]]:
    """departmentUsage of every top-level department: their days, summed field by field."""
    days = [
        lingma(client, demo, "departmentUsage", departmentId=root)
        for root in root_departments(client, demo)
    ]
    return [
        {
            key: sum(d[key] for d in same_day)
            for key in same_day[0]
            if key.startswith(("total", "active"))
        }
        | {"date": same_day[0]["date"]}
        for same_day in zip(*days, strict=True)
    ]


def nonzero_and_equal(*per_day: dict[str, int]) -> None:
    """The per-day maps are equal, so are their totals, and the total is not zero."""
    first = per_day[0]
    for other in per_day[1:]:
        assert other == first
    assert sum(first.values()) > 0


def change_day(item: dict[str, Any]) -> str:
    """The UTC day of a Qoder change (its ``createdAt`` is the edit's time)."""
    return str(item["createdAt"])[:10]
