"""Recomputing commits' attribution from the AI changes stored now, and writing the difference.

A commit is recomputed from scratch (every candidate change, whatever order the facts arrived
in); only what differs from the stored values is written, and the rollups of counted commits
move by exactly that difference. Commits a client attributed are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterator
from typing import Any, Final

import duckdb
import pyarrow as pa

from aicode.attribution.annotations import encode as encode_annotations
from aicode.attribution.engine import (
    KINDS,
    AiEdit,
    CommitResult,
    CommittedFile,
    CommittedLine,
    FileResult,
    Origin,
    Window,
    attribute,
)
from aicode.model.attribution import ATTRIBUTION_PAIRS, pair_column
from aicode.store.duckdb.commit_parts import (
    DAY_KEYS,
    EXTENSION_KEYS,
    IS_MERGE,
    OWN_VALUE_COLUMNS,
    PRIMARY_BRANCH,
    VALUE_COLUMNS,
    part_moves,
)
from aicode.store.duckdb.commit_rollups import shift

# SQL twin of aicode.attribution.engine.normalize_path: forward slashes, no leading "./".
NAME_SQL: Final = "regexp_replace(replace({}, '\\', '/'), '^(\\./)+', '')"
KEY_HEX: Final = "replace(CAST({} AS VARCHAR), '-', '')"
# The end of a commit's window: its author time, or later when it was committed (amend,
# rebase, cherry-pick) or rewritten after that. ``t`` is a table prefix such as "c.".
UNTIL_SQL: Final = (
    "greatest({t}ts, coalesce({t}committed_at, {t}ts), coalesce({t}rewritten_at, {t}ts))"
)


@contextlib.contextmanager
def view(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[str]:
    """Register an Arrow table under a name for the statements of a ``with`` block."""
    con.register(name, table)
    try:
        yield name
    finally:
        # After a failed statement the transaction is aborted and unregister fails too; the
        # original error is the one to report.
        with contextlib.suppress(duckdb.Error):
            con.unregister(name)


def keys_table(keys: list[str]) -> pa.Table:
    """Hex fact keys as a one-column (``k``) Arrow table."""
    return pa.table({"k": pa.array(keys, pa.string())})


# A commit's rollup key but the part (``carried``), which each of its rows sets.
_COMMIT_DIMS: Final = tuple(k for k in DAY_KEYS if k != "carried")


@dataclasses.dataclass
class _File:
    position: int
    extension: str
    lines: CommittedFile
    values: dict[str, int]
    own_values: dict[str, int]
    # A merge's own lines (added, deleted line numbers); None for any other commit.
    own_lines: tuple[frozenset[int], frozenset[int]] | None


@dataclasses.dataclass
class _Commit:
    key: str
    dims: dict[str, Any]  # org_num, user_num, day, repo, primary_branch
    window: Window
    values: dict[str, int]
    own_values: dict[str, int]
    merge: bool
    annotations: str | None
    origin: str
    counted: bool
    files: list[_File] = dataclasses.field(default_factory=list)


def _values(counts: dict[tuple[str, str], int]) -> dict[str, int]:
    values = {
        pair_column(pair, kind): counts.get((pair, kind), 0)  # type: ignore[arg-type]
        for pair in ATTRIBUTION_PAIRS
        for kind in ("added", "deleted")
    }
    values["ai_lines_added"] = sum(v for c, v in values.items() if c.endswith("_added"))
    values["ai_lines_deleted"] = sum(v for c, v in values.items() if c.endswith("_deleted"))
    return values


def _own_counts(found: FileResult, own: tuple[frozenset[int], frozenset[int]]) -> dict[str, int]:
    """The AI counts (``VALUE_COLUMNS``) of a merge's own lines among a file's AI lines."""
    counts: Counter[tuple[str, str]] = Counter()
    for kind, numbers in zip(KINDS, own, strict=True):
        counts.update((o.pair, kind) for line, o in found.origins(kind).items() if line in numbers)
    return _values(counts)


def _prefixed(values: dict[str, int]) -> dict[str, int]:
    return {f"own_{c}": v for c, v in values.items()}


def _lines(raw: list[dict[str, Any]]) -> list[CommittedLine]:
    return [CommittedLine(x["line"], x["fp"], bool(x["trivial"])) for x in raw]


def _load(con: duckdb.DuckDBPyConnection, keys: str, window_days: int) -> list[_Commit]:
    """The commits to attribute: not client-attributed, with at least one listed line."""
    columns = ", ".join((*VALUE_COLUMNS, *OWN_VALUE_COLUMNS))
    rows = con.execute(
        f"""
        SELECT {KEY_HEX.format("k")}, org_num, user_num, ts::DATE, repo, {PRIMARY_BRANCH}, ts,
               {UNTIL_SQL.format(t="")}, range_annotations,
               attribution_origin, replaced_by IS NULL, {IS_MERGE}, {columns}
        FROM commits
        WHERE k IN (SELECT CAST(k AS UUID) FROM {keys}) AND attribution_origin <> 'client'
        """
    ).fetchall()
    found: dict[str, _Commit] = {}
    width = len(VALUE_COLUMNS)
    for row in rows:
        key, org, user, day, repo, primary, ts, until, notes, origin, counted, merge = row[:12]
        stored = row[12:]
        found[key] = _Commit(
            key,
            dict(zip(_COMMIT_DIMS, (org, user, day, repo, primary), strict=True)),
            Window.before(ts, window_days, until=until),
            dict(zip(VALUE_COLUMNS, stored[:width], strict=True)),
            dict(zip(VALUE_COLUMNS, stored[width:], strict=True)),
            merge,
            notes,
            origin,
            counted,
        )
    if not found:
        return []
    files = con.execute(
        f"""
        SELECT {KEY_HEX.format("k")}, position, extension, path, old_path,
               added_lines, deleted_lines, own_added_lines, own_deleted_lines, {columns}
        FROM commit_files WHERE k IN (SELECT CAST(k AS UUID) FROM {keys})
        ORDER BY k, position
        """
    ).fetchall()
    for key, position, extension, path, old_path, added, deleted, own_a, own_d, *values in files:
        if key in found:
            lines = CommittedFile(path, old_path, _lines(added), _lines(deleted))
            own = None if own_a is None else (frozenset(own_a), frozenset(own_d or ()))
            found[key].files.append(
                _File(
                    position,
                    extension,
                    lines,
                    dict(zip(VALUE_COLUMNS, values[:width], strict=True)),
                    dict(zip(VALUE_COLUMNS, values[width:], strict=True)),
                    own,
                )
            )
    commits = [c for c in found.values() if any(f.lines.added or f.lines.deleted for f in c.files)]
    _add_aliases(con, commits)
    return commits


def repository_renames(
    con: duckdb.DuckDBPyConnection, org_nums: set[int]
) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """Every rename (old name, new name) known from commits, per (organization, repository)."""
    if not org_nums:
        return {}
    rows = con.execute(
        f"""
        SELECT DISTINCT org_num, repo, {NAME_SQL.format("old_path")}, {NAME_SQL.format("path")}
        FROM commit_files WHERE old_path IS NOT NULL AND list_contains(?, org_num)
        """,
        [sorted(org_nums)],
    ).fetchall()
    renames: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for org_num, repo, old, new in rows:
        if old != new:
            renames.setdefault((org_num, repo), []).append((old, new))
    return renames


def linked_names(renames: list[tuple[str, str]], name: str, *, forward: bool) -> set[str]:
    """Names a file had before ``name`` (or, ``forward``, got after it), following renames."""
    step: dict[str, set[str]] = {}
    for old, new in renames:
        source, target = (old, new) if forward else (new, old)
        step.setdefault(source, set()).add(target)
    seen: set[str] = set()
    todo = [name]
    while todo:
        for other in step.get(todo.pop(), ()):
            if other not in seen and other != name:
                seen.add(other)
                todo.append(other)
    return seen


def _add_aliases(con: duckdb.DuckDBPyConnection, commits: list[_Commit]) -> None:
    """Give each file the earlier names that renames in its repository's commits show."""
    renames = repository_renames(con, {c.dims["org_num"] for c in commits})
    for commit in commits:
        known = renames.get((commit.dims["org_num"], commit.dims["repo"]))
        if not known:
            continue
        for file in commit.files:
            own = file.lines.names()
            earlier: set[str] = set()
            for name in own:
                earlier |= linked_names(known, name, forward=False)
            aliases = tuple(sorted(earlier - set(own)))
            file.lines = dataclasses.replace(file.lines, aliases=aliases)


