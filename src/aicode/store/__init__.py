"""Storage: one interface (``Store``), an embedded DuckDB backend, opened from a URL."""

from __future__ import annotations

from aicode.errors import ConfigurationError
from aicode.store.base import (
    DirectoryResult,
    IngestOutcome,
    PersonRecord,
    Rejection,
    Store,
)

__all__ = [
    "DirectoryResult",
    "IngestOutcome",
    "PersonRecord",
    "Rejection",
    "Store",
    "open_store",
]


def store_path(url: str) -> str:
    """The file a store URL names.

    As in SQLAlchemy: ``duckdb:///data/x.duckdb`` is relative, ``duckdb:////srv/x.duckdb``
    absolute, ``duckdb:///:memory:`` in memory; a URL without a scheme is a plain path.
    """
    if url.startswith("duckdb://"):
        rest = url.removeprefix("duckdb://")
        if not rest.startswith("/") or rest == "/":
            raise ConfigurationError(f"invalid store URL {url!r}; use duckdb:///path")
        return rest[1:]
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise ConfigurationError(f"unsupported store URL scheme {scheme!r}; use duckdb:///path")
    if not url:
        raise ConfigurationError("the store location is empty; set AICODE_DB or --db")
    return url


def open_store(
    url: str,
    *,
    group_commit_max: int = 64,
    read_threads: int = 8,
    attribution_window_days: int = 30,
) -> Store:
    """Open (creating and migrating if needed) the store a URL or path names."""
    from aicode.store.duckdb import DuckDBStore

    return DuckDBStore(
        store_path(url),
        group_commit_max=group_commit_max,
        read_threads=read_threads,
        attribution_window_days=attribution_window_days,
    )
