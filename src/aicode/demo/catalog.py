"""Fixed vocabularies of the demo organization: teams, repositories, IDEs, models and names."""

from __future__ import annotations

import dataclasses
from typing import Final

from aicode.model.facts import ProductType

Weights = tuple[tuple[str, float], ...]


@dataclasses.dataclass(frozen=True)
class Team:
    """A leaf department: who works there, on which repositories, in which IDEs."""

    path: str
    groups: tuple[str, ...]
    weight: float
    utc_offset: int  # hours; work hours are laid out in local time
    repos: tuple[str, ...]
    ides: Weights


@dataclasses.dataclass(frozen=True)
class Repo:
    """A repository and the file extensions its files have, by weight."""

    name: str
    ticket: str
    extensions: Weights


@dataclasses.dataclass(frozen=True)
class Ide:
    """A client that reports facts: its product type, versions, models and edit sources."""

    name: str
    product_type: ProductType
    vendor: str
    versions: tuple[str, ...]
    completion_model: str | None  # None: no inline completion (CLI agents)
    chat_models: tuple[str, ...]
    agent_models: tuple[str, ...]
    tab_source: str  # the vendor's wire name for accepted completions as changes
    edit_sources: Weights  # vendor wire names of agent and inline edits
    chat_types: Weights


REPOS: Final[dict[str, Repo]] = {
    r.name: r
    for r in (
        Repo("platform-api", "PLAT", ((".go", 8), (".proto", 1), (".yaml", 1))),
        Repo("auth-service", "AUTH", ((".java", 8), (".yaml", 1), (".sql", 1))),
        Repo("shared-libs", "LIB", ((".py", 5), (".go", 4), (".md", 1))),
        Repo("payments-core", "PAY", ((".java", 6), (".kt", 3), (".sql", 1))),
        Repo("billing-service", "BILL", ((".go", 8), (".sql", 2))),
        Repo("ledger", "LEDG", ((".java", 8), (".sql", 2))),
        Repo("mobile-android", "AND", ((".kt", 8), (".java", 2))),
        Repo("mobile-ios", "IOS", ((".swift", 9), (".m", 1))),
        Repo("web-app", "WEB", ((".tsx", 5), (".ts", 4), (".scss", 1))),
        Repo("design-system", "DS", ((".tsx", 6), (".ts", 2), (".css", 2))),
        Repo("infra-live", "INFRA", ((".tf", 6), (".yaml", 3), (".sh", 1))),
        Repo("deploy-tools", "OPS", ((".go", 6), (".sh", 3), (".yaml", 1))),
        Repo("ml-models", "ML", ((".py", 9), (".yaml", 1))),
        Repo("feature-store", "FS", ((".py", 7), (".sql", 3))),
        Repo("analytics-etl", "ETL", ((".sql", 6), (".py", 4))),
        Repo("dashboards", "DASH", ((".ts", 6), (".sql", 3), (".json", 1))),
        Repo("growth-experiments", "GRO", ((".ts", 5), (".py", 4), (".json", 1))),
        Repo("security-scanners", "SEC", ((".py", 6), (".go", 4))),
        Repo("e2e-tests", "QA", ((".ts", 7), (".py", 3))),
    )
}

_BACKEND_IDES: Final[Weights] = (
    ("jetbrains", 35),
    ("vscode", 20),
    ("qoder", 20),
    ("cursor", 15),
    ("windsurf", 10),
)
_FRONTEND_IDES: Final[Weights] = (
    ("vscode", 30),
    ("cursor", 30),
    ("qoder", 20),
    ("windsurf", 15),
    ("jetbrains", 5),
)
_DATA_IDES: Final[Weights] = (
    ("vscode", 35),
    ("cursor", 25),
    ("jetbrains", 20),
    ("qoder", 10),
    ("windsurf", 10),
)

TEAMS: Final[tuple[Team, ...]] = (
    Team(
        "Engineering/Platform",
        ("backend",),
        14,
        8,
        ("platform-api", "auth-service", "shared-libs"),
        _BACKEND_IDES,
    ),
    Team(
        "Engineering/Payments",
        ("backend",),
        12,
        8,
        ("payments-core", "billing-service", "ledger"),
        _BACKEND_IDES,
    ),
    Team(
        "Engineering/Mobile",
        ("mobile",),
        10,
        1,
        ("mobile-android", "mobile-ios"),
        (("jetbrains", 55), ("vscode", 20), ("cursor", 25)),
    ),
    Team("Engineering/Web", ("frontend",), 13, 1, ("web-app", "design-system"), _FRONTEND_IDES),
    Team(
        "Engineering/Infrastructure",
        ("devops",),
        7,
        0,
        ("infra-live", "deploy-tools"),
        (("vscode", 40), ("cursor", 20), ("windsurf", 20), ("qoder", 20)),
    ),
    Team("Engineering/Quality", ("qa",), 5, 8, ("e2e-tests", "web-app"), _FRONTEND_IDES),
    Team("Data/ML", ("ml",), 9, -5, ("ml-models", "feature-store", "shared-libs"), _DATA_IDES),
    Team("Data/Analytics", ("data",), 8, -5, ("analytics-etl", "dashboards"), _DATA_IDES),
    Team(
        "Product/Growth",
        ("frontend", "backend"),
        6,
        -5,
        ("growth-experiments", "web-app"),
        _FRONTEND_IDES,
    ),
    Team(
        "Security/AppSec", ("security",), 4, 1, ("security-scanners", "auth-service"), _BACKEND_IDES
    ),
)

