"""Filters: the previous period of a range."""

from aicode.metrics import Filters
from tests.world import D1, D3


def test_previous_period() -> None:
    filters = Filters.for_days(1, D1, D3, repo="core")
    previous = filters.previous_period()
    assert previous == Filters.for_days(
        1, D1.replace(day=30, month=5), D1.replace(day=1), repo="core"
    )
    assert Filters(org_num=1).previous_period() is None
