"""Which days an organization has any data for: tells an empty view from a new organization."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.activity import CHANGE_DAY, CHAT_DAY, COMPLETION_DAY
from aicode.metrics.sql import col, lit
from aicode.store.base import Store

_DAY_TABLES = (COMPLETION_DAY, CHAT_DAY, CHANGE_DAY, "commit_user_day")


@dataclasses.dataclass(frozen=True)
class DataSpan:
    """The first and last UTC day with any completion, chat, AI edit or commit."""

    first: dt.date
    last: dt.date


def data_span(store: Store, org_num: int) -> DataSpan | None:
    """The days an organization has data for, or None when it has none yet."""
    parts = [
        sqlglot.select(
            exp.func("min", col("day")).as_("first"), exp.func("max", col("day")).as_("last")
        )
        .from_(table)
        .where(col("org_num").eq(lit(org_num)))
        for table in _DAY_TABLES
    ]
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = union.union(part, distinct=False)
    query = sqlglot.select(
        exp.func("min", col("first")).as_("first"), exp.func("max", col("last")).as_("last")
    ).from_(union.subquery("spans"))
    row = store.query(query)[0]
    if row["first"] is None:
        return None
    return DataSpan(row["first"], row["last"])
