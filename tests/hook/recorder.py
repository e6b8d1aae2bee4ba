"""A stand-in server on 127.0.0.1 that records what the clients send, byte for byte."""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aicode.attribution.fingerprint import ALGORITHM, encode_key
from tests.hook.gitrepo import KEY

TOKEN = "aic_test-token"


class Recorder:
    """Requests received; ``status`` makes ingest answer an error instead of storing."""

    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.key_requests = 0
        self.status = 200
        self.lock = threading.Lock()
        self.url = ""

    @property
    def facts(self) -> list[dict[str, Any]]:
        """Every fact received, in order."""
        with self.lock:
            return [fact for batch in self.batches for fact in batch]


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {TOKEN}":
                return True
            self._answer(
                401,
                {
                    "error": {
                        "code": "unauthenticated",
                        "message": "invalid API token",
                        "field": "Authorization",
                    }
                },
            )
            return False

        def do_GET(self) -> None:
            if self.path != "/api/v1/fingerprint-key" or not self._authorized():
                return
            with recorder.lock:
                recorder.key_requests += 1
            self._answer(
                200, {"organizationId": "org", "algorithm": ALGORITHM, "key": encode_key(KEY)}
            )

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if self.path != "/api/v1/ingest" or not self._authorized():
                return
            if recorder.status != 200:
                self._answer(
                    recorder.status, {"error": {"code": "x", "message": "refused", "field": None}}
                )
                return
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            facts = json.loads(body)
            with recorder.lock:
                recorder.batches.append(facts)
            self._answer(200, {"accepted": len(facts), "duplicates": 0, "rejected": []})

    return Handler


@contextlib.contextmanager
def recording_server() -> Iterator[Recorder]:
    """Serve a Recorder on a free loopback port until the block ends."""
    recorder = Recorder()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
