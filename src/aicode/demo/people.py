"""The demo's people: who they are (as HR lists them) and how they work (as the demo simulates)."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Iterator

from aicode.demo.catalog import (
    CLI_AGENTS,
    EXTRA_GROUPS,
    ROOT_DEPARTMENTS,
    TEAMS,
    Team,
    Weights,
)
from aicode.demo.config import EMAIL_DOMAIN, DemoConfig, seeded, weighted
from aicode.demo.names import FIRST_NAMES, LAST_NAMES
from aicode.store.base import PersonRecord

# One in this many people heads a top-level department and barely codes.
_HEAD_EVERY = 50


@dataclasses.dataclass(frozen=True)
class Developer:
    """A person of the demo organization and the habits that drive their simulated activity."""

    index: int
    email: str
    name: str
    department: str
    team: Team
    groups: tuple[str, ...]
    git_email: str | None
    vendor_id: str | None
    privacy_mode: bool
    present: bool  # False: never shows up in any fact (left, on leave, manager)
    uses_ai: bool  # False: commits by hand only
    intensity: float  # activity multiplier, heavy-tailed
    weekday_presence: float
    weekend_presence: float
    acceptance: float  # share of completions accepted
    tab_affinity: float
    chat_affinity: float
    agent_affinity: float
    ides: Weights
    cli: str | None
    repos: tuple[str, ...]
    adopt_day: int  # day index from which they use AI
    upgrade_lag: int  # days behind a client release

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other identities this person appears under in facts."""
        return tuple(a for a in (self.git_email, self.vendor_id) if a)

    def person_record(self) -> PersonRecord:
        """The person as an HR export lists them."""
        return PersonRecord(
            email=self.email,
            name=self.name,
            department=self.department,
            groups=self.groups,
            aliases=self.aliases,
            privacy_mode=self.privacy_mode,
        )


def _team(rng: random.Random) -> Team:
    total = sum(t.weight for t in TEAMS)
    point = rng.random() * total
    for team in TEAMS:
        point -= team.weight
        if point < 0:
            return team
    return TEAMS[-1]


def _ides(rng: random.Random, team: Team) -> Weights:
    primary = weighted(rng, team.ides)
    if rng.random() < 0.35:
        others = tuple((n, w) for n, w in team.ides if n != primary)
        return ((primary, 0.75), (weighted(rng, others), 0.25))
    return ((primary, 1.0),)


def _developer(
    config: DemoConfig, index: int, email: str, first: str, last: str, rng: random.Random
) -> Developer:
    team = _team(rng)
    head = index % _HEAD_EVERY == _HEAD_EVERY // 7
    root = ROOT_DEPARTMENTS[(index // _HEAD_EVERY) % len(ROOT_DEPARTMENTS)]
    department = root if head else team.path
    groups = list(team.groups) + [g for g, share in EXTRA_GROUPS if rng.random() < share]
    roll = rng.random()
    present = roll >= 0.05
    uses_ai = present and roll >= 0.10
    intensity = min(8.0, rng.lognormvariate(-0.1, 0.85))
    if rng.random() < 0.04:
        intensity = min(10.0, intensity * 2.5 + 2)
    if head:
        intensity *= 0.2
    if "ai-pilot" in groups:
        intensity *= 1.4
    handle = f"{first[0]}{last}".lower()
    git_email = (
        f"{10_000_000 + index * 131 + rng.randrange(131)}+{handle}@users.noreply.github.com"
        if rng.random() < 0.45
        else None
    )
    # Ten digits: far above any store user number, so never mistaken for one.
    vendor_id = (
        str(7_100_000_000 + index * 7919 + rng.randrange(7919)) if rng.random() < 0.35 else None
    )
    late = rng.random() < 0.45 and "ai-pilot" not in groups
    return Developer(
        index=index,
        email=email,
        name=f"{first} {last}",
        department=department,
        team=team,
        groups=tuple(sorted(set(groups))),
        git_email=git_email,
        vendor_id=vendor_id,
        privacy_mode=rng.random() < 0.06,
        present=present,
        uses_ai=uses_ai,
        intensity=intensity,
        weekday_presence=min(0.97, 0.5 + 0.45 * (1 - math.exp(-intensity)) + rng.gauss(0, 0.05)),
        weekend_presence=min(0.35, 0.03 + 0.05 * intensity * rng.random()),
        acceptance=min(0.55, max(0.1, rng.gauss(0.30, 0.07))),
        tab_affinity=rng.lognormvariate(0, 0.45),
        chat_affinity=rng.lognormvariate(0, 0.6),
        agent_affinity=rng.lognormvariate(0, 0.6),
        ides=_ides(rng, team),
        cli=weighted(rng, CLI_AGENTS) if rng.random() < 0.12 + 0.05 * intensity else None,
        repos=tuple(rng.sample(team.repos, k=min(len(team.repos), rng.choice((1, 2, 2, 3))))),
        adopt_day=int(rng.random() * 0.7 * config.days) if late else 0,
        upgrade_lag=rng.randrange(0, 12),
    )


def generate_developers(config: DemoConfig) -> list[Developer]:
    """The organization's people, in a stable order (same seed, same people)."""
    return list(iter_developers(config))


def iter_developers(config: DemoConfig) -> Iterator[Developer]:
    """The organization's people one by one; each profile depends only on seed and index."""
    taken: dict[str, int] = {}
    for index in range(config.developers):
        rng = seeded(config.seed, "developer", index)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower()
        taken[local] = taken.get(local, 0) + 1
        if taken[local] > 1:
            local = f"{local}{taken[local]}"
        yield _developer(config, index, f"{local}@{EMAIL_DOMAIN}", first, last, rng)
