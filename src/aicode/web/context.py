"""What every view is built from: the store, the organization, the filters and the URL."""

from __future__ import annotations

import dataclasses
import datetime as dt

from starlette.datastructures import QueryParams

from aicode import metrics
from aicode.metrics import Filters
from aicode.model.tenancy import Organization
from aicode.store.base import Store
from aicode.web.blocks import Notice
from aicode.web.params import View


@dataclasses.dataclass(frozen=True)
class Context:
    """One request of a signed-in dashboard page."""

    store: Store
    org: Organization
    view: View
    filters: Filters
    query: QueryParams

    @property
    def base(self) -> str:
        """The organization's dashboard root."""
        return f"/orgs/{self.org.id}"

    def link(self, name: str = "", /, **extra: str | int | None) -> str:
        """A page of this dashboard with the current filters and extra parameters."""
        path = f"{self.base}/{name}" if name else self.base
        return path + self.view.query(**extra)

    def filtered(self, name: str = "", /, **changes: object) -> str:
        """A page of this dashboard with some filters changed."""
        path = f"{self.base}/{name}" if name else self.base
        return path + self.view.replace(**changes).query()

    @property
    def start(self) -> dt.date:
        """First day of the range (always resolved)."""
        assert self.filters.start is not None
        return self.filters.start

    @property
    def end(self) -> dt.date:
        """Last day of the range (always resolved)."""
        assert self.filters.end is not None
        return self.filters.end

    def empty_notice(self) -> Notice:
        """Why a view is empty: no data at all yet, or none for these filters."""
        span = metrics.data_span(self.store, self.org.num)
        if span is None:
            return Notice("welcome", "No data yet")
        return Notice(
            "empty",
            f"Nothing from {self.start} to {self.end} for these filters",
            f"This organization has data from {span.first} to {span.last}.",
        )
