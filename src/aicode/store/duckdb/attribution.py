"""Server-side attribution in the DuckDB store, run by the fact writer after each insert.

- A commit that arrives without client attribution is attributed from the AI changes of its
  author (same repository when the change names one, same file, inside the window).
- A change that arrives after commits it could have written re-attributes them.
- A rewrite replaces old commits (they stop counting) and widens the new ones' window.

Re-attributing a commit recomputes it from every candidate change, whatever the order facts
arrived in, and moves the commit rollups by exactly the difference (``commit_rollups.fold``).
Commits whose client sent attribution are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any, Final

import duckdb
import pyarrow as pa

from aicode.attribution.annotations import encode as encode_annotations
from aicode.attribution.engine import (
    AiEdit,
    CommitResult,
    CommittedFile,
    CommittedLine,
    Origin,
    Window,
    attribute,
    normalize_path,
)
from aicode.model.attribution import AI_COLUMNS, ATTRIBUTION_PAIRS, pair_column
from aicode.store.duckdb import rewrites
from aicode.store.duckdb.commit_rollups import fold

# SQL twin of engine.normalize_path: forward slashes, no leading "./".
_NAME = "regexp_replace(replace({}, '\\', '/'), '^(\\./)+', '')"
_VALUE_COLUMNS: Final = (*AI_COLUMNS, "ai_lines_added", "ai_lines_deleted")


@contextlib.contextmanager
def _view(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


def _keys(keys: list[str]) -> pa.Table:
    return pa.table({"k": pa.array(keys, pa.string())})


@dataclasses.dataclass
class _Commit:
    key: str
    org_num: int
    user_num: int
    repo: str
    window: Window
    values: dict[str, int]
    annotations: str | None
    origin: str
    files: list[tuple[int, CommittedFile, dict[str, int]]] = dataclasses.field(default_factory=list)


def _values(result_counts: dict[tuple[str, str], int]) -> dict[str, int]:
    values = {
        pair_column(pair, kind): result_counts.get((pair, kind), 0)  # type: ignore[arg-type]
        for pair in ATTRIBUTION_PAIRS
        for kind in ("added", "deleted")
    }
    values["ai_lines_added"] = sum(v for c, v in values.items() if c.endswith("_added"))
    values["ai_lines_deleted"] = sum(v for c, v in values.items() if c.endswith("_deleted"))
    return values


def _lines(raw: list[dict[str, Any]]) -> list[CommittedLine]:
    return [CommittedLine(x["line"], x["fp"], bool(x["trivial"])) for x in raw]


class Attributor:
    """Attribution work the fact writer hands over after inserting facts of a table."""

    def __init__(self, window_days: int) -> None:
        self.window_days = window_days

    def after_insert(self, con: duckdb.DuckDBPyConnection, table: str, keys: list[str]) -> None:
        """Attribute or re-attribute what newly inserted facts (hex keys) affect."""
        if not keys:
            return
        with _view(con, "attribution_new", _keys(keys)) as view:
            if table == "commits":
                rewrites.link_new_commits(con, view)
                self.recompute(con, keys)
                rewrites.replace_new_commits(con, view)
            elif table == "changes":
                self.recompute(con, self._affected_by_changes(con, view))
            elif table == "rewrites":
                self.recompute(con, rewrites.link_mapped_commits(con, view))
                rewrites.replace_mapped_commits(con, view)

    def _affected_by_changes(self, con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
        """Server-attributed commits whose window holds one of these changes' files."""
        rows = con.execute(
            f"""
            WITH edits AS (
                SELECT f.org_num, f.user_num, f.ts, ch.repo, {_NAME.format("f.file_name")} AS name
                FROM change_files f JOIN changes ch ON ch.k = f.k
                WHERE f.k IN (SELECT CAST(k AS UUID) FROM {view}) AND ch.accepted
                  AND (len(f.added_fingerprints) > 0 OR len(f.deleted_fingerprints) > 0)
            ),
            candidates AS (
                SELECT c.k, c.org_num, c.user_num, c.repo, c.ts,
                       greatest(c.ts, coalesce(c.rewritten_at, c.ts)) AS until
                FROM commits c
                JOIN (SELECT DISTINCT org_num, user_num FROM edits) p
                  ON p.org_num = c.org_num AND p.user_num = c.user_num
                WHERE c.attribution_origin = 'server'
            ),
            names AS (
                SELECT cf.k, {_NAME.format("cf.path")} AS name FROM commit_files cf
                WHERE cf.k IN (SELECT k FROM candidates)
                UNION
                SELECT cf.k, {_NAME.format("cf.old_path")} FROM commit_files cf
                WHERE cf.k IN (SELECT k FROM candidates) AND cf.old_path IS NOT NULL
            )
            SELECT DISTINCT replace(CAST(c.k AS VARCHAR), '-', '')
            FROM candidates c JOIN names n ON n.k = c.k
            JOIN edits e ON e.org_num = c.org_num AND e.user_num = c.user_num AND e.name = n.name
            WHERE (e.repo IS NULL OR e.repo = c.repo)
              AND e.ts >= c.ts - to_days(?) AND e.ts <= c.until
            """,
            [self.window_days],
        ).fetchall()
        return sorted(r[0] for r in rows)

    # recomputing -------------------------------------------------------------------------
    def recompute(self, con: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
        """(Re)attribute these commits from the AI changes stored now; client ones are skipped."""
        if not keys:
            return
        with _view(con, "attribution_keys", _keys(keys)) as view:
            commits = self._load(con, view)
            if not commits:
                return
            edits = self._edits(con, commits)
            results = [
                (c, attribute([f for _, f, _ in c.files], edits.get(c.key, []), c.window))
                for c in commits
            ]
            self._store(con, results)

    def _load(self, con: duckdb.DuckDBPyConnection, view: str) -> list[_Commit]:
        """The commits to attribute: not client-attributed, with at least one listed line."""
        columns = ", ".join(_VALUE_COLUMNS)
        rows = con.execute(
            f"""
            SELECT replace(CAST(k AS VARCHAR), '-', ''), org_num, user_num, repo, ts,
                   greatest(ts, coalesce(rewritten_at, ts)), range_annotations,
                   attribution_origin, {columns}
            FROM commits
            WHERE k IN (SELECT CAST(k AS UUID) FROM {view}) AND attribution_origin <> 'client'
            ORDER BY k
            """
        ).fetchall()
        found: dict[str, _Commit] = {}
        for row in rows:
            key, org_num, user_num, repo, ts, until, notes, origin, *values = row
            found[key] = _Commit(
                key,
                org_num,
                user_num,
                repo,
                Window.before(ts, self.window_days, until=until),
                dict(zip(_VALUE_COLUMNS, values, strict=True)),
                notes,
                origin,
            )
        if not found:
            return []
        files = con.execute(
            f"""
            SELECT replace(CAST(k AS VARCHAR), '-', ''), position, path, old_path,
                   added_lines, deleted_lines, {columns}
            FROM commit_files WHERE k IN (SELECT CAST(k AS UUID) FROM {view})
            ORDER BY k, position
            """
        ).fetchall()
        for key, position, path, old_path, added, deleted, *values in files:
            if key in found:
                file = CommittedFile(path, old_path, _lines(added), _lines(deleted))
                stored = dict(zip(_VALUE_COLUMNS, values, strict=True))
                found[key].files.append((position, file, stored))
        return [c for c in found.values() if any(f.added or f.deleted for _, f, _ in c.files)]

    def _edits(
        self, con: duckdb.DuckDBPyConnection, commits: list[_Commit]
    ) -> dict[str, list[AiEdit]]:
        """Candidate AI edits per commit: same author and file, inside the commit's window."""
        wanted: dict[str, list[Any]] = {
            c: [] for c in ("ck", "org_num", "user_num", "repo", "since", "until", "name")
        }
        for commit in commits:
            names = {normalize_path(f.path) for _, f, _ in commit.files}
            names |= {normalize_path(f.old_path) for _, f, _ in commit.files if f.old_path}
            for name in sorted(names):
                for column, value in zip(
                    wanted,
                    (
                        commit.key,
                        commit.org_num,
                        commit.user_num,
                        commit.repo,
                        commit.window.since,
                        commit.window.until,
                        name,
                    ),
                    strict=True,
                ):
                    wanted[column].append(value)
        table = pa.table(
            {
                name: pa.array(values, pa.timestamp("us") if name in ("since", "until") else None)
                for name, values in wanted.items()
            }
        )
        with _view(con, "attribution_wanted", table) as view:
            rows = con.execute(
                f"""
                SELECT w.ck, ch.fact_id, f.position, f.ts, w.name, ch.source, ch.product_type,
                       ch.model, ch.conversation_id, f.added_fingerprints, f.deleted_fingerprints
                FROM {view} w
                JOIN change_files f
                  ON f.org_num = w.org_num AND f.user_num = w.user_num
                 AND {_NAME.format("f.file_name")} = w.name
                 AND f.ts >= w.since AND f.ts <= w.until
                JOIN changes ch ON ch.k = f.k
                WHERE ch.accepted AND (ch.repo IS NULL OR ch.repo = w.repo)
                """
            ).fetchall()
        edits: dict[str, list[AiEdit]] = {}
        for ck, change, position, ts, name, source, product, model, conv, added, deleted in rows:
            edits.setdefault(ck, []).append(
                AiEdit(
                    change_id=change,
                    ts=ts,
                    file=name,
                    origin=Origin(source, product, model, conv),
                    added=tuple(added),
                    deleted=tuple(deleted),
                    position=position,
                )
            )
        return edits

    def _store(
        self, con: duckdb.DuckDBPyConnection, results: list[tuple[_Commit, CommitResult]]
    ) -> None:
        """Write new attribution where it differs; move the rollups by the difference."""
        file_rows: list[dict[str, Any]] = []
        commit_rows: list[dict[str, Any]] = []
        recount: list[str] = []
        for commit, result in results:
            notes = encode_annotations(result.range_annotations())
            values = _values(result.counts())  # type: ignore[arg-type]
            for (position, _, stored), file in zip(commit.files, result.files, strict=True):
                new = _values(file.counts())  # type: ignore[arg-type]
                if new != stored:
                    file_rows.append({"k": commit.key, "position": position, **new})
            if values != commit.values:
                recount.append(commit.key)
            if values != commit.values or notes != commit.annotations or commit.origin != "server":
                commit_rows.append({"k": commit.key, **values, "range_annotations": notes})
        if not commit_rows and not file_rows:
            return
        with _view(con, "attribution_recount", _keys(recount)) as recount_view:
            if recount:
                fold(con, recount_view, -1)
            self._update(con, "commit_files", file_rows, ("k", "position"))
            self._update(con, "commits", commit_rows, ("k",), origin=True)
            if recount:
                fold(con, recount_view, 1)

    @staticmethod
    def _update(
        con: duckdb.DuckDBPyConnection,
        table: str,
        rows: list[dict[str, Any]],
        keys: tuple[str, ...],
        *,
        origin: bool = False,
    ) -> None:
        if not rows:
            return
        columns = {name: [r[name] for r in rows] for name in rows[0]}
        arrow = pa.table(
            {
                n: pa.array(v, pa.string() if n in ("k", "range_annotations") else pa.int64())
                for n, v in columns.items()
            }
        )
        sets = [f"{c} = u.{c}" for c in columns if c not in keys]
        if origin:
            sets.append("attribution_origin = 'server'")
        match = " AND ".join(
            "t.k = CAST(u.k AS UUID)" if k == "k" else f"t.{k} = u.{k}" for k in keys
        )
        with _view(con, "attribution_update", arrow) as view:
            con.execute(f"UPDATE {table} t SET {', '.join(sets)} FROM {view} u WHERE {match}")
