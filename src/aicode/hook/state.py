"""Files under ``.git/aicode``: atomic writes, the private key cache, the log and a lock."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

LOG_FILE: Final = "hook.log"
LOG_LIMIT_BYTES: Final = 512 * 1024


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write a file so that readers see either nothing or all of it, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".tmp-{secrets.token_hex(6)}-{path.name}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (mode 0600)."""
    write_atomic(path, data, mode=0o600)
    path.chmod(0o600)


def read_private(path: Path) -> bytes | None:
    """A file's content, None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def log(state_dir: Path, message: str) -> None:
    """Append a line to ``.git/aicode/hook.log`` (never tokens or code), rotating it when big."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        path = state_dir / LOG_FILE
        if path.exists() and path.stat().st_size > LOG_LIMIT_BYTES:
            path.replace(path.with_name(LOG_FILE + ".1"))
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{stamp} [{os.getpid()}] {message}\n")
    except OSError:
        pass  # logging must never be the reason a hook fails


@contextlib.contextmanager
def exclusive(path: Path, *, wait_s: float) -> Iterator[bool]:
    """Hold an exclusive lock file for the block; yields False when it stayed busy ``wait_s``."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one deliverer at a time is then not guaranteed
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