# Heads of the top-level departments sit at the root of their tree.
ROOT_DEPARTMENTS: Final[tuple[str, ...]] = ("Engineering", "Data", "Product", "Security")

EXTRA_GROUPS: Final[tuple[tuple[str, float], ...]] = (
    ("oncall", 0.15),
    ("tech-leads", 0.08),
    ("ai-pilot", 0.2),
)

LINGMA_CHAT_TYPES: Final[Weights] = (
    ("FREE_INPUT", 50),
    ("EXPLAIN_CODE", 15),
    ("GENERATE_TESTCASE", 12),
    ("CODE_GENERATE_COMMENT", 8),
    ("OPTIMIZE_CODE", 10),
    ("review-sql", 3),
    ("gen-changelog", 2),
)
WINDSURF_CHAT_TYPES: Final[Weights] = (
    ("CHAT_INTENT_GENERIC", 60),
    ("CHAT_INTENT_FUNCTION_EXPLAIN", 8),
    ("CHAT_INTENT_FUNCTION_DOCSTRING", 6),
    ("CHAT_INTENT_FUNCTION_REFACTOR", 7),
    ("CHAT_INTENT_CODE_BLOCK_EXPLAIN", 6),
    ("CHAT_INTENT_CODE_BLOCK_REFACTOR", 5),
    ("CHAT_INTENT_PROBLEM_EXPLAIN", 5),
    ("CHAT_INTENT_FUNCTION_UNIT_TESTS", 3),
)
FREE_CHAT: Final[Weights] = (("FREE_INPUT", 1),)

COMMAND_SOURCES: Final[Weights] = (
    ("COMMAND_REQUEST_SOURCE_DEFAULT", 55),
    ("COMMAND_REQUEST_SOURCE_RIGHT_CLICK_REFACTOR", 10),
    ("COMMAND_REQUEST_SOURCE_FUNCTION_CODE_LENS", 9),
    ("COMMAND_REQUEST_SOURCE_FOLLOWUP", 10),
    ("COMMAND_REQUEST_SOURCE_CLASS_CODE_LENS", 4),
    ("COMMAND_REQUEST_SOURCE_LINE_HINT_CODE_LENS", 4),
    ("COMMAND_REQUEST_SOURCE_SELECTION_HINT_CODE_LENS", 5),
    ("COMMAND_REQUEST_SOURCE_PLAN", 3),
)
PROVIDER_GENERATE: Final = "PROVIDER_SOURCE_COMMAND_GENERATE"
PROVIDER_EDIT: Final = "PROVIDER_SOURCE_COMMAND_EDIT"

IDES: Final[dict[str, Ide]] = {
    i.name: i
    for i in (
        Ide(
            "vscode",
            "ide",
            "lingma",
            ("2.5.8", "2.5.13", "2.6.2"),
            "qwen2.5-coder-7b",
            ("qwen-plus", "qwen3-coder"),
            ("qwen3-coder", "qwen-max"),
            "TAB",
            (("AGENT", 6), ("INLINECHAT", 4)),
            LINGMA_CHAT_TYPES,
        ),
        Ide(
            "jetbrains",
            "plugin",
            "lingma",
            ("2.5.6", "2.5.11", "2.6.1"),
            "qwen2.5-coder-7b",
            ("qwen-plus", "qwen3-coder"),
            ("qwen3-coder", "qwen-max"),
            "TAB",
            (("AGENT", 55), ("INLINECHAT", 45)),
            LINGMA_CHAT_TYPES,
        ),
        Ide(
            "qoder",
            "ide",
            "qoder",
            ("0.1.21", "0.2.3", "0.2.8"),
            "lite",
            ("auto", "efficient"),
            ("auto", "efficient", "lite"),
            "NEXT",
            (("AGENT", 55), ("QUEST", 25), ("INLINECHAT", 20)),
            LINGMA_CHAT_TYPES,
        ),
        Ide(
            "cursor",
            "ide",
            "cursor",
            ("1.4.5", "1.5.11", "1.6.26"),
            "cursor-tab",
            ("claude-4-sonnet", "gpt-5"),
            ("claude-4-sonnet", "gpt-5", "auto"),
            "TAB",
            (("COMPOSER", 8), ("INLINECHAT", 2)),
            FREE_CHAT,
        ),
        Ide(
            "windsurf",
            "ide",
            "windsurf",
            ("1.11.3", "1.12.6", "1.12.11"),
            "windsurf-autocomplete",
            ("swe-1", "claude-3.7-sonnet"),
            ("swe-1", "claude-3.7-sonnet"),
            "TAB",
            (("COMMAND", 6), ("AGENT", 4)),
            WINDSURF_CHAT_TYPES,
        ),
        Ide(
            "qoder-cli",
            "cli",
            "qoder",
            ("0.1.4", "0.1.9"),
            None,
            ("auto",),
            ("auto", "efficient"),
            "NEXT",
            (("AGENT", 1),),
            FREE_CHAT,
        ),
        Ide(
            "claude-code",
            "cli",
            "anthropic",
            ("1.0.98", "2.0.8"),
            None,
            ("claude-sonnet-4-5",),
            ("claude-sonnet-4-5", "claude-opus-4-1"),
            "TAB",
            (("AGENT", 1),),
            FREE_CHAT,
        ),
    )
}

CLI_AGENTS: Final[Weights] = (("qoder-cli", 6), ("claude-code", 4))
