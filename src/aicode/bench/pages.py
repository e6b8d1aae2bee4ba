"""Dashboard bench: how long each page of the web dashboard takes to load.

Signs in with a read token like a browser does (a form POST, then the session cookie), warms
each page once, then requests it ``repeat`` times over one keep-alive connection, reading the
whole HTML. The HTML is where the time goes: every number on a page is computed on the server
while the document is built; the static assets (stylesheet, script, Chart.js) are files the
browser fetches once and then caches, timed as one extra row for a first visit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Final

from aicode.bench.reads import Timing, timing
from aicode.web.sessions import COOKIE_NAME

TARGET_MS: Final = 1000.0  # the "pages load in under a second"

PAGES: Final[tuple[tuple[str, str], ...]] = (
    ("overview", ""),
    ("departments", "departments"),
    ("members", "members"),
    ("repositories", "repositories"),
    ("languages", "languages"),
    ("models", "models"),
    ("commits", "commits"),
)


@dataclasses.dataclass
class PageResult:
    """One dashboard page: its load times against the one-second target."""

    page: str
    path: str
    timing: Timing
    response_bytes: int
    target_ms: float = TARGET_MS

    @property
    def verdict(self) -> str:
        """'pass' when the median load is under the target, else 'miss'."""
        return "pass" if self.timing.p50_ms < self.target_ms else "miss"


class _Browserless:
    """GET and POST over one keep-alive connection, carrying the session cookie."""

    def __init__(self, host: str, port: int) -> None:
        self._conn = http.client.HTTPConnection(host, port, timeout=600)
        self.cookie: str | None = None

    def request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[float, int, http.client.HTTPMessage, bytes]:
        sent = {"Connection": "keep-alive", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = f"{COOKIE_NAME}={self.cookie}"
        started = time.perf_counter()
        self._conn.request(method, target, body=body, headers=sent)
        response = self._conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status, response.headers, data

    def get(self, target: str) -> tuple[float, bytes]:
        elapsed, status, _, data = self.request("GET", target)
        if status != 200:
            raise RuntimeError(f"GET {target}: HTTP {status}: {data[:300]!r}")
        return elapsed, data

    def sign_in(self, token: str) -> None:
        body = urllib.parse.urlencode({"token": token}).encode()
        _, status, headers, data = self.request(
            "POST", "/signin", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        found = re.search(rf"{COOKIE_NAME}=([^;]+)", headers.get("Set-Cookie", ""))
        if status != 303 or found is None:
            raise RuntimeError(f"sign-in failed: HTTP {status}: {data[:300]!r}")
        self.cookie = found.group(1)

    def sign_out(self) -> None:
        self.request("POST", "/signout")
        self.cookie = None

    def close(self) -> None:
        self._conn.close()


def _time(client: _Browserless, target: str, repeat: int) -> tuple[Timing, bytes]:
    _, body = client.get(target)  # warm-up
    return timing([client.get(target)[0] for _ in range(repeat)]), body


def run_pages(
    host: str,
    port: int,
    *,
    token: str,
    org_id: str,
    start: dt.date,
    end: dt.date,
    repeat: int,
    on_step: Callable[[str], None] | None = None,
) -> list[PageResult]:
    """Time every dashboard page over the range, one commit's page and the static assets."""
    client = _Browserless(host, port)
    query = "?" + urllib.parse.urlencode({"start": start.isoformat(), "end": end.isoformat()})
    base = f"/orgs/{org_id}"
    results: list[PageResult] = []
    try:
        client.sign_in(token)
        body = b""
        for name, slug in PAGES:
            target = (f"{base}/{slug}" if slug else base) + query
            if on_step is not None:
                on_step(f"page {name}")
            measured, body = _time(client, target, repeat)
            results.append(PageResult(name, target, measured, len(body)))
        # The commits page (timed last) links to its commits: time the first one's page.
        link = re.search(rf'href="({re.escape(base)}/commits/[0-9a-f]+\?[^"]*)"', body.decode())
        if link is not None:
            target = link.group(1).replace("&amp;", "&")
            if on_step is not None:
                on_step("page commit")
            measured, page = _time(client, target, repeat)
            results.append(PageResult("commit", target, measured, len(page)))
        assets = sorted(set(re.findall(r'"(/static/[^"]+)"', body.decode())))
        if on_step is not None:
            on_step("static assets")
        samples, size = [], 0
        for _ in range(repeat):
            fetched = [client.get(asset) for asset in assets]
            samples.append(sum(ms for ms, _ in fetched))
            size = sum(len(data) for _, data in fetched)
        results.append(PageResult("static assets (first visit)", "/static/", timing(samples), size))
        client.sign_out()
    finally:
        client.close()
    return results
