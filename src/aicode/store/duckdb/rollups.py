"""Incremental rollups: each fact table's newly inserted rows are folded into its summaries.

Rollups read only the rows a write actually inserted (never a resent fact), so re-running a
batch or interleaving writers never counts a fact twice. Each write *appends* its partial
sums (an upsert costs DuckDB two to three times as much); a rollup's value for a key is the
sum of its rows, and ``compaction.py`` folds the rows of a key back into one.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from aicode.store.duckdb.activity import ACTIVITY_COLUMNS, ACTIVITY_KINDS, KIND_MEASURES
from aicode.store.duckdb.commit_parts import DAY_KEYS, EXTENSION_KEYS, day_rows, extension_rows


@dataclasses.dataclass(frozen=True)
class RollupShape:
    """A rollup's key columns, its time column, and the measures kept as maxima."""

    keys: tuple[str, ...]
    time: str = "day"
    maxes: tuple[str, ...] = ()


# Every rollup table: a key's rows add up (measures summed, ``maxes`` maximised).
SHAPES: Final[dict[str, RollupShape]] = {
    "completion_user_hour": RollupShape(
        ("org_num", "user_num", "hour", "ide", "client_version", "language", "product_type"),
        "hour",
        ("last_ts",),
    ),
    "completion_user_day": RollupShape(
        ("org_num", "user_num", "day", "ide", "language", "product_type"), maxes=("last_ts",)
    ),
    "chat_user_day": RollupShape(
        ("org_num", "user_num", "day", "ide", "chat_type", "product_type", "model"),
        maxes=("last_ts",),
    ),
    "change_user_day": RollupShape(
        ("org_num", "user_num", "day", "source", "product_type", "ide", "model"),
        maxes=("last_ts",),
    ),
    "change_lang_user_day": RollupShape(
        ("org_num", "user_num", "day", "source", "product_type", "language", "extension")
    ),
    "commit_user_day": RollupShape(DAY_KEYS),
    "commit_ext_user_day": RollupShape(EXTENSION_KEYS),
    "typing_user_day": RollupShape(
        ("org_num", "user_num", "day", "ide", "client_version", "language")
    ),
    "activity_user_day": RollupShape(
        ("org_num", "user_num", "day"), maxes=("completion", "chat", "change", "last_ts")
    ),
    "change_org_day": RollupShape(
        ("org_num", "day", "source", "product_type", "ide", "model"), maxes=("last_ts",)
    ),
}


def _append(target: str, select: str) -> str:
    return f"INSERT INTO {target} {select}"


def rollup_target(statement: str) -> str:
    """The rollup table an ``ROLLUPS`` statement appends to."""
    return statement.split(maxsplit=3)[2]


def _aggregates(kind: str) -> str:
    """A kind's measures over new rows, then their latest time (the per-kind rollups' order)."""
    return ", ".join([*KIND_MEASURES[kind].values(), "max(ts)"])


_COMPLETION_AGG = _aggregates("completion")


def _activity(kind: str) -> str:
    """Fold the new rows of one activity kind into ``activity_user_day``."""
    flags = ", ".join("true" if k == kind else "false" for k in ACTIVITY_KINDS)
    values = [
        agg if k == kind else "0"
        for k, columns in ACTIVITY_COLUMNS.items()
        for agg in columns.values()
    ]
    return _append(
        "activity_user_day",
        f"""SELECT org_num, user_num, ts::DATE, {flags}, max(ts), {", ".join(values)}
            FROM new_rows GROUP BY org_num, user_num, ts::DATE""",
    )


def _change_day(target: str, who: str) -> str:
    """Fold new changes into a per-day change rollup kept per ``who`` (person or organization)."""
    return _append(
        target,
        f"""SELECT {who}, ts::DATE, source, product_type, ide, model, {_aggregates("change")}
            FROM new_rows GROUP BY ALL""",
    )


# table -> statements reading `new_rows` (the inserted parent rows) and, for facts with
# files, `new_files` (their inserted child rows).
ROLLUPS: Final[dict[str, tuple[str, ...]]] = {
    "completions": (
        _append(
            "completion_user_hour",
            f"""SELECT org_num, user_num, date_trunc('hour', ts), ide, client_version, language,
                product_type, {_COMPLETION_AGG} FROM new_rows GROUP BY ALL""",
        ),
        _append(
            "completion_user_day",
            f"""SELECT org_num, user_num, ts::DATE, ide, language, product_type,
                {_COMPLETION_AGG} FROM new_rows GROUP BY ALL""",
        ),
        _activity("completion"),
    ),
    "chats": (
        _append(
            "chat_user_day",
            f"""SELECT org_num, user_num, ts::DATE, ide, chat_type, product_type, model,
                {_aggregates("chat")} FROM new_rows GROUP BY ALL""",
        ),
        _activity("chat"),
    ),
    "changes": (
        _change_day("change_user_day", "org_num, user_num"),
        _change_day("change_org_day", "org_num"),
        _append(
            "change_lang_user_day",
            """SELECT c.org_num, c.user_num, c.ts::DATE, c.source, c.product_type,
                f.language, f.extension, sum(f.lines_added), sum(f.lines_deleted),
                sum(CASE WHEN c.accepted THEN f.lines_added ELSE 0 END),
                sum(CASE WHEN c.accepted THEN f.lines_deleted ELSE 0 END)
                FROM new_files f JOIN new_rows c ON f.k = c.k GROUP BY ALL""",
        ),
        _activity("change"),
    ),
    # A commit's written lines and a merge's carried ones, apart (see commit_parts.py).
    "commits": (
        _append("commit_user_day", "BY NAME " + day_rows("new_rows", own_ai=False)),
        _append("commit_ext_user_day", "BY NAME " + extension_rows("new_files", own_ai=False)),
    ),
    "typing": (
        _append(
            "typing_user_day",
            """SELECT org_num, user_num, ts::DATE, ide, client_version, language,
                sum(user_bytes), sum(ai_bytes_autocomplete), sum(ai_bytes_command)
                FROM new_rows GROUP BY ALL""",
        ),
    ),
    # Rewrites change commits, not rollups of their own (store/duckdb/attribution.py).
    "rewrites": (),
}

CHILD_TABLE: Final[dict[str, str]] = {
    "changes": "change_files",
    "commits": "commit_files",
    "rewrites": "rewrite_mappings",
}
