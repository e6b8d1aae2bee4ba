"""Setup: a fresh store, the demo organization's people and tokens, and its facts spooled.

In bulk mode (``aicode.bench.bulk``) the store first generates the days before the HTTP
window itself; only the window's demo facts are spooled.

Facts come from the demo generator (``aicode.demo``) and are serialized *before* the clock
starts: each 1,000-fact batch becomes one NDJSON request body (gzip optional), written to one
spool file per client process, round-robin. Generation runs batch by batch, so memory stays
bounded whatever the size; the bodies wait on disk, not in memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Final

import msgspec

from aicode.bench.bulk import HistoryPlan, bulk_history, plan_for
from aicode.bench.options import BenchOptions
from aicode.bench.spool import write_frame
from aicode.demo.config import DEMO_ORG_NAME, DemoConfig
from aicode.demo.generate import generate_facts
from aicode.demo.people import generate_developers
from aicode.model.facts import Fact
from aicode.model.tenancy import Organization, Scope
from aicode.store.duckdb import DuckDBStore

_PEOPLE_CHUNK: Final = 1_000

DayProgress = Callable[[int, int], None]
"""Called with (days generated, facts generated) as generation advances."""
BulkProgress = Callable[[int, dict[str, int]], None]
"""Called with (days loaded, rows per fact table) as the bulk history loads."""


@dataclasses.dataclass
class Prepared:
    """A store holding the organization's people, with its facts waiting in spool files."""

    workdir: Path
    db_path: Path
    store: DuckDBStore
    org: Organization
    read_token: str
    ingest_token: str
    spools: list[Path]
    start: dt.date
    end: dt.date
    developers: int
    departments: int
    events: int
    batches: int
    body_bytes: int
    fact_counts: dict[str, int]
    generate_s: float
    plan: HistoryPlan
    bulk_rows: dict[str, int]  # rows the bulk history put in each fact table
    bulk_s: float  # time the bulk history took to load


def fact_type(fact: Fact) -> str:
    """The wire type of a fact: completion, chat, change, commit or typing."""
    return str(type(fact).__struct_config__.tag)


def _days_done(fact: Fact, start: dt.date) -> int:
    """Days of the window before this fact's (facts come day by day)."""
    ts = fact.ts
    when = ts if isinstance(ts, dt.datetime) else dt.datetime.fromtimestamp(ts / 1000, dt.UTC)
    return max(0, (when.date() - start).days)


def exact_batches(batches: Iterable[list[Fact]], size: int) -> Iterator[list[Fact]]:
    """The facts of ``batches``, in order, re-cut into lists of exactly ``size`` (or fewer)."""
    # The demo sizes its batches for the store (one fact type each); the bench, for the wire.
    pending: list[Fact] = []
    for batch in batches:
        pending.extend(batch)
        while len(pending) >= size:
            yield pending[:size]
            del pending[:size]
    if pending:
        yield pending


def _capped(batches: Iterable[list[Fact]], limit: int | None) -> Iterator[list[Fact]]:
    """The batches, cut off after ``limit`` facts in all (None: no limit)."""
    left = limit
    for batch in batches:
        if left is None:
            yield batch
            continue
        if left <= 0:
            return
        yield batch[:left]
        left -= len(batch)


def prepare(
    options: BenchOptions,
    workdir: Path,
    on_day: DayProgress | None = None,
    on_bulk_day: BulkProgress | None = None,
    plan: HistoryPlan | None = None,
) -> Prepared:
    """Open a new store in ``workdir``, import the people, load any bulk history, spool facts."""
    plan = plan or plan_for(options)
    end = plan.end
    people = DemoConfig(
        seed=options.seed, developers=options.developers, days=options.days, end=end
    )
    config = DemoConfig(
        seed=options.seed,
        developers=options.developers,
        days=plan.http_days,
        end=end,
        batch_size=options.batch_size,
    )
    db_path = workdir / "bench.duckdb"
    store = DuckDBStore(str(db_path))
    try:
        started = time.perf_counter()
        developers = generate_developers(people)
        org = store.create_organization(DEMO_ORG_NAME)
        records = [dev.person_record() for dev in developers]
        for first in range(0, len(records), _PEOPLE_CHUNK):
            store.import_people(org, records[first : first + _PEOPLE_CHUNK])
        read_token = store.create_token(org, "bench-read", [Scope.READ])[1]
        ingest_token = store.create_token(org, "bench-ingest", [Scope.INGEST])[1]
        bulk_rows: dict[str, int] = {}
        bulk_s = 0.0
        if plan.bulk_days:
            began = time.perf_counter()
            bulk_rows = store.load_bulk_history(
                bulk_history(org.num, options.seed, plan), on_bulk_day
            )
            bulk_s = time.perf_counter() - began
        spools = [workdir / f"client-{n}.spool" for n in range(options.clients)]
        counts: Counter[str] = Counter()
        encoder = msgspec.json.Encoder()
        events = batches = body_bytes = 0
        files = [path.open("wb") for path in spools]
        try:
            facts = _capped(generate_facts(config), plan.ingest_events)
            for batch in exact_batches(facts, options.batch_size):
                counts.update(fact_type(f) for f in batch)
                body = encoder.encode_lines(batch)
                if options.gzip:
                    body = gzip.compress(body, compresslevel=1)
                write_frame(files[batches % len(files)], body, len(batch))
                batches += 1
                events += len(batch)
                body_bytes += len(body)
                if on_day is not None:
                    on_day(_days_done(batch[-1], config.start), events)
        finally:
            for out in files:
                out.close()
        if on_day is not None:
            on_day(config.days, events)
        return Prepared(
            workdir=workdir,
            db_path=db_path,
            store=store,
            org=org,
            read_token=read_token,
            ingest_token=ingest_token,
            spools=spools,
            start=plan.start,
            end=end,
            developers=len(developers),
            departments=len(store.list_departments(org)),
            events=events,
            batches=batches,
            body_bytes=body_bytes,
            fact_counts=dict(sorted(counts.items())),
            generate_s=time.perf_counter() - started - bulk_s,
            plan=plan,
            bulk_rows=bulk_rows,
            bulk_s=bulk_s,
        )
    except BaseException:
        store.close()
        raise
