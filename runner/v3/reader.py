"""Read a v3 collection folder (Postman v12's YAML files) into a v2.1 collection document.

The result is the same dict a v2.1 JSON export parses to, so the loader, the mock server, the
checker and every reporter handle both formats with one code path. The rules follow what
``postman collection migrate`` writes:

- the folder is the collection; ``.resources/definition.yaml`` holds its metadata;
- a sub-folder is a folder (its metadata in its own ``.resources/definition.yaml``), a
  ``*.request.yaml`` (or ``.yml``) is a request; siblings sort by ``order``;
- a request's saved examples are the ``*.example.yaml`` files of the folder its ``examples``
  names (by default ``.resources/<request>.resources/examples``);
- headers, query and path parameters, variables and auth credentials are a map, or a list of
  ``{key, value, disabled, description}``;
- ``beforeRequest``/``afterResponse`` scripts (``http:``-prefixed on collections and folders) are
  the pre-request and test scripts; ``settings`` is v2.1's ``protocolProfileBehavior``;
- a body of type ``text`` is a raw body without a language (sent as text/plain, as both Newman and
  the Postman CLI do); bodies are never pruned: a GET's body is sent, as the Postman CLI does and
  as v2.1's ``disableBodyPruning`` asks.

Every problem is an InputError naming the YAML file and the line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.errors import InputError
from runner.request import BODYLESS_METHODS
from runner.v3.yamlio import line_of, load_yaml

V21_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
REQUEST_SUFFIXES = (".request.yaml", ".request.yml")
EXAMPLE_SUFFIXES = (".example.yaml", ".example.yml")
RESOURCES = ".resources"
DEFINITION_NAMES = ("definition.yaml", "definition.yml")
REQUEST_KINDS = ("http-request", "graphql-request")
FOLDER_KINDS = ("collection", "folder")
# v3 body types that are v2.1 raw bodies, and the raw language each stands for ("text": none).
RAW_TYPES = {"json": "json", "xml": "xml", "html": "html", "javascript": "javascript", "text": None}
BODY_TYPES = (*RAW_TYPES, "urlencoded", "formdata", "file", "graphql", "none")
SCRIPT_LISTEN = {"beforeRequest": "prerequest", "afterResponse": "test"}


def is_v3_folder(path: str | os.PathLike[str]) -> bool:
    """A folder is a v3 collection when it has a definition or holds request files (at any depth)."""
    root = Path(path)
    if not root.is_dir():
        return False
    if any((root / RESOURCES / name).is_file() for name in DEFINITION_NAMES):
        return True
    return any(p.name.endswith(REQUEST_SUFFIXES) for p in root.rglob("*.request.y*ml"))


@dataclass
class _Where:
    """A YAML file and the key path inside it, for error messages with line numbers."""

    file: str
    keys: tuple[Any, ...] = ()

    def at(self, *keys: Any) -> _Where:
        return _Where(self.file, self.keys + keys)

    def error(self, message: str) -> InputError:
        line = line_of(self.file, self.keys)
        pointer = "/" + "/".join(str(k) for k in self.keys) if self.keys else ""
        where = f"line {line}" if line else ""
        suffix = f" (at {pointer})" if pointer else ""
        return InputError(self.file, message + suffix, where)


@dataclass
class _Reader:
    root: Path
    origins: dict[str, str] = field(default_factory=dict)  # v2.1 pointer -> the YAML file it came from

    # --- files and folders -------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        definition, where = self._definition(self.root)
        info: dict[str, Any] = {
            "_postman_id": definition.get("id"),
            "name": _str(definition.get("name"), where.at("name")) or self.root.resolve().name,
            "schema": V21_SCHEMA,
        }
        if info["_postman_id"] is None:
            del info["_postman_id"]
        doc: dict[str, Any] = {"info": info}
        if definition.get("description") is not None:
            info["description"] = _description(definition["description"], where.at("description"))
        self._scope(definition, where, doc, prefixed=True)
        if "settings" in definition:
            doc["protocolProfileBehavior"] = _settings(definition["settings"], where.at("settings"))
        doc["item"] = self._children(self.root, "")
        return doc

    def _definition(self, folder: Path) -> tuple[dict[str, Any], _Where]:
        for name in DEFINITION_NAMES:
            path = folder / RESOURCES / name
            if path.is_file():
                where = _Where(str(path))
                doc = load_yaml(path, "definition")
                if doc is None:
                    return {}, where
                if not isinstance(doc, dict):
                    raise where.error("a definition must be a YAML mapping")
                kind = doc.get("$kind")
                if kind is not None and kind not in FOLDER_KINDS:
                    raise where.at("$kind").error(f"unknown $kind {kind!r} for a definition (expected 'collection')")
                return doc, where
        return {}, _Where(str(folder / RESOURCES / DEFINITION_NAMES[0]))

    def _children(self, folder: Path, pointer: str) -> list[dict[str, Any]]:
        entries: list[tuple[float, int, str, Any]] = []
        try:
            listing = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            raise InputError(str(folder), f"cannot read folder: {exc.strerror or exc}") from None
        for path in listing:
            if path.name.startswith("."):
                continue
            if path.is_dir():
                definition, where = self._definition(path)
                entries.append((*_order(definition, where), path.name, ("folder", path, definition, where)))
            elif path.name.endswith(REQUEST_SUFFIXES) and path.is_file():
                where = _Where(str(path))
                doc = load_yaml(path, "request")
                if not isinstance(doc, dict):
                    raise where.error("a request file must be a YAML mapping")
                entries.append((*_order(doc, where), path.name, ("request", path, doc, where)))
        entries.sort(key=lambda e: (e[0], e[1], e[2]))
        items = []
        for i, (_o, _m, _n, (kind, path, doc, where)) in enumerate(entries):
            child_pointer = f"{pointer}/item/{i}"
            if kind == "folder":
                items.append(self._folder(path, doc, where, child_pointer))
            else:
                self.origins[child_pointer] = where.file
                items.append(self._request(path, doc, where))
        return items

    def _folder(self, path: Path, definition: dict[str, Any], where: _Where, pointer: str) -> dict[str, Any]:
        self.origins[pointer] = where.file
        out: dict[str, Any] = {}
        if definition.get("id") is not None:
            out["id"] = _str(definition["id"], where.at("id"))
        out["name"] = _name(definition, where, path.name)
        if definition.get("description") is not None:
            out["description"] = _description(definition["description"], where.at("description"))
        self._scope(definition, where, out, prefixed=True)
        if "settings" in definition:
            out["protocolProfileBehavior"] = _settings(definition["settings"], where.at("settings"))
        out["item"] = self._children(path, pointer)
        return out

    # --- requests ------------------------------------------------------------------------------

    def _request(self, path: Path, doc: dict[str, Any], where: _Where) -> dict[str, Any]:
        kind = doc.get("$kind")
        if kind not in REQUEST_KINDS:
            shown = "no $kind" if kind is None else f"unknown $kind {kind!r}"
            raise where.at("$kind").error(f"{shown} for a request (expected one of {', '.join(REQUEST_KINDS)})")
        stem = next(path.name[: -len(s)] for s in REQUEST_SUFFIXES if path.name.endswith(s))
        item: dict[str, Any] = {}
        if doc.get("id") is not None:
            item["id"] = _str(doc["id"], where.at("id"))
        item["name"] = _name(doc, where, stem)
        request = _http(doc, where, graphql=kind == "graphql-request")
        if doc.get("description") is not None:
            request["description"] = _description(doc["description"], where.at("description"))
        if "auth" in doc and doc["auth"] is not None:
            auth = _auth(doc["auth"], where.at("auth"))
            if auth is not None:
                request["auth"] = auth
        item["request"] = request
        events = _scripts(doc.get("scripts"), where.at("scripts"), prefixed=False)
        if events:
            item["event"] = events
        if "settings" in doc:
            item["protocolProfileBehavior"] = _settings(doc["settings"], where.at("settings"))
        if request.get("body") and request["method"].upper() in BODYLESS_METHODS:
            # v3 has no body pruning: a GET's body is sent as written (as the Postman CLI does).
            item.setdefault("protocolProfileBehavior", {})["disableBodyPruning"] = True
        responses = self._examples(path, stem, doc, where)
        if responses:
            item["response"] = responses
        return item

    def _examples(self, path: Path, stem: str, doc: dict[str, Any], where: _Where) -> list[dict[str, Any]]:
        ref = doc.get("examples")
        if ref is None:
            folder = path.parent / RESOURCES / f"{stem}.resources" / "examples"
            if not folder.is_dir():
                return []
        else:
            ref = _str(ref, where.at("examples"))
            folder = (path.parent / ref).resolve()
            if not folder.is_dir():
                raise where.at("examples").error(f"broken reference: examples folder {ref!r} does not exist")
        found = []
        for example_path in sorted(folder.iterdir(), key=lambda p: p.name):
            if not example_path.name.endswith(EXAMPLE_SUFFIXES) or not example_path.is_file():
                continue
            ex_where = _Where(str(example_path))
            example = load_yaml(example_path, "example")
            if not isinstance(example, dict):
                raise ex_where.error("an example file must be a YAML mapping")
            kind = example.get("$kind")
            if kind not in (None, "http-example", "graphql-example"):
                raise ex_where.at("$kind").error(f"unknown $kind {kind!r} for an example (expected 'http-example')")
            name = next(example_path.name[: -len(s)] for s in EXAMPLE_SUFFIXES if example_path.name.endswith(s))
            found.append((*_order(example, ex_where), example_path.name, _example(example, ex_where, name)))
        found.sort(key=lambda e: (e[0], e[1], e[2]))
        return [e[3] for e in found]

    # --- collection and folder scope: auth, variables, scripts ---------------------------------

    def _scope(self, definition: dict[str, Any], where: _Where, out: dict[str, Any], prefixed: bool) -> None:
        if definition.get("auth") is not None:
            auth = _auth(definition["auth"], where.at("auth"))
            if auth is not None:
                out["auth"] = auth
        if definition.get("variables") is not None:
            out["variable"] = _pairs(definition["variables"], where.at("variables"), value_types=False)
        events = _scripts(definition.get("scripts"), where.at("scripts"), prefixed=prefixed)
        if events:
            out["event"] = events


def _order(doc: dict[str, Any], where: _Where) -> tuple[float, int]:
    order = doc.get("order")
    if order is None:
        return (float("inf"), 1)
    if isinstance(order, bool) or not isinstance(order, (int, float)):
        raise where.at("order").error("order must be a number")
    return (float(order), 0)


def _name(doc: dict[str, Any], where: _Where, file_name: str) -> str:
    """The ``name:`` written (an empty one too), else the file's name."""
    name = _str(doc.get("name"), where.at("name"))
    return file_name if name is None else name