_WANTED: Final = ("ck", "org_num", "user_num", "repo", "since", "until", "name")


def _edits(con: duckdb.DuckDBPyConnection, commits: list[_Commit]) -> dict[str, list[AiEdit]]:
    """Candidate AI edits per commit: same author and file, inside the commit's window."""
    wanted: dict[str, list[Any]] = {c: [] for c in _WANTED}
    for commit in commits:
        names = {name for f in commit.files for name in f.lines.names()}
        for name in sorted(names):
            row = (
                commit.key,
                commit.dims["org_num"],
                commit.dims["user_num"],
                commit.dims["repo"],
                commit.window.since,
                commit.window.until,
                name,
            )
            for column, value in zip(_WANTED, row, strict=True):
                wanted[column].append(value)
    times = {"since", "until"}
    table = pa.table(
        {n: pa.array(v, pa.timestamp("us") if n in times else None) for n, v in wanted.items()}
    )
    # Constant bounds first: DuckDB skips row groups outside them and computes file names
    # only for the few rows left.
    bounds = {
        "users": sorted({c.dims["user_num"] for c in commits}),
        "since": min(c.window.since for c in commits),
        "until": max(c.window.until for c in commits),
    }
    with view(con, "attribution_wanted", table) as wanted_view:
        rows = con.execute(
            f"""
            WITH pool AS (
                SELECT k, org_num, user_num, ts, position, added_fingerprints,
                       deleted_fingerprints, {NAME_SQL.format("file_name")} AS name
                FROM change_files
                WHERE list_contains($users, user_num) AND ts >= $since AND ts <= $until
            )
            SELECT w.ck, ch.fact_id, f.position, f.ts, w.name, ch.source, ch.product_type,
                   ch.model, ch.conversation_id, f.added_fingerprints, f.deleted_fingerprints
            FROM {wanted_view} w
            JOIN pool f
              ON f.org_num = w.org_num AND f.user_num = w.user_num AND f.name = w.name
             AND f.ts >= w.since AND f.ts <= w.until
            JOIN changes ch ON ch.k = f.k
            WHERE ch.accepted AND (ch.repo IS NULL OR ch.repo = w.repo)
            """,
            bounds,
        ).fetchall()
    edits: dict[str, list[AiEdit]] = {}
    for ck, change, position, ts, name, source, product, model, conv, added, deleted in rows:
        origin = Origin(source, product, model, conv)
        edits.setdefault(ck, []).append(
            AiEdit(change, ts, name, origin, tuple(added), tuple(deleted), position)
        )
    return edits


