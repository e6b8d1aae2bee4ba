"""The dashboard in a real browser: every page's charts and tables equal the native API's
answer for the same filters; filters change through the filter bar; CSV; light and dark."""

from __future__ import annotations

import csv
import datetime as dt
import io
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page

from aicode import metrics
from aicode.api.params import CommonParams
from aicode.metrics import SOURCE_GROUPS
from tests.web.browser import chart, kpi, table, wait_for_charts
from tests.web.conftest import LAPTOP, Site, sign_in

Shot = Callable[[Page, str], Path]


def shown(value: Any) -> str:
    """A value as the dashboard displays it."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def rows(items: list[dict[str, Any]], keys: list[str]) -> list[list[str]]:
    """API items as the table rows the dashboard should show."""
    return [[shown(item[k]) for k in keys] for item in items]


def query_of(page: Page) -> dict[str, str]:
    """The filters in the page's URL."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))


def check_kpis(page: Page, api: httpx.Client, params: dict[str, str]) -> dict[str, Any]:
    body = api.get("/overview", params={**params, "compare": "true"}).json()
    paths = {
        "active-developers": ("activeDevelopers",),
        "ai-share": ("committed", "aiShareRate"),
        "acceptance-rate": ("completions", "acceptanceRate"),
        "agent-edits": ("changes", "agentEdits"),
        "chat-turns": ("chats", "turns"),
        "commits": ("committed", "commits"),
    }
    for key, path in paths.items():
        now, before = body, body["previous"]
        for part in path:
            now, before = now[part], before[part]
        assert kpi(page, key) == (now, before), key
    return body  # type: ignore[no-any-return]


def test_overview_equals_the_api(
    signed_in: Page, site: Site, api: httpx.Client, shot: Shot
) -> None:
    page = signed_in
    page.goto(site.page_url())
    wait_for_charts(page, 5)
    body = check_kpis(page, api, {})
    assert body["activeDevelopers"] > 0
    assert body["committed"]["commits"] > 0
    daily = api.get("/daily").json()["items"]
    lines = chart(page, "daily-lines")
    assert lines["drawn"]
    assert lines["labels"] == [d["date"] for d in daily]
    assert lines["series"]["AI"] == [d["aiLinesAdded"] for d in daily]
    assert lines["series"]["Human"] == [d["linesAdded"] - d["aiLinesAdded"] for d in daily]
    acceptance = chart(page, "daily-acceptance")["series"]["Acceptance %"]
    assert acceptance == [d["acceptanceRate"] for d in daily]
    developers = chart(page, "daily-developers")["series"]["Active developers"]
    assert developers == [d["activeDevelopers"] for d in daily]
    keys = ["date", "activeDevelopers", "commits", "linesAdded", "aiLinesAdded", "aiShareRate",
            "completionsSuggested", "completionsAccepted", "acceptanceRate", "chatTurns",
            "aiChanges"]  # fmt: skip
    assert table(page, "daily")[1:] == rows(daily, keys)
    by_pair = body["committed"]["bySource"]
    expected = [sum(by_pair[p]["added"] for p in g.pairs) for g in SOURCE_GROUPS]
    sources = chart(page, "by-source")
    assert sources["labels"] == [g.label for g in SOURCE_GROUPS]
    assert sources["series"]["AI lines added"] == expected
    assert sum(expected) == body["committed"]["aiLinesAdded"]
    source_rows = table(page, "sources")[1:]
    assert [r[1] for r in source_rows] == [shown(n) for n in expected]
    edits = {r[0]: int(r[3].replace(",", "")) for r in source_rows}
    assert sum(edits.values()) == body["changes"]["changes"]
    assert edits["Agent"] + edits["CLI agent"] == body["changes"]["agentEdits"]
    ides = table(page, "ides")[1:]
    assert sum(int(r[2].replace(",", "")) for r in ides) == body["completions"]["suggested"]
    assert sum(int(r[3].replace(",", "")) for r in ides) == body["completions"]["accepted"]
    assert sum(int(r[5].replace(",", "")) for r in ides) == body["chats"]["turns"]
    assert sum(int(r[6].replace(",", "")) for r in ides) == body["changes"]["changes"]
    ide_chart = chart(page, "by-ide")
    assert ide_chart["labels"] == [r[0] for r in ides]
    assert ide_chart["series"]["Chat turns"] == [int(r[5].replace(",", "")) for r in ides]
    shot(page, "overview")


