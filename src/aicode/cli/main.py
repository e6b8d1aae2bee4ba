"""Entry point: ``aicode <command>``; each command group lives in its own module."""

from __future__ import annotations

import click

from aicode import __version__
from aicode.cli import agent_hook, attribute, demo, hook, ingest, serve, tenancy, users


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aicode")
def cli() -> None:
    """Self-hosted analytics for AI-assisted coding.

    Settings come from flags, then AICODE_* environment variables, then defaults.
    """


cli.add_command(serve.serve)
cli.add_command(tenancy.orgs)
cli.add_command(tenancy.tokens)
cli.add_command(ingest.ingest)
cli.add_command(users.users)
cli.add_command(demo.demo)
cli.add_command(hook.hook)
cli.add_command(agent_hook.agent_hook)
cli.add_command(attribute.attribute)


def main() -> None:
    """Run the command line."""
    cli(prog_name="aicode")
