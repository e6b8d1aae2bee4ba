"""What the database itself says about its tables (below the schema, so migrations can ask)."""

from __future__ import annotations

import duckdb


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """A table's column names, in order."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]
