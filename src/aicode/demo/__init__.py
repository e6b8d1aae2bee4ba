"""The demo organization: a realistic, deterministic company generated from a seed.

``build_demo`` writes it into a store (people through an HR-style import, facts through the
normal ingest path); ``generate_facts`` yields the same facts in batches for benchmarks.
"""

from __future__ import annotations

from aicode.demo.build import (
    DemoResult,
    DemoTokens,
    ProgressFn,
    build_demo,
    ensure_demo,
    find_demo_org,
    issue_tokens,
)
from aicode.demo.config import DEMO_ORG_NAME, DemoConfig
from aicode.demo.generate import FactStream, fact_type, generate_facts
from aicode.demo.people import Developer, generate_developers

__all__ = [
    "DEMO_ORG_NAME",
    "DemoConfig",
    "DemoResult",
    "DemoTokens",
    "Developer",
    "FactStream",
    "ProgressFn",
    "build_demo",
    "ensure_demo",
    "fact_type",
    "find_demo_org",
    "generate_developers",
    "generate_facts",
    "issue_tokens",
]
