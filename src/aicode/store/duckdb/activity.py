"""The per-person-day activity rollup and the person-less change rollup (migration 7).

Kept apart from ``schema.py`` because ingest (``rollups.py``) folds into the same columns this
module declares: each kind's measures (``KIND_MEASURES``) are defined once, here, for these
tables and for the wide per-kind rollups alike.
"""

from __future__ import annotations

from typing import Final

import duckdb

# One row per person and day with any assistant activity: which kinds, the latest time, and
# the day's totals of each kind across every dimension. At 10,000 people x 90 days the wide
# rollups hold millions of rows; distinct developers and unbroken-down totals read this one.
KIND_MEASURES: Final = {
    "completion": {
        "events": "count(*)",
        "count_suggested": "sum(count_suggested)",
        "count_accepted": "sum(count_accepted)",
        "lines_suggested": "sum(lines_suggested)",
        "lines_accepted": "sum(lines_accepted)",
        "bytes_accepted": "sum(bytes_accepted)",
    },
    "chat": {
        "turns": "count(*)",
        "accepted": "count_if(accepted)",
        "inserted_at_cursor": "count_if(inserted_at_cursor)",
        "applied": "count_if(applied)",
        "loc_used": "sum(loc_used)",
    },
    "change": {
        "changes": "count(*)",
        "accepted_changes": "count_if(accepted)",
        "lines_added": "sum(lines_added)",
        "lines_deleted": "sum(lines_deleted)",
        "accepted_lines_added": "sum(CASE WHEN accepted THEN lines_added ELSE 0 END)",
        "accepted_lines_deleted": "sum(CASE WHEN accepted THEN lines_deleted ELSE 0 END)",
    },
}
ACTIVITY_KINDS: Final = tuple(KIND_MEASURES)
ACTIVITY_COLUMNS: Final = {
    kind: {f"{kind}_{name}": agg for name, agg in measures.items()}
    for kind, measures in KIND_MEASURES.items()
}
_ACTIVITY_DDL = ",\n".join(
    f"    {column} BIGINT NOT NULL DEFAULT 0"
    for columns in ACTIVITY_COLUMNS.values()
    for column in columns
)
# The wide rollup each kind's measures are summed from when the table is first filled.
_ACTIVITY_SOURCES: Final = {
    "completion": "completion_user_day",
    "chat": "chat_user_day",
    "change": "change_user_day",
}


def v7_activity(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 7: create and fill ``activity_user_day`` and ``change_org_day``."""
    con.execute(f"""
CREATE TABLE activity_user_day (
    org_num INTEGER NOT NULL, user_num BIGINT NOT NULL, day DATE NOT NULL,
    completion BOOLEAN NOT NULL, chat BOOLEAN NOT NULL, change BOOLEAN NOT NULL,
    last_ts TIMESTAMP NOT NULL,
{_ACTIVITY_DDL}
)""")
    parts = []
    for kind, table in _ACTIVITY_SOURCES.items():
        values = [
            name if k == kind else "0" for k, names in KIND_MEASURES.items() for name in names
        ]
        flags = ", ".join(f"{k == kind}" for k in ACTIVITY_KINDS)
        parts.append(
            f"SELECT org_num, user_num, day, {flags}, last_ts, {', '.join(values)} FROM {table}"
        )
    columns = [c for columns in ACTIVITY_COLUMNS.values() for c in columns]
    sums = ", ".join(f"sum({c})" for c in columns)
    union = " UNION ALL ".join(parts)
    con.execute(f"""
INSERT INTO activity_user_day
SELECT org_num, user_num, day, bool_or(f1), bool_or(f2), bool_or(f3), max(last_ts), {sums}
FROM ({union}) AS u(org_num, user_num, day, f1, f2, f3, last_ts, {", ".join(columns)})
GROUP BY org_num, user_num, day
ORDER BY org_num, day, user_num""")
    # change_user_day without the person: organization-wide breakdowns by source read a few
    # thousand rows instead of millions.
    con.execute("""
CREATE TABLE change_org_day (
    org_num INTEGER NOT NULL, day DATE NOT NULL,
    source VARCHAR NOT NULL, product_type VARCHAR NOT NULL, ide VARCHAR NOT NULL,
    model VARCHAR NOT NULL,
    changes BIGINT NOT NULL, accepted_changes BIGINT NOT NULL,
    lines_added BIGINT NOT NULL, lines_deleted BIGINT NOT NULL,
    accepted_lines_added BIGINT NOT NULL, accepted_lines_deleted BIGINT NOT NULL,
    last_ts TIMESTAMP NOT NULL
);
INSERT INTO change_org_day
SELECT org_num, day, source, product_type, ide, model, sum(changes), sum(accepted_changes),
    sum(lines_added), sum(lines_deleted), sum(accepted_lines_added),
    sum(accepted_lines_deleted), max(last_ts)
FROM change_user_day GROUP BY ALL ORDER BY org_num, day""")
