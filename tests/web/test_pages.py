"""Dashboard pages over HTTP on the hand-made world: every number worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from aicode.app import create_app
from aicode.model.facts import Fact
from aicode.settings import Settings
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.web.pageparse import kpis, read, table
from tests.world import World

ORIGIN = "https://testserver"
RANGE = "start=2025-06-02&end=2025-06-04"
RANGE_IN_HTML = RANGE.replace("&", "&amp;")


@pytest.fixture
def web(settings: Settings, store: Store, world: World) -> Iterator[TestClient]:
    """A client signed in to the world's organization."""
    secret = store.create_token(world.org, "dashboard", ["read"])[1]
    with TestClient(create_app(settings, store=store), base_url=ORIGIN) as client:
        client.post("/signin", data={"token": secret}, headers={"Origin": ORIGIN})
        yield client


def page(web: TestClient, world: World, slug: str = "", query: str = RANGE) -> str:
    path = f"/orgs/{world.org.id}" + (f"/{slug}" if slug else "")
    response = web.get(f"{path}?{query}")
    assert response.status_code == 200, response.text
    return response.text


def test_overview(web: TestClient, world: World) -> None:
    html = page(web, world)
    assert kpis(html) == {
        "active-developers": {"value": "3", "previous": "0"},
        "ai-share": {"value": "30.0", "previous": "0.0"},
        "acceptance-rate": {"value": "32.0", "previous": "0.0"},
        "agent-edits": {"value": "2", "previous": "0"},
        "chat-turns": {"value": "3", "previous": "0"},
        "commits": {"value": "4", "previous": "0"},
    }
    assert table(html, "sources") == [
        ["Source", "AI lines added", "AI lines deleted", "AI edits", "Accepted edits",
         "Edit acceptance %"],
        ["Tab completion", "2", "0", "1", "1", "100.00"],
        ["Agent", "3", "1", "1", "1", "100.00"],
        ["Inline chat", "0", "0", "0", "0", "0.00"],
        ["Quest", "3", "0", "1", "1", "100.00"],
        ["CLI agent", "0", "0", "1", "0", "0.00"],
    ]  # fmt: skip
    assert table(html, "ides")[1:] == [
        ["vscode", "3", "20", "7", "35.00", "2", "0"],
        ["(not reported)", "2", "0", "0", "0.00", "0", "4"],
        ["jetbrains", "2", "5", "1", "20.00", "1", "0"],
    ]
    assert table(html, "daily")[1:] == [
        ["2025-06-02", "2", "1", "6", "3", "50.00", "17", "6", "35.29", "1", "1"],
        ["2025-06-03", "2", "1", "4", "2", "50.00", "8", "2", "25.00", "2", "1"],
        ["2025-06-04", "2", "2", "13", "3", "23.08", "0", "0", "0.00", "0", "2"],
    ]
    for chart in ("daily-lines", "daily-acceptance", "daily-developers", "by-source", "by-ide"):
        assert f'data-chart="{chart}"' in html
        assert f'id="chart-{chart}"' in html


def test_overview_compares_with_the_period_before(web: TestClient, world: World) -> None:
    html = page(web, world, query="start=2025-06-04&end=2025-06-04")
    numbers = kpis(html)
    assert numbers["commits"] == {"value": "2", "previous": "1"}
    assert numbers["active-developers"] == {"value": "2", "previous": "2"}
    assert "+100%" in html  # commits: 1 -> 2


