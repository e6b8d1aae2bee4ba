"""The demo organization the cross-surface agreement tests compare surfaces on."""

from __future__ import annotations

import pytest

from aicode.demo import DemoResult, build_demo
from aicode.store.base import Store
from tests.surfaces.cross_support import CONFIG


@pytest.fixture
def demo(store: Store) -> DemoResult:
    """A 20-developer, 14-day demo organization."""
    return build_demo(store, CONFIG)
