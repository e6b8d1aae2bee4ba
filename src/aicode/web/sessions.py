"""Dashboard sessions, kept server-side: the cookie holds a random id, never the token.

Sessions live in the server's memory (one server process per store, see docs/architecture):
a restart signs everyone out, and signing out ends the session for good. Only a hash of the
cookie value is kept, so the session table cannot be replayed as cookies.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

COOKIE_NAME = "aicode_session"
IDLE_SECONDS = 8 * 3600
LIFETIME_SECONDS = 24 * 3600
MAX_SESSIONS = 10_000


@dataclasses.dataclass
class Session:
    """Who is signed in: the organization and the token they signed in with (by id)."""

    org_id: str
    token_id: str
    created: float
    last_seen: float


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


class SessionStore:
    """Sessions by hashed cookie value, expiring after idle time or a fixed lifetime."""

    def __init__(
        self,
        *,
        idle_seconds: float = IDLE_SECONDS,
        lifetime_seconds: float = LIFETIME_SECONDS,
        max_sessions: int = MAX_SESSIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._idle = idle_seconds
        self._lifetime = lifetime_seconds
        self._max = max_sessions
        self._clock = clock

    def create(self, org_id: str, token_id: str) -> str:
        """Start a session; returns the cookie value (shown once, only its hash is kept)."""
        cookie = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            self._sessions[_key(cookie)] = Session(org_id, token_id, now, now)
            while len(self._sessions) > self._max:
                self._sessions.popitem(last=False)  # the least recently used goes first
        return cookie

    def get(self, cookie: str | None) -> Session | None:
        """The live session of a cookie value, refreshed; None if unknown or expired."""
        if not cookie:
            return None
        key = _key(cookie)
        now = self._clock()
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.last_seen > self._idle or now - session.created > self._lifetime:
                del self._sessions[key]
                return None
            session.last_seen = now
            self._sessions.move_to_end(key)
            return session

    def end(self, cookie: str | None) -> None:
        """End the session of a cookie value, if any."""
        if cookie:
            with self._lock:
                self._sessions.pop(_key(cookie), None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)