def _columns(rows: list[dict[str, Any]], names: tuple[str, ...]) -> pa.Table:
    strings = {"k", "repo", "extension", "range_annotations"}
    types = {n: pa.string() if n in strings else pa.int64() for n in names}
    types["day"] = pa.date32()
    types["carried"] = pa.bool_()
    return pa.table({n: pa.array([r[n] for r in rows], types[n]) for n in names})


def _update(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], keys: tuple[str, ...]
) -> None:
    if not rows:
        return
    names = tuple(rows[0])
    sets = [f"{c} = u.{c}" for c in names if c not in keys]
    if table == "commits":
        sets.append("attribution_origin = 'server'")
    match = " AND ".join("t.k = CAST(u.k AS UUID)" if k == "k" else f"t.{k} = u.{k}" for k in keys)
    with view(con, "attribution_update", _columns(rows, names)) as updates:
        con.execute(f"UPDATE {table} t SET {', '.join(sets)} FROM {updates} u WHERE {match}")


def _write(con: duckdb.DuckDBPyConnection, results: list[tuple[_Commit, CommitResult]]) -> None:
    """Write new attribution where it differs; move the rollups by the difference."""
    files: list[dict[str, Any]] = []
    commits: list[dict[str, Any]] = []
    by_day: list[dict[str, Any]] = []
    by_extension: list[dict[str, Any]] = []
    empty = dict.fromkeys(VALUE_COLUMNS, 0)
    for commit, result in results:
        values = _values(result.counts())  # type: ignore[arg-type]
        own_total: Counter[str] = Counter()
        notes = encode_annotations(result.range_annotations())
        for file, found in zip(commit.files, result.files, strict=True):
            new = _values(found.counts())  # type: ignore[arg-type]
            own = empty if file.own_lines is None else _own_counts(found, file.own_lines)
            own_total.update(own)
            if new == file.values and own == file.own_values:
                continue
            files.append({"k": commit.key, "position": file.position, **new, **_prefixed(own)})
            if commit.counted:
                by_extension += part_moves(
                    commit.dims | {"extension": file.extension},
                    file.own_lines is not None,
                    (file.values, file.own_values),
                    (new, own),
                )
        own_values = {c: own_total[c] for c in VALUE_COLUMNS}
        if commit.counted:
            by_day += part_moves(
                commit.dims, commit.merge, (commit.values, commit.own_values), (values, own_values)
            )
        if (
            values != commit.values
            or own_values != commit.own_values
            or notes != commit.annotations
            or commit.origin != "server"
        ):
            commits.append(
                {"k": commit.key, **values, **_prefixed(own_values), "range_annotations": notes}
            )
    _update(con, "commit_files", files, ("k", "position"))
    _update(con, "commits", commits, ("k",))
    shift(
        con,
        _columns(by_day, (*DAY_KEYS, *VALUE_COLUMNS)),
        _columns(by_extension, (*EXTENSION_KEYS, *VALUE_COLUMNS)),
    )


def recompute(con: duckdb.DuckDBPyConnection, keys: list[str], window_days: int) -> None:
    """(Re)attribute these commits (hex keys); client-attributed ones are skipped."""
    if not keys:
        return
    with view(con, "attribution_keys", keys_table(keys)) as keys_view:
        commits = _load(con, keys_view, window_days)
    if not commits:
        return
    edits = _edits(con, commits)
    results = [
        (c, attribute([f.lines for f in c.files], edits.get(c.key, []), c.window)) for c in commits
    ]
    _write(con, results)
