"""Talking to the server: configuration, the fingerprint key, and sending facts.

Standard library HTTP (urllib): the hook starts in a few milliseconds and has no dependency
that could be missing from the environment a git hook or an agent runs in.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any, Final

from aicode import __version__
from aicode.attribution.fingerprint import ALGORITHM, decode_key
from aicode.hook.git import Repo
from aicode.hook.state import read_private, write_private

USER_AGENT: Final = f"aicode-hook/{__version__}"
SEND_TIMEOUT_S: Final = 5.0
KEY_FILE: Final = "key"


@dataclasses.dataclass(frozen=True)
class ClientConfig:
    """Where to send and with which token; AICODE_URL / AICODE_TOKEN win over git config."""

    url: str | None
    token: str | None

    @property
    def complete(self) -> bool:
        """Whether both the server URL and a token are known."""
        return bool(self.url and self.token)


def load_config(repo: Repo | None, environ: Mapping[str, str] | None = None) -> ClientConfig:
    """The configuration for a repository: environment first, then ``git config aicode.*``."""
    env = os.environ if environ is None else environ
    values = repo.config_section("aicode") if repo is not None else {}
    url = env.get("AICODE_URL") or values.get("aicode.url") or None
    token = env.get("AICODE_TOKEN") or values.get("aicode.token") or None
    return ClientConfig(url=url.rstrip("/") if url else None, token=token)


class DeliveryError(Exception):
    """A request failed; ``permanent`` when resending the same body cannot succeed."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.status = status


# 401/403 are kept: a fixed token must still deliver what was spooled meanwhile.
_PERMANENT_STATUSES: Final = frozenset({400, 413, 422})


def _request(
    config: ClientConfig, method: str, path: str, body: bytes | None, timeout: float
) -> Any:
    if not config.complete:
        raise DeliveryError("aicode.url and aicode.token are not configured")
    headers = {
        "Authorization": f"Bearer {config.token}",
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
    }
    if body is not None:
        headers |= {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    try:
        request = urllib.request.Request(  # noqa: S310 -- the configured server, http(s) only
            f"{config.url}{path}", data=body, headers=headers, method=method
        )
    except ValueError as exc:
        raise DeliveryError(f"invalid server URL: {exc}") from exc
    if request.type not in ("http", "https"):
        raise DeliveryError(f"unsupported server URL scheme {request.type!r}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        detail = _error_message(exc)
        raise DeliveryError(
            f"server answered {exc.code}: {detail}",
            permanent=exc.code in _PERMANENT_STATUSES,
            status=exc.code,
        ) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"server unreachable: {reason}") from exc


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read())
        return str(body["error"]["message"])
    except (ValueError, KeyError, TypeError, OSError):
        return str(exc.reason)


def post_facts(
    config: ClientConfig, facts: Sequence[Mapping[str, Any]], *, timeout: float = SEND_TIMEOUT_S
) -> dict[str, Any]:
    """POST facts to ``/api/v1/ingest`` (gzip JSON); returns the server's answer."""
    body = gzip.compress(json.dumps(list(facts), separators=(",", ":")).encode(), 1)
    answer = _request(config, "POST", "/api/v1/ingest", body, timeout)
    return answer if isinstance(answer, dict) else {}


# Numbered lines and fingerprints per request: a few MiB of JSON, well under the server's body
# limit (32 MiB by default) even when a rebase or a range holds many large commits.
MAX_REQUEST_LINES: Final = 200_000


def _size(fact: Mapping[str, Any]) -> int:
    """How many numbered lines and fingerprints a fact carries."""
    size = 0
    for file in fact.get("files") or ():
        for name in ("addedLines", "deletedLines", "addedFingerprints", "deletedFingerprints"):
            size += len(file.get(name) or ())
    return size


def split_requests(facts: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Facts in order, in requests of at most MAX_REQUEST_LINES lines (a fact is never cut)."""
    parts: list[list[Mapping[str, Any]]] = []
    room = 0
    for fact in facts:
        size = _size(fact)
        if not parts or size > room:
            parts.append([])
            room = MAX_REQUEST_LINES
        parts[-1].append(fact)
        room -= size
    return parts


def post_all(
    config: ClientConfig, facts: Sequence[Mapping[str, Any]], *, timeout: float = SEND_TIMEOUT_S
) -> dict[str, Any]:
    """POST facts in as many requests as their size needs; the answers added up.

    Refused facts keep their index in ``facts``. When a request fails, the ones before it
    were stored: sending everything again is harmless (the server knows them).
    """
    total: dict[str, Any] = {"accepted": 0, "duplicates": 0, "rejected": []}
    offset = 0
    for part in split_requests(facts):
        answer = post_facts(config, part, timeout=timeout)
        total["accepted"] += int(answer.get("accepted") or 0)
        total["duplicates"] += int(answer.get("duplicates") or 0)
        for item in answer.get("rejected") or []:
            placed = isinstance(item, dict) and isinstance(item.get("index"), int)
            total["rejected"].append(item | {"index": item["index"] + offset} if placed else item)
        offset += len(part)
    return total


def fetch_key(config: ClientConfig, *, timeout: float = SEND_TIMEOUT_S) -> dict[str, str]:
    """The organization's fingerprint key document from the server."""
    answer = _request(config, "GET", "/api/v1/fingerprint-key", None, timeout)
    if not isinstance(answer, dict) or answer.get("algorithm") != ALGORITHM:
        raise DeliveryError("the server's fingerprint algorithm is not " + ALGORITHM)
    return {k: str(answer.get(k, "")) for k in ("organizationId", "algorithm", "key")}


def organization_key(repo: Repo, config: ClientConfig, *, timeout: float = SEND_TIMEOUT_S) -> bytes:
    """The fingerprint key, from ``.git/aicode/key`` or else fetched once and cached there."""
    path = repo.state_dir / KEY_FILE
    cached = read_private(path)
    if cached is not None:
        try:
            document = json.loads(cached)
            if document.get("url") == config.url and document.get("algorithm") == ALGORITHM:
                return decode_key(document["key"])
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # a damaged cache is fetched again
    document = fetch_key(config, timeout=timeout)
    try:
        key = decode_key(document["key"])
    except ValueError as exc:
        raise DeliveryError(f"the server sent an invalid key: {exc}", permanent=True) from exc
    write_private(path, json.dumps({"url": config.url, **document}).encode())
    return key
