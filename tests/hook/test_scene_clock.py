"""The end-to-end scene's clock fits the server's rules whatever the time of day the tests run."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.hook.scene import SCENE_SPAN, _start


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 24, 0, 15, 30), dt.datetime(2026, 11, 24, 0, 25)),
        (dt.datetime(2026, 11, 24, 12, 0, 0), dt.datetime(2026, 11, 24, 12, 10)),
        (dt.datetime(2026, 11, 24, 20, 49, 59), dt.datetime(2026, 11, 24, 20, 59)),
        (dt.datetime(2026, 11, 24, 20, 51, 0), dt.datetime(2026, 11, 25, 0, 10)),
        (dt.datetime(2026, 11, 24, 23, 59, 30), dt.datetime(2026, 11, 25, 0, 9)),
    ],
)
def test_the_scene_starts_after_now_within_a_day_and_ends_the_same_day(
    now: dt.datetime, expected: dt.datetime
) -> None:
    now, expected = now.replace(tzinfo=dt.UTC), expected.replace(tzinfo=dt.UTC)
    start = _start(now)
    assert start == expected
    end = start + SCENE_SPAN
    assert now < start
    assert end.date() == start.date()
    assert end < now + dt.timedelta(days=1)
