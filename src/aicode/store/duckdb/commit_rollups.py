"""Taking commits out of the commit rollups and putting them back.

The rollups (``rollups.py``) fold each commit in once, when it is inserted. When a commit's
attribution changes, or a rewrite replaces it, its whole contribution is removed with the same
expressions negated and, for a re-attribution, added again from the updated rows, so the
rollups always equal a fold of the commits that count.
"""

from __future__ import annotations

from typing import Final

import duckdb

from aicode.model.attribution import AI_COLUMNS

# The commit rollups' primary-branch dimension, as rollups.py computes it.
_PRIMARY: Final = "CASE WHEN is_primary_branch THEN 1 WHEN NOT is_primary_branch THEN 0 ELSE -1 END"
_LINES: Final = ("lines_added", "lines_deleted", *AI_COLUMNS, "ai_lines_added", "ai_lines_deleted")
_DAY_KEYS: Final = ("org_num", "user_num", "day", "repo", "primary_branch")


def _statement(target: str, keys: tuple[str, ...], counts: dict[str, str], source: str) -> str:
    """An additive upsert of ``sign`` times the rollup expressions over ``source`` rows."""
    measures = {**counts, **{c: f"sum({c})" for c in _LINES}}
    names = [*keys, *measures]
    select_keys = [
        "ts::DATE" if k == "day" else _PRIMARY if k == "primary_branch" else k for k in keys
    ]
    select = ", ".join([*select_keys, *(f"$sign * {m}" for m in measures.values())])
    updates = ", ".join(f"{c} = {target}.{c} + EXCLUDED.{c}" for c in measures)
    return (
        f"INSERT INTO {target} ({', '.join(names)}) SELECT {select} FROM {source}"
        f" WHERE k IN (SELECT CAST(k AS UUID) FROM $keys) AND replaced_by IS NULL"
        f" GROUP BY ALL ON CONFLICT DO UPDATE SET {updates}"
    )


_BY_DAY: Final = _statement("commit_user_day", _DAY_KEYS, {"commits": "count(*)"}, "commits")
_BY_EXTENSION: Final = _statement(
    "commit_ext_user_day",
    (*_DAY_KEYS, "extension"),
    {"files": "count(*)", "commits": "count(DISTINCT k)"},
    "commit_files",
)


def fold(con: duckdb.DuckDBPyConnection, keys_view: str, sign: int) -> None:
    """Add (``sign`` 1) or remove (-1) the commits named in ``keys_view`` (column ``k``).

    Commits already replaced are left out: they no longer count.
    """
    for statement in (_BY_DAY, _BY_EXTENSION):
        con.execute(statement.replace("$keys", keys_view).replace("$sign", str(int(sign))))


def prune(con: duckdb.DuckDBPyConnection, org_nums: set[int]) -> None:
    """Drop rollup rows left without commits once every commit of theirs was removed."""
    for target in ("commit_user_day", "commit_ext_user_day"):
        con.execute(
            f"DELETE FROM {target} WHERE commits = 0 AND list_contains(?, org_num)",
            [sorted(org_nums)],
        )
