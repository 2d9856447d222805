"""Check a parsed collection against our v2.0/v2.1 schema and explain problems in plain words.

The schema (runner/schema/collection-v2.json) rejects only what cannot run; this module turns
jsonschema's errors into one short, located sentence per bad value.

Nearly every collection is valid, so ``validate_collection`` first asks a small evaluator of our own
whether the document passes (a yes or no, 10-20x faster than jsonschema, which it does not import);
only a document it rejects goes through jsonschema for the located explanations. The evaluator knows
exactly the keywords the schema uses and refuses to start on a schema with any other
(``test_validate.py`` checks both agree on every corpus collection and on broken ones).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

_SCHEMA_FILE = "collection-v2.json"

_TYPE_WORDS = {
    "string": "a string",
    "object": "an object",
    "array": "a list",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True)
class Problem:
    """One reason the document cannot be run, located by a JSON pointer ("" is the root)."""

    pointer: str
    message: str


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files("runner").joinpath("schema", _SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)  # checked against the meta-schema by the tests, not at every start


@functools.cache
def _validator() -> Draft202012Validator:
    """Load and compile the schema once; collections are validated many times per process."""
    from jsonschema import Draft202012Validator

    schema = _schema()
    return Draft202012Validator(_inline_refs(schema, schema["$defs"], frozenset()))


# The keywords ``_accepts`` evaluates; the rest are annotations. A schema keyword outside both sets
# makes ``_accepts`` refuse to answer (ValueError), so a schema change cannot silently loosen it.
_EVALUATED = frozenset({"$ref", "type", "properties", "items", "required", "enum", "if", "then", "else"})
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "x-expected"})
_TYPE_CHECKS: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    # JSON Schema's integer: any number with no fraction (1.0 too), as jsonschema decides it
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _accepts(schema: dict[str, Any], value: Any, defs: dict[str, Any]) -> bool:
    """Whether ``value`` passes ``schema`` (Draft 2020-12 semantics for the keywords in _EVALUATED)."""
    for keyword, arg in schema.items():
        if keyword == "$ref":
            if not _accepts(defs[arg.removeprefix("#/$defs/")], value, defs):
                return False
        elif keyword == "type":
            types = (arg,) if isinstance(arg, str) else arg
            if not any(_TYPE_CHECKS[t](value) for t in types):
                return False
        elif keyword == "properties":
            if isinstance(value, dict):
                for name, sub in arg.items():
                    if name in value and not _accepts(sub, value[name], defs):
                        return False
        elif keyword == "items":
            if isinstance(value, list) and not all(_accepts(arg, v, defs) for v in value):
                return False
        elif keyword == "required":
            if isinstance(value, dict) and not all(k in value for k in arg):
                return False
        elif keyword == "enum":
            if any(not isinstance(v, str | int | float | bool | None) for v in arg):
                raise ValueError("runner.validate compares only scalar enum values")
            # jsonschema tells true from 1 and false from 0; Python's == does not
            if not any(isinstance(value, bool) == isinstance(v, bool) and value == v for v in arg):
                return False
        elif keyword == "if":
            branch = schema.get("then") if _accepts(arg, value, defs) else schema.get("else")
            if branch is not None and not _accepts(branch, value, defs):
                return False
        elif keyword not in _EVALUATED and keyword not in _ANNOTATIONS:
            raise ValueError(f"the collection schema uses {keyword!r}, which runner.validate cannot evaluate")
    return True


def _valid(doc: object) -> bool | None:
    """The fast answer: True when ``doc`` is valid, False when not, None when it cannot tell."""
    schema = _schema()
    try:
        return _accepts(schema, doc, schema["$defs"])
    except RecursionError:  # nesting deeper than our frames allow: jsonschema's path decides
        return None


def _inline_refs(node: object, defs: dict, expanding: frozenset[str]) -> object:
    """Replace local "$ref"s by the definitions they name, except where a definition recurses.

    Resolving a reference costs about as much as checking the value it guards, and a 4 MB collection
    has ~120k values; inlining cuts validation time by 20-50% on the big corpus files.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            return node if name in expanding else _inline_refs(defs[name], defs, expanding | {name})
        return {key: _inline_refs(value, defs, expanding) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs, expanding) for value in node]
    return node


def validate_collection(doc: object) -> list[Problem]:
    """Return the problems in a v2.x collection, sorted by pointer; [] when it is valid."""
    if not isinstance(doc, dict):
        return [Problem("", f"must be a collection object, not {_describe(doc)}")]
    if "info" not in doc and "item" not in doc:
        return [Problem("", _not_v2_message(doc))]
    if _valid(doc):
        return []
    problems = {p for error in _validator().iter_errors(doc) for p in _explain(error)}
    return sorted(problems, key=lambda p: (_pointer_key(p.pointer), p.message))


def _not_v2_message(doc: dict) -> str:
    """Say what the document looks like instead, so people know which conversion or file they need."""
    if "requests" in doc or "order" in doc:
        hint = "it looks like a Postman v1 collection (top-level 'requests'/'order'); convert it to v2 first"
    elif "values" in doc:
        hint = "it looks like an environment or globals file, not a collection"
    else:
        hint = "it is not a Postman v2.0/v2.1 collection"
    return f"collection has no 'info' object and no 'item' list: {hint}"


def _explain(error: ValidationError) -> list[Problem]:
    """Turn one jsonschema error into Problems; alternatives (anyOf/oneOf) report their best branch."""
    pointer = _pointer(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    expected = schema.get("x-expected")
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        best = best_match([error])  # descends into the branch that got furthest
        if best is not error:
            return _explain(best)
        expected = expected or "one of the allowed forms"
        return [Problem(pointer, f"must be {expected}, not {_describe(error.instance)}")]
    if error.validator == "type":
        expected = expected or _type_words(error.validator_value)
        return [Problem(pointer, f"must be {expected}, not {_describe(error.instance)}")]
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [Problem(pointer, f"missing required key '{key}'") for key in missing]
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        what = f"{expected} (one of {allowed})" if expected else f"one of {allowed}"
        found = repr(error.instance) if isinstance(error.instance, str) else _describe(error.instance)
        hint = ""
        if isinstance(error.instance, str) and error.instance.lower() in error.validator_value:
            hint = f"; did you mean {error.instance.lower()!r}?"
        return [Problem(pointer, f"must be {what}, not {found}{hint}")]
    return [Problem(pointer, error.message)]


def _type_words(types: str | list[str]) -> str:
    """Spell a JSON Schema 'type' value for people: ["string", "null"] -> "a string or null"."""
    words = [_TYPE_WORDS.get(t, t) for t in ([types] if isinstance(types, str) else types)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _describe(value: object) -> str:
    """Name the JSON type that was found instead."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _pointer(path: Iterable[str | int]) -> str:
    """Build an RFC 6901 JSON pointer from jsonschema's path deque."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _pointer_key(pointer: str) -> tuple[tuple[int, int, str], ...]:
    """Sort pointers in document order: /item/2 before /item/10."""
    parts = pointer.split("/")[1:]
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
