"""Fixtures for the client tests: a clean git environment and repositories in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aicode.settings import Settings
from aicode.store.base import Store
from tests.hook.gitrepo import GitRepo, git_environment, make_repo
from tests.hook.recorder import Recorder, recording_server
from tests.hook.scene import Scene, running_scene


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """This process and its git children see no user config, fixed dates and our sources."""
    env = git_environment(tmp_path / "home")
    (tmp_path / "home").mkdir()
    for name in list(__import__("os").environ):
        if name not in env:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def repo(tmp_path: Path, git_env: dict[str, str]) -> GitRepo:
    """An empty repository on branch main."""
    return make_repo(tmp_path / "repo", git_env)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """A recording stand-in server."""
    with recording_server() as running:
        yield running


@pytest.fixture
def scene(
    tmp_path: Path,
    git_env: dict[str, str],
    settings: Settings,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Scene]:
    """A live server over a fresh store, and a repository with the git and Claude Code hooks."""
    with running_scene(tmp_path, git_env, settings, store, monkeypatch) as running:
        yield running
