"""Variable scopes (globals, collection, environment, iteration data, local) and the files behind them.

Postman's precedence, highest first: local > iteration data > environment > collection > globals.
Disabled entries are kept for export but never resolve (Postman's behaviour; Newman resolves
``"enabled": false`` environment entries, which is a bug we do not copy). Of duplicate keys the
last one wins.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from runner import __version__
from runner.errors import InputError
from runner.files import read_json, read_text

MISSING: Any = object()


class VariableScope:
    """An ordered set of variables, as Postman's VariableScope: enabled values resolve, disabled are kept."""

    def __init__(self, name: str = "", entries: Iterable[dict[str, Any]] = (), id: str | None = None) -> None:
        self.name = name
        self.id = id or str(uuid.uuid4())
        self.source: str | None = None  # the file it was read from (an export onto it keeps its secrets)
        self._values: dict[str, dict[str, Any]] = {}
        self._disabled: list[dict[str, Any]] = []
        for entry in entries:
            key = entry.get("key")
            if key is None:
                continue
            entry = {**entry, "key": str(key)}
            if entry.get("disabled") or entry.get("enabled") is False:
                self._disabled.append(entry)
            else:
                self._values.pop(entry["key"], None)
                self._values[entry["key"]] = entry

    def copy(self) -> VariableScope:
        """An independent copy (each tenant gets its own globals)."""
        twin = VariableScope(self.name, (), self.id)
        twin.source = self.source
        twin._values = {k: dict(e) for k, e in self._values.items()}
        twin._disabled = [dict(e) for e in self._disabled]
        return twin

    def get(self, key: str, default: Any = None) -> Any:
        entry = self._values.get(key)
        return default if entry is None else entry.get("value")

    def lookup(self, key: str) -> Any:
        """The value references resolve to; an entry without a value is undefined: "" in Newman."""
        entry = self._values.get(key)
        return MISSING if entry is None else entry.get("value", "")

    def has(self, key: str) -> bool:
        return key in self._values

    def set(self, key: str, value: Any, type: str | None = None) -> None:
        entry = self._values.get(key)
        if entry is None:
            entry = {"key": key, "value": value, "type": type or "default", "enabled": True}
            self._values[key] = entry
        else:
            entry["value"] = value
            if type:
                entry["type"] = type

    def unset(self, key: str) -> None:
        self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    def to_dict(self) -> dict[str, Any]:
        return {k: e.get("value") for k, e in self._values.items()}

    def replace_all(self, values: dict[str, Any]) -> None:
        """Make the enabled values equal ``values``, keeping entry order and types where keys survive."""
        for key in [k for k in self._values if k not in values]:
            del self._values[key]
        for key, value in values.items():
            self.set(key, value)

    def entries(self) -> list[dict[str, Any]]:
        """Every entry as held, enabled ones first, with the fields the file gave them (id, description...)."""
        return [dict(e) for e in self._values.values()] + [dict(e) for e in self._disabled]

    def secret_keys(self) -> set[str]:
        return {k for k, e in self._values.items() if e.get("type") == "secret"}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._values.values())

    def __len__(self) -> int:
        return len(self._values)

    def restore(self, exported: list[dict[str, Any]]) -> None:
        """Take the entries of an ``export()`` (values, types, enabled), as another process ended with them."""
        fresh = VariableScope(self.name, exported, self.id)
        self._values, self._disabled = fresh._values, fresh._disabled

    def mark_secret(self, key: str) -> None:
        """Type ``key`` as a secret (``--secret``): masked in output, left out of exports."""
        entry = self._values.get(key)
        if entry is not None:
            entry["type"] = "secret"

    def export(self, scope: str, secrets: bool = False) -> dict[str, Any]:
        """The scope in Postman's environment/globals file format, with the values it holds now.

        Values typed ``secret`` are written empty unless ``secrets`` (``--export-secrets``). Enabled
        entries are ``{key, value, type}`` as Newman writes them; disabled ones say ``enabled: false``.
        """

        def value(entry: dict[str, Any]) -> Any:
            return "" if entry.get("type") == "secret" and not secrets else entry.get("value")

        values = [{"key": e["key"], "value": value(e), "type": export_type(e)} for e in self._values.values()]
        values += [
            {"key": e["key"], "value": value(e), "type": export_type(e), "enabled": False}
            for e in self._disabled
        ]
        return {
            "id": self.id,
            "name": self.name,
            "values": values,
            "_postman_variable_scope": scope,
            "_postman_exported_at": _now_iso(),
            "_postman_exported_using": f"postrun/{__version__}",
        }


