"""Deciding what a people import does, apart from how a backend reads and writes it.

A backend gathers what the import's emails and aliases name today, ``plan_import`` decides,
and the backend applies the plan in one transaction. The dry run plans from the same facts
read through the Store interface, so a preview and an import cannot disagree on the rules:

* a row's email names a known user (as email or as any alias): that user is updated in
  place. This is how an HR feed meets users that ingest auto-created from the emails facts
  named -- they are the same rows, not duplicates;
* a row's email is unknown, but one of its aliases names a *placeholder* -- a user nobody has
  described yet (no name, department, groups or privacy mode), typically auto-created by
  ingest from a git email: the row takes over that user. The HR email becomes its email, its
  facts and identities stay with it;
* an alias names another placeholder: that user is merged into the person (its identities
  move over and it is deleted) when it has no facts. Facts and their rollups are not
  rewritten, so an alias naming a placeholder *with* facts is a conflict (409), as is an
  alias naming anyone already described. Conflicts name both people so an admin can decide.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from typing import Final

import sqlglot
import sqlglot.expressions as exp

from aicode.errors import Conflict, InvalidInput
from aicode.model.tenancy import Organization, User
from aicode.store.base import DirectoryResult, PersonRecord, Store

_LOOKUP_CHUNK: Final = 2000


@dataclasses.dataclass(frozen=True)
class KnownUser:
    """What the planner needs to know about an existing user."""

    num: int
    email: str | None
    name: str | None
    department: str | None  # path
    groups: tuple[str, ...]
    privacy_mode: bool

    @property
    def placeholder(self) -> bool:
        """True when nobody described this user yet: ingest created it from an identity."""
        return (
            self.name is None
            and self.department is None
            and not self.groups
            and not self.privacy_mode
        )

    def label(self) -> str:
        """How conflict messages name the user."""
        return self.email or f"user {self.num}"


@dataclasses.dataclass
class Step:
    """What happens to one person: create or update, which aliases to add, whom to merge."""

    person: PersonRecord
    user: int | None  # None: create (the backend fills in the new user's number)
    created: bool = False  # the step creates its user
    set_email: bool = False  # the stored email becomes the row's email
    changed: bool = False
    new_aliases: list[str] = dataclasses.field(default_factory=list)
    merges: list[int] = dataclasses.field(default_factory=list)
    aliases_added: int = 0


@dataclasses.dataclass
class Plan:
    """Every step of an import and the departments it needs."""

    steps: list[Step]
    departments: list[str]  # distinct department paths the import names
    departments_missing: int  # how many departments (with parents) do not exist yet

    def result(self, departments_created: int | None = None) -> DirectoryResult:
        """The counts this plan produces (departments as created, when known)."""
        existing = [s for s in self.steps if not s.created]
        return DirectoryResult(
            users_created=sum(1 for s in self.steps if s.created),
            users_updated=sum(1 for s in existing if s.changed),
            users_unchanged=sum(1 for s in existing if not s.changed),
            users_merged=sum(len(s.merges) for s in self.steps),
            departments_created=(
                self.departments_missing if departments_created is None else departments_created
            ),
            aliases_added=sum(s.aliases_added for s in self.steps),
        )


def _prefix(person: PersonRecord) -> str:
    return f"{person.source}: " if person.source else ""


def _naming(user: KnownUser, alias: str) -> str:
    """`` (ann@acme.dev)`` naming the user, unless the alias already is their email."""
    return "" if user.email == alias else f" ({user.label()})"


def _missing_departments(paths: Sequence[str], existing: Collection[str]) -> int:
    known = {p.lower() for p in existing}
    missing: set[str] = set()
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth]).lower()
            if sub not in known:
                missing.add(sub)
    return len(missing)


def _differs(person: PersonRecord, user: KnownUser) -> bool:
    if person.name is not None and person.name != user.name:
        return True
    if person.department is not None and (
        person.department.lower() != (user.department or "").lower()
    ):
        return True
    if person.groups is not None and set(person.groups) != set(user.groups):
        return True
    return person.privacy_mode is not None and person.privacy_mode != user.privacy_mode


def plan_import(
    people: Sequence[PersonRecord],
    owners: Mapping[str, int],
    users: Mapping[int, KnownUser],
    departments: Collection[str],
    with_facts: Collection[int] = (),
) -> Plan:
    """Decide an import: ``owners`` maps each email and alias of the import that names
    someone to that user, ``users`` describes them, ``departments`` lists existing paths and
    ``with_facts`` the users that have facts. Raises InvalidInput or Conflict.
    """
    targets: dict[int, PersonRecord] = {}
    steps: list[Step] = []
    seen_emails: dict[str, PersonRecord] = {}
    for person in people:
        if person.email in seen_emails:
            first = seen_emails[person.email]
            raise InvalidInput(
                f"{_prefix(person)}email {person.email!r} is listed twice"
                + (f" (also {first.source})" if first.source else ""),
                field="email",
            )
        seen_emails[person.email] = person
        num = owners.get(person.email)
        if num is not None and num in targets:
            other = targets[num]
            raise Conflict(
                f"{_prefix(person)}{person.email!r} and {other.email!r}"
                + (f" ({other.source})" if other.source else "")
                + " name the same person",
                field="email",
            )
        if num is not None:
            targets[num] = person
        steps.append(Step(person, num))
    # Adopt placeholders named by an alias of a row whose email is new; prefer one with facts,
    # since a placeholder without facts could still be merged but one with facts could not.
    for step in steps:
        if step.user is not None:
            continue
        candidates = [
            owners[a]
            for a in step.person.aliases
            if a in owners and owners[a] not in targets and users[owners[a]].placeholder
        ]
        if candidates:
            chosen = next((c for c in candidates if c in with_facts), candidates[0])
            step.user, step.set_email = chosen, True
            targets[chosen] = step.person
    merged: dict[int, PersonRecord] = {}
    claimed: dict[str, PersonRecord] = {}
    for step in steps:
        person = step.person
        known = users.get(step.user) if step.user is not None else None
        if known is not None and known.email != person.email:
            step.set_email = True
        if step.set_email and person.email not in owners:
            step.new_aliases.append(person.email)
        for alias in person.aliases:
            owner = owners.get(alias)
            if alias in claimed and claimed[alias] is not person:
                raise InvalidInput(
                    f"{_prefix(person)}alias {alias!r} is also listed for {claimed[alias].email!r}",
                    field="aliases",
                )
            claimed[alias] = person
            if owner is None:
                step.new_aliases.append(alias)
                step.aliases_added += 1
            elif owner == step.user:
                continue
            elif owner in targets:
                raise Conflict(
                    f"{_prefix(person)}alias {alias!r} names "
                    f"{users[owner].label()}, who is also in this import",
                    field="aliases",
                )
            elif owner in merged and merged[owner] is not person:
                raise Conflict(
                    f"{_prefix(person)}alias {alias!r} names "
                    f"{users[owner].label()}, claimed by {merged[owner].email!r}",
                    field="aliases",
                )
            elif not users[owner].placeholder:
                raise Conflict(
                    f"{_prefix(person)}alias {alias!r} already names another "
                    f"person{_naming(users[owner], alias)}",
                    field="aliases",
                )
            elif owner in with_facts:
                raise Conflict(
                    f"{_prefix(person)}alias {alias!r} already names a user with "
                    f"facts{_naming(users[owner], alias)}; merging users that have "
                    "facts is not supported",
                    field="aliases",
                )
            else:
                if owner not in merged:
                    merged[owner] = person
                    step.merges.append(owner)
                step.aliases_added += 1
        step.created = step.user is None
        step.changed = step.user is not None and bool(
            step.set_email
            or step.aliases_added
            or step.merges
            or (known is not None and _differs(person, known))
        )
    paths = list(dict.fromkeys(p.department for p in people if p.department))
    return Plan(steps, paths, _missing_departments(paths, departments))


def preview_import(store: Store, org: Organization, people: Sequence[PersonRecord]) -> Plan:
    """Plan an import from what the store holds now, writing nothing (for dry runs).

    The Store interface does not say which users have facts, so a merge the preview shows
    may still turn into a conflict when the import runs.
    """
    department_paths = {d.id: d.path for d in store.list_departments(org)}
    stored = {u.num: u for u in store.list_users(org)}
    refs = list(dict.fromkeys(r for p in people for r in (p.email, *p.aliases)))
    owners = _owners(store, org, refs)
    users = {num: known_from_user(stored[num], department_paths) for num in set(owners.values())}
    return plan_import(people, owners, users, department_paths.values())


def _owners(store: Store, org: Organization, refs: Sequence[str]) -> dict[str, int]:
    """Which user each identity names, read from the canonical alias table in a few queries
    (one ``find_user`` per identity takes minutes for an organization-sized file).
    """
    owners: dict[str, int] = {}
    for start in range(0, len(refs), _LOOKUP_CHUNK):
        chunk = refs[start : start + _LOOKUP_CHUNK]
        query = (
            sqlglot.select("alias", "user_num")
            .from_("user_aliases")
            .where(exp.column("org_num").eq(org.num))
            .where(exp.column("alias").isin(*chunk))
        )
        owners.update({str(r["alias"]): int(r["user_num"]) for r in store.query(query)})
    return owners


def known_from_user(user: User, department_paths: Mapping[str, str]) -> KnownUser:
    """A KnownUser from a stored User and a department id -> path map."""
    return KnownUser(
        num=user.num,
        email=user.email,
        name=user.display_name,
        department=department_paths.get(user.department_id) if user.department_id else None,
        groups=user.groups,
        privacy_mode=user.privacy_mode,
    )
