"""Server-side attribution in the DuckDB store, run by the fact writer after each insert.

- A commit that arrives without client attribution is attributed from the AI changes of its
  author (same repository when the change names one, same file, inside the window).
- A change that arrives after commits it could have written re-attributes them.
- A rewrite replaces old commits (they stop counting) and widens the new ones' window.
- A commit that renames a file gives the file's later commits its earlier names.

Everything runs in the writer's transaction, so a batch and its attribution commit together.
See ``reattribute`` for the recomputation and ``rewrites`` for history rewrites.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from aicode.store.duckdb import rewrites
from aicode.store.duckdb.reattribute import (
    KEY_HEX,
    NAME_SQL,
    UNTIL_SQL,
    keys_table,
    linked_names,
    recompute,
    repository_renames,
    view,
)
from aicode.store.duckdb.startup import is_done, mark_done

BACKFILL_TASK = "attribute commits stored before server-side attribution"


class Attributor:
    """Attribution work the fact writer hands over after inserting facts of a table."""

    def __init__(self, window_days: int) -> None:
        self.window_days = window_days

    def after_insert(self, con: duckdb.DuckDBPyConnection, table: str, new_rows: pa.Table) -> None:
        """Attribute or re-attribute what the newly inserted rows of ``table`` affect.

        ``new_rows`` are the rows as inserted (``k`` as 32 hex digits), not resent ones.
        """
        if not new_rows.num_rows:
            return
        if table == "commits":
            self._commits_arrived(con, new_rows)
        elif table == "changes":
            with view(con, "attribution_new", keys_table(new_rows["k"].to_pylist())) as new:
                bounds = pc.min_max(new_rows["ts"]).as_py()
                affected = self._affected_by_changes(con, new, bounds["min"], bounds["max"])
                recompute(con, affected, self.window_days)
        elif table == "rewrites":
            with view(con, "attribution_new", keys_table(new_rows["k"].to_pylist())) as new:
                recompute(con, rewrites.link_mapped_commits(con, new), self.window_days)
                rewrites.replace_mapped_commits(con, new)

    def backfill(self, con: duckdb.DuckDBPyConnection, *, chunk: int = 1000) -> int:
        """Attribute commits stored before server-side attribution existed; returns how many.

        They carry lines but neither client nor server attribution (``none``). It runs once
        per store: each chunk is one transaction, and the last one also marks the task done
        (``startup.py``), so a later open does not even look; a process that dies half-way
        leaves the task open and the next open attributes the commits still ``none``. The
        window is this store's (the ``attribution_window_days`` setting), the same that
        attributes commits as they arrive.
        """
        if is_done(con, BACKFILL_TASK):
            return 0
        rows = con.execute(
            f"""
            SELECT DISTINCT {KEY_HEX.format("c.k")} FROM commits c JOIN commit_files f ON f.k = c.k
            WHERE c.attribution_origin = 'none'
              AND (len(f.added_lines) > 0 OR len(f.deleted_lines) > 0)
            """
        ).fetchall()
        keys = sorted(r[0] for r in rows)
        starts = range(0, len(keys), chunk) or range(1)  # no commits: mark the task done alone
        for start in starts:
            con.execute("BEGIN TRANSACTION")
            try:
                recompute(con, keys[start : start + chunk], self.window_days)
                if start == starts[-1]:
                    mark_done(con, BACKFILL_TASK)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return len(keys)

    def _commits_arrived(self, con: duckdb.DuckDBPyConnection, new_rows: pa.Table) -> None:
        commits = new_rows.select(["k", "org_num", "repo", "commit_hash"])
        with view(con, "attribution_new", commits) as new:
            roles = con.execute(
                f"""
                SELECT bool_or(m.new_hash = n.commit_hash), bool_or(m.old_hash = n.commit_hash)
                FROM {new} n JOIN rewrite_mappings m
                  ON m.org_num = n.org_num AND m.repo = n.repo
                 AND n.commit_hash IN (m.new_hash, m.old_hash)
                """
            ).fetchall()
            produced, replaced = roles[0] if roles else (False, False)
            if produced:
                rewrites.link_new_commits(con, new)
            unattributed = new_rows.filter(pc.not_equal(new_rows["attribution_origin"], "client"))
            bounds = pc.min_max(new_rows["ts"]).as_py()
            renamed = self._affected_by_renames(con, new, bounds["min"], bounds["max"])
            keys = sorted({*unattributed["k"].to_pylist(), *renamed})
            recompute(con, keys, self.window_days)
            if replaced:
                rewrites.replace_new_commits(con, new)

    def _affected_by_changes(
        self, con: duckdb.DuckDBPyConnection, new: str, first: dt.datetime, last: dt.datetime
    ) -> list[str]:
        """Server-attributed commits whose window holds one of these changes' files.

        ``first`` and ``last`` bound the changes' times (a change's file rows carry its time):
        constant bounds on both tables let DuckDB skip the row groups that cannot match, which
        at 50M changes is the difference between a few and several hundred milliseconds.
        """
        edits = con.execute(
            f"""
            SELECT f.org_num, f.user_num, f.ts, ch.repo, {NAME_SQL.format("f.file_name")}
            FROM change_files f JOIN changes ch ON ch.k = f.k
            WHERE f.k IN (SELECT CAST(k AS UUID) FROM {new}) AND ch.accepted
              AND f.ts >= $first AND f.ts <= $last AND ch.ts >= $first AND ch.ts <= $last
              AND (len(f.added_fingerprints) > 0 OR len(f.deleted_fingerprints) > 0)
            """,
            {"first": first, "last": last},
        ).fetchall()
        if not edits:
            return []
        with view(con, "attribution_edits", _with_later_names(con, edits)) as edited:
            rows = con.execute(
                f"""
                WITH candidates AS (
                    SELECT c.k, c.org_num, c.user_num, c.repo, c.ts,
                           {UNTIL_SQL.format(t="c.")} AS until
                    FROM commits c
                    JOIN (SELECT DISTINCT org_num, user_num FROM {edited}) p
                      ON p.org_num = c.org_num AND p.user_num = c.user_num
                    WHERE c.attribution_origin = 'server' AND c.ts <= $last + to_days($days)
                      AND {UNTIL_SQL.format(t="c.")} >= $first
                ),
                names AS (
                    SELECT cf.k, {NAME_SQL.format("cf.path")} AS name FROM commit_files cf
                    WHERE cf.k IN (SELECT k FROM candidates)
                      AND cf.ts <= $last + to_days($days)
                    UNION
                    SELECT cf.k, {NAME_SQL.format("cf.old_path")} FROM commit_files cf
                    WHERE cf.k IN (SELECT k FROM candidates)
                      AND cf.ts <= $last + to_days($days) AND cf.old_path IS NOT NULL
                )
                SELECT DISTINCT {KEY_HEX.format("c.k")}
                FROM candidates c JOIN names n ON n.k = c.k
                JOIN {edited} e
                  ON e.org_num = c.org_num AND e.user_num = c.user_num AND e.name = n.name
                WHERE (e.repo IS NULL OR e.repo = c.repo)
                  AND e.ts >= c.ts - to_days($days) AND e.ts <= c.until
                """,
                {"first": first, "last": last, "days": self.window_days},
            ).fetchall()
        return sorted(r[0] for r in rows)

    def _affected_by_renames(
        self, con: duckdb.DuckDBPyConnection, new: str, first: dt.datetime, last: dt.datetime
    ) -> list[str]:
        """Server-attributed commits of a file that these commits' renames give earlier names."""
        renamed = con.execute(
            f"""
            SELECT DISTINCT org_num, repo, {NAME_SQL.format("path")} FROM commit_files
            WHERE k IN (SELECT CAST(k AS UUID) FROM {new}) AND old_path IS NOT NULL
              AND ts >= $first AND ts <= $last
            """,
            {"first": first, "last": last},
        ).fetchall()
        if not renamed:
            return []
        known = repository_renames(con, {org for org, _, _ in renamed})
        names: set[tuple[int, str, str]] = set()
        for org, repo, name in renamed:
            later = linked_names(known.get((org, repo), []), name, forward=True)
            names |= {(org, repo, n) for n in (name, *later)}
        table = pa.table(
            {
                "org_num": pa.array([n[0] for n in names], pa.int32()),
                "repo": pa.array([n[1] for n in names], pa.string()),
                "name": pa.array([n[2] for n in names], pa.string()),
            }
        )
        with view(con, "attribution_names", table) as wanted:
            rows = con.execute(
                f"""
                SELECT DISTINCT {KEY_HEX.format("f.k")}
                FROM commit_files f JOIN commits c ON c.k = f.k
                JOIN {wanted} w ON w.org_num = f.org_num AND w.repo = f.repo
                 AND w.name IN ({NAME_SQL.format("f.path")}, {NAME_SQL.format("f.old_path")})
                WHERE c.attribution_origin = 'server'
                """
            ).fetchall()
        return [r[0] for r in rows]


def _with_later_names(
    con: duckdb.DuckDBPyConnection, edits: list[tuple[int, int, dt.datetime, str | None, str]]
) -> pa.Table:
    """AI edits, plus one row per later name their file got in a repository's renames."""
    renames = repository_renames(con, {org for org, *_ in edits})
    rows = list(edits)
    for org, user, ts, repo, name in edits:
        for (rename_org, rename_repo), known in renames.items():
            if rename_org == org and repo in (None, rename_repo):
                later = linked_names(known, name, forward=True)
                rows.extend((org, user, ts, rename_repo, n) for n in sorted(later))
    columns = list(zip(*rows, strict=True))
    types = (pa.int32(), pa.int64(), pa.timestamp("us"), pa.string(), pa.string())
    names = ("org_num", "user_num", "ts", "repo", "name")
    return pa.table({n: pa.array(v, t) for n, v, t in zip(names, columns, types, strict=True)})
