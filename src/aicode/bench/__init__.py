"""Benchmark harness: ``python -m aicode.bench`` (``make bench``).

It generates a demo organization into a temporary store (at large sizes most of its history
generated in the store by SQL, see ``aicode.bench.bulk``), ingests it over real HTTP from
several client processes, compares that with a bare DuckDB bulk append of the same rows, then
times each native read endpoint against the same aggregation run as plain SQL over the raw
fact tables, and each dashboard page against its one-second target. Last, it times
``git commit`` of a 1,000-line change with and without the git hook. Nothing here is
imported by the server.
"""

from __future__ import annotations

from aicode.bench.options import BenchOptions

__all__ = ["BenchOptions"]
