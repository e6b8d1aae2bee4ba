"""The storage interface every backend implements; callers never see a backend's SQL."""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar

import pyarrow as pa
import sqlglot.expressions as exp

from aicode.model.facts import Fact
from aicode.model.tenancy import Department, Organization, Scope, Token, User


@dataclasses.dataclass(frozen=True)
class Rejection:
    """A batch item that was not stored: its position, the field at fault and why."""

    index: int
    field: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The item as the ingest API reports it."""
        return {"index": self.index, "field": self.field, "reason": self.reason}


@dataclasses.dataclass
class IngestOutcome:
    """What a batch did: facts newly stored, facts already known, and items refused."""

    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = dataclasses.field(default_factory=list)
    users_created: int = 0

    def merge(self, other: IngestOutcome) -> None:
        """Add another outcome's counts to this one."""
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)
        self.users_created += other.users_created


@dataclasses.dataclass(frozen=True)
class PersonRecord:
    """A person as an HR export describes them; None leaves a stored value unchanged.

    ``groups``, when given, replace the person's groups (``()`` clears them); ``aliases`` only
    ever add identities. ``source`` says where the record came from (``line 4``,
    ``people[3]``) so that errors found while importing can point at it.
    """

    email: str
    name: str | None = None
    department: str | None = None  # path like "Eng/Platform"
    groups: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    privacy_mode: bool | None = None
    source: str = ""


@dataclasses.dataclass(frozen=True)
class DirectoryResult:
    """Counts of what a bulk people import changed.

    ``users_updated`` counts existing people whose record actually changed, so re-importing
    the same file reports them under ``users_unchanged``; ``users_merged`` counts users that
    only existed as an alias's auto-created placeholder and were folded into a person.
    """

    users_created: int
    users_updated: int
    departments_created: int
    aliases_added: int
    users_unchanged: int = 0
    users_merged: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as the admin API reports them."""
        return {
            "usersCreated": self.users_created,
            "usersUpdated": self.users_updated,
            "usersUnchanged": self.users_unchanged,
            "usersMerged": self.users_merged,
            "departmentsCreated": self.departments_created,
            "aliasesAdded": self.aliases_added,
        }


class Store(abc.ABC):
    """One storage interface: tenancy, identity, fact ingestion and expression queries."""

    dialect: ClassVar[str]
    capabilities: ClassVar[frozenset[str]] = frozenset()

    @abc.abstractmethod
    def close(self) -> None:
        """Flush and release the store."""

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version the store is at."""

    # tenancy ---------------------------------------------------------------------------
    @abc.abstractmethod
    def create_organization(self, name: str) -> Organization:
        """Create an organization."""

    @abc.abstractmethod
    def get_organization(self, org_id: str) -> Organization | None:
        """The organization with this public id, if any."""

    @abc.abstractmethod
    def list_organizations(self) -> list[Organization]:
        """Every organization, oldest first."""

    @abc.abstractmethod
    def create_token(
        self, org: Organization, name: str, scopes: Sequence[Scope]
    ) -> tuple[Token, str]:
        """Create a token; returns it and its secret, which is shown once and stored hashed."""

    @abc.abstractmethod
    def authenticate(self, secret: str) -> Token | None:
        """The live token whose secret this is, if any."""

    @abc.abstractmethod
    def list_tokens(self, org: Organization) -> list[Token]:
        """An organization's live tokens."""

    @abc.abstractmethod
    def revoke_token(self, org: Organization, token_id: str) -> bool:
        """Revoke a token; False when it does not exist."""

    @abc.abstractmethod
    def fingerprint_key(self, org: Organization) -> bytes:
        """The organization's secret key for line fingerprints (created with the organization)."""

    # directory -------------------------------------------------------------------------
    @abc.abstractmethod
    def import_people(self, org: Organization, people: Sequence[PersonRecord]) -> DirectoryResult:
        """Create or update people, their departments, groups and aliases in one transaction."""

    @abc.abstractmethod
    def ensure_department(self, org: Organization, path: str) -> Department:
        """The department at this path (``Eng/Platform``), created with its parents if missing."""

    @abc.abstractmethod
    def list_departments(self, org: Organization) -> list[Department]:
        """Every department of an organization, parents before children."""

    @abc.abstractmethod
    def get_department(self, org: Organization, department_id: str) -> Department | None:
        """The department with this id in this organization, if any."""

    @abc.abstractmethod
    def list_users(self, org: Organization) -> list[User]:
        """Every user of an organization, by numeric id."""

    @abc.abstractmethod
    def find_user(self, org: Organization, ref: str) -> User | None:
        """Resolve an email, UUID, ``user_...`` id, numeric id or alias to a user."""

    @abc.abstractmethod
    def add_alias(self, org: Organization, user: User, alias: str) -> None:
        """Make another identity (git email, vendor id) name this user.

        Raises Conflict when it already names someone else, as ``import_people`` does.
        """

    # facts -----------------------------------------------------------------------------
    @abc.abstractmethod
    def ingest(self, org: Organization, facts: Sequence[tuple[int, Fact]]) -> IngestOutcome:
        """Store facts (each with its batch index) durably; returns only after the commit."""

    # queries ---------------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, query: exp.Expr) -> list[dict[str, Any]]:
        """Run a read expression and return its rows as dicts."""

    def query_all(self, queries: Sequence[exp.Expr]) -> list[list[dict[str, Any]]]:
        """Run independent read expressions; their rows, in order (a backend may overlap them)."""
        return [self.query(query) for query in queries]

    @abc.abstractmethod
    def query_arrow(self, query: exp.Expr) -> pa.Table:
        """Run a read expression and return an Arrow table."""

    @abc.abstractmethod
    def render(self, query: exp.Expr) -> str:
        """The SQL this backend runs for an expression (for logs and tests)."""
