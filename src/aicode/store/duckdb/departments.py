"""Departments (a tree per organization) in the DuckDB store."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import duckdb

from aicode.directory.people import department_parts
from aicode.errors import InvalidInput
from aicode.model.tenancy import Department, Organization
from aicode.store.duckdb.identity import now_utc


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first row of a query, or None, with the result consumed.

    A result left half-read (``fetchone``) keeps the connection busy, and DuckDB then refuses
    to register the Arrow tables the writer's later steps in the same transaction use.
    """
    rows = con.execute(sql, list(params)).fetchall()
    return rows[0] if rows else None


def department_from_row(row: Sequence[Any]) -> Department:
    """A Department from (dept_num, id, org_num, name, parent id, path)."""
    return Department(
        num=int(row[0]),
        id=row[1],
        org_num=int(row[2]),
        name=row[3],
        parent_id=row[4],
        path=row[5],
    )


DEPARTMENT_COLUMNS = "d.dept_num, d.id, d.org_num, d.name, p.id, d.path"


def split_path(path: str) -> list[str]:
    """``Eng / Platform`` -> ["Eng", "Platform"]; empty parts are refused."""
    try:
        return department_parts(path)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="department") from exc


def ensure_department(
    con: duckdb.DuckDBPyConnection, org: Organization, path: str
) -> tuple[Department, int]:
    """The department at a path, created with missing parents; also returns how many were new.

    Paths match case-insensitively (``eng/platform`` is ``Eng/Platform``) so that feeds with
    inconsistent capitalisation do not grow a second tree; new parts keep the given spelling.
    """
    parent_num: int | None = None
    parent_path = ""
    parent_num_path = "/"
    created = 0
    for part in split_path(path):
        sub = f"{parent_path}/{part}" if parent_path else part
        row = first_row(
            con,
            "SELECT dept_num, path, num_path FROM departments"
            " WHERE org_num = ? AND lower(path) = lower(?) ORDER BY dept_num LIMIT 1",
            [org.num, sub],
        )
        if row is None:
            num_row = first_row(con, "SELECT nextval('dept_num_seq')")
            assert num_row is not None
            num = int(num_row[0])
            num_path = f"{parent_num_path}{num}/"
            con.execute(
                "INSERT INTO departments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [num, uuid.uuid4().hex, org.num, parent_num, part, sub, num_path, now_utc()],
            )
            created += 1
            row = (num, sub, num_path)
        parent_num, parent_path, parent_num_path = int(row[0]), row[1], row[2]
    dept = first_row(
        con,
        f"SELECT {DEPARTMENT_COLUMNS} FROM departments d"
        " LEFT JOIN departments p ON d.parent_num = p.dept_num WHERE d.dept_num = ?",
        [parent_num],
    )
    assert dept is not None
    return department_from_row(dept), created
