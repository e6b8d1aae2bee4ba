"""A dashboard view's filters, read from and written back into its URL.

The names are the native API's (``start``, ``end``, ``department``, ``repo``, ``source``,
``primaryBranchOnly``, ``user``), so a dashboard URL's query asks the API the same question.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Sequence

from starlette.datastructures import QueryParams

from aicode.api.params import CommonParams
from aicode.errors import InvalidInput
from aicode.metrics import Filters
from aicode.model.tenancy import Organization
from aicode.store.base import Store

_TRUE = ("true", "1", "on", "yes")
_FALSE = ("false", "0", "off", "no", "")
MAX_PAGE = 1_000_000
MAX_SEARCH = 200


def parse_bool(value: str | None, field: str) -> bool:
    """A checkbox or boolean parameter, or a 400 naming the field."""
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidInput(f"{field} must be true or false, got {value!r}", field=field)


def parse_page(value: str | None) -> int:
    """A page number from 1, or a 400 naming the field."""
    if value is None or value == "":
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidInput(f"page must be a whole number from 1, got {value!r}", field="page")
    return int(value)


def parse_search(value: str | None, field: str = "q") -> str | None:
    """A search text (trimmed), or a 400 when it is too long."""
    text = (value or "").strip()
    if len(text) > MAX_SEARCH:
        raise InvalidInput(f"{field} may be at most {MAX_SEARCH} characters", field=field)
    return text or None


def _one(values: Sequence[str]) -> str | None:
    text = values[-1].strip() if values else ""
    return text or None


@dataclasses.dataclass(frozen=True)
class View:
    """The filters of a view as given in its URL (None when not given)."""

    start: str | None = None
    end: str | None = None
    department: str | None = None
    repo: str | None = None
    source: str | None = None
    primary_branch_only: bool = False
    user: str | None = None

    @classmethod
    def from_query(cls, query: QueryParams) -> View:
        """Read the filters; repeated ``source`` values join into the API's comma list."""

        def many(key: str) -> list[str]:
            return query.getlist(key)

        sources = [s.strip() for v in many("source") for s in v.split(",") if s.strip()]
        return cls(
            start=_one(many("start")),
            end=_one(many("end")),
            department=_one(many("department")),
            repo=_one(many("repo")),
            source=",".join(dict.fromkeys(sources)) or None,
            primary_branch_only=parse_bool(_one(many("primaryBranchOnly")), "primaryBranchOnly"),
            user=_one(many("user")),
        )

    def common(self) -> CommonParams:
        """The same filters as the native API's shared parameters."""
        return CommonParams(
            start=self.start,
            end=self.end,
            user=self.user,
            department=self.department,
            repo=self.repo,
            primary_branch_only=self.primary_branch_only,
            source=self.source,
        )

    def filters(self, store: Store, org: Organization) -> Filters:
        """Metric filters, resolved exactly as the native API resolves them."""
        return self.common().filters(store, org)

    def params(self) -> dict[str, str]:
        """The filters that are set, as URL parameters."""
        pairs = {
            "start": self.start,
            "end": self.end,
            "department": self.department,
            "repo": self.repo,
            "source": self.source,
            "primaryBranchOnly": "true" if self.primary_branch_only else None,
            "user": self.user,
        }
        return {k: v for k, v in pairs.items() if v}

    def query(self, **extra: str | int | None) -> str:
        """``?...`` with these filters and extra parameters (None drops one), or ''."""
        params: dict[str, str] = self.params()
        for key, value in extra.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urllib.parse.urlencode(params) if params else ""

    def replace(self, **changes: object) -> View:
        """A copy with some filters changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
