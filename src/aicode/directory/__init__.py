"""People and departments as an HR export feeds them, independent of the storage backend."""

from __future__ import annotations

from aicode.directory.people import (
    InvalidPeople,
    RowError,
    people_from_csv,
    people_from_json,
)
from aicode.directory.plan import plan_import, preview_import

__all__ = [
    "InvalidPeople",
    "RowError",
    "people_from_csv",
    "people_from_json",
    "plan_import",
    "preview_import",
]
