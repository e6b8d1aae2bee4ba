"""Normalized rows as Arrow tables with explicit types, built before the writer sees them.

Every column gets its type from here rather than from pyarrow's inference: inference is
slower, and on every call it retries importing pandas (not installed), which alone cost
about 8 ms of held GIL per 1,000-fact batch.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any, Final

import pyarrow as pa

from aicode.ingest.rows import NormalizedBatch

_NUMBERED: Final = pa.list_(
    pa.struct([("line", pa.int32()), ("fp", pa.string()), ("trivial", pa.bool_())])
)
# Columns whose type a first value cannot tell (lists, times, nullable values).
_TYPES: Final[dict[str, pa.DataType]] = {
    "_index": pa.int64(),
    "ts": pa.timestamp("us"),
    "committed_at": pa.timestamp("us"),
    "org_num": pa.int32(),
    "user_num": pa.int64(),
    "added_fingerprints": pa.list_(pa.string()),
    "deleted_fingerprints": pa.list_(pa.string()),
    "parents": pa.list_(pa.string()),
    "own_added_lines": pa.list_(pa.int32()),
    "own_deleted_lines": pa.list_(pa.int32()),
    "own_lines_added": pa.int64(),
    "own_lines_deleted": pa.int64(),
    "added_lines": _NUMBERED,
    "deleted_lines": _NUMBERED,
    "is_primary_branch": pa.bool_(),
    "conversation_id": pa.string(),
    "branch": pa.string(),
    "message": pa.string(),
    "old_path": pa.string(),
    "range_annotations": pa.string(),
    "repo": pa.string(),
}


def _type_of(name: str, values: list[Any]) -> pa.DataType:
    known = _TYPES.get(name)
    if known is not None:
        return known
    first = next((v for v in values if v is not None), None)
    if isinstance(first, bool):
        return pa.bool_()
    if isinstance(first, int):
        return pa.int64()
    return pa.string()


_LINE_FIELDS: Final = tuple(_NUMBERED.value_type)


def _numbered_lines(values: list[list[Any]]) -> pa.Array:
    """Lists of numbered lines (objects with ``line``, ``fp``, ``trivial``) as one list array.

    Built from flat columns: converting a tuple per line through pyarrow's generic nested
    path cost about twice as much for a commit-heavy batch.
    """
    flat = list(itertools.chain.from_iterable(values))
    offsets = pa.array([0, *itertools.accumulate(map(len, values))], pa.int32())
    fields = [
        pa.array(list(map(operator.attrgetter(field.name), flat)), field.type)
        for field in _LINE_FIELDS
    ]
    lines = pa.StructArray.from_arrays(fields, fields=list(_LINE_FIELDS))
    return pa.ListArray.from_arrays(offsets, lines, type=_NUMBERED)


def _column(name: str, values: list[Any]) -> pa.Array:
    kind = _type_of(name, values)
    if kind == _NUMBERED:
        return _numbered_lines(values)
    return pa.array(values, kind)


def to_arrow(columns: dict[str, list[Any]]) -> pa.Table:
    """One table's columns as an Arrow table, each column explicitly typed."""
    return pa.table({name: _column(name, values) for name, values in columns.items()})


def batch_tables(batch: NormalizedBatch) -> dict[str, pa.Table]:
    """Every non-empty table of a normalized batch as Arrow."""
    return {name: to_arrow(rows.columns) for name, rows in batch.tables.items() if len(rows)}
