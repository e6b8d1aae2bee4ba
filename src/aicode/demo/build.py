"""Writing the demo organization into a store: people as an HR import, facts via ingest."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from aicode.demo.config import DEMO_ORG_NAME, DemoConfig
from aicode.demo.generate import FactStream
from aicode.demo.people import generate_developers
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import IngestOutcome, Store

ProgressFn = Callable[[int, int, int], None]
"""Called as generation advances with (days done, days in total, facts stored so far)."""

_PEOPLE_CHUNK = 1000


@dataclasses.dataclass(frozen=True)
class DemoTokens:
    """Fresh secrets of the demo organization's read, ingest and admin tokens."""

    read: str
    ingest: str
    admin: str

    def as_dict(self) -> dict[str, str]:
        """The tokens by scope name."""
        return {"read": self.read, "ingest": self.ingest, "admin": self.admin}


@dataclasses.dataclass
class DemoResult:
    """What building (or finding) the demo organization produced."""

    organization: Organization
    tokens: DemoTokens
    created: bool  # False when an existing demo organization was reused
    developers: int = 0
    facts: dict[str, int] = dataclasses.field(default_factory=dict)
    outcome: IngestOutcome = dataclasses.field(default_factory=IngestOutcome)

    def as_json(self) -> dict[str, object]:
        """What ``aicode demo --json`` prints."""
        return {"organizationId": self.organization.id, "tokens": self.tokens.as_dict()}


def find_demo_org(store: Store) -> Organization | None:
    """The most recently created demo organization, if the store has one."""
    found = [o for o in store.list_organizations() if o.name == DEMO_ORG_NAME]
    return found[-1] if found else None


def issue_tokens(store: Store, org: Organization) -> DemoTokens:
    """New read, ingest and admin tokens (stored secrets are hashed, old ones can't be shown)."""
    secrets = {
        scope: store.create_token(org, f"demo-{scope.value}", [scope])[1]
        for scope in (Scope.READ, Scope.INGEST, Scope.ADMIN)
    }
    return DemoTokens(
        read=secrets[Scope.READ], ingest=secrets[Scope.INGEST], admin=secrets[Scope.ADMIN]
    )


def build_demo(store: Store, config: DemoConfig, progress: ProgressFn | None = None) -> DemoResult:
    """Create the demo organization, import its people and ingest its generated facts."""
    developers = generate_developers(config)
    org = store.create_organization(DEMO_ORG_NAME)
    records = [dev.person_record() for dev in developers]
    for start in range(0, len(records), _PEOPLE_CHUNK):
        store.import_people(org, records[start : start + _PEOPLE_CHUNK])
    stream = FactStream(config, developers)
    outcome = IngestOutcome()
    stored = 0
    if progress is not None:
        progress(0, config.days, 0)
    for batch in stream:
        outcome.merge(store.ingest(org, list(enumerate(batch, start=stored))))
        stored += len(batch)
        if progress is not None:
            progress(stream.days_done, config.days, stored)
    if progress is not None:
        progress(config.days, config.days, stored)
    return DemoResult(
        organization=org,
        tokens=issue_tokens(store, org),
        created=True,
        developers=len(developers),
        facts=dict(sorted(stream.counts.items())),
        outcome=outcome,
    )


def ensure_demo(store: Store, config: DemoConfig, progress: ProgressFn | None = None) -> DemoResult:
    """The existing demo organization with fresh tokens, or a newly built one."""
    org = find_demo_org(store)
    if org is None:
        return build_demo(store, config, progress)
    return DemoResult(organization=org, tokens=issue_tokens(store, org), created=False)
