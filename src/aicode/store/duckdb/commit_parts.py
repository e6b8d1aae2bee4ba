"""The two parts of committed lines in the commit rollups: written, and carried by a merge.

A merge commit is diffed against its first parent, so its lines include everything the
merged branches brought, which their own commits already count. Each commit therefore
enters the commit rollups (``commit_user_day``, ``commit_ext_user_day``) as up to two parts,
told apart by the key column ``carried``:

- ``carried = false``: what the commit wrote. All the lines of an ordinary commit; of a merge
  only its own lines (``own_lines_*``: lines in no parent, such as a conflict resolution,
  and lines every parent had that it removed) and the AI lines among them (``own_*``).
- ``carried = true`` (merges only): the rest of the merge's first-parent diff.

All-branch totals read the written part only; primary-branch totals read both, because the
merged branches' own commits are not on the primary branch while the merge is. A commit is a
merge when ``own_lines_added`` is not NULL (ingest sets it when a commit has two or more
parents). Commits count once, in the written part; the carried part's ``commits`` counts the
merges it holds lines of, so that compaction and removal drop it with them.

Every statement that builds rollup rows from commit facts, on ingest, on removal and in the
migration that introduced the parts, is written here once.
"""

from __future__ import annotations

from typing import Any, Final

import duckdb

from aicode.model.attribution import AI_COLUMNS

# AI line columns of commits, of their files and of the commit rollups.
VALUE_COLUMNS: Final = (*AI_COLUMNS, "ai_lines_added", "ai_lines_deleted")
# The same counts restricted to a merge's own lines (0 unless the server attributed them).
OWN_VALUE_COLUMNS: Final = tuple(f"own_{c}" for c in VALUE_COLUMNS)
DAY_KEYS: Final = ("org_num", "user_num", "day", "repo", "primary_branch", "carried")
EXTENSION_KEYS: Final = (*DAY_KEYS, "extension")

# The commit rollups' primary-branch dimension.
PRIMARY_BRANCH: Final = (
    "CASE WHEN is_primary_branch THEN 1 WHEN NOT is_primary_branch THEN 0 ELSE -1 END"
)
IS_MERGE: Final = "own_lines_added IS NOT NULL"
# A merge's file that holds none of the merge's own lines: only carried ones.
_CARRIED_ONLY: Final = "own_lines_added + own_lines_deleted = 0"


def _line_parts(*, own_ai: bool) -> dict[str, tuple[str, str]]:
    """Per measure column: (written expression, carried expression), before summing.

    ``own_ai`` False: the rows were just ingested, so no AI line is known to be a merge's
    own yet (the columns are not even in the ingested rows).
    """
    parts = {
        "lines_added": ("coalesce(own_lines_added, lines_added)", "lines_added - own_lines_added"),
        "lines_deleted": (
            "coalesce(own_lines_deleted, lines_deleted)",
            "lines_deleted - own_lines_deleted",
        ),
    }
    for column in VALUE_COLUMNS:
        own = f"own_{column}" if own_ai else "0"
        parts[column] = (f"CASE WHEN {IS_MERGE} THEN {own} ELSE {column} END", f"{column} - {own}")
    return parts


def _select(
    keys: list[str], counts: dict[str, str], sums: dict[str, str], source: str, negate: bool
) -> str:
    sign = "-" if negate else ""
    measures = [f"{sign}{e} AS {c}" for c, e in counts.items()]
    measures += [f"{sign}sum({e}) AS {c}" for c, e in sums.items()]
    return f"SELECT {', '.join([*keys, *measures])} FROM {source} GROUP BY ALL"


def _keys(carried: bool, *, extension: bool) -> list[str]:
    keys = [
        "org_num",
        "user_num",
        "ts::DATE AS day",
        "repo",
        f"{PRIMARY_BRANCH} AS primary_branch",
        f"{str(carried).lower()} AS carried",
    ]
    return [*keys, "extension"] if extension else keys


def day_rows(table: str, where: str = "true", *, own_ai: bool = True, negate: bool = False) -> str:
    """``commit_user_day`` rows (by name) of the commits of ``table`` matching ``where``."""
    parts = _line_parts(own_ai=own_ai)
    written = _select(
        _keys(False, extension=False),
        {"commits": "count(*)"},
        {c: w for c, (w, _) in parts.items()},
        f"{table} WHERE {where}",
        negate,
    )
    carried = _select(
        _keys(True, extension=False),
        {"commits": "count(*)"},
        {c: k for c, (_, k) in parts.items()},
        f"{table} WHERE ({where}) AND {IS_MERGE}",
        negate,
    )
    return f"{written} UNION ALL {carried}"


