"""Server-side sessions: random cookie values, hashed keys, idle and absolute expiry."""

from __future__ import annotations

from aicode.web.sessions import SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_is_found_by_its_cookie_only() -> None:
    sessions = SessionStore()
    cookie = sessions.create("org-1", "tok_1")
    found = sessions.get(cookie)
    assert found is not None
    assert (found.org_id, found.token_id) == ("org-1", "tok_1")
    assert sessions.get(cookie + "x") is None
    assert sessions.get("") is None
    assert sessions.get(None) is None
    assert cookie not in repr(sessions._sessions)  # only hashes are kept
    assert sessions.create("org-1", "tok_1") != cookie


def test_sessions_expire_when_idle_and_after_their_lifetime() -> None:
    clock = Clock()
    sessions = SessionStore(idle_seconds=60, lifetime_seconds=300, clock=clock)
    cookie = sessions.create("org", "tok")
    for _ in range(5):
        clock.now += 50  # active every 50 s: never idle for 60 s
        assert sessions.get(cookie) is not None
    clock.now += 51  # 301 s after creation
    assert sessions.get(cookie) is None
    assert len(sessions) == 0
    idle = sessions.create("org", "tok")
    clock.now += 61
    assert sessions.get(idle) is None


def test_ending_a_session_and_the_cap_on_their_number() -> None:
    sessions = SessionStore(max_sessions=2)
    first = sessions.create("org", "tok")
    second = sessions.create("org", "tok")
    assert sessions.get(first) is not None  # first is now the most recently used
    third = sessions.create("org", "tok")
    assert len(sessions) == 2
    assert sessions.get(second) is None  # the least recently used went
    assert sessions.get(first) is not None
    sessions.end(third)
    sessions.end(None)
    assert sessions.get(third) is None
    assert len(sessions) == 1
