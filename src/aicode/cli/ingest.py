"""``aicode ingest FILE``: send facts from an NDJSON (or JSON array) file, with progress."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import httpx
import msgspec
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from aicode.cli.options import emit_json, open_cli_store, setting_options, settings_from
from aicode.cli.tenancy import org_or_exit
from aicode.ingest.decode import decode_item
from aicode.ingest.service import ingest_items
from aicode.store.base import IngestOutcome, Rejection


def _chunks(path: Path, batch_size: int) -> Iterator[tuple[list[bytes], int]]:
    """Batches of raw fact documents with the number of file bytes they used."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        head = handle.read(1)
        while head.isspace():
            head = handle.read(1)
        if head == b"[":
            data = head + handle.read()
            raws = [bytes(r) for r in msgspec.json.decode(data, type=list[msgspec.Raw])]
            for start in range(0, len(raws), batch_size):
                part = raws[start : start + batch_size]
                yield part, len(data) * len(part) // max(1, len(raws))
            return
        batch: list[bytes] = []
        used = 0
        first = head + handle.readline()
        for line in [first, *handle]:
            used += len(line)
            if line.strip():
                batch.append(line.strip())
            if len(batch) >= batch_size:
                yield batch, used
                batch, used = [], 0
        if batch or used:
            yield batch, used


def _send_http(client: httpx.Client, url: str, token: str, docs: list[bytes]) -> IngestOutcome:
    body = gzip.compress(b"\n".join(docs), compresslevel=1)
    response = client.post(
        url.rstrip("/") + "/api/v1/ingest",
        content=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/x-ndjson",
            "Content-Encoding": "gzip",
        },
    )
    if response.status_code not in (200, 400) or "accepted" not in response.text[:200]:
        detail = response.text[:300]
        raise click.ClickException(f"server answered {response.status_code}: {detail}")
    data = response.json()
    return IngestOutcome(
        accepted=data["accepted"],
        duplicates=data["duplicates"],
        rejected=[Rejection(r["index"], r["field"], r["reason"]) for r in data["rejected"]],
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", envvar="AICODE_URL", help="Server to send to [env AICODE_URL].")
@click.option("--token", envvar="AICODE_TOKEN", help="Ingest token [env AICODE_TOKEN].")
@click.option("--org", "org_id", help="Write straight into the store (--db) for this org.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 50_000))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@setting_options("db")
def ingest(
    file: Path,
    url: str | None,
    token: str | None,
    org_id: str | None,
    batch_size: int,
    as_json: bool,
    quiet: bool,
    **values: Any,
) -> None:
    """Ingest FILE (NDJSON, JSON array, optionally .gz) over HTTP or straight into a store.

    Exits 0 when every fact was stored or already known, 1 when some were rejected.
    """
    if bool(url) == bool(org_id):
        raise click.UsageError("give either --url (with --token) or --org (with --db)")
    if url and not token:
        raise click.UsageError("--url needs --token (or AICODE_TOKEN)")
    total = IngestOutcome()
    offset = 0
    store = open_cli_store(settings_from(values)) if org_id else None
    client = httpx.Client(timeout=120) if url else None
    try:
        org = org_or_exit(store, org_id) if store and org_id else None
        progress = Progress(
            TextColumn("ingest"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[facts]} facts"), disable=quiet or as_json,
        )
        with progress:
            task = progress.add_task("ingest", total=os.path.getsize(file), facts=0)
            for docs, used in _chunks(file, batch_size):
                if client is not None and url and token:
                    outcome = _send_http(client, url, token, docs)
                else:
                    assert store is not None and org is not None
                    items = [decode_item(doc, i) for i, doc in enumerate(docs)]
                    outcome = ingest_items(store, org, items)
                for r in outcome.rejected:
                    total.rejected.append(Rejection(r.index + offset, r.field, r.reason))
                total.accepted += outcome.accepted
                total.duplicates += outcome.duplicates
                offset += len(docs)
                progress.update(task, advance=used, facts=offset)
    finally:
        if store is not None:
            store.close()
        if client is not None:
            client.close()
    summary = {"accepted": total.accepted, "duplicates": total.duplicates,
               "rejected": [r.as_dict() for r in total.rejected]}
    if as_json:
        emit_json(summary)
    else:
        click.echo(f"{total.accepted} accepted, {total.duplicates} duplicates, "
                   f"{len(total.rejected)} rejected")
        for r in total.rejected[:50]:
            click.echo(f"  item {r.index}: {r.field or '-'}: {r.reason}", err=True)
    if total.rejected:
        raise SystemExit(1)
