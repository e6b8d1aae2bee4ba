"""Click options generated from the settings declaration, and shared output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from aicode.errors import AicodeError
from aicode.settings import SETTINGS, Settings
from aicode.store import open_store
from aicode.store.base import Store

F = TypeVar("F", bound=Callable[..., Any])


def setting_options(*names: str) -> Callable[[F], F]:
    """Add ``--name`` options (also read from ``AICODE_NAME``) for the named settings."""
    chosen = [s for s in SETTINGS if s.name in names]

    def decorate(func: F) -> F:
        for setting in reversed(chosen):
            func = click.option(
                setting.flag,
                setting.name,
                type=setting.type,
                default=None,
                help=f"{setting.help} [env {setting.env_var}; default {setting.default}]",
            )(func)
        return func

    return decorate


def settings_from(values: dict[str, Any]) -> Settings:
    """Settings from parsed options (None = not given), environment and defaults."""
    known = {s.name for s in SETTINGS}
    return Settings.load({k: v for k, v in values.items() if k in known})


def open_cli_store(settings: Settings) -> Store:
    """Open the store or exit with a clear message."""
    try:
        return open_store(
            settings.db,
            group_commit_max=settings.group_commit_max,
            read_threads=settings.read_threads,
            attribution_window_days=settings.attribution_window_days,
        )
    except AicodeError as exc:
        raise click.ClickException(str(exc)) from exc


def emit_json(value: Any) -> None:
    """Print a value as JSON on stdout."""
    click.echo(json.dumps(value, indent=2, default=str))


def fail(message: str, code: int = 1) -> None:
    """Print an error on stderr and exit with a code."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
