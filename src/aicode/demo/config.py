"""What a demo organization is built from: seed, size, time window; and seeded randomness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import random
from collections.abc import Sequence
from typing import Final, TypeVar

T = TypeVar("T")

DEMO_ORG_NAME: Final = "Demo Org"
"""The organization ``aicode demo`` creates and ``--if-empty`` looks for."""

EMAIL_DOMAIN: Final = "democorp.example"


def today_utc() -> dt.date:
    """Today's date in UTC."""
    return dt.datetime.now(dt.UTC).date()


@dataclasses.dataclass(frozen=True)
class DemoConfig:
    """Size and seed of a demo organization; facts cover ``days`` days ending on ``end``."""

    seed: int = 42
    developers: int = 200
    days: int = 90
    end: dt.date = dataclasses.field(default_factory=today_utc)
    batch_size: int = 10_000
    # Facts after this instant are left out: a demo ending today must not show activity from
    # later today. None keeps every fact (tests pass explicit past end dates).
    cutoff: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.developers < 1:
            raise ValueError("developers must be at least 1")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")

    @property
    def start(self) -> dt.date:
        """The first day with facts."""
        return self.end - dt.timedelta(days=self.days - 1)


def seeded(seed: int, *parts: object) -> random.Random:
    """A random generator determined by the seed and a label, independent of call order."""
    digest = hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=8).digest()
    # Demo data, not secrets: a fast reproducible generator is what is wanted here.
    return random.Random(int.from_bytes(digest, "big"))  # noqa: S311


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth for small means, normal approximation above)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def between(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in [low, high]; cheaper than ``randint`` in the generator's hot loops."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of the options, uniformly; cheaper than ``choice`` in the generator's hot loops."""
    return options[int(rng.random() * len(options))]


def weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    """One of the options, drawn by weight."""
    total = sum(w for _, w in options)
    point = rng.random() * total
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]
