"""The collector tuning a serving process applies."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from aicode.app import SERVING_GC_THRESHOLD, collect_less_often


@pytest.fixture
def restored_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


@pytest.mark.usefixtures("restored_collector")
def test_serving_freezes_start_up_objects_and_raises_the_young_threshold() -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    collect_less_often()
    assert gc.get_threshold() == SERVING_GC_THRESHOLD == (10_000, 10, 10)
    assert gc.get_freeze_count() > 0
