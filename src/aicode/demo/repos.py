"""File trees of the demo repositories: plausible paths, no contents."""

from __future__ import annotations

import random
from collections.abc import Callable

from aicode.demo.catalog import REPOS, Repo
from aicode.demo.config import seeded, weighted
from aicode.demo.names import WORDS


def _camel(*words: str) -> str:
    return "".join(w.replace(" ", "").capitalize() for w in words)


def _path(rng: random.Random, repo: Repo, ext: str) -> str:
    module, a, b = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    package = repo.name.replace("-", "")
    styles: dict[str, Callable[[], str]] = {
        ".py": lambda: f"{repo.name.replace('-', '_')}/{module}/{a}_{b}.py",
        ".go": lambda: f"internal/{module}/{a}_{b}.go",
        ".java": lambda: f"src/main/java/com/democorp/{package}/{module}/{_camel(a, b)}.java",
        ".kt": lambda: f"src/main/kotlin/com/democorp/{package}/{module}/{_camel(a, b)}.kt",
        ".swift": lambda: f"Sources/{_camel(module)}/{_camel(a, b)}.swift",
        ".m": lambda: f"Legacy/{_camel(module)}/{_camel(a, b)}.m",
        ".tsx": lambda: f"src/components/{module}/{_camel(a, b)}.tsx",
        ".ts": lambda: f"src/{module}/{a}-{b}.ts",
        ".sql": lambda: f"sql/{module}/{a}_{b}.sql",
        ".tf": lambda: f"modules/{module}/{a}.tf",
        ".yaml": lambda: f"deploy/{module}/{a}.yaml",
        ".json": lambda: f"config/{module}/{a}.json",
        ".sh": lambda: f"scripts/{a}-{b}.sh",
        ".md": lambda: f"docs/{module}/{a}.md",
        ".proto": lambda: f"proto/{module}/v1/{a}.proto",
        ".scss": lambda: f"src/styles/{module}/{a}.scss",
        ".css": lambda: f"src/styles/{a}.css",
    }
    make = styles.get(ext, lambda: f"src/{module}/{a}{ext}")
    return make()


def repo_files(seed: int, name: str) -> tuple[str, ...]:
    """The files of a repository, sorted; the same for a seed whatever else is generated."""
    repo = REPOS[name]
    rng = seeded(seed, "repo", name)
    wanted = rng.randint(60, 140)
    files: set[str] = set()
    for _ in range(wanted * 3):
        if len(files) >= wanted:
            break
        files.add(_path(rng, repo, weighted(rng, repo.extensions)))
    return tuple(sorted(files))


def all_repo_files(seed: int) -> dict[str, tuple[str, ...]]:
    """Every repository's files."""
    return {name: repo_files(seed, name) for name in REPOS}