def test_breakdown_pages(web: TestClient, world: World) -> None:
    assert table(page(web, world, "departments"), "departments") == [
        ["Department", "Path", "Active developers", "Commits", "Lines added", "AI lines added",
         "AI share %", "Acceptance %"],
        ["Eng", "Eng", "2", "3", "13", "8", "60.00", "32.00"],
        ["Platform", "Eng/Platform", "1", "2", "9", "6", "63.64", "33.33"],
        ["Web", "Eng/Web", "1", "1", "4", "2", "50.00", "30.00"],
    ]  # fmt: skip
    assert table(page(web, world, "members"), "members")[1:] == [
        ["1", "Ann", "ann@acme.dev", "2", "9", "6", "66.67"],
        ["2", "Bob", "bob@acme.dev", "1", "4", "2", "50.00"],
        ["3", "Cid", "cid@acme.dev", "1", "10", "0", "0.00"],
    ]
    assert table(page(web, world, "repositories"), "repos")[1:] == [
        ["core", "2", "9", "2", "6", "66.67"],
        ["core-tools", "1", "10", "5", "0", "0.00"],
        ["web", "1", "4", "0", "2", "50.00"],
    ]
    assert table(page(web, world, "languages"), "extensions")[1:] == [
        [".go", "1", "10", "0", "0.00"],
        [".py", "2", "7", "5", "71.43"],
        [".ts", "1", "4", "2", "50.00"],
        [".md", "2", "2", "1", "50.00"],
    ]
    assert table(page(web, world, "models"), "models")[1:] == [
        ["(not reported)", "3", "3", "2", "3", "2", "5"],
        ["m1", "1", "0", "0", "1", "1", "3"],
    ]


def test_filters_in_the_url(web: TestClient, world: World, store: Store) -> None:
    platform = next(d for d in store.list_departments(world.org) if d.path == "Eng/Platform")
    html = page(web, world, "departments", f"{RANGE}&department={platform.id}")
    assert [r[1] for r in table(html, "departments")[1:]] == ["Eng/Platform"]
    html = page(web, world, query=f"{RANGE}&repo=core&primaryBranchOnly=true")
    assert kpis(html)["commits"]["value"] == "2"
    assert 'value="core" selected' in html
    assert 'name="primaryBranchOnly" value="true" checked' in html
    # Links to the other pages keep the filters.
    assert (
        f'href="/orgs/{world.org.id}/members?{RANGE_IN_HTML}&amp;repo=core&amp;primaryBranchOnly=true"'
        in html
    )
    html = page(web, world, "commits", f"{RANGE}&user=bob@acme.dev")
    assert [r[0] for r in table(html, "commits")[1:]] == ["bbbb0002"]
    assert "Person: bob@acme.dev" in html
    html = page(web, world, "models", f"{RANGE}&source=agent")
    assert table(html, "models")[1:] == [
        ["(not reported)", "3", "3", "2", "1", "0", "0"],
        ["m1", "1", "0", "0", "1", "1", "3"],
    ]


def test_commit_search_and_pages(web: TestClient, world: World) -> None:
    html = page(web, world, "commits", f"{RANGE}&query=core")
    assert [r[0] for r in table(html, "commits")[1:]] == ["cccc0004", "aaaa0003", "aaaa0001"]
    assert "Page 1 of 1 · 3 in all" in html
    html = page(web, world, "commits", f"{RANGE}&query=nothing-like-this")
    assert "No commit matches." in html
    html = page(web, world, "commits")
    first = table(html, "commits")[1]
    assert first == [
        "cccc0004", "core-tools", "", "cid@acme.dev", "2025-06-04 17:00", "10", "5", "0",
        "0.00", "",
    ]  # fmt: skip
    assert f'href="/orgs/{world.org.id}/commits/aaaa0001?{RANGE_IN_HTML}&amp;repo=core"' in html


def test_commit_page(web: TestClient, world: World) -> None:
    html = page(web, world, "commits/aaaa0001", f"{RANGE}&repo=core")
    assert table(html, "files") == [
        ["File", "Lines added", "Lines deleted", "AI lines added", "AI lines deleted",
         "AI ranges"],
        ["src/app.py", "5", "2", "3", "1", "0"],
        ["docs/a.md", "1", "0", "0", "0", "0"],
    ]  # fmt: skip
    assert table(html, "sources")[1:] == [
        ["Tab completion", "0", "0"],
        ["Agent", "3", "1"],
        ["Inline chat", "0", "0"],
        ["Quest", "0", "0"],
        ["CLI agent", "0", "0"],
    ]
    assert kpis(html)["ai-share"] == {"value": "50.0"}
    assert "The client sent no line ranges for this commit." in html
    assert "feat: app" in html


