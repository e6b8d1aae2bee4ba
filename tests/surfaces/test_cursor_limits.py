"""The per-team, per-endpoint rate limit, driven by a hand-moved clock (nothing sleeps)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aicode.app import create_app
from aicode.errors import ConfigurationError
from aicode.model.tenancy import Scope
from aicode.settings import Settings
from aicode.store.base import Store
from aicode.surfaces.cursor import RateLimiter
from aicode.surfaces.cursor.limits import retry_after_header
from tests.conftest import Tenant
from tests.surfaces.cursor_support import RANGE, CursorWorld, get

pytest_plugins = ["tests.surfaces.cursor_fixtures"]


class FakeClock:
    """Seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_limit_requests_per_sliding_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.acquire("a") == 0.0
    clock.now += 10
    assert limiter.acquire("a") == 0.0
    clock.now += 10
    assert limiter.acquire("a") == 40.0  # the first request leaves the window at +60
    clock.now += 39.5
    assert limiter.acquire("a") == 0.5  # refusals are not counted
    clock.now += 0.5
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == 10.0  # the second (at +10) is next to leave


def test_keys_are_counted_apart() -> None:
    limiter = RateLimiter(1, clock=FakeClock())
    assert limiter.acquire((1, "commits")) == 0.0
    assert limiter.acquire((1, "commits")) == 60.0
    assert limiter.acquire((1, "changes")) == 0.0
    assert limiter.acquire((2, "commits")) == 0.0


def test_zero_means_unlimited_and_negative_is_refused() -> None:
    limiter = RateLimiter(0, clock=FakeClock())
    assert all(limiter.acquire("a") == 0.0 for _ in range(1000))
    with pytest.raises(ConfigurationError, match="rate limit must be 0"):
        RateLimiter(-1)


def test_concurrent_requests_never_exceed_the_limit() -> None:
    limiter = RateLimiter(50, clock=FakeClock())
    admitted: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def hammer() -> None:
        start.wait()
        for _ in range(100):
            ok = limiter.acquire("team") == 0.0
            with lock:
                admitted.append(ok)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(admitted), sum(admitted)) == (800, 50)


@pytest.mark.parametrize(("seconds", "header"), [(45.0, "45"), (44.2, "45"), (0.01, "1")])
def test_retry_after_is_whole_seconds_rounded_up(seconds: float, header: str) -> None:
    assert retry_after_header(seconds) == header


def test_create_app_builds_the_limiter_from_the_setting(settings: Settings, store: Store) -> None:
    assert settings.cursor_rate_limit == 5
    assert create_app(settings, store=store).state.cursor.limiter.limit == 5
    assert Settings.load(environ={"AICODE_CURSOR_RATE_LIMIT": "12"}).cursor_rate_limit == 12
    first = create_app(settings.replace(cursor_rate_limit=3), store=store).state.cursor.limiter
    second = create_app(settings.replace(cursor_rate_limit=3), store=store).state.cursor.limiter
    assert first.limit == 3
    assert first is not second


@pytest.fixture
def cursor_limited(settings: Settings, store: Store) -> Iterator[tuple[TestClient, FakeClock]]:
    """A client of an app with the default limit (5 a minute) on a hand-moved clock."""
    clock = FakeClock()
    app = create_app(settings, store=store)
    app.state.cursor.limiter = RateLimiter(settings.cursor_rate_limit, clock=clock)
    with TestClient(app) as client:
        yield client, clock


def test_the_sixth_request_in_a_minute_is_a_429(
    cursor_limited: tuple[TestClient, FakeClock], cursor_world: CursorWorld
) -> None:
    client, clock = cursor_limited
    for _ in range(5):
        assert get(client, "commits", cursor_world.key, **RANGE).status_code == 200
    clock.now += 15
    refused = get(client, "commits", cursor_world.key, **RANGE)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "45"
    assert refused.json() == {
        "error": "Too Many Requests",
        "message": "Rate limit exceeded. Please try again later.",
    }
    clock.now += 45
    assert get(client, "commits", cursor_world.key, **RANGE).status_code == 200


def test_the_limit_is_per_endpoint_and_per_team(
    cursor_limited: tuple[TestClient, FakeClock], cursor_world: CursorWorld, cursor_other: Tenant
) -> None:
    client, _ = cursor_limited
    for _ in range(5):
        get(client, "commits", cursor_world.key, **RANGE)
    assert get(client, "commits", cursor_world.key, **RANGE).status_code == 429
    for path in ("commits.csv", "changes", "changes.csv"):
        assert get(client, path, cursor_world.key, **RANGE).status_code == 200
    # Another key of the same team shares its budget; another team has its own.
    _, second_key = cursor_world.store.create_token(cursor_world.world.org, "second", [Scope.READ])
    assert get(client, "commits", second_key, **RANGE).status_code == 429
    assert get(client, "commits", cursor_other.read, **RANGE).status_code == 200


def test_requests_without_a_valid_key_use_no_teams_budget(
    cursor_limited: tuple[TestClient, FakeClock], cursor_world: CursorWorld
) -> None:
    client, _ = cursor_limited
    for _ in range(10):
        assert get(client, "changes", "not-a-key", **RANGE).status_code == 401
    assert get(client, "changes", cursor_world.key, **RANGE).status_code == 200
