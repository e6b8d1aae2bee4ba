"""The bulk history: the demo organization's earlier days, generated in the store by SQL.

At the targets' size (10,000 developers x 90 days, ~50M change rows) the demo generator and
HTTP ingest would take hours. In ``--history bulk`` the store generates the days before the
HTTP-ingested window itself (``DuckDBStore.load_bulk_history``), for the organization's real
people, with the demo's vocabularies (clients, models, sources, repositories, languages); the
last days are still demo facts sent over HTTP, so ingest is measured on the wire format
against a store that already holds the history. The two never overlap: no double counting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from typing import Final

from aicode.bench.options import DEFAULT_BULK_INGEST_EVENTS, BenchOptions
from aicode.demo.catalog import CLI_AGENTS, IDES, REPOS, TEAMS
from aicode.demo.config import today_utc
from aicode.model.attribution import ATTRIBUTION_PAIRS, attribution_pair, canonical_source
from aicode.model.languages import language_of
from aicode.store.duckdb.bulk import BulkHistory, BulkIde, BulkRepo

# Demo facts per developer-day (all types, weekends included), to size the HTTP window.
DEMO_FACTS_PER_DEVELOPER_DAY: Final = 11.6
CLI_SHARE: Final = 0.06  # of people whose main client is a CLI agent
_SLOTS: Final = 20  # entries a weighted vocabulary is expanded to


@dataclasses.dataclass(frozen=True)
class HistoryPlan:
    """Which days are loaded in bulk and which come from the demo generator over HTTP."""

    mode: str  # "demo" or "bulk"
    start: dt.date  # first day of the whole range
    end: dt.date  # last day of the whole range
    bulk_days: int  # days start .. start + bulk_days - 1 are bulk (0 in demo mode)
    ingest_events: int | None  # at most this many demo facts go over HTTP (None: all)

    @property
    def http_start(self) -> dt.date:
        """The first day of demo facts sent over HTTP."""
        return self.start + dt.timedelta(days=self.bulk_days)

    @property
    def http_days(self) -> int:
        """Days of demo facts sent over HTTP."""
        return (self.end - self.http_start).days + 1


def plan_history(
    mode: str, developers: int, days: int, end: dt.date, ingest_events: int | None
) -> HistoryPlan:
    """Split ``days`` ending on ``end`` into bulk days and the HTTP window."""
    start = end - dt.timedelta(days=days - 1)
    if mode == "demo":
        return HistoryPlan(mode, start, end, 0, ingest_events)
    events = DEFAULT_BULK_INGEST_EVENTS if ingest_events is None else ingest_events
    window = math.floor(events / (developers * DEMO_FACTS_PER_DEVELOPER_DAY))
    window = max(1, min(days, window))
    return HistoryPlan(mode, start, end, days - window, events)


def plan_for(options: BenchOptions) -> HistoryPlan:
    """The history plan of a bench run (its last day is today, UTC, unless set)."""
    end = options.end or today_utc()
    return plan_history(
        options.history_mode, options.developers, options.days, end, options.ingest_events
    )


def _expand(weights: Iterable[tuple[str, float]]) -> tuple[str, ...]:
    """A weighted choice as a list in which each value appears about in proportion."""
    pairs = list(weights)
    total = sum(w for _, w in pairs)
    return tuple(v for v, w in pairs for _ in range(max(1, round(w * _SLOTS / total))))


def _pair_number(source: str, product_type: str) -> int:
    return ATTRIBUTION_PAIRS.index(attribution_pair(source, product_type)) + 1


def _ides() -> tuple[BulkIde, ...]:
    out = []
    for ide in IDES.values():
        sources = tuple(canonical_source(s) or "AGENT" for s in _expand(ide.edit_sources))
        out.append(
            BulkIde(
                name=ide.name,
                product_type=ide.product_type,
                versions=ide.versions,
                completion_model=ide.completion_model or "",
                chat_models=ide.chat_models,
                agent_models=ide.agent_models,
                edit_sources=sources,
                chat_types=_expand(ide.chat_types),
                tab_pair=_pair_number("TAB", ide.product_type),
                edit_pairs=tuple(_pair_number(s, ide.product_type) for s in sources),
            )
        )
    return tuple(out)


def _ide_mix(names: list[str]) -> tuple[int, ...]:
    """People's main clients, weighted as the demo's teams use them, plus some CLI agents."""
    weights: dict[str, float] = {}
    team_total = sum(t.weight for t in TEAMS)
    for team in TEAMS:
        ide_total = sum(w for _, w in team.ides)
        for name, weight in team.ides:
            share = (1 - CLI_SHARE) * team.weight / team_total * weight / ide_total
            weights[name] = weights.get(name, 0.0) + share
    cli_total = sum(w for _, w in CLI_AGENTS)
    for name, weight in CLI_AGENTS:
        weights[name] = weights.get(name, 0.0) + CLI_SHARE * weight / cli_total
    expanded = _expand(sorted(weights.items()))
    return tuple(names.index(name) + 1 for name in expanded)


def _repos() -> tuple[BulkRepo, ...]:
    out = []
    for repo in REPOS.values():
        extensions = _expand(repo.extensions)
        out.append(BulkRepo(repo.name, extensions, tuple(language_of(e) for e in extensions)))
    return tuple(out)


def bulk_history(org_num: int, seed: int, plan: HistoryPlan) -> BulkHistory:
    """The bulk part of a plan, with the demo's vocabularies."""
    ides = _ides()
    return BulkHistory(
        org_num=org_num,
        seed=seed,
        first_day=plan.start,
        days=plan.bulk_days,
        ides=ides,
        ide_mix=_ide_mix([i.name for i in ides]),
        repos=_repos(),
    )