def test_csv_is_the_table_as_shown(web: TestClient, world: World) -> None:
    response = web.get(f"/orgs/{world.org.id}/languages?{RANGE}&format=csv&table=extensions")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="languages-extensions.csv"'
    )
    assert response.text == (
        "Extension,Files changed,Lines added,AI lines added,AI share of added lines %\n"
        ".go,1,10,0,0.00\n.py,2,7,5,71.43\n.ts,1,4,2,50.00\n.md,2,2,1,50.00\n"
    )
    commits = web.get(
        f"/orgs/{world.org.id}/commits?{RANGE}&query=core&page=1&format=csv&table=commits"
    )
    assert commits.text.splitlines()[1:] == [
        "cccc0004,core-tools,,cid@acme.dev,2025-06-04 17:00,10,5,0,0.00,",
        "aaaa0003,core,main,ann@acme.dev,2025-06-04 15:00,3,0,3,100.00,",
        "aaaa0001,core,main,ann@acme.dev,2025-06-02 15:00,6,2,3,50.00,feat: app",
    ]
    links = [link for link in page(web, world, "languages").split('"') if "format=csv" in link]
    assert links == [
        f"/orgs/{world.org.id}/languages?{RANGE_IN_HTML}&amp;format=csv&amp;table=extensions"
    ]