def test_changing_filters_keeps_them_in_the_url(
    signed_in: Page, browser: Browser, site: Site, api: httpx.Client, shot: Shot
) -> None:
    page = signed_in
    page.goto(site.page_url())
    busiest = max(api.get("/departments").json()["items"], key=lambda d: (d["commits"], d["path"]))
    page.select_option("select[name=department]", busiest["departmentId"])  # submits
    page.wait_for_url(lambda url: "department=" in url)
    params = query_of(page)
    assert params == {**site.range, "department": busiest["departmentId"]}  # no empty fields
    assert check_kpis(page, api, params)["committed"]["commits"] == busiest["commits"]
    page.check("input[name=primaryBranchOnly]")
    page.wait_for_url(lambda url: "primaryBranchOnly=true" in url)
    params = query_of(page)
    assert params["primaryBranchOnly"] == "true"
    check_kpis(page, api, params)
    week = (site.end - dt.timedelta(days=6)).isoformat()
    page.fill("input[name=start]", week)
    page.click("form[data-filters] button[type=submit]")
    page.wait_for_url(lambda url: f"start={week}" in url)
    params = query_of(page)
    assert params == {
        "start": week,
        "end": site.end.isoformat(),
        "department": busiest["departmentId"],
        "primaryBranchOnly": "true",
    }
    body = check_kpis(page, api, params)
    assert body["committed"]["commits"] > 0
    shot(page, "filtered")
    # The link, shared, shows the same view in another browser signed in to the organization.
    other = browser.new_context(viewport=LAPTOP)
    try:
        sign_in(other, site, site.read)
        shared = other.new_page()
        shared.goto(page.url)
        assert shared.input_value("input[name=start]") == week
        assert shared.locator("select[name=department]").input_value() == busiest["departmentId"]
        assert shared.is_checked("input[name=primaryBranchOnly]")
        check_kpis(shared, api, params)
    finally:
        other.close()


def test_breakdown_pages_equal_the_api(
    signed_in: Page, site: Site, api: httpx.Client, shot: Shot
) -> None:
    page = signed_in
    page.goto(site.page_url("departments"))
    wait_for_charts(page, 1)
    departments = sorted(
        api.get("/departments").json()["items"], key=lambda d: d["path"].split("/")
    )
    keys = ["name", "path", "activeDevelopers", "commits", "linesAdded", "aiLinesAdded",
            "aiShareRate", "acceptanceRate"]  # fmt: skip
    assert table(page, "departments")[1:] == rows(departments, keys)
    share = chart(page, "department-share")
    assert share["labels"] == [d["path"] for d in departments]
    assert share["series"]["AI share %"] == [d["aiShareRate"] for d in departments]
    shot(page, "departments")

    page.goto(site.page_url("members"))
    wait_for_charts(page, 1)
    users = api.get("/users").json()["items"]
    ranked = [{"rank": i, **u, "displayName": u["displayName"] or "", "email": u["email"] or ""}
              for i, u in enumerate(users, start=1)]  # fmt: skip
    keys = ["rank", "displayName", "email", "commits", "linesAdded", "aiLinesAdded", "aiShareRate"]
    assert table(page, "members")[1:] == rows(ranked, keys)
    top = chart(page, "member-lines")
    assert top["labels"] == [u["displayName"] or u["email"] for u in users[:15]]
    assert top["series"]["AI"] == [u["aiLinesAdded"] for u in users[:15]]
    assert top["series"]["Human"] == [u["linesAdded"] - u["aiLinesAdded"] for u in users[:15]]
    shot(page, "members")

    page.goto(site.page_url("repositories"))
    wait_for_charts(page, 1)
    repos = api.get("/repos", params={"page": 1, "perPage": 100}).json()
    keys = ["repo", "commits", "linesAdded", "linesDeleted", "aiLinesAdded", "aiShareRate"]
    assert table(page, "repos")[1:] == rows(repos["items"], keys)
    assert f"{repos['total']} in all" in page.inner_text(".pager")
    largest = sorted(repos["items"], key=lambda r: (-r["linesAdded"], r["repo"]))[:15]
    assert chart(page, "repo-lines")["series"]["AI"] == [r["aiLinesAdded"] for r in largest]
    shot(page, "repositories")

    page.goto(site.page_url("languages"))
    wait_for_charts(page, 1)
    extensions = api.get("/extensions").json()["items"]
    keys = ["extension", "fileChanges", "linesAdded", "aiLinesAdded", "aiShareRate"]
    assert table(page, "extensions")[1:] == rows(extensions, keys)
    assert chart(page, "extension-lines")["labels"] == [e["extension"] for e in extensions[:15]]
    shot(page, "languages")


