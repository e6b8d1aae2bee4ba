"""Normalized rows as explicitly typed Arrow columns."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from aicode.model.facts import NumberedLine
from aicode.store.duckdb.arrow_rows import to_arrow

NUMBERED = pa.list_(pa.struct([("line", pa.int32()), ("fp", pa.string()), ("trivial", pa.bool_())]))


def test_numbered_lines_are_laid_out_as_one_list_of_structs_per_row() -> None:
    table = to_arrow(
        {
            "added_lines": [
                [NumberedLine(line=3, fp="aa"), NumberedLine(line=9, fp="bb", trivial=True)],
                [],
                [NumberedLine(line=1, fp="cc")],
            ],
            "deleted_lines": [[], [], []],
        }
    )
    assert table.schema.field("added_lines").type == NUMBERED
    assert table.schema.field("deleted_lines").type == NUMBERED
    assert table.column("added_lines").to_pylist() == [
        [{"line": 3, "fp": "aa", "trivial": False}, {"line": 9, "fp": "bb", "trivial": True}],
        [],
        [{"line": 1, "fp": "cc", "trivial": False}],
    ]
    assert table.column("deleted_lines").to_pylist() == [[], [], []]


def test_columns_take_their_declared_types_not_inferred_ones() -> None:
    table = to_arrow(
        {
            "ts": [dt.datetime(2026, 11, 2, 9, 30)],
            "org_num": [7],
            "repo": [None],
            "lines_added": [4],
            "accepted": [True],
            "model": ["m"],
        }
    )
    assert table.schema == pa.schema(
        [
            ("ts", pa.timestamp("us")),
            ("org_num", pa.int32()),
            ("repo", pa.string()),
            ("lines_added", pa.int64()),
            ("accepted", pa.bool_()),
            ("model", pa.string()),
        ]
    )
