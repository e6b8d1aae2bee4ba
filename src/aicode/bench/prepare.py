"""Setup: a fresh store, the demo organization's people and tokens, and its facts spooled.

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

from aicode.bench.options import BenchOptions
from aicode.bench.spool import write_frame
from aicode.demo.config import DEMO_ORG_NAME, DemoConfig, today_utc
from aicode.demo.generate import generate_facts
from aicode.demo.people import generate_developers
from aicode.model.facts import Fact
from aicode.model.tenancy import Organization, Scope
from aicode.store.duckdb import DuckDBStore

_PEOPLE_CHUNK: Final = 1_000

DayProgress = Callable[[int, int], None]
"""Called with (days generated, facts generated) as generation advances."""


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


def prepare(options: BenchOptions, workdir: Path, on_day: DayProgress | None = None) -> Prepared:
    """Open a new store in ``workdir``, import the people and spool every fact batch."""
    end = options.end or today_utc()
    config = DemoConfig(
        seed=options.seed,
        developers=options.developers,
        days=options.days,
        end=end,
        batch_size=options.batch_size,
    )
    db_path = workdir / "bench.duckdb"
    store = DuckDBStore(str(db_path))
    try:
        started = time.perf_counter()
        developers = generate_developers(config)
        org = store.create_organization(DEMO_ORG_NAME)
        records = [dev.person_record() for dev in developers]
        for first in range(0, len(records), _PEOPLE_CHUNK):
            store.import_people(org, records[first : first + _PEOPLE_CHUNK])
        read_token = store.create_token(org, "bench-read", [Scope.READ])[1]
        ingest_token = store.create_token(org, "bench-ingest", [Scope.INGEST])[1]
        spools = [workdir / f"client-{n}.spool" for n in range(options.clients)]
        counts: Counter[str] = Counter()
        encoder = msgspec.json.Encoder()
        events = batches = body_bytes = 0
        files = [path.open("wb") for path in spools]
        try:
            for batch in exact_batches(generate_facts(config), options.batch_size):
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
            start=config.start,
            end=end,
            developers=len(developers),
            departments=len(store.list_departments(org)),
            events=events,
            batches=batches,
            body_bytes=body_bytes,
            fact_counts=dict(sorted(counts.items())),
            generate_s=time.perf_counter() - started,
        )
    except BaseException:
        store.close()
        raise
