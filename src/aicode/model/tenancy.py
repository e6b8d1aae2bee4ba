"""Organizations, departments, users and tokens."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum


class Scope(enum.StrEnum):
    """What a token may do."""

    INGEST = "ingest"
    READ = "read"
    ADMIN = "admin"


@dataclasses.dataclass(frozen=True)
class Organization:
    """A tenant: every fact, user and token belongs to exactly one."""

    id: str
    num: int
    name: str
    created_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class Department:
    """A node of an organization's department tree."""

    id: str
    num: int
    org_num: int
    name: str
    parent_id: str | None
    path: str


@dataclasses.dataclass(frozen=True)
class User:
    """A person, however many identities (emails, vendor ids) they appear under."""

    id: str  # UUID, what Qoder and Lingma return
    num: int  # numeric id, accepted by Cursor's `user` filter
    encoded_id: str  # stable `user_...` id that Cursor returns
    org_num: int
    email: str | None
    display_name: str | None
    department_id: str | None
    groups: tuple[str, ...] = ()
    privacy_mode: bool = False


@dataclasses.dataclass(frozen=True)
class Token:
    """An API token as stored: only its hash and a short prefix are kept."""

    id: str
    org_num: int
    org_id: str
    name: str
    scopes: frozenset[Scope]
    prefix: str
    created_at: dt.datetime