def test_models_page_equals_the_metrics_and_the_api_totals(
    signed_in: Page, site: Site, api: httpx.Client, shot: Shot
) -> None:
    page = signed_in
    page.goto(site.page_url("models", "source=AGENT"))
    wait_for_charts(page, 1)
    filters = CommonParams(**site.range, source="AGENT").filters(site.store, site.demo.organization)
    expected = [
        [m.model or "(not reported)", m.active_developers, m.chats.turns, m.chats.accepted,
         m.changes.changes, m.changes.accepted_changes, m.changes.accepted_lines_added]
        for m in metrics.usage_by_model(site.store, filters)
    ]  # fmt: skip
    assert table(page, "models")[1:] == [[shown(v) for v in row] for row in expected]
    body = api.get("/overview", params={"source": "AGENT"}).json()
    assert sum(row[2] for row in expected) == body["chats"]["turns"]
    assert sum(row[4] for row in expected) == body["changes"]["changes"]
    assert body["changes"]["changes"] == body["changes"]["agentEdits"] > 0
    shot(page, "models")


def test_csv_download_is_exactly_the_table(signed_in: Page, site: Site, shot: Shot) -> None:
    page = signed_in
    for slug, key in (("members", "members"), ("", "daily"), ("repositories", "repos")):
        page.goto(site.page_url(slug))
        shown_rows = table(page, key)
        kinds = page.eval_on_selector_all(
            f'[data-table="{key}"] thead th', "cells => cells.map(c => c.className)"
        )
        with page.expect_download() as info:
            page.click(f'[data-table="{key}"] a.csv')
        download = info.value
        assert download.suggested_filename == f"{slug or 'overview'}-{key}.csv"
        text = Path(download.path()).read_text(encoding="utf-8")
        got = list(csv.reader(io.StringIO(text)))
        assert got[0] == shown_rows[0]
        assert len(got) == len(shown_rows) > 2
        for written, displayed in zip(got[1:], shown_rows[1:], strict=True):
            assert [
                v.replace(",", "") if kind in ("int", "percent") else v
                for v, kind in zip(displayed, kinds, strict=True)
            ] == written
    shot(page, "after-downloads")


def test_dark_and_light_mode(browser: Browser, site: Site, shot: Shot) -> None:
    for scheme, background in (("dark", "rgb(18, 21, 27)"), ("light", "rgb(246, 247, 249)")):
        context = browser.new_context(color_scheme=scheme, viewport=LAPTOP)  # type: ignore[arg-type]
        try:
            sign_in(context, site, site.read)
            page = context.new_page()
            page.goto(site.page_url())
            wait_for_charts(page, 5)
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
            ai_color = page.evaluate(
                "Chart.getChart(document.querySelector('canvas[data-chart=daily-lines]'))"
                ".data.datasets[0].backgroundColor"
            )
            expected = page.evaluate(
                "getComputedStyle(document.documentElement).getPropertyValue('--c-ai').trim()"
            )
            assert ai_color == expected
            shot(page, scheme)
        finally:
            context.close()


def test_empty_states(browser: Browser, site: Site, shot: Shot) -> None:
    context = browser.new_context(viewport=LAPTOP)
    try:
        sign_in(context, site, site.empty.read)
        page = context.new_page()
        page.goto(site.url + "/")
        assert page.url == f"{site.url}/orgs/{site.empty.org.id}"
        welcome = page.locator('[data-notice="welcome"]')
        assert "aicode hook install" in welcome.inner_text()
        assert f"curl -X POST {site.url}/api/v1/ingest" in welcome.inner_text()
        assert page.locator("canvas").count() == 0
        shot(page, "welcome")
        sign_in(context, site, site.read)
        page.goto(site.page_url("commits", "start=2020-01-01&end=2020-01-31"))
        notice = page.locator('[data-notice="empty"]').inner_text()
        assert "Nothing from 2020-01-01 to 2020-01-31 for these filters" in notice
        span = metrics.data_span(site.store, site.demo.organization.num)
        assert span is not None
        assert f"This organization has data from {span.first} to {span.last}." in notice
        shot(page, "empty-range")
    finally:
        context.close()
