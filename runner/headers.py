"""Header lists as requests and responses carry them: (name, value) pairs in the order sent, a name
matched whatever its case, and possibly repeated (Newman sends a header given twice twice)."""

from __future__ import annotations

from collections.abc import Iterable


def first(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of ``name`` (a response's, as Node's parser reads a repeated header)."""
    lower = name.lower()
    for key, value in headers:
        if key.lower() == lower:
            return value
    return None


def last(headers: list[tuple[str, str]], name: str) -> str | None:
    """The last value of ``name`` (a request's: a later header overrides an earlier one)."""
    return first(reversed(headers), name)


def has(headers: Iterable[tuple[str, str]], name: str) -> bool:
    lower = name.lower()
    for key, _ in headers:  # a loop, not any() over a generator: half the time, ~10 calls a request
        if key.lower() == lower:
            return True
    return False