def _str(value: Any, where: _Where) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise where.error("expected a string")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _mapping(value: Any, where: _Where) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error("expected a mapping")
    return {str(k): v for k, v in value.items()}


def _settings(value: Any, where: _Where) -> dict[str, Any]:
    """v3 settings as v2.1's protocolProfileBehavior; v3 lists the disabled system headers by name."""
    settings = _mapping(value, where)
    disabled = settings.get("disabledSystemHeaders")
    if isinstance(disabled, list):
        settings["disabledSystemHeaders"] = {str(name): True for name in disabled}
    return settings


def _description(value: Any, where: _Where) -> Any:
    if isinstance(value, dict):  # {content, type}, as v2.1 allows
        return value
    return _str(value, where)


def _pairs(value: Any, where: _Where, value_types: bool = True) -> list[dict[str, Any]]:
    """A map or a list of {key, value, disabled, description} as v2.1's list of entries."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [{"key": str(k), "value": v} for k, v in value.items()]
    if not isinstance(value, list):
        raise where.error("expected a mapping or a list of {key, value} entries")
    out = []
    for i, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise where.at(i).error("each entry must be a mapping with 'key' and 'value'")
        if "key" not in entry:
            raise where.at(i).error("entry has no 'key'")
        pair = dict(entry)
        pair["key"] = "" if entry["key"] is None else str(entry["key"])
        if "enabled" in pair and "disabled" not in pair:  # environments' spelling
            pair["disabled"] = pair.pop("enabled") is False
        if pair.get("disabled") is False:
            del pair["disabled"]
        out.append(pair)
    return out


def _http(doc: dict[str, Any], where: _Where, graphql: bool) -> dict[str, Any]:
    url = doc.get("url")
    if url is not None and not isinstance(url, str):
        raise where.at("url").error("url must be a string (the whole URL)")
    method = _str(doc.get("method"), where.at("method")) or ("POST" if graphql else "GET")
    request: dict[str, Any] = {"method": method}
    headers = _pairs(doc.get("headers"), where.at("headers"))
    request["header"] = headers
    url_obj: dict[str, Any] = {"raw": url or ""}
    if doc.get("queryParams") is not None:
        url_obj["query"] = _pairs(doc["queryParams"], where.at("queryParams"))
    if doc.get("pathVariables") is not None:
        url_obj["variable"] = _pairs(doc["pathVariables"], where.at("pathVariables"))
    request["url"] = url_obj
    if graphql:
        gql: dict[str, Any] = {"query": _str(doc.get("query"), where.at("query")) or ""}
        # No variables: null, as v2.1's "variables": null that migrate leaves out (contentstack's 69).
        variables = doc.get("variables")
        if variables is None or isinstance(variables, str):
            gql["variables"] = variables
        else:
            gql["variables"] = json.dumps(variables, indent=2)
        request["body"] = {"mode": "graphql", "graphql": gql}
    elif doc.get("body") is not None:
        body = _body(doc["body"], where.at("body"))
        if body is not None:
            request["body"] = body
    return request


def _body(body: Any, where: _Where) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        raise where.error("body must be a mapping with 'type' and 'content'")
    kind = body.get("type")
    if kind not in BODY_TYPES:
        raise where.at("type").error(f"unknown body type {kind!r} (expected one of {', '.join(BODY_TYPES)})")
    content = body.get("content")
    if kind == "none":
        return None
    if kind in RAW_TYPES:
        if content is None:
            content = ""
        elif isinstance(content, (dict, list)):
            content = json.dumps(content, indent=2)
        elif not isinstance(content, str):
            content = _str(content, where.at("content"))
        out: dict[str, Any] = {"mode": "raw", "raw": content}
        if RAW_TYPES[kind]:
            out["options"] = {"raw": {"language": RAW_TYPES[kind]}}
        return out
    if kind in ("urlencoded", "formdata"):
        return {"mode": kind, kind: _pairs(content, where.at("content"))}
    if kind == "file":
        if content is None:
            return {"mode": "file", "file": {}}
        if isinstance(content, str):
            return {"mode": "file", "file": {"src": content}}
        return {"mode": "file", "file": _mapping(content, where.at("content"))}
    gql = _mapping(content, where.at("content"))  # graphql inside an http-request
    return {"mode": "graphql", "graphql": gql}


def _auth(auth: Any, where: _Where) -> dict[str, Any] | None:
    """A request's ``{type, credentials}``, or a definition's list of them (the first applies)."""
    if isinstance(auth, list):
        if not auth:
            return None
        where, auth = where.at(0), auth[0]
    if isinstance(auth, str):
        auth = {"type": auth}
    if not isinstance(auth, dict):
        raise where.error("auth must be a mapping with 'type' and 'credentials'")
    kind = _str(auth.get("type"), where.at("type"))
    if not kind:
        raise where.at("type").error("auth has no 'type'")
    if kind == "inherit":
        return None
    if kind == "noauth":
        return {"type": "noauth"}
    params = []
    for entry in _pairs(auth.get("credentials"), where.at("credentials")):
        value = entry.get("value")
        kind_of = "boolean" if isinstance(value, bool) else "string" if isinstance(value, str) else "any"
        params.append({"key": entry["key"], "value": value, "type": kind_of})
    return {"type": kind, kind: params}


def _scripts(scripts: Any, where: _Where, prefixed: bool) -> list[dict[str, Any]]:
    if scripts is None:
        return []
    if not isinstance(scripts, list):
        raise where.error("scripts must be a list of {type, code}")
    events = []
    for i, script in enumerate(scripts):
        at = where.at(i)
        if not isinstance(script, dict):
            raise at.error("each script must be a mapping with 'type' and 'code'")
        kind = _str(script.get("type"), at.at("type")) or ""
        protocol, colon, hook = kind.rpartition(":")
        if colon and protocol != "http":
            continue  # another protocol's script (websocket, grpc, ...): not run for HTTP requests
        if hook not in SCRIPT_LISTEN:
            raise at.at("type").error(f"unknown script type {kind!r} (expected beforeRequest or afterResponse)")
        code = script.get("code")
        if isinstance(code, list):
            lines = [str(line) for line in code]
        else:
            lines = (_str(code, at.at("code")) or "").split("\n")
        event: dict[str, Any] = {"listen": SCRIPT_LISTEN[hook], "script": {"exec": lines}}
        if script.get("language") is not None:
            event["script"]["type"] = _str(script["language"], at.at("language"))
        if script.get("disabled") is True:
            event["disabled"] = True
        events.append(event)
    return events


def _example(doc: dict[str, Any], where: _Where, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if doc.get("id") is not None:
        out["id"] = _str(doc["id"], where.at("id"))
    out["name"] = _name(doc, where, name)
    request = doc.get("request")
    if request is not None:
        if not isinstance(request, dict):
            raise where.at("request").error("an example's request must be a mapping")
        original = _http(request, where.at("request"), graphql=False)
        if request.get("description") is not None:
            original["description"] = _description(request["description"], where.at("request", "description"))
        out["originalRequest"] = original
    response = _mapping(doc.get("response"), where.at("response"))
    status = response.get("statusCode")
    if status is not None:
        if isinstance(status, bool) or not isinstance(status, (int, str)):
            raise where.at("response", "statusCode").error("statusCode must be a number")
        try:
            out["code"] = int(status)
        except ValueError:
            raise where.at("response", "statusCode").error("statusCode must be a number") from None
    if response.get("statusText") is not None:
        out["status"] = _str(response["statusText"], where.at("response", "statusText"))
    out["header"] = _pairs(response.get("headers"), where.at("response", "headers"))
    body = response.get("body")
    if isinstance(body, dict):
        content = body.get("content")
        if isinstance(content, (dict, list)):
            content = json.dumps(content, indent=2)
        out["body"] = "" if content is None else str(content)
        if body.get("type") is not None:
            out["_postman_previewlanguage"] = _str(body["type"], where.at("response", "body", "type"))
    elif body is not None:
        out["body"] = _str(body, where.at("response", "body"))
    return out


def read_v3_collection(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The v2.1 document of a v3 folder, and which YAML file each item pointer came from."""
    reader = _Reader(Path(path))
    return reader.read(), reader.origins


