"""What one benchmark run is asked to do, and the targets it is judged against."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Final

# Targets of the issue, stated at its reference size.
TARGET_DEVELOPERS: Final = 10_000
TARGET_DAYS: Final = 90
TARGET_CHANGE_ROWS: Final = 50_000_000  # "about 50M change rows" at that size
TARGET_INGEST_EVENTS_PER_S: Final = 150_000.0
TARGET_READ_P50_MS: Final = 100.0
TARGET_READ_SPEEDUP: Final = 20.0
# At or above this many developer-days the history is loaded in bulk by default.
BULK_DEVELOPER_DAYS: Final = 100_000
HISTORY_MODES: Final = ("demo", "bulk")
DEFAULT_BULK_INGEST_EVENTS: Final = 300_000  # demo facts over HTTP in bulk mode
# The hook's commit size is fixed by the issue at any bench size.
HOOK_LINES: Final = 1_000


@dataclasses.dataclass(frozen=True)
class BenchOptions:
    """Size and shape of a run; the defaults finish in a few minutes on 2 cores."""

    developers: int = 300
    days: int = 30
    seed: int = 42
    clients: int = 4
    repeat: int = 20
    batch_size: int = 1_000
    gzip: bool = False
    keep: Path | None = None
    json: bool = False  # print JSON instead of tables
    end: dt.date | None = None  # last day of generated facts; default today (UTC)
    raw_budget_s: float = 60.0  # stop repeating one raw query after this long (>= 3 runs)
    pages: bool = True  # time the dashboard pages after the reads
    hook: bool = True  # time git commit with and without the git hook
    hook_lines: int = HOOK_LINES  # lines of each timed commit
    hook_runs: int = 9  # timed commits per case (after one untimed warm-up)
    history: str | None = None  # "demo" or "bulk"; None: by size (see history_mode)
    ingest_events: int | None = None  # demo facts sent over HTTP; None: the mode's default

    def __post_init__(self) -> None:
        for name in (
            "developers",
            "days",
            "clients",
            "repeat",
            "batch_size",
            "hook_lines",
            "hook_runs",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.history is not None and self.history not in HISTORY_MODES:
            raise ValueError(f"history must be one of {', '.join(HISTORY_MODES)}")
        if self.ingest_events is not None and self.ingest_events < 1:
            raise ValueError("ingest_events must be at least 1")

    @property
    def history_mode(self) -> str:
        """``demo`` (every fact over HTTP) or ``bulk`` (earlier days generated in the store)."""
        if self.history is not None:
            return self.history
        return "bulk" if self.developers * self.days >= BULK_DEVELOPER_DAYS else "demo"

    @property
    def at_target_size(self) -> bool:
        """Whether the run is at least as large as the size the targets are stated for."""
        return self.developers >= TARGET_DEVELOPERS and self.days >= TARGET_DAYS
