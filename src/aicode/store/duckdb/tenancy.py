"""Organizations, tokens, departments and people in the DuckDB store (writer-side jobs).

The work lives in ``organizations.py``, ``departments.py`` and ``people.py``; this module
keeps the names the backend calls them by.
"""

from __future__ import annotations

from aicode.store.duckdb import identity
from aicode.store.duckdb.departments import (
    DEPARTMENT_COLUMNS,
    department_from_row,
    ensure_department,
    split_path,
)
from aicode.store.duckdb.organizations import (
    TOKEN_COLUMNS,
    TOKEN_PREFIX,
    create_organization,
    create_token,
    hash_secret,
    org_from_row,
    token_from_row,
)
from aicode.store.duckdb.people import (
    USER_COLUMNS,
    USER_FROM,
    add_alias,
    import_people,
    user_from_row,
)

now_utc = identity.now_utc  # an explicit name: backend.py calls tenancy.now_utc

__all__ = [
    "DEPARTMENT_COLUMNS",
    "TOKEN_COLUMNS",
    "TOKEN_PREFIX",
    "USER_COLUMNS",
    "USER_FROM",
    "add_alias",
    "create_organization",
    "create_token",
    "department_from_row",
    "ensure_department",
    "hash_secret",
    "import_people",
    "now_utc",
    "org_from_row",
    "split_path",
    "token_from_row",
    "user_from_row",
]
