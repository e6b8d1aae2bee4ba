"""Ratios, defined once: every surface that shows a rate gets it from here."""

from __future__ import annotations


def percent(part: int | float, whole: int | float) -> float:
    """part / whole as a percentage with two decimals; 0.0 when there is no whole."""
    if not whole:
        return 0.0
    return round(float(part) * 100.0 / float(whole), 2)


def fraction(part: int | float, whole: int | float) -> float:
    """part / whole as a fraction; 0.0 when there is no whole."""
    if not whole:
        return 0.0
    return float(part) / float(whole)
