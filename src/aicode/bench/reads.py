"""Read bench: each native endpoint over HTTP versus its raw-SQL baseline on the same database.

Both sides get one untimed warm-up run; then the endpoint is requested ``repeat`` times over
one keep-alive connection (the full response body is read), and the raw query is run
``repeat`` times through ``store.query`` (stopping early, after at least three runs, once it
has taken ``raw_budget_s``). The raw side pays no HTTP, JSON or authentication cost, so the
ratio understates the rollups' advantage rather than overstating it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
import statistics
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, Final

import sqlglot

from aicode.bench.raw_sql import raw_queries
from aicode.store.base import Store

PAGE: Final = 100


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """A native read endpoint as the bench calls it."""

    name: str
    path: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    date_range: bool = True  # held to the p50 target
    aggregation: bool = True  # held to the speed-up target (detail lists read facts anyway)


ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    Endpoint("overview", "overview"),
    Endpoint("daily", "daily"),
    Endpoint("users", "users", {"limit": str(PAGE)}),
    Endpoint("departments", "departments"),
    Endpoint("repos", "repos", {"page": "1", "perPage": str(PAGE)}),
    Endpoint("extensions", "extensions"),
    Endpoint("commits page 1", "commits", {"page": "1", "perPage": str(PAGE)}, aggregation=False),
    Endpoint("usage page 1", "usage", {"page": "1", "perPage": str(PAGE)}),
)


@dataclasses.dataclass
class Timing:
    """Latencies of one side of a comparison, in milliseconds."""

    runs: int
    p50_ms: float
    p95_ms: float
    min_ms: float


@dataclasses.dataclass
class ReadResult:
    """One endpoint: HTTP and raw timings, their ratio and whether both sides agree."""

    endpoint: str
    path: str
    api: Timing
    raw: Timing
    speedup: float  # raw p50 / API p50
    response_bytes: int
    rows: int  # rows the raw query returned
    date_range: bool
    aggregation: bool
    check: str  # "ok", or what differs between the API answer and the raw rows


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation, as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timing(samples_ms: list[float]) -> Timing:
    """p50, p95 and min of samples."""
    return Timing(
        runs=len(samples_ms),
        p50_ms=statistics.median(samples_ms) if samples_ms else 0.0,
        p95_ms=percentile(samples_ms, 0.95),
        min_ms=min(samples_ms, default=0.0),
    )


class _Http:
    """GET over one keep-alive connection to the bench server."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self._host, self._port = host, port
        self._headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
        self._conn = http.client.HTTPConnection(host, port, timeout=600)

    def get(self, target: str) -> tuple[float, bytes]:
        started = time.perf_counter()
        self._conn.request("GET", target, headers=self._headers)
        response = self._conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"GET {target}: HTTP {response.status}: {body[:300]!r}")
        return elapsed, body

    def close(self) -> None:
        self._conn.close()