TABLES = "sources, ides, daily"


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("start=yesterday", 400, "start must be a date as YYYY-MM-DD, got 'yesterday'"),
        ("start=2025-06-04&end=2025-06-01", 400, "end must not be before start"),
        ("start=2024-01-01&end=2025-06-01", 400, "the range may span at most 366 days"),
        ("primaryBranchOnly=maybe", 400, "primaryBranchOnly must be true or false, got 'maybe'"),
        ("source=robot", 400, "unknown source 'robot'"),
        ("department=nope", 404, "department 'nope' not found"),
        ("user=nobody@acme.dev", 404, "user 'nobody@acme.dev' not found"),
        ("format=xml", 400, "format must be html or csv, got 'xml'"),
        (f"{RANGE}&format=csv&table=x", 400, f"table must be one of {TABLES}, got 'x'"),
        (f"{RANGE}&format=csv", 400, f"table is required with format=csv: one of {TABLES}"),
        (
            "start=2025-01-01&end=2025-01-02&format=csv&table=daily",
            400,
            "this view has no table to download",
        ),
    ],
)
def test_bad_inputs_answer_a_page_naming_the_field(
    web: TestClient, world: World, query: str, status: int, message: str
) -> None:
    response = web.get(f"/orgs/{world.org.id}?{query}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<p data-error>{escape(message)}</p>" in response.text


@pytest.mark.parametrize(
    ("slug", "query", "message"),
    [
        ("commits", "page=0", "page must be a whole number from 1, got '0'"),
        ("repositories", "page=x", "page must be a whole number from 1, got 'x'"),
        ("commits", "query=" + "x" * 201, "query may be at most 200 characters"),
    ],
)
def test_bad_list_inputs(
    web: TestClient, world: World, slug: str, query: str, message: str
) -> None:
    response = web.get(f"/orgs/{world.org.id}/{slug}?{query}")
    assert response.status_code == 400
    assert f"<p data-error>{escape(message)}</p>" in response.text


def test_unknown_commit_is_404(web: TestClient, world: World) -> None:
    response = web.get(f"/orgs/{world.org.id}/commits/ffff0000")
    assert response.status_code == 404
    assert "<p data-error>commit &#39;ffff0000&#39; not found</p>" in response.text
    other_repo = web.get(f"/orgs/{world.org.id}/commits/aaaa0001?repo=web")
    assert other_repo.status_code == 404


def test_an_empty_range_says_so(web: TestClient, world: World) -> None:
    html = page(web, world, "members", "start=2025-01-01&end=2025-01-31")
    assert 'data-notice="empty"' in html
    assert "Nothing from 2025-01-01 to 2025-01-31 for these filters" in html
    assert "This organization has data from 2025-06-02 to 2025-06-04." in html


def test_a_new_organization_is_told_what_to_do(
    settings: Settings, store: Store, tenant: Tenant
) -> None:
    with TestClient(create_app(settings, store=store), base_url=ORIGIN) as client:
        client.post("/signin", data={"token": tenant.read}, headers={"Origin": ORIGIN})
        for slug in ("", "/departments", "/members", "/repositories", "/languages", "/models",
                     "/commits"):  # fmt: skip
            html = client.get(f"/orgs/{tenant.org.id}{slug}").text
            assert 'data-notice="welcome"' in html, slug
            assert "aicode hook install" in html
            assert f"aicode tokens create --org {tenant.org.id} --scope ingest" in html
            assert "curl -X POST https://testserver/api/v1/ingest" in html
            assert not read(html).tables


def test_static_assets_are_served_with_the_page(web: TestClient, world: World) -> None:
    html = page(web, world)
    scripts = [part for part in html.split('"') if part.startswith("/static/")]
    assert len(scripts) == 4  # favicon, stylesheet, Chart.js, dashboard.js
    for url in scripts:
        response = web.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 200
    assert "<script>" not in html  # no inline script: the CSP would block it
    license_text = web.get("/static/vendor/chart.js/LICENSE.md").text
    assert "Chart.js Contributors" in license_text


def test_commit_ranges_by_source_with_line_maps(web: TestClient, world: World) -> None:
    commit = {
        "type": "commit",
        "user": "ann@acme.dev",
        "ts": "2025-06-04T16:00:00Z",
        "repo": "core",
        "commitHash": "dddd0005",
        "files": [
            {
                "path": "src/new.py",
                "linesAdded": 100,
                "attribution": {"ideAgentLinesAdded": 10, "cliAgentLinesAdded": 5},
            }
        ],
        "rangeAnnotations": [
            {
                "filePath": "src/new.py",
                "groups": [
                    {"source": "COMPOSER", "ranges": [{"start": 1, "end": 10}],
                     "conversationId": "conv-1"},
                    {"source": "AGENT", "productType": "cli", "conversationId": "conv-2",
                     "ranges": [{"start": 50, "end": 50}, {"start": 60, "end": 63}]},
                    {"source": "AGENT", "type": "deleted", "ranges": [{"start": 5, "end": 6}],
                     "conversationId": "conv-1"},
                ],
            },
            {"filePath": "gone.txt", "groups": [{"source": "MYSTERY",
                                                 "ranges": [{"start": 3, "end": 4}]}]},
        ],
    }  # fmt: skip
    fact = msgspec.json.decode(msgspec.json.encode(commit), type=Fact)
    assert world.store.ingest(world.org, [(0, fact)]).rejected == []
    url = f"/orgs/{world.org.id}/commits/dddd0005?{RANGE}&repo=core"
    body = page(web, world, "commits/dddd0005", f"{RANGE}&repo=core")
    assert table(body, "files")[1:] == [
        ["src/new.py", "100", "0", "15", "0", "4"],
        ["gone.txt", "0", "0", "0", "0", "1"],  # named by the annotations alone
    ]
    assert table(body, "sources")[1:] == [
        ["Tab completion", "0", "0"],
        ["Agent", "10", "0"],
        ["Inline chat", "0", "0"],
        ["Quest", "0", "0"],
        ["CLI agent", "5", "0"],
    ]
    csv = web.get(f"{url}&format=csv&table=ranges").text
    assert csv == (
        "File,Source,Kind,Lines,Line count,Conversation\n"
        "src/new.py,Agent,added,1-10,10,conv-1\n"
        "src/new.py,CLI agent,added,50,1,conv-2\n"
        "src/new.py,CLI agent,added,60-63,4,conv-2\n"
        "src/new.py,Agent,deleted,5-6,2,conv-1\n"
        "gone.txt,Other,added,3-4,2,\n"
    )
    # Line maps: src/new.py is 100 lines long (10 units a line), gone.txt only known to line 4.
    for rect in (
        'class="src-agent added" x="0.0" y="1" width="100.0"',
        'class="src-cli_agent added" x="490.0" y="1" width="10.0"',
        'class="src-cli_agent added" x="590.0" y="1" width="40.0"',
        'class="src-agent deleted" x="40.0" y="10" width="20.0"',
        'class="src-other added" x="500.0" y="1" width="500.0"',
    ):
        assert rect in body
    assert body.count('<rect class="src-') == 5
    assert 'data-file="gone.txt"' in body
    assert "conv-2" in body
