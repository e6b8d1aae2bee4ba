"""The commit explorer in a real browser: the list equals the API, search, a commit's ranges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from aicode.metrics import SOURCE_GROUPS
from tests.web.browser import kpi, table
from tests.web.conftest import Site

Shot = Callable[[Page, str], Path]
LABELS = {"TAB": "Tab completion", "AGENT": "Agent", "INLINECHAT": "Inline chat",
          "QUEST": "Quest"}  # fmt: skip


def commit_row(c: dict[str, Any]) -> list[str]:
    """An API commit as the explorer's row shows it."""
    return [
        c["commitHash"],
        c["repo"],
        c["branch"] or "",
        c["email"] or c["userId"],
        c["commitTs"][:16].replace("T", " "),
        f"{c['linesAdded']:,}",
        f"{c['linesDeleted']:,}",
        f"{c['aiLinesAdded']:,}",
        f"{c['aiShareRate']:,.2f}",
        (c["message"] or "").strip().splitlines()[0] if (c["message"] or "").strip() else "",
    ]


def range_rows(annotation: dict[str, Any]) -> list[list[str]]:
    """An API range annotation as the rows of its file's ranges table."""
    found = []
    for group in annotation["groups"]:
        source = LABELS[group["source"]]
        if group["source"] == "AGENT" and group.get("productType") == "cli":
            source = "CLI agent"
        for span in group["ranges"]:
            start, end = span["start"], span["end"]
            found.append(
                [
                    source,
                    group.get("type", "added"),
                    f"{start}-{end}" if end != start else str(start),
                    str(end - start + 1),
                    group.get("conversationId") or "",
                ]
            )
    return found


def test_commit_list_equals_the_api(signed_in: Page, site: Site, api: httpx.Client) -> None:
    page = signed_in
    page.goto(site.page_url("commits"))
    body = api.get("/commits", params={"perPage": 50}).json()
    assert table(page, "commits")[1:] == [commit_row(c) for c in body["items"]]
    assert f"{body['total']:,} in all" in page.inner_text(".pager")
    with page.expect_navigation():
        page.click("a[rel=next]")
    second = api.get("/commits", params={"perPage": 50, "page": 2}).json()
    assert table(page, "commits")[1:] == [commit_row(c) for c in second["items"]]


def test_search_then_open_a_commits_ranges(
    signed_in: Page, site: Site, api: httpx.Client, shot: Shot
) -> None:
    page = signed_in
    listed = api.get("/commits", params={"perPage": 200}).json()["items"]
    detail = next(
        d
        for d in (
            api.get(f"/commits/{c['commitHash']}", params={"repo": c["repo"]}).json()
            for c in listed
        )
        if len(d["rangeAnnotations"]) >= 2
    )
    page.goto(site.page_url("commits"))
    page.fill("input[name=query]", detail["commitHash"][:10])
    page.click("form.search button")
    page.wait_for_url(lambda url: f"query={detail['commitHash'][:10]}" in url)
    found = table(page, "commits")[1:]
    assert [r[0] for r in found] == [detail["commitHash"]]
    shot(page, "search")

    page.click(f'a[href*="/commits/{detail["commitHash"]}"]')
    page.wait_for_url(lambda url: f"/commits/{detail['commitHash']}" in url)
    assert page.inner_text('[data-field="hash"]') == detail["commitHash"]
    assert page.inner_text('[data-field="repo"]') == detail["repo"]
    assert kpi(page, "lines-added") == (detail["linesAdded"], None)
    assert kpi(page, "ai-lines-added") == (detail["aiLinesAdded"], None)
    by_pair = detail["bySource"]
    assert table(page, "sources")[1:] == [
        [
            g.label,
            f"{sum(by_pair[p]['added'] for p in g.pairs):,}",
            f"{sum(by_pair[p]['deleted'] for p in g.pairs):,}",
        ]
        for g in SOURCE_GROUPS
    ]
    for annotation in detail["rangeAnnotations"]:
        file = page.locator(f'details[data-file="{annotation["filePath"]}"]')
        if file.get_attribute("open") is None:
            file.locator("summary").click()
        assert file.locator("table.ranges").is_visible()
        shown = file.locator("table.ranges tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))"
        )
        assert shown == range_rows(annotation)
        bands = file.locator("svg.linemap rect:not(.lane)")
        assert bands.count() == len(shown)
        assert "src-" in (bands.first.get_attribute("class") or "")
    with page.expect_download() as info:
        page.click('[data-table="ranges"] a.csv')
    lines = Path(info.value.path()).read_text().splitlines()
    expected = sum(len(range_rows(a)) for a in detail["rangeAnnotations"])
    assert lines[0] == "File,Source,Kind,Lines,Line count,Conversation"
    assert len(lines) == 1 + expected
    shot(page, "commit")
