"""History rewrites: old commits replaced by new ones stop counting; new ones learn when.

A ``rewrite`` fact (git's post-rewrite after amend or rebase) maps old hashes to new ones in
one repository. Whichever arrives first, the mapping or the commits, the result is the same:
the old commit is marked ``replaced_by`` the new hash and taken out of the commit rollups, and
the new commit gets ``rewritten_at`` (the time of the rewrite) so that AI edits made between
its author time and the rewrite (an amend's new lines) can still match its lines.
"""

from __future__ import annotations

import contextlib
from typing import Final

import duckdb
import pyarrow as pa

from aicode.store.duckdb.commit_rollups import remove

# Every mapping with the time of its rewrite.
_MAPPINGS: Final = """
SELECT m.org_num, m.repo, m.old_hash, m.new_hash, w.ts
FROM rewrite_mappings m JOIN rewrites w ON w.k = m.k
"""
_KEY_HEX: Final = "replace(CAST(c.k AS VARCHAR), '-', '')"


def link_new_commits(con: duckdb.DuckDBPyConnection, commits_view: str) -> None:
    """Set ``rewritten_at`` on the commits in ``commits_view`` that a known rewrite produced."""
    con.execute(
        f"""
        UPDATE commits c SET rewritten_at = r.at
        FROM (SELECT org_num, repo, new_hash, max(ts) AS at FROM ({_MAPPINGS}) GROUP BY ALL) r
        WHERE c.k IN (SELECT CAST(k AS UUID) FROM {commits_view})
          AND c.org_num = r.org_num AND c.repo = r.repo AND c.commit_hash = r.new_hash
        """
    )


def link_mapped_commits(con: duckdb.DuckDBPyConnection, rewrites_view: str) -> list[str]:
    """Set ``rewritten_at`` on known commits that newly arrived rewrites produced.

    Returns the keys (hex) of the server-attributed ones whose window grew, to re-attribute.
    """
    rows = con.execute(
        f"""
        UPDATE commits c SET rewritten_at = r.at
        FROM (
            SELECT m.org_num, m.repo, m.new_hash, max(w.ts) AS at
            FROM rewrite_mappings m JOIN rewrites w ON w.k = m.k
            WHERE m.k IN (SELECT CAST(k AS UUID) FROM {rewrites_view})
            GROUP BY ALL
        ) r
        WHERE c.org_num = r.org_num AND c.repo = r.repo AND c.commit_hash = r.new_hash
          AND (c.rewritten_at IS NULL OR c.rewritten_at < r.at)
        RETURNING {_KEY_HEX}, c.attribution_origin, c.ts, c.rewritten_at
        """
    ).fetchall()
    return [k for k, origin, ts, at in rows if origin == "server" and at > ts]


def _replace(con: duckdb.DuckDBPyConnection, targets: str) -> None:
    """Mark the commits ``targets`` selects (k, org_num, new_hash) replaced; take them out."""
    found = con.execute(targets).fetchall()
    if not found:
        return
    replaced = pa.table(
        {
            "k": pa.array([str(k).replace("-", "") for k, _, _ in found], pa.string()),
            "new_hash": pa.array([new for _, _, new in found], pa.string()),
        }
    )
    con.register("replaced_commits", replaced)
    try:
        remove(con, "replaced_commits", {int(org) for _, org, _ in found})
        for table in ("commits", "commit_files"):
            con.execute(
                f"UPDATE {table} t SET replaced_by = r.new_hash FROM replaced_commits r"
                " WHERE t.k = CAST(r.k AS UUID)"
            )
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("replaced_commits")


def replace_new_commits(con: duckdb.DuckDBPyConnection, commits_view: str) -> None:
    """Replace the newly stored commits that an earlier rewrite already mapped to new ones."""
    _replace(
        con,
        f"""
        SELECT c.k, c.org_num, arg_max(r.new_hash, r.ts)
        FROM commits c JOIN ({_MAPPINGS}) r
          ON c.org_num = r.org_num AND c.repo = r.repo AND c.commit_hash = r.old_hash
        WHERE c.k IN (SELECT CAST(k AS UUID) FROM {commits_view}) AND c.replaced_by IS NULL
        GROUP BY c.k, c.org_num
        """,
    )


def replace_mapped_commits(con: duckdb.DuckDBPyConnection, rewrites_view: str) -> None:
    """Replace the known commits that newly arrived rewrites map to new ones."""
    _replace(
        con,
        f"""
        SELECT c.k, c.org_num, arg_max(m.new_hash, w.ts)
        FROM rewrite_mappings m JOIN rewrites w ON w.k = m.k
        JOIN commits c
          ON c.org_num = m.org_num AND c.repo = m.repo AND c.commit_hash = m.old_hash
        WHERE m.k IN (SELECT CAST(k AS UUID) FROM {rewrites_view}) AND c.replaced_by IS NULL
        GROUP BY c.k, c.org_num
        """,
    )
