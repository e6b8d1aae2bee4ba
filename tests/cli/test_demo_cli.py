"""``aicode demo`` prints where the demo will be served: the host and port it is given."""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from aicode.cli.main import cli
from aicode.cli.options import settings_from
from aicode.cli.serve import serve
from aicode.settings import Settings

SMALL = ["--developers", "3", "--days", "2", "--quiet"]


def run_demo(settings: Settings, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """The lines ``aicode demo`` prints about serving (from "Serve it" on)."""
    result = CliRunner().invoke(cli, ["demo", "--db", settings.db, *SMALL, *args], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Serve it")) :]


def test_the_default_host_and_port(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AICODE_HOST", raising=False)
    monkeypatch.delenv("AICODE_PORT", raising=False)
    assert run_demo(settings) == [
        f"Serve it:  aicode serve --db {shlex.quote(settings.db)} --host 127.0.0.1 --port 8000",
        "Dashboard: http://127.0.0.1:8000/",
        "API docs:  http://127.0.0.1:8000/docs",
    ]


def test_port_and_host_flags_change_what_is_printed(settings: Settings) -> None:
    assert run_demo(settings, "--host", "0.0.0.0", "--port", "9123") == [
        f"Serve it:  aicode serve --db {shlex.quote(settings.db)} --host 0.0.0.0 --port 9123",
        "Dashboard: http://0.0.0.0:9123/",
        "API docs:  http://0.0.0.0:9123/docs",
    ]


def test_the_environment_changes_what_is_printed(settings: Settings) -> None:
    lines = run_demo(settings, env={"AICODE_PORT": "9200", "AICODE_HOST": "localhost"})
    assert lines[1:] == [
        "Dashboard: http://localhost:9200/",
        "API docs:  http://localhost:9200/docs",
    ]
    assert lines[0].endswith("--host localhost --port 9200")


def test_the_printed_command_serves_where_the_urls_point(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AICODE_HOST", raising=False)
    lines = run_demo(settings, "--port", "9321")
    printed = shlex.split(lines[0].removeprefix("Serve it:"))
    assert printed[:2] == ["aicode", "serve"]
    # What `aicode serve` makes of the printed arguments, without starting a server.
    served = settings_from(serve.make_context("serve", printed[2:]).params)
    assert (served.db, served.host, served.port) == (settings.db, "127.0.0.1", 9321)
    assert lines[1] == f"Dashboard: http://{served.host}:{served.port}/"


def test_a_bad_port_is_refused(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["demo", "--db", settings.db, *SMALL, "--port", "http"])
    assert result.exit_code == 2
    assert "--port" in result.output
