"""The hook's path imports nothing heavy: git and the agents wait for it to start."""

from __future__ import annotations

import subprocess
import sys

from tests.hook.gitrepo import SRC

HEAVY = ("duckdb", "fastapi", "pyarrow", "sqlglot", "httpx", "uvicorn", "rich", "click", "msgspec")
PROBE = f"""
import sys
import aicode.hook.__main__, aicode.hook.agent, aicode.hook.run, aicode.hook.spool
import aicode.hook.install, aicode.hook.attribute, aicode.hook.agent_install
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print(loaded)
"""


def test_hook_modules_import_only_the_standard_library_and_aicode() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[]\n"


def test_usage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aicode.hook"],
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("usage: python -m aicode.hook COMMAND")
