"""The application served by uvicorn on a free loopback port, in a thread of this process.

DuckDB allows one process per database file, so the server runs here, next to the cursor
that times the raw SQL baseline; the ingest load comes from other processes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

from aicode.app import collect_less_often


@contextlib.contextmanager
def serve(app: FastAPI, *, start_timeout_s: float = 20.0) -> Iterator[tuple[str, int]]:
    """Serve ``app`` on 127.0.0.1 and a free port; yields (host, port), stops on exit."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the
    # listening socket says TCP; with proto 0 every response pays a 40 ms delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # a log line per request would be benchmarked too
        lifespan="on",
        timeout_keep_alive=60,
        backlog=256,
    )
    server = uvicorn.Server(config)
    collect_less_often()  # as `aicode serve` does
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="aicode-bench-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the benchmark server did not start")
        time.sleep(0.01)
    try:
        yield str(host), int(port)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
