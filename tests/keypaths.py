"""Key paths and JSON types of a document, to compare postrun's reports with Newman's.

``/run/executions/[]/request/url/host/[]`` names every element of every list at once; a path's
types are those of all the values found there (``int`` and ``float`` kept apart, as Newman writes
whole milliseconds as integers).
"""

from __future__ import annotations

from typing import Any

JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}


def key_paths(doc: Any, path: str = "", out: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Every key path in ``doc`` with the JSON types found at it."""
    out = {} if out is None else out
    out.setdefault(path or "/", set()).add("null" if doc is None else JSON_TYPES.get(type(doc), type(doc).__name__))
    if isinstance(doc, dict):
        for key, value in doc.items():
            key_paths(value, f"{path}/{key}", out)
    elif isinstance(doc, list):
        for value in doc:
            key_paths(value, f"{path}/[]", out)
    return out


def compare(theirs: Any, ours: Any, ignore: tuple[str, ...] = ()) -> list[str]:
    """What ``ours`` lacks or types differently from ``theirs``, one line per key path.

    A path whose Newman value is null (or a number where we write a whole number) is not a
    difference; paths under ``ignore`` prefixes are skipped.
    """
    mine, newman = key_paths(ours), key_paths(theirs)
    problems = []
    for path, types in sorted(newman.items()):
        if any(path.startswith(prefix) for prefix in ignore):
            continue
        if path not in mine:
            problems.append(f"missing {path} ({'/'.join(sorted(types))})")
            continue
        wanted = types - {"null"}
        got = mine[path] - {"null"}
        allowed = wanted | ({"integer"} if "number" in wanted else set())
        if path.endswith(("Average", "Sd")):  # a mean or deviation may happen to be whole in Newman's run
            allowed |= {"integer", "number"}
        if wanted and (not got or not got <= allowed):
            problems.append(f"type of {path}: Newman {sorted(types)}, postrun {sorted(mine[path])}")
    return problems