def _first(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return rows[0] if rows else {}


def _num(value: Any) -> int:
    return int(value or 0)


def _compare(pairs: list[tuple[str, Any, Any]]) -> str:
    wrong = [f"{name}: api {a} raw {r}" for name, a, r in pairs if _num(a) != _num(r)]
    return "ok" if not wrong else "; ".join(wrong)


def check(name: str, body: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """Whether the endpoint's answer and the raw rows agree on a few key numbers."""
    first = _first(rows)
    items = body.get("items", [])
    if name == "overview":
        return _compare(
            [
                ("commits", body["committed"]["commits"], first.get("commits")),
                ("aiLinesAdded", body["committed"]["aiLinesAdded"], first.get("ai_lines_added")),
                ("suggested", body["completions"]["suggested"], first.get("suggested")),
                ("chatTurns", body["chats"]["turns"], first.get("turns")),
                ("changes", body["changes"]["changes"], first.get("changes")),
                ("agentEdits", body["changes"]["agentEdits"], first.get("agent_changes")),
                ("activeDevelopers", body["activeDevelopers"], first.get("active_developers")),
            ]
        )
    if name == "daily":
        return _compare(
            [
                ("days", len(items), len(rows)),
                *[
                    (
                        f"{key} total",
                        sum(_num(i[key]) for i in items),
                        sum(_num(r[col]) for r in rows),
                    )
                    for key, col in (
                        ("commits", "commits"),
                        ("activeDevelopers", "active_developers"),
                        ("chatTurns", "turns"),
                    )
                ],
            ]
        )
    if name == "users":
        return _compare(
            [
                ("users", len(items), len(rows)),
                (
                    "top aiLinesAdded",
                    _first(items).get("aiLinesAdded"),
                    first.get("ai_lines_added"),
                ),
                (
                    "commits",
                    sum(i["commits"] for i in items),
                    sum(_num(r["commits"]) for r in rows),
                ),
            ]
        )
    if name == "departments":
        by_id = {r["id"]: r for r in rows}
        return _compare(
            [("departments", len(items), len(rows))]
            + [
                (f"{i['path']} {key}", i[key], by_id.get(i["departmentId"], {}).get(col))
                for i in items
                for key, col in (("commits", "commits"), ("activeDevelopers", "active_developers"))
            ]
        )
    if name == "repos":
        return _compare(
            [
                ("total", body.get("total"), first.get("total")),
                (
                    "commits",
                    sum(i["commits"] for i in items),
                    sum(_num(r["commits"]) for r in rows),
                ),
            ]
        )
    if name == "extensions":
        return _compare(
            [
                ("extensions", len(items), len(rows)),
                (
                    "files",
                    sum(i["fileChanges"] for i in items),
                    sum(_num(r["files"]) for r in rows),
                ),
            ]
        )
    if name == "commits page 1":
        same = [i["commitHash"] for i in items] == [r["commit_hash"] for r in rows]
        return (
            _compare([("total", body.get("total"), first.get("total"))])
            if same
            else ("the page lists other commits")
        )
    if name == "usage page 1":
        same = [i["userId"] for i in items] == [r["user_id"] for r in rows]
        return (
            _compare([("total", body.get("total"), first.get("total"))])
            if same
            else ("the page lists other user-days")
        )
    return "not checked"


def _time_raw(store: Store, sql: str, repeat: int, budget_s: float) -> tuple[Timing, list[Any]]:
    query = sqlglot.parse_one(sql, read="duckdb")
    rows = store.query(query)  # warm-up, and the rows to check against
    samples: list[float] = []
    spent = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        store.query(query)
        elapsed = time.perf_counter() - started
        samples.append(elapsed * 1000)
        spent += elapsed
        if spent > budget_s and len(samples) >= 3:
            break
    return timing(samples), rows


def http_floor(host: str, port: int, *, token: str, repeat: int) -> Timing:
    """Latency of the cheapest request (GET /healthz) over the same kind of connection.

    No endpoint can answer faster: an endpoint meets a speed-up target of N only where its
    raw query takes more than N times this.
    """
    client = _Http(host, port, token)
    try:
        client.get("/healthz")  # warm-up
        return timing([client.get("/healthz")[0] for _ in range(max(repeat, 5))])
    finally:
        client.close()


def run_reads(
    store: Store,
    host: str,
    port: int,
    *,
    token: str,
    org_id: str,
    org_num: int,
    start: dt.date,
    end: dt.date,
    repeat: int,
    raw_budget_s: float,
    on_step: Callable[[str], None] | None = None,
) -> list[ReadResult]:
    """Time every endpoint over HTTP and its raw aggregation; one result per endpoint."""
    baselines = raw_queries(org_num, start, end, page=PAGE)
    client = _Http(host, port, token)
    results: list[ReadResult] = []
    try:
        for endpoint in ENDPOINTS:
            params = {"start": start.isoformat(), "end": end.isoformat(), **endpoint.params}
            target = f"/api/v1/organizations/{org_id}/{endpoint.path}?" + urllib.parse.urlencode(
                params
            )
            if on_step is not None:
                on_step(f"GET /{endpoint.path}")
            _, body = client.get(target)  # warm-up
            api_samples = [client.get(target)[0] for _ in range(repeat)]
            if on_step is not None:
                on_step(f"raw SQL for {endpoint.name}")
            raw, rows = _time_raw(store, baselines[endpoint.name], repeat, raw_budget_s)
            api = timing(api_samples)
            results.append(
                ReadResult(
                    endpoint=endpoint.name,
                    path=endpoint.path,
                    api=api,
                    raw=raw,
                    speedup=raw.p50_ms / api.p50_ms if api.p50_ms else 0.0,
                    response_bytes=len(body),
                    rows=len(rows),
                    date_range=endpoint.date_range,
                    aggregation=endpoint.aggregation,
                    check=check(endpoint.name, json.loads(body), rows),
                )
            )
    finally:
        client.close()
    return results