def extension_rows(
    table: str, where: str = "true", *, own_ai: bool = True, negate: bool = False
) -> str:
    """``commit_ext_user_day`` rows (by name) of the commit files of ``table``.

    A merge's file counts among the written files when the merge changed it itself, else
    among the carried ones.
    """
    parts = _line_parts(own_ai=own_ai)
    written = _select(
        _keys(False, extension=True),
        {"files": "count(*)", "commits": "count(DISTINCT k)"},
        {c: w for c, (w, _) in parts.items()},
        f"{table} WHERE ({where}) AND NOT coalesce({_CARRIED_ONLY}, false)",
        negate,
    )
    carried = _select(
        _keys(True, extension=True),
        {"files": f"count_if({_CARRIED_ONLY})", "commits": "count(DISTINCT k)"},
        {c: k for c, (_, k) in parts.items()},
        f"{table} WHERE ({where}) AND {IS_MERGE}",
        negate,
    )
    return f"{written} UNION ALL {carried}"


def part_moves(
    dims: dict[str, Any],
    merge: bool,
    old: tuple[dict[str, int], dict[str, int]],
    new: tuple[dict[str, int], dict[str, int]],
) -> list[dict[str, Any]]:
    """Rollup rows moving from ``old`` to ``new`` (all AI values, a merge's own ones).

    For re-attribution: an ordinary commit's lines are all written; a merge writes its own
    lines and carries the rest. Parts that do not move are left out.
    """
    full = {c: new[0][c] - old[0][c] for c in VALUE_COLUMNS}
    if not merge:
        parts = {False: full}
    else:
        own = {c: new[1][c] - old[1][c] for c in VALUE_COLUMNS}
        parts = {False: own, True: {c: full[c] - own[c] for c in VALUE_COLUMNS}}
    return [
        dims | {"carried": part} | delta for part, delta in parts.items() if any(delta.values())
    ]


def _add_columns(table: str, columns: list[str]) -> str:
    return ";\n".join(f"ALTER TABLE {table} ADD COLUMN {c}" for c in columns)


_OWN_COUNTS: Final = [
    "own_lines_added INTEGER",
    "own_lines_deleted INTEGER",
    *(f"{c} INTEGER NOT NULL DEFAULT 0" for c in OWN_VALUE_COLUMNS),
]


def _with_carried_key(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Recreate an empty commit rollup with ``carried`` among its keys, after primary_branch."""
    columns = con.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns()"
        " WHERE table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    ddl = []
    for name, data_type, nullable, default in columns:
        ddl.append(
            f"{name} {data_type}{'' if nullable else ' NOT NULL'}"
            f"{'' if default is None else f' DEFAULT {default}'}"
        )
        if name == "primary_branch":
            ddl.append("carried BOOLEAN NOT NULL DEFAULT false")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"CREATE TABLE {table} ({', '.join(ddl)})")


def v9_merge_parts(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 9: merges' own lines on commits and files; the rollups' ``carried`` parts.

    Merges already stored were sent with their first-parent diff and nothing to tell their
    own lines apart: all their lines are carried. The commit rollups are rebuilt from the
    commits that count.
    """
    con.execute(_add_columns("commits", _OWN_COUNTS))
    con.execute(
        _add_columns(
            "commit_files",
            ["own_added_lines INTEGER[]", "own_deleted_lines INTEGER[]", *_OWN_COUNTS],
        )
    )
    con.execute(
        "UPDATE commits SET own_lines_added = 0, own_lines_deleted = 0 WHERE len(parents) > 1"
    )
    con.execute(
        "UPDATE commit_files SET own_added_lines = [], own_deleted_lines = [],"
        " own_lines_added = 0, own_lines_deleted = 0"
        " WHERE k IN (SELECT k FROM commits WHERE len(parents) > 1)"
    )
    for table, source, rows in (
        ("commit_user_day", "commits", day_rows),
        ("commit_ext_user_day", "commit_files", extension_rows),
    ):
        _with_carried_key(con, table)
        con.execute(
            f"INSERT INTO {table} BY NAME {rows(source, 'replaced_by IS NULL')}"
            " ORDER BY org_num, day"
        )
