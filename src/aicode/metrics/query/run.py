"""Run compiled queries and turn their rows into named, typed values."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from aicode.metrics.filters import Filters
from aicode.metrics.query.compiler import CompiledQuery, compile_query
from aicode.metrics.query.spec import Kind, QueryError, QuerySpec
from aicode.metrics.rates import fraction
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class QueryResult:
    """The rows of one query: each a dict from result name to a Python value.

    ``kinds`` gives each name's type (dates are ``date``, times naive UTC ``datetime``,
    fractions ``float`` in [0, 1]); a value is None only for AVG, MAX or MIN over no rows.
    """

    kinds: dict[str, Kind]
    rows: list[dict[str, Any]]


def _row(compiled: CompiledQuery, raw: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for output in compiled.outputs:
        if len(output.columns) == 2:
            part, whole = (raw[c] or 0 for c in output.columns)
            row[output.name] = fraction(part, whole)
        else:
            row[output.name] = raw[output.columns[0]]
    return row


def run_queries(
    store: Store, scope: Filters, specs: Sequence[QuerySpec], *, max_rows: int
) -> list[QueryResult]:
    """Validate every query, then run each over the scope, in order.

    Nothing runs unless every query is valid. A query whose answer would exceed
    ``max_rows`` rows is refused rather than cut short.
    """
    compiled = [compile_query(spec, scope, limit=max_rows) for spec in specs]
    results: list[QueryResult] = []
    for query in compiled:
        raw = store.query(query.select)
        if len(raw) > max_rows:
            where = query.location or "query"
            raise QueryError(
                f"{where}: the answer has more than {max_rows} rows;"
                " narrow it with filters or aggregations",
                field=query.location or None,
            )
        kinds = {o.name: o.kind for o in query.outputs}
        results.append(QueryResult(kinds, [_row(query, r) for r in raw]))
    return results
