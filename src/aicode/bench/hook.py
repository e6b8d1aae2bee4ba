"""The git hook's cost: ``git commit`` of a 1,000-line change with and without the hook.

Two repositories take turns committing the same kind of change; one has the hook installed
and configured against a stand-in server on 127.0.0.1 that accepts every batch. ``git commit``
waits only for the hook's foreground part (a shell script that starts a detached process), so
the time of that detached process (diff, fingerprints, HTTP) is measured separately, by
running it in the foreground on the same commit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aicode
from aicode.attribution.fingerprint import ALGORITHM, encode_key, new_key
from aicode.hook import install as installer
from aicode.hook.git import find_repo
from aicode.hook.state import exclusive


@dataclasses.dataclass
class HookBenchResult:
    """Milliseconds per run of each case."""

    lines: int
    without_hook_ms: list[float]
    with_hook_ms: list[float]
    background_ms: list[float]

    @property
    def ratio(self) -> float:
        """Median commit time with the hook over the median without it."""
        return statistics.median(self.with_hook_ms) / statistics.median(self.without_hook_ms)

    @property
    def added_ms(self) -> float:
        """What the hook adds to a commit: median with it minus median without it."""
        return statistics.median(self.with_hook_ms) - statistics.median(self.without_hook_ms)

    def rows(self) -> list[dict[str, Any]]:
        """One row per case, for the report."""

        def row(case: str, times: list[float], ratio: float | None = None) -> dict[str, Any]:
            return {
                "case": case,
                "lines": self.lines,
                "runs": len(times),
                "median_ms": round(statistics.median(times), 2),
                "min_ms": round(min(times), 2),
                "ratio": None if ratio is None else round(ratio, 3),
            }

        return [
            row("git commit, no hook", self.without_hook_ms),
            row("git commit, with hook", self.with_hook_ms, self.ratio),
            row("hook's detached work (diff, fingerprints, send)", self.background_ms),
        ]


class _Accept(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"accepted": 1, "duplicates": 0, "rejected": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def _stand_in_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accept)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "AICODE_"))}
    source = str(Path(aicode.__file__).resolve().parents[1])
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        PYTHONPATH=os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p),
    )
    return env


def _git(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _repository(root: Path, env: dict[str, str]) -> None:
    root.mkdir(parents=True)
    _git(root, env, "init", "-q", "-b", "main")
    _git(root, env, "config", "user.email", "bench@aicode.dev")
    _git(root, env, "config", "user.name", "Bench")


def _timed_commit(root: Path, env: dict[str, str], run: int, lines: int) -> float:
    body = "".join(f"value_{run}_{i} = compute({i}, {run})\n" for i in range(lines))
    (root / f"module_{run}.py").write_text(body)
    _git(root, env, "add", "-A")
    began = time.perf_counter()
    _git(root, env, "commit", "-q", "-m", f"change {run}")
    return (time.perf_counter() - began) * 1000


def _wait_for_delivery(root: Path, deadline_s: float = 30.0) -> None:
    """Let the detached process finish, so that it does not compete with the next commit."""
    state = root / ".git/aicode"
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if (state / "spool").is_dir() and not any((state / "spool").glob("*.json")):
            break
        time.sleep(0.01)
    with exclusive(state / "spool.lock", wait_s=deadline_s):
        pass  # the deliverer releases the lock last


def measure_hook_overhead(
    *, lines: int = 1000, runs: int = 9, on_run: Callable[[int], None] | None = None
) -> HookBenchResult:
    """Time ``git commit`` of ``lines`` new lines with and without the hook.

    ``on_run`` is called with the number of finished runs, the untimed warm-up included.
    """
    workdir = Path(tempfile.mkdtemp(prefix="aicode-hook-bench-"))
    try:
        env = _environment(workdir / "home")
        (workdir / "home").mkdir()
        plain, hooked = workdir / "plain", workdir / "hooked"
        _repository(plain, env)
        _repository(hooked, env)
        with _stand_in_server() as url:
            _git(hooked, env, "config", "aicode.url", url)
            _git(hooked, env, "config", "aicode.token", "aic_bench")
            key = {"url": url, "organizationId": "bench", "algorithm": ALGORITHM}
            state = hooked / ".git/aicode"
            state.mkdir(parents=True)
            (state / "key").write_text(json.dumps(key | {"key": encode_key(new_key())}))
            installer.install(find_repo(hooked), python=sys.executable)
            result = HookBenchResult(lines, [], [], [])
            for run in range(runs + 1):
                without = _timed_commit(plain, env, run, lines)
                with_hook = _timed_commit(hooked, env, run, lines)
                _wait_for_delivery(hooked)
                began = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "aicode.hook", "post-commit", "", "refs/heads/main"],
                    cwd=hooked,
                    env=env,
                    check=True,
                )
                background = (time.perf_counter() - began) * 1000
                if run:  # the first run warms caches (git, Python bytecode)
                    result.without_hook_ms.append(without)
                    result.with_hook_ms.append(with_hook)
                    result.background_ms.append(background)
                if on_run is not None:
                    on_run(run + 1)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def hook_rows(*, lines: int = 1000, runs: int = 9) -> list[dict[str, Any]]:
    """The rows ``make bench`` reports for the hook's overhead."""
    return measure_hook_overhead(lines=lines, runs=runs).rows()
