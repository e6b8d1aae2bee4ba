"""One ingestion path for the HTTP API and the command line."""

from __future__ import annotations

from collections.abc import Sequence

from aicode.ingest.decode import decode_batch, gunzip
from aicode.model.facts import Fact
from aicode.model.tenancy import Organization
from aicode.store.base import IngestOutcome, Rejection, Store


def ingest_items(
    store: Store, org: Organization, items: Sequence[Fact | Rejection]
) -> IngestOutcome:
    """Store the decoded facts of a batch; items that failed to decode are reported as such."""
    facts = [(i, item) for i, item in enumerate(items) if not isinstance(item, Rejection)]
    early = [item for item in items if isinstance(item, Rejection)]
    outcome = store.ingest(org, facts) if facts else IngestOutcome()
    outcome.rejected = sorted([*early, *outcome.rejected], key=lambda r: r.index)
    return outcome


def ingest_body(
    store: Store,
    org: Organization,
    body: bytes,
    *,
    gzip: bool,
    max_body_bytes: int,
    max_items: int,
    json_array: bool = False,
) -> IngestOutcome:
    """Decode (and gunzip) a request body and store its facts."""
    if gzip:
        body = gunzip(body, max_body_bytes)
    items = decode_batch(body, max_items=max_items, json_array=json_array)
    return ingest_items(store, org, items)
