"""Cursor's rate limit: so many requests per minute per team (organization) and endpoint."""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable, Hashable

from aicode.errors import ConfigurationError

WINDOW_SECONDS = 60.0


class RateLimiter:
    """A sliding one-minute window per key, in process and safe across request threads.

    Each key keeps the times of its last ``limit`` admitted requests, so memory stays at most
    ``limit`` floats per (organization, endpoint) however busy a team is; a refused request is
    not counted, so a team that keeps retrying is let in again as soon as its oldest request
    leaves the window. ``limit`` 0 admits everything.
    """

    def __init__(
        self,
        limit: int,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 0:
            raise ConfigurationError(f"rate limit must be 0 (unlimited) or more, got {limit}")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._admitted: dict[Hashable, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: Hashable) -> float:
        """Admit and count a request (0.0), or refuse it: seconds until a slot frees up."""
        if self.limit == 0:
            return 0.0
        now = self._clock()
        with self._lock:
            admitted = self._admitted.setdefault(key, collections.deque())
            while admitted and admitted[0] <= now - self.window:
                admitted.popleft()
            if len(admitted) < self.limit:
                admitted.append(now)
                return 0.0
            return admitted[0] + self.window - now


def retry_after_header(seconds: float) -> str:
    """A Retry-After value: whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil(seconds)))