def export_type(entry: dict[str, Any]) -> str:
    """The type an export writes, as Newman does: untyped and ``default`` become ``any``.

    ``secret`` stays ``secret`` (Newman writes ``any``, which loses it; Postman keeps it).
    """
    kind = entry.get("type")
    return "any" if kind in (None, "", "default") else str(kind)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def load_scope_file(path: str | os.PathLike[str], what: str) -> VariableScope:
    """An environment or globals file as Postman exports it (a bare array is accepted for globals)."""
    name = os.fspath(path)
    if name.endswith((".yaml", ".yml")):  # Postman v12's *.environment.yaml
        from runner.v3.reader import read_v3_environment

        doc: Any = read_v3_environment(name)
    else:
        doc = read_json(name, what)
    return scope_from_doc(doc, name, what)


def scope_from_doc(doc: Any, name: str, what: str) -> VariableScope:
    """A parsed environment or globals document (a file's, or a dict from Python); ``name`` names it in errors."""
    if isinstance(doc, dict) and len(doc) == 1 and isinstance(doc.get(what), dict):
        doc = doc[what]  # the Postman API's answer: {"environment": {...}}
    if isinstance(doc, list):
        entries, scope_name, scope_id = doc, os.path.basename(name), None
        base = ""
    elif isinstance(doc, dict) and isinstance(doc.get("values", []), list):
        entries, scope_name, scope_id = doc.get("values", []), str(doc.get("name") or ""), doc.get("id")
        base = "/values"
    else:
        article = "an" if what[:1] in ("a", "e", "i", "o", "u") else "a"
        raise InputError(name, f"{article} {what} file must be an object with a 'values' array, or an array", "/")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InputError(name, "each variable must be an object with 'key' and 'value'", f"{base}/{i}")
        if "key" not in entry:
            raise InputError(name, "variable has no 'key'", f"{base}/{i}")
    scope = VariableScope(scope_name, entries, scope_id)
    scope.source = name
    return scope


def parse_assignment(text: str, option: str) -> tuple[str, str]:
    """``key=value`` from ``--env-var``/``--global-var`` (the value may contain ``=``)."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise InputError(option, f"expected KEY=VALUE, got {text!r}")
    return key, value


def load_data_file(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Iteration data: a JSON array of objects, or CSV with a header row (parsed as Newman parses it)."""
    name = os.fspath(path)
    text = read_text(name, "data file")
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith(("[", "{")):
        doc = read_json(name, "data file")
        if not isinstance(doc, list):
            raise InputError(name, "a JSON data file must be an array of objects", "/")
        for i, row in enumerate(doc):
            if not isinstance(row, dict):
                raise InputError(name, "each row must be an object", f"/{i}")
        return doc
    from runner.csvdata import parse_csv

    return parse_csv(text, name)


class Scopes:
    """The variables a request or script sees, in Postman's precedence order."""

    def __init__(
        self,
        globals_: VariableScope,
        collection: VariableScope,
        environment: VariableScope,
        data: dict[str, Any] | None = None,
        local: dict[str, Any] | None = None,
    ) -> None:
        self.globals = globals_
        self.collection = collection
        self.environment = environment
        self.data: dict[str, Any] = data or {}
        self.local: dict[str, Any] = local or {}

    def lookup(self, name: str) -> Any:
        """The value of ``name`` in the highest scope that defines it, or MISSING."""
        if name in self.local:
            return self.local[name]
        if name in self.data:
            return self.data[name]
        for scope in (self.environment, self.collection, self.globals):
            value = scope.lookup(name)
            if value is not MISSING:
                return value
        return MISSING

    def merged(self) -> dict[str, Any]:
        """Every visible variable with its winning value (what ``pm.variables.toObject()`` returns)."""
        out = self.globals.to_dict()
        out.update(self.collection.to_dict())
        out.update(self.environment.to_dict())
        out.update(self.data)
        out.update(self.local)
        return out
