"""Dashboard test plumbing: a demo organization served over a socket, Debian's chromium.

The demo (20 developers x 14 days, ending yesterday so the default 30-day view shows it) is
built once per session into a temporary DuckDB file, next to a second organization with a
little data and a new, empty one. Browser tests never write to it: each test signs in with a
fresh browser context of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from playwright.sync_api import BrowserContext, Page

from aicode.app import create_app
from aicode.demo import DemoConfig, DemoResult, build_demo
from aicode.model.facts import Fact
from aicode.settings import Settings
from aicode.store import open_store
from aicode.store.base import Store
from tests.conftest import Tenant, make_tenant
from tests.live_server import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
LAPTOP = {"width": 1366, "height": 768}


@dataclasses.dataclass(frozen=True)
class Site:
    """The served demo: its URL, the demo organization and two others."""

    url: str
    store: Store
    demo: DemoResult
    other: Tenant  # an organization with one commit
    empty: Tenant  # an organization without any data
    start: dt.date  # the range tests look at: the last 30 days of the demo, fixed for the
    end: dt.date  # session, so pages and API calls never straddle midnight

    @property
    def org_id(self) -> str:
        """The demo organization's id."""
        return self.demo.organization.id

    @property
    def read(self) -> str:
        """The demo organization's read token."""
        return self.demo.tokens.read

    @property
    def range(self) -> dict[str, str]:
        """The tests' date range as query parameters."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def page_url(self, slug: str = "", query: str = "") -> str:
        """A dashboard page of the demo organization, over the tests' range unless given."""
        path = f"/orgs/{self.org_id}" + (f"/{slug}" if slug else "")
        if "start=" not in query:
            query = "&".join(p for p in (urllib.parse.urlencode(self.range), query) if p)
        return f"{self.url}{path}?{query}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo organization, built once and served for the whole session."""
    db = tmp_path_factory.mktemp("dashboard") / "demo.duckdb"
    store = open_store(str(db))
    end = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    demo = build_demo(store, DemoConfig(seed=8, developers=20, days=14, end=end))
    other = make_tenant(store, "globex")
    commit = {
        "type": "commit",
        "user": "gil@globex.example",
        "ts": f"{end.isoformat()}T12:00:00Z",
        "repo": "globex-secret",
        "commitHash": "0123abcd",
        "files": [{"path": "x.py", "linesAdded": 7}],
    }
    outcome = store.ingest(
        other.org, [(0, msgspec.json.decode(msgspec.json.encode(commit), type=Fact))]
    )
    assert outcome.rejected == []
    empty = make_tenant(store, "newco")
    app = create_app(Settings.load({"db": str(db)}, environ={}), store=store)
    try:
        with live_server(app) as url:
            yield Site(url, store, demo, other, empty, end - dt.timedelta(days=29), end)
    finally:
        store.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium instead of a browser downloaded by ``playwright install``."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A laptop-sized window that accepts downloads."""
    return {**browser_context_args, "viewport": LAPTOP, "accept_downloads": True}


@pytest.fixture
def api(site: Site) -> Iterator[httpx.Client]:
    """The native read API of the demo organization, with its read token."""
    with httpx.Client(
        base_url=f"{site.url}/api/v1/organizations/{site.org_id}",
        headers={"Authorization": f"Bearer {site.read}"},
        params=site.range,
    ) as client:
        yield client


def sign_in(context: BrowserContext, site: Site, token: str) -> None:
    """Sign a browser context in the way the form does, without drawing the form."""
    response = context.request.post(f"{site.url}/signin", form={"token": token}, max_redirects=0)
    assert response.status == 303, response.text()


@pytest.fixture
def signed_in(page: Page, site: Site) -> Page:
    """A page of a browser context signed in to the demo organization."""
    sign_in(page.context, site, site.read)
    return page


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Any:
    """Save a full-page screenshot under test-artifacts/dashboard/ (kept by CI)."""

    def save(page: Page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        path = ARTIFACTS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