def read_v3_environment(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A ``*.environment.yaml`` as the v2.1 environment document (``name``, ``values``)."""
    name = os.fspath(path)
    where = _Where(name)
    doc = load_yaml(name, "environment")
    if not isinstance(doc, dict):
        raise where.error("an environment file must be a YAML mapping with 'name' and 'values'")
    kind = doc.get("$kind")
    if kind is not None and kind not in ("environment", "globals"):
        raise where.at("$kind").error(f"unknown $kind {kind!r} for an environment")
    values = doc.get("values")
    if values is None:
        values = doc.get("variables")
        where_values = where.at("variables")
    else:
        where_values = where.at("values")
    entries = []
    if isinstance(values, dict):
        entries = [{"key": str(k), "value": v, "enabled": True} for k, v in values.items()]
    elif isinstance(values, list):
        for i, entry in enumerate(values):
            if not isinstance(entry, dict) or "key" not in entry:
                raise where_values.at(i).error("each value must be a mapping with 'key' and 'value'")
            item = dict(entry)
            item["key"] = str(entry["key"])
            if "disabled" in item and "enabled" not in item:
                item["enabled"] = not item.pop("disabled")
            entries.append(item)
    elif values is not None:
        raise where_values.error("values must be a list of {key, value, enabled, type}")
    out: dict[str, Any] = {"name": _str(doc.get("name"), where.at("name")) or "", "values": entries}
    if doc.get("id") is not None:
        out["id"] = _str(doc["id"], where.at("id"))
    return out
