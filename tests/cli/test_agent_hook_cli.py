"""``aicode agent-hook``: the hook commands, and installing them into the tools' settings."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from aicode.cli.main import cli
from tests.hook import conftest as hook_fixtures
from tests.hook.gitrepo import GitRepo, cache_key, wait_for
from tests.hook.recorder import TOKEN, Recorder

# The git repository, environment and recording server fixtures of tests/hook.
git_env = hook_fixtures.git_env
repo = hook_fixtures.repo
recorder = hook_fixtures.recorder

INPUTS = Path(__file__).parents[1] / "hook/inputs"
COMMAND = {
    tool: f"{shlex.quote(sys.executable)} -m aicode.hook agent {tool}"
    for tool in ("claude-code", "cursor")
}


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_help() -> None:
    result = run("agent-hook", "--help")
    assert result.exit_code == 0
    for command in ("claude-code", "cursor", "install", "uninstall"):
        assert command in result.output
        assert run("agent-hook", command, "--help").exit_code == 0


def test_claude_code_edit_is_sent(repo: GitRepo, recorder: Recorder) -> None:
    repo.write("src/app.py", "def run():\n    return compute(2)\n")
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    raw = (INPUTS / "claude_code_edit.json").read_text().replace("{repo}", str(repo.root))
    payload = json.loads(raw)
    payload["tool_input"] |= {"old_string": "compute(1)", "new_string": "compute(2)"}
    result = run("agent-hook", "claude-code", stdin=json.dumps(payload).encode())
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    wait_for(lambda: len(recorder.facts) == 1, "the change")
    fact = recorder.facts[0]
    assert (fact["type"], fact["source"], fact["productType"], fact["files"][0]["fileName"]) == (
        "change",
        "AGENT",
        "cli",
        "src/app.py",
    )


@pytest.mark.parametrize("tool", ["claude-code", "cursor"])
def test_garbage_in_is_silent(tool: str, git_env: dict[str, str]) -> None:
    result = run("agent-hook", tool, stdin=b"{{{")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


EXISTING_CLAUDE: dict[str, Any] = {
    "model": "opus",
    "permissions": {"allow": ["Bash(ls:*)"]},
    "hooks": {
        "PostToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "echo done"}]}
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "notify"}]}],
    },
}


def test_claude_code_install_keeps_other_settings(git_env: dict[str, str]) -> None:
    settings = Path(git_env["HOME"]) / ".claude/settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps(EXISTING_CLAUDE))
    result = run("agent-hook", "install", "claude-code", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "tool": "claude-code",
        "settings": str(settings),
        "action": "installed",
    }
    ours = {
        "matcher": "Edit|MultiEdit|Write",
        "hooks": [{"type": "command", "command": COMMAND["claude-code"], "timeout": 10}],
    }
    expected = json.loads(json.dumps(EXISTING_CLAUDE))
    expected["hooks"]["PostToolUse"].append(ours)
    assert json.loads(settings.read_text()) == expected
    assert run("agent-hook", "install", "claude-code").stdout == (
        f"claude-code: hook updated in {settings}\n"
    )
    assert json.loads(settings.read_text()) == expected
    result = run("agent-hook", "uninstall", "claude-code")
    assert result.stdout == f"claude-code: hook removed in {settings}\n"
    assert json.loads(settings.read_text()) == EXISTING_CLAUDE
    assert run("agent-hook", "uninstall", "claude-code", "--json").stdout == (
        json.dumps({"tool": "claude-code", "settings": str(settings), "action": "absent"}) + "\n"
    )


def test_claude_code_install_into_a_new_file_and_out_again(git_env: dict[str, str]) -> None:
    settings = Path(git_env["HOME"]) / ".claude/settings.json"
    assert run("agent-hook", "install", "claude-code").exit_code == 0
    assert json.loads(settings.read_text()) == {
        "hooks": {
            "PostToolUse": [
                {
                    "matcher": "Edit|MultiEdit|Write",
                    "hooks": [
                        {"type": "command", "command": COMMAND["claude-code"], "timeout": 10}
                    ],
                }
            ]
        }
    }
    assert run("agent-hook", "uninstall", "claude-code").exit_code == 0
    assert not settings.exists()


def test_cursor_project_install(repo: GitRepo) -> None:
    hooks = repo.root / ".cursor/hooks.json"
    hooks.parent.mkdir()
    existing = {
        "version": 1,
        "hooks": {"afterFileEdit": [{"command": "./format.sh"}], "stop": [{"command": "x"}]},
    }
    hooks.write_text(json.dumps(existing))
    result = run("agent-hook", "install", "cursor", "--scope", "project", "--repo", str(repo.root))
    assert result.stdout == f"cursor: hook installed in {hooks}\n"
    assert json.loads(hooks.read_text()) == {
        "version": 1,
        "hooks": {
            "afterFileEdit": [{"command": "./format.sh"}, {"command": COMMAND["cursor"]}],
            "stop": [{"command": "x"}],
        },
    }
    run("agent-hook", "uninstall", "cursor", "--scope", "project", "--repo", str(repo.root))
    assert json.loads(hooks.read_text()) == existing


def test_claude_code_local_scope(repo: GitRepo) -> None:
    result = run(
        "agent-hook", "install", "claude-code", "--scope", "local", "--repo", str(repo.root)
    )
    assert result.exit_code == 0
    assert (repo.root / ".claude/settings.local.json").exists()


def test_bad_settings_are_left_alone(git_env: dict[str, str]) -> None:
    settings = Path(git_env["HOME"]) / ".cursor/hooks.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{broken")
    result = run("agent-hook", "install", "cursor")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {settings} is not valid JSON")
    assert settings.read_text() == "{broken"
    settings.write_text('{"hooks": []}')
    result = run("agent-hook", "install", "cursor")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {settings}: 'hooks' is not a JSON dict; left unchanged\n"


def test_bad_scope_and_tool(tmp_path: Path, git_env: dict[str, str]) -> None:
    result = run("agent-hook", "install", "cursor", "--scope", "local")
    assert result.exit_code == 2
    assert "cursor has no 'local' scope" in result.stderr
    result = run("agent-hook", "install", "vim")
    assert result.exit_code == 2
    result = run("agent-hook", "install", "cursor", "--scope", "project", "--repo", str(tmp_path))
    assert result.exit_code == 2
    assert "is not in a git working tree" in result.stderr
