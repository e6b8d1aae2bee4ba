"""The exact answers of the ingest endpoint, for tests of its bad input."""

from __future__ import annotations

from typing import Any


def one_bad_fact(field: str, reason: str) -> dict[str, Any]:
    """The 400 body for a batch of one fact, refused for ``reason`` at ``field``."""
    return {
        "error": {
            "code": "invalid_input",
            "message": f"no fact in the batch was valid (item 0, field {field}: {reason})",
            "field": field,
        },
        "accepted": 0,
        "duplicates": 0,
        "rejected": [{"index": 0, "field": field, "reason": reason}],
    }
