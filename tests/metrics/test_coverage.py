"""The span of days an organization has data for."""

from aicode.metrics import DataSpan, data_span
from aicode.store.base import Store
from tests.conftest import Tenant
from tests.world import D1, D3, World


def test_span_of_the_world(world: World) -> None:
    assert data_span(world.store, world.org.num) == DataSpan(D1, D3)


def test_a_new_organization_has_none(world: World, other_tenant: Tenant, store: Store) -> None:
    assert data_span(store, other_tenant.org.num) is None
