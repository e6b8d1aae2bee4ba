"""Server settings, declared once and read from command-line flags and ``AICODE_*`` variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

from aicode.errors import ConfigurationError

ENV_PREFIX = "AICODE_"


@dataclasses.dataclass(frozen=True)
class Setting:
    """One setting: its name, type, default and the help shown by ``--help``."""

    name: str
    type: type
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        """The environment variable that sets this value."""
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        """The command-line flag that sets this value."""
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db", str, "./data/aicode.duckdb", "Store location: a DuckDB file path or duckdb:///path."
    ),
    Setting("host", str, "127.0.0.1", "Interface the server listens on."),
    Setting("port", int, 8000, "Port the server listens on."),
    Setting(
        "max_body_bytes",
        int,
        32 * 1024 * 1024,
        "Largest ingest body accepted, after gzip decompression (413 beyond).",
    ),
    Setting("max_batch_items", int, 50_000, "Most facts accepted in one ingest request."),
    Setting("read_threads", int, 8, "Threads answering read queries concurrently."),
    Setting(
        "group_commit_max",
        int,
        64,
        "Most queued writes the writer thread commits in one transaction.",
    ),
    Setting(
        "attribution_window_days", int, 30, "How far back an AI change may match a committed line."
    ),
    Setting("log_level", str, "info", "Logging level: debug, info, warning, error."),
    Setting(
        "cursor_rate_limit",
        int,
        5,
        "Requests per minute each organization may make to each Cursor AI Code Tracking "
        "endpoint (429 beyond; 0 = unlimited).",
    ),
    Setting(
        "query_max_rows",
        int,
        100_000,
        "Most rows one query of a query API (Windsurf Analytics) may answer (400 beyond).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: Any) -> Any:
    if isinstance(raw, setting.type):
        return raw
    try:
        return setting.type(raw)
    except (TypeError, ValueError) as exc:
        msg = f"{setting.env_var}: expected {setting.type.__name__}, got {raw!r}"
        raise ConfigurationError(msg) from exc


@dataclasses.dataclass(frozen=True)
class Settings:
    """Resolved values of every declared setting."""

    db: str = _BY_NAME["db"].default
    host: str = _BY_NAME["host"].default
    port: int = _BY_NAME["port"].default
    max_body_bytes: int = _BY_NAME["max_body_bytes"].default
    max_batch_items: int = _BY_NAME["max_batch_items"].default
    read_threads: int = _BY_NAME["read_threads"].default
    group_commit_max: int = _BY_NAME["group_commit_max"].default
    attribution_window_days: int = _BY_NAME["attribution_window_days"].default
    log_level: str = _BY_NAME["log_level"].default
    cursor_rate_limit: int = _BY_NAME["cursor_rate_limit"].default
    query_max_rows: int = _BY_NAME["query_max_rows"].default

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Build settings: explicit overrides win, then ``AICODE_*`` variables, then defaults."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if overrides is not None and overrides.get(setting.name) is not None:
                values[setting.name] = _coerce(setting, overrides[setting.name])
            elif setting.env_var in environ:
                values[setting.name] = _coerce(setting, environ[setting.env_var])
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some values changed."""
        return dataclasses.replace(self, **changes)


def _check_declared() -> None:
    # Settings and SETTINGS must name the same values: one declaration, no drift.
    fields = {f.name for f in dataclasses.fields(Settings)}
    if fields != set(_BY_NAME):
        raise ConfigurationError(f"settings out of sync: {sorted(fields ^ set(_BY_NAME))}")


_check_declared()
