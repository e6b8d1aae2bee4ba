"""The spool, ``.git/aicode/spool/``: work written before it is sent, removed once delivered.

Each hook run writes one file (atomically) and then delivers every pending file, oldest first,
under a lock so that two runs never send the same file. A file holds commits to send (by hash:
their fingerprints are computed when sent, with the key fetched once the server answers) and
ready facts (a rewrite, an agent's change). A file is deleted only after the server stored it;
one the server refuses for good moves to ``.git/aicode/rejected/``. A resend after a crash
between the two is harmless: the server recognises a commit by its hash and a fact by its id.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from aicode.hook.commits import build_commit_facts
from aicode.hook.git import BranchInfo, GitError, Repo, existing_commits
from aicode.hook.state import exclusive, log, write_atomic
from aicode.hook.transport import (
    SEND_TIMEOUT_S,
    ClientConfig,
    DeliveryError,
    organization_key,
    post_all,
)

SPOOL_DIR: Final = "spool"
REJECTED_DIR: Final = "rejected"
LOCK_FILE: Final = "spool.lock"
FORMAT_VERSION: Final = 1


def spool_dir(repo: Repo) -> Path:
    """Where pending batches wait."""
    return repo.state_dir / SPOOL_DIR


def pending(repo: Repo) -> list[Path]:
    """Pending batch files, oldest first."""
    folder = spool_dir(repo)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.name[0] != ".")


def enqueue(
    repo: Repo,
    repo_name: str,
    *,
    commits: Sequence[tuple[str, BranchInfo]] = (),
    facts: Sequence[dict[str, Any]] = (),
) -> Path:
    """Write one batch file: commits to send by hash, and ready facts."""
    document = {
        "version": FORMAT_VERSION,
        "repo": repo_name,
        "commits": [
            {"hash": h, "branch": b.name, "isPrimaryBranch": b.primary} for h, b in commits
        ],
        "facts": list(facts),
    }
    # Names sort in the order the batches were written.
    name = f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(3)}.json"
    path = spool_dir(repo) / name
    write_atomic(path, json.dumps(document, separators=(",", ":")).encode())
    return path


@dataclasses.dataclass
class FlushResult:
    """What one delivery pass did."""

    delivered: int = 0  # batch files the server stored
    facts: int = 0  # facts in them
    duplicates: int = 0  # of which the server already had
    rejected: int = 0  # batch files the server refused for good (kept in rejected/)
    remaining: int = 0  # batch files still waiting
    error: str | None = None  # why delivery stopped early (server unreachable, ...)
    busy: bool = False  # another process held the spool for the whole wait

    def as_dict(self) -> dict[str, Any]:
        """The result as ``--json`` prints it."""
        return dataclasses.asdict(self)


def _build(repo: Repo, config: ClientConfig, document: dict[str, Any]) -> list[dict[str, Any]]:
    refs = document.get("commits") or []
    built: list[dict[str, Any]] = []
    if refs:
        key = organization_key(repo, config)
        present = existing_commits(repo, [r["hash"] for r in refs])
        available = [r for r in refs if r["hash"] in present]
        missing = len(refs) - len(available)
        if missing:
            log(repo.state_dir, f"{missing} spooled commit(s) no longer exist; skipped")
        refs = [
            (r["hash"], BranchInfo(r.get("branch"), bool(r.get("isPrimaryBranch"))))
            for r in available
        ]
        built.extend(build_commit_facts(repo, key, document["repo"], refs))
    built.extend(document.get("facts") or [])
    return built


def _set_aside(repo: Repo, path: Path, reason: str) -> None:
    target = repo.state_dir / REJECTED_DIR / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    log(repo.state_dir, f"batch {path.name} refused, kept in {REJECTED_DIR}/: {reason}")


def _deliver_one(
    repo: Repo, config: ClientConfig, path: Path, timeout: float, result: FlushResult
) -> bool:
    """Send one batch file; False when delivery must stop (the server is unreachable)."""
    try:
        document = json.loads(path.read_bytes())
        if document.get("version") != FORMAT_VERSION:
            raise ValueError(f"unknown spool format {document.get('version')!r}")
        batch = _build(repo, config, document)
    except FileNotFoundError:
        return True  # delivered by another process meanwhile
    except (ValueError, KeyError, TypeError, AttributeError, GitError) as exc:
        _set_aside(repo, path, f"unreadable batch: {exc}")
        result.rejected += 1
        return True
    except DeliveryError as exc:  # the key could not be fetched
        return _failed(repo, path, exc, result)
    if batch:
        try:
            answer = post_all(config, batch, timeout=timeout)
        except DeliveryError as exc:
            return _failed(repo, path, exc, result)
        refused = answer.get("rejected") or []
        for item in refused:
            log(repo.state_dir, f"batch {path.name}: server refused a fact: {item}")
        result.facts += len(batch)
        result.duplicates += int(answer.get("duplicates") or 0)
        counts = (
            f"{answer.get('accepted')} stored, {answer.get('duplicates')} known, "
            f"{len(refused)} refused"
        )
    else:
        counts = "empty"
    path.unlink(missing_ok=True)
    result.delivered += 1
    log(repo.state_dir, f"delivered {path.name}: {counts}")
    return True


def _failed(repo: Repo, path: Path, exc: DeliveryError, result: FlushResult) -> bool:
    if exc.permanent:
        _set_aside(repo, path, str(exc))
        result.rejected += 1
        return True
    result.error = str(exc)
    log(repo.state_dir, f"delivery postponed, {path.name} stays spooled: {exc}")
    return False


def flush(
    repo: Repo, config: ClientConfig, *, timeout: float = SEND_TIMEOUT_S, wait_s: float = 20.0
) -> FlushResult:
    """Deliver every pending batch, oldest first, until done or the server is unreachable."""
    result = FlushResult()
    with exclusive(repo.state_dir / LOCK_FILE, wait_s=wait_s) as held:
        if not held:
            result.busy = True
        elif not config.complete:
            if pending(repo):
                result.error = "aicode.url and aicode.token are not configured"
        else:
            # Batches written while this pass runs are picked up by the next round.
            while (files := pending(repo)) and result.error is None:
                progressed = False
                for path in files:
                    if not _deliver_one(repo, config, path, timeout, result):
                        break
                    progressed = True
                if not progressed:
                    break
    result.remaining = len(pending(repo))
    return result
