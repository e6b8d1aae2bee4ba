"""Pages of long lists."""

from __future__ import annotations

import dataclasses
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list; pages count from 1."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def total_pages(self) -> int:
        """Number of pages (0 when the list is empty)."""
        return (self.total + self.per_page - 1) // self.per_page if self.per_page else 0

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.per_page
