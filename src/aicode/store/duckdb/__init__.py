"""The embedded DuckDB store: one file, one writer thread, a pool of reader cursors."""

from aicode.store.duckdb.backend import DuckDBStore

__all__ = ["DuckDBStore"]
