"""One ingest client process: posts its spool's pre-serialized batches over one keep-alive
connection; each request waits for the server's answer, which comes only after the commit.

Only the standard library is imported here, so a spawned client starts fast, and its work
(reading frames, parsing the small answers) never shares the server's GIL.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import time
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from aicode.bench.spool import read_frame


@dataclasses.dataclass
class ClientReport:
    """What one client process did; times are on the system-wide monotonic clock."""

    client: int
    requests: int = 0
    events: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    latencies_ms: list[float] = dataclasses.field(default_factory=list)


def _headers(token: str, gzip: bool) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/x-ndjson",
        "Connection": "keep-alive",
    }
    if gzip:
        headers["Content-Encoding"] = "gzip"
    return headers


def _post_all(
    report: ClientReport,
    conn: http.client.HTTPConnection,
    spool: Path,
    headers: dict[str, str],
    acked: Synchronized[int],
) -> None:
    with spool.open("rb") as frames:
        while (frame := read_frame(frames)) is not None:
            body, count = frame
            sent = time.perf_counter()
            conn.request("POST", "/api/v1/ingest", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            report.latencies_ms.append((time.perf_counter() - sent) * 1000)
            report.requests += 1
            if response.status != 200:
                report.errors.append(f"HTTP {response.status}: {answer[:300]!r}")
                continue
            outcome = json.loads(answer)
            report.events += count
            report.accepted += int(outcome["accepted"])
            report.duplicates += int(outcome["duplicates"])
            report.rejected += len(outcome["rejected"])
            with acked.get_lock():
                acked.value += count


def post_spool(
    client: int,
    host: str,
    port: int,
    token: str,
    spool: str,
    gzip: bool,
    ready: Synchronized[int],
    go: Event,
    abandon: Synchronized[int],
    acked: Synchronized[int],
    reports: Queue[dict[str, Any]],
) -> None:
    """Post every batch of a spool file to POST /api/v1/ingest, then report what happened."""
    # Connect, count as ``ready``, wait for ``go`` so that every client starts at once; if
    # ``abandon`` is set by then (another client failed to start), post nothing.
    report = ClientReport(client)
    conn = http.client.HTTPConnection(host, port, timeout=600)
    try:
        conn.connect()
        with ready.get_lock():
            ready.value += 1
        go.wait()
        if abandon.value:
            report.errors.append("the run was abandoned before it started")
            return
        report.started = time.monotonic()
        _post_all(report, conn, Path(spool), _headers(token, gzip), acked)
    except Exception as exc:  # reported to the parent, which prints it
        report.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        report.finished = time.monotonic()
        conn.close()
        reports.put(dataclasses.asdict(report))
