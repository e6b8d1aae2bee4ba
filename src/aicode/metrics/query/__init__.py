"""A small query language over the facts: selections, filters and grouping keys.

A request names a data source (``catalog``), the fields to return with an optional
aggregation function, filters with values given as text, and fields to group by. It is
validated against the data source's catalog and compiled to one SQLGlot SELECT per query
(``compiler``); values are bound as typed literals (``values``), never pasted as SQL.
"""

from aicode.metrics.query.catalog import (
    CHAT_INTENTS,
    CHATS,
    CODE_WRITTEN,
    COMMAND_SOURCES,
    COMMANDS,
    COMPLETIONS,
    PROVIDER_SOURCES,
    SOURCES,
    DataSource,
)
from aicode.metrics.query.compiler import CompiledQuery, Output, compile_query
from aicode.metrics.query.run import QueryResult, run_queries
from aicode.metrics.query.spec import (
    Aggregate,
    Condition,
    FilterOp,
    GroupKey,
    Kind,
    QueryError,
    QuerySpec,
    Selection,
)

__all__ = [
    "CHATS",
    "CHAT_INTENTS",
    "CODE_WRITTEN",
    "COMMANDS",
    "COMMAND_SOURCES",
    "COMPLETIONS",
    "PROVIDER_SOURCES",
    "SOURCES",
    "Aggregate",
    "CompiledQuery",
    "Condition",
    "DataSource",
    "FilterOp",
    "GroupKey",
    "Kind",
    "Output",
    "QueryError",
    "QueryResult",
    "QuerySpec",
    "Selection",
    "compile_query",
    "run_queries",
]
