"""``aicode ingest FILE``: send facts from an NDJSON (or JSON array) file, with progress."""

from __future__ import annotations

import gzip
import io
import itertools
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
    """Batches of raw fact documents, each with how far into the file (bytes on disk) it ends.

    Documents are single-line JSON, so a batch can be sent as NDJSON whatever the file's form.
    """
    with path.open("rb") as raw:
        handle: io.BufferedIOBase = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
        try:
            head = handle.read(1)
            while head.isspace():
                head = handle.read(1)
            if head == b"[":
                yield from _array_chunks(head + handle.read(), raw.tell(), batch_size)
                return
            batch: list[bytes] = []
            for line in itertools.chain([head + handle.readline()], handle):
                if line.strip():
                    batch.append(line.strip())
                if len(batch) >= batch_size:
                    yield batch, raw.tell()
                    batch = []
            if batch:
                yield batch, raw.tell()
        except (OSError, EOFError) as exc:  # a damaged .gz file
            raise click.ClickException(f"cannot read {path}: {exc}") from exc


def _array_chunks(data: bytes, size: int, batch_size: int) -> Iterator[tuple[list[bytes], int]]:
    try:
        raws = msgspec.json.decode(data, type=list[msgspec.Raw])
    except msgspec.DecodeError as exc:
        raise click.ClickException(f"the file is not a valid JSON array: {exc}") from exc
    # Outside strings, a newline in valid JSON is whitespace: flatten each item to one line.
    docs = [bytes(r).replace(b"\n", b" ").replace(b"\r", b" ") for r in raws]
    for start in range(0, len(docs), batch_size):
        end = min(start + batch_size, len(docs))
        yield docs[start:end], size * end // len(docs)


def _send_http(client: httpx.Client, url: str, token: str, docs: list[bytes]) -> IngestOutcome:
    body = gzip.compress(b"\n".join(docs), compresslevel=1)
    try:
        response = client.post(
            url.rstrip("/") + "/api/v1/ingest",
            content=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/x-ndjson",
                "Content-Encoding": "gzip",
            },
        )
    except httpx.HTTPError as exc:
        raise click.ClickException(f"cannot reach {url}: {exc}") from exc
    try:
        data = response.json()
    except ValueError:
        data = None
    # 200, or 400 when every fact of the batch was rejected: both carry the per-item answer.
    if not isinstance(data, dict) or "accepted" not in data:
        detail = response.text[:300]
        hint = "; try a smaller --batch-size" if response.status_code == 413 else ""
        raise click.ClickException(f"server answered {response.status_code}: {detail}{hint}")
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
@click.option(
    "--batch-size",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 50_000),
    help="Facts per request (per transaction with --org).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@setting_options("db")
def ingest(
    *,
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
            TextColumn("ingest"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[facts]} facts"),
            disable=quiet or as_json,
        )
        with progress:
            task = progress.add_task("ingest", total=file.stat().st_size, facts=0)
            for docs, done in _chunks(file, batch_size):
                if client is not None and url and token:
                    outcome = _send_http(client, url, token, docs)
                else:
                    assert store is not None
                    assert org is not None
                    items = [decode_item(doc, i) for i, doc in enumerate(docs)]
                    outcome = ingest_items(store, org, items)
                for r in outcome.rejected:
                    total.rejected.append(Rejection(r.index + offset, r.field, r.reason))
                total.accepted += outcome.accepted
                total.duplicates += outcome.duplicates
                offset += len(docs)
                progress.update(task, completed=done, facts=offset)
    finally:
        if store is not None:
            store.close()
        if client is not None:
            client.close()
    summary = {
        "accepted": total.accepted,
        "duplicates": total.duplicates,
        "rejected": [r.as_dict() for r in total.rejected],
    }
    if as_json:
        emit_json(summary)
    else:
        click.echo(
            f"{total.accepted} accepted, {total.duplicates} duplicates, "
            f"{len(total.rejected)} rejected"
        )
        for r in total.rejected[:50]:
            click.echo(f"  item {r.index}: {r.field or '-'}: {r.reason}", err=True)
    if total.rejected:
        raise SystemExit(1)
