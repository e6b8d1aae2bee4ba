"""The data sources a query may read and every field each one offers.

completions   inline completions, one row per person per UTC hour per (ide, version, language)
chats         chat answers, one row per answer
commands      inline AI edits (source INLINECHAT, Windsurf's Command), accepted or not
code_written  bytes typed by hand versus inserted by AI (percent of code written)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Final

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters, people, time_range
from aicode.metrics.query.fields import (
    ROW,
    Field,
    constant_measure,
    day,
    dimension,
    distinct,
    filter_only,
    flag,
    measure,
    share,
    total,
    user_hash,
    user_num,
)
from aicode.metrics.query.spec import Kind
from aicode.metrics.sql import col, lit

CHAT_INTENTS: Final[tuple[str, ...]] = (
    "CHAT_INTENT_GENERIC",
    "CHAT_INTENT_FUNCTION_EXPLAIN",
    "CHAT_INTENT_FUNCTION_DOCSTRING",
    "CHAT_INTENT_FUNCTION_REFACTOR",
    "CHAT_INTENT_CODE_BLOCK_EXPLAIN",
    "CHAT_INTENT_CODE_BLOCK_REFACTOR",
    "CHAT_INTENT_PROBLEM_EXPLAIN",
    "CHAT_INTENT_FUNCTION_UNIT_TESTS",
)
COMMAND_SOURCES: Final[tuple[str, ...]] = (
    "COMMAND_REQUEST_SOURCE_LINE_HINT_CODE_LENS",
    "COMMAND_REQUEST_SOURCE_DEFAULT",
    "COMMAND_REQUEST_SOURCE_RIGHT_CLICK_REFACTOR",
    "COMMAND_REQUEST_SOURCE_FUNCTION_CODE_LENS",
    "COMMAND_REQUEST_SOURCE_FOLLOWUP",
    "COMMAND_REQUEST_SOURCE_CLASS_CODE_LENS",
    "COMMAND_REQUEST_SOURCE_PLAN",
    "COMMAND_REQUEST_SOURCE_SELECTION_HINT_CODE_LENS",
)
PROVIDER_SOURCES: Final[tuple[str, ...]] = (
    "PROVIDER_SOURCE_COMMAND_GENERATE",
    "PROVIDER_SOURCE_COMMAND_EDIT",
)
# Whole hours only: the completion rollup is hourly, so a half-hour offset would split hours.
MIN_OFFSET, MAX_OFFSET = -12, 14
_OFFSET_DAY = re.compile(r"date UTC([+-])([0-9]{1,2})")
OFFSET_DAY_NAMES = f"date UTC-N or date UTC+N (UTC{MIN_OFFSET} to UTC+{MAX_OFFSET})"

Rows = Callable[[Filters], tuple[exp.Expr, list[exp.Expr]]]


@dataclasses.dataclass(frozen=True)
class DataSource:
    """Rows to query (aliased ``f``) with the conditions that scope them, and their fields.

    ``offset_day_column``: the time column that ``date UTC-x`` fields shift, if the source
    offers them.
    """

    name: str
    fields: tuple[Field, ...]
    rows: Rows
    offset_day_column: str | None = None

    def field(self, name: str) -> Field | None:
        """The field with this name, including any ``date UTC±N`` with N in range."""
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        match = _OFFSET_DAY.fullmatch(name)
        if self.offset_day_column is None or match is None:
            return None
        offset = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        if not MIN_OFFSET <= offset <= MAX_OFFSET:
            return None
        return day(name, self.offset_day_column, offset)

    def describe(self, *, filters: bool = False) -> str:
        """The names of the fields selections (or filters) may use, for error messages."""
        names = [f.name for f in self.fields if (f.filterable if filters else f.selectable)]
        if self.offset_day_column is not None:
            names.insert(names.index("date") + 1, OFFSET_DAY_NAMES)
        return ", ".join(names)


def _completion_hours(filters: Filters) -> tuple[exp.Expr, list[exp.Expr]]:
    # One row per person, hour, ide, version and language: the rollup also splits by
    # product type, which this data source does not show.
    keys = ["user_num", "hour", "ide", "client_version", "language"]
    sums = {
        "num_acceptances": "count_accepted",
        "num_lines_accepted": "lines_accepted",
        "num_bytes_accepted": "bytes_accepted",
    }
    conditions = people(filters)
    inner = (
        sqlglot.select(*keys, *[exp.func("sum", col(c)).as_(name) for name, c in sums.items()])
        .from_("completion_user_hour")
        .where(exp.and_(*conditions))
        .group_by(*keys)
    )
    return inner.subquery(ROW), []


def _facts(table: str, *, bounded: bool = False, source: str | None = None) -> Rows:
    def rows(filters: Filters) -> tuple[exp.Expr, list[exp.Expr]]:
        conditions = people(filters, ROW)
        if source is not None:
            conditions.append(col("source", ROW).eq(lit(source)))
        if bounded:
            conditions.extend(time_range(filters, "ts", ROW))
        return exp.to_table(table).as_(ROW), conditions

    return rows


def _hour() -> exp.Expr:
    return col("hour", ROW)


def _utc_day() -> exp.Expr:
    return exp.cast(col("hour", ROW), exp.DataType.build("date"))


COMPLETIONS = DataSource(
    "completions",
    (
        user_hash(),
        day("date", "hour"),
        dimension("hour", "hour", Kind.TIME),
        dimension("language", "language", case="upper"),
        dimension("ide", "ide", case="lower"),
        dimension("version", "client_version"),
        measure("num_acceptances", "num_acceptances"),
        measure("num_lines_accepted", "num_lines_accepted"),
        measure("num_bytes_accepted", "num_bytes_accepted"),
        distinct("distinct_users", user_num),
        distinct("distinct_developer_days", user_num, _utc_day),
        distinct("distinct_developer_hours", user_num, _hour),
    ),
    _completion_hours,
    offset_day_column="hour",
)

CHATS = DataSource(
    "chats",
    (
        user_hash(),
        dimension("model_id", "model"),
        day("date", "ts"),
        dimension("ide", "ide", case="lower"),
        dimension("version", "client_version"),
        dimension("latest_intent_type", "chat_type", Kind.ENUM, choices=CHAT_INTENTS),
        constant_measure("num_chats_received", 1),
        flag("chat_accepted", "accepted"),
        flag("chat_inserted_at_cursor", "inserted_at_cursor"),
        flag("chat_applied", "applied"),
        measure("chat_loc_used", "loc_used"),
    ),
    _facts("chats"),
    offset_day_column="ts",
)

COMMANDS = DataSource(
    "commands",
    (
        user_hash(),
        day("date", "ts"),
        dimension("timestamp", "ts", Kind.TIME),
        dimension("language", "language", case="upper"),
        dimension("ide", "ide", case="lower"),
        dimension("version", "client_version"),
        dimension("command_source", "command_source", Kind.ENUM, choices=COMMAND_SOURCES),
        dimension("provider_source", "provider_source", Kind.ENUM, choices=PROVIDER_SOURCES),
        measure("lines_added", "lines_added"),
        measure("lines_removed", "lines_deleted"),
        measure("bytes_added", "bytes_added"),
        measure("bytes_removed", "bytes_removed"),
        measure("selection_lines", "selection_lines"),
        measure("selection_bytes", "selection_bytes"),
        flag("accepted", "accepted"),
    ),
    _facts("changes", source="INLINECHAT"),
)

_AI_BYTES = ("ai_bytes_autocomplete", "ai_bytes_command")
_ALL_BYTES = ("user_bytes", *_AI_BYTES)

CODE_WRITTEN = DataSource(
    "code_written",
    (
        share("percent_code_written", _AI_BYTES, _ALL_BYTES),
        total("codeium_bytes", *_AI_BYTES),
        total("user_bytes", "user_bytes"),
        total("total_bytes", *_ALL_BYTES),
        total("codeium_bytes_by_autocomplete", "ai_bytes_autocomplete"),
        total("codeium_bytes_by_command", "ai_bytes_command"),
        filter_only(dimension("language", "language", case="upper")),
        filter_only(dimension("ide", "ide", case="lower")),
        filter_only(dimension("version", "client_version")),
    ),
    _facts("typing", bounded=True),
)

SOURCES: Final[dict[str, DataSource]] = {
    s.name: s for s in (COMPLETIONS, CHATS, COMMANDS, CODE_WRITTEN)
}
