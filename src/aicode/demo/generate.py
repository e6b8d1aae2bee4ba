"""The demo's facts as a stream of batches, day by day, so memory stays bounded."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Final

from aicode.demo.config import DemoConfig
from aicode.demo.day import UserState, new_state, simulate_day
from aicode.demo.people import Developer, generate_developers
from aicode.demo.repos import all_repo_files
from aicode.model.facts import Fact


def fact_type(fact: Fact) -> str:
    """The wire type of a fact: completion, chat, change, commit or typing."""
    return str(type(fact).__struct_config__.tag)


class FactStream:
    """Iterates the demo's facts in batches of about ``batch_size`` and counts what it made.

    Days run in order and, within a day, developers in order; each developer has their own
    random generator, so the facts depend on the seed and the end date only.
    """

    def __init__(self, config: DemoConfig, developers: list[Developer] | None = None) -> None:
        self.config = config
        self.developers = developers if developers is not None else generate_developers(config)
        self.days_done = 0
        self.counts: Counter[str] = Counter()
        self._made = 0

    def _next_id(self) -> str:
        self._made += 1
        return f"demo-{self.config.seed}-{self._made}"

    def __iter__(self) -> Iterator[list[Fact]]:
        config = self.config
        cutoff = config.cutoff
        self._made, self.days_done = 0, 0
        self.counts.clear()
        files = all_repo_files(config.seed)
        states: list[UserState] = [new_state(config, dev) for dev in self.developers]
        buffers: dict[str, list[Fact]] = {kind: [] for kind in FLUSH_ORDER}
        for day in range(config.days):
            for dev, state in zip(self.developers, states, strict=True):
                for fact in simulate_day(dev, state, config, day, files, self._next_id):
                    # Commits only draw on earlier edits, so dropping everything after the
                    # cutoff never leaves a commit without the changes it was built from.
                    if (
                        cutoff is not None
                        and isinstance(fact.ts, dt.datetime)
                        and (fact.ts > cutoff)
                    ):
                        continue
                    kind = fact_type(fact)
                    self.counts[kind] += 1
                    buffers[kind].append(fact)
                if any(len(b) >= config.batch_size for b in buffers.values()):
                    yield from _flush(buffers)
            self.days_done = day + 1
        yield from _flush(buffers)


# A batch holds one type of fact (fewer statements per fact for the store). All buffers are
# flushed together as soon as one is full, changes before commits, so no commit is ever sent
# ahead of the AI edits it took lines from. A full buffer overshoots by at most one
# developer-day of facts.
FLUSH_ORDER: Final = ("completion", "chat", "typing", "change", "commit")


def _flush(buffers: dict[str, list[Fact]]) -> Iterator[list[Fact]]:
    for kind in FLUSH_ORDER:
        if buffers[kind]:
            yield buffers[kind]
            buffers[kind] = []


def generate_facts(config: DemoConfig) -> Iterator[list[Fact]]:
    """The demo organization's facts, in batches of about ``config.batch_size``."""
    return iter(FactStream(config))
