"""YAML 1.2 in and out, for the v3 collection format.

Postman's ``collection migrate`` leaves ``Off``, ``yes`` and ISO timestamps unquoted; a YAML 1.1
loader would turn them into booleans and dates. ruamel.yaml reads YAML 1.2, where they are strings;
on top of that timestamps are kept as the text written (YAML 1.2's core schema has no timestamps).
Parsing uses libyaml through ruamel.yaml.clib when it is installed (about ten times faster); the
slower round-trip parser is used only to find the line of a problem for an error message.
"""

from __future__ import annotations

import io
import os
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import LiteralScalarString

from runner.errors import InputError
from runner.files import read_text


class _Constructor(SafeConstructor):
    """YAML 1.2's core schema: a timestamp is a string, as written."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


class _Resolver(VersionedResolver):
    """Always YAML 1.2 (a ``%YAML 1.1`` directive does not bring back 1.1's booleans); looking the
    version up per scalar was a fifth of the time of reading a large folder."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)


def _loader() -> YAML:
    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:  # pragma: no cover - no libyaml: the pure parser reads the same
        yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _Constructor
    yaml.Resolver = _Resolver
    return yaml


_LOADER = _loader()


def load_yaml(path: str | os.PathLike[str], what: str = "file") -> Any:
    """Parse a YAML 1.2 file; broken YAML is an InputError with its line and column."""
    name = os.fspath(path)
    text = read_text(name, what)
    try:
        return _LOADER.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "cannot parse"
        raise InputError(name, f"invalid YAML: {problem}", where) from None
    except YAMLError as exc:
        raise InputError(name, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(name, "YAML nested too deeply to read") from None


def line_of(path: str, keys: tuple[Any, ...]) -> int | None:
    """The 1-based line of the value at ``keys`` (map keys and list indexes) in a YAML file.

    Re-reads the file with the round-trip parser, which keeps positions; used only on errors. The
    deepest position found along ``keys`` is returned when a later key is missing.
    """
    try:
        node = YAML(typ="rt", pure=True).load(read_text(path))
    except Exception:
        return None
    line = 1
    for key in keys:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and key in node:
                line = lc.key(key)[0] + 1 if lc is not None else line
                node = node[key]
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                line = lc.item(key)[0] + 1 if lc is not None else line
                node = node[key]
            else:
                break
        except (KeyError, TypeError, AttributeError):
            break
    return line


def _multiline(value: Any) -> Any:
    """Strings with line breaks as literal blocks (``|-``), as Postman writes code and bodies."""
    if isinstance(value, dict):
        return {k: _multiline(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_multiline(v) for v in value]
    if isinstance(value, str) and "\n" in value and _literal_safe(value):
        return LiteralScalarString(value)
    return value


def _literal_safe(text: str) -> bool:
    # A literal block cannot hold other control characters, a carriage return, or trailing spaces on
    # a line (some emitters keep them, readers may not); such strings are written quoted instead.
    if "\r" in text or "\t" in text or any(ord(c) < 32 and c != "\n" for c in text):
        return False
    if any(line != line.rstrip(" ") for line in text.split("\n")):
        return False
    return not text.startswith((" ", "\n"))


def _dumper() -> YAML:
    # The round-trip emitter, for Postman's layout (list items indented under their key); libyaml's
    # emitter is faster but cannot indent them.
    yaml = YAML(typ="rt", pure=True)
    yaml.default_flow_style = False
    yaml.width = 2**31 - 1  # never fold: folding long quoted scalars can corrupt backslashes
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


_DUMPER = _dumper()


def dump_yaml(doc: Any) -> str:
    """A document as block-style YAML 1.2 text (no document marker), multi-line strings as blocks."""
    out = io.StringIO()
    _DUMPER.dump(_multiline(doc), out)
    return out.getvalue()
