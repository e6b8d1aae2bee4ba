"""``aicode serve``: serve the API and dashboard over a store."""

from __future__ import annotations

from typing import Any

import click

from aicode.cli.options import setting_options, settings_from


@click.command()
@setting_options(
    "db",
    "host",
    "port",
    "read_threads",
    "max_body_bytes",
    "max_batch_items",
    "group_commit_max",
    "log_level",
    "cursor_rate_limit",
    "query_max_rows",
)
def serve(**values: Any) -> None:
    """Serve the API and dashboard (http://HOST:PORT, OpenAPI docs at /docs)."""
    import uvicorn

    from aicode.app import collect_less_often, create_app

    settings = settings_from(values)
    app = create_app(settings)
    click.echo(f"aicode serving {settings.db} on http://{settings.host}:{settings.port}", err=True)
    click.echo(f"  API docs:  http://{settings.host}:{settings.port}/docs", err=True)
    collect_less_often()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)
