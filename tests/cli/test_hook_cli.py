"""``aicode hook install|uninstall|status|flush``: output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

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


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_help_lists_the_commands() -> None:
    result = run("hook", "--help")
    assert result.exit_code == 0
    for command in ("install", "uninstall", "flush", "status"):
        assert command in result.output
    assert "AICODE_URL" in result.output
    for command in ("install", "uninstall", "flush", "status"):
        assert run("hook", command, "--help").exit_code == 0


def test_install_status_uninstall(repo: GitRepo) -> None:
    hooks = repo.root / ".git/hooks"
    result = run("hook", "install", "--repo", str(repo.root), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "hooks": [
            {"name": "post-commit", "path": str(hooks / "post-commit"), "action": "installed"},
            {"name": "post-rewrite", "path": str(hooks / "post-rewrite"), "action": "installed"},
        ],
        "configured": False,
    }
    text = run("hook", "install", "--repo", str(repo.root))
    assert text.stdout == (
        f"post-commit: updated ({hooks / 'post-commit'})\n"
        f"post-rewrite: updated ({hooks / 'post-rewrite'})\n"
    )
    assert "git config aicode.url" in text.stderr

    (repo.root / "sub").mkdir()
    status = run("hook", "status", "--repo", str(repo.root / "sub"), "--json")
    assert json.loads(status.stdout) == {
        "repo": str(repo.root),
        "hooksDir": str(hooks),
        "installed": {"post-commit": True, "post-rewrite": True},
        "url": None,
        "tokenSet": False,
        "keyCached": False,
        "pending": 0,
        "log": str(repo.root / ".git/aicode/hook.log"),
    }
    repo.write("a.txt", "a\n")
    repo.commit("a")

    def pending() -> int:
        status = run("hook", "status", "--repo", str(repo.root), "--json")
        return int(json.loads(status.stdout)["pending"])

    wait_for(lambda: pending() == 1, "the spool")

    result = run("hook", "uninstall", "--repo", str(repo.root), "--json")
    assert json.loads(result.stdout) == {
        "hooks": [
            {"name": "post-commit", "path": str(hooks / "post-commit"), "action": "removed"},
            {"name": "post-rewrite", "path": str(hooks / "post-rewrite"), "action": "removed"},
        ],
        "pending": 1,
        "purged": False,
    }
    assert (repo.root / ".git/aicode").is_dir()
    result = run("hook", "uninstall", "--repo", str(repo.root), "--purge")
    assert result.exit_code == 0
    assert not (repo.root / ".git/aicode").exists()


def test_not_a_repository_is_a_usage_error(tmp_path: Path, git_env: dict[str, str]) -> None:
    for command in ("install", "uninstall", "status", "flush"):
        result = run("hook", command, "--repo", str(tmp_path))
        assert result.exit_code == 2
        assert result.stderr.endswith(
            f"Error: Invalid value for --repo: {tmp_path} is not in a git working tree\n"
        )


def test_flush_exit_codes(repo: GitRepo, recorder: Recorder) -> None:
    repo.configure(recorder.url, TOKEN)
    cache_key(repo, recorder.url)
    repo.write("a.txt", "a\n")
    repo.commit("a")
    from aicode.hook import spool
    from aicode.hook.git import BranchInfo, find_repo

    spool.enqueue(find_repo(repo.root), "repo", commits=[(repo.head(), BranchInfo("main", True))])
    recorder.status = 503
    result = run("hook", "flush", "--repo", str(repo.root), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "delivered": 0,
        "facts": 0,
        "duplicates": 0,
        "rejected": 0,
        "remaining": 1,
        "error": "server answered 503: refused",
        "busy": False,
    }
    recorder.status = 200
    result = run("hook", "flush", "--repo", str(repo.root))
    assert result.exit_code == 0
    assert result.stdout == (
        "1 batch(es) delivered (1 facts, 0 already known), 0 refused, 0 pending\n"
    )
    assert [f["commitHash"] for f in recorder.facts] == [repo.head()]
    assert run("hook", "flush", "--repo", str(repo.root)).exit_code == 0


def test_flush_without_configuration_fails(repo: GitRepo) -> None:
    result = run("hook", "flush", "--repo", str(repo.root))
    assert result.exit_code == 0  # nothing pending: nothing to fail
    from aicode.hook import spool
    from aicode.hook.git import BranchInfo, find_repo

    repo.write("a.txt", "a\n")
    repo.commit("a")
    spool.enqueue(find_repo(repo.root), "repo", commits=[(repo.head(), BranchInfo("main", True))])
    result = run("hook", "flush", "--repo", str(repo.root))
    assert result.exit_code == 1
    assert result.stderr == "error: aicode.url and aicode.token are not configured\n"


def test_install_and_flush_refuse_without_an_author_email(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMAIL", raising=False)
    repo.git("config", "--unset", "user.email")
    repo.git("config", "user.useConfigOnly", "true")  # no guessing from the host name
    message = (
        f"Error: git has no user.email in {repo.root}: the server identifies a person by the "
        "commit's author email: set it with `git config --global user.email you@example.com`\n"
    )
    for command in ("install", "flush"):
        result = run("hook", command, "--repo", str(repo.root))
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert not (repo.root / ".git/hooks/post-commit").exists()
    repo.git("config", "user.email", "")  # set, but to nothing
    assert run("hook", "install", "--repo", str(repo.root)).stderr == message
    repo.git("config", "user.email", "dev@acme.dev")
    assert run("hook", "install", "--repo", str(repo.root)).exit_code == 0
