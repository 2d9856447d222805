"""Load a Postman collection (v2.1, v2.0, or the old v1) into a small tree of folders and items.

Everything is normalised to the v2.1 shape while loading (auth parameters as key/value lists,
urls as parts, exec as a list of lines), so that later stages handle one form only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from runner.errors import InputError, InvalidCollection
from runner.files import read_json
from runner.url import as_url_object
from runner.validate import validate_collection


@dataclass
class Script:
    """One pre-request or test script, with where it lives for error messages."""

    listen: str  # "prerequest" or "test"
    source: str
    owner: str  # "collection", a folder's name, or an item's name
    pointer: str  # JSON pointer of the event in the file


@dataclass
class Node:
    id: str
    name: str
    pointer: str
    parent: Folder | None
    events: list[Script] = field(default_factory=list)
    auth: dict[str, Any] | None = None
    description: Any = None

    @property
    def path(self) -> list[str]:
        """Names from the outermost folder down to this node (the collection excluded)."""
        names: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]


@dataclass
class Item(Node):
    """A request item: the request as written (v2.1 shape) and its saved example responses."""

    request: dict[str, Any] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    protocol_profile: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Folder(Node):
    children: list[Node] = field(default_factory=list)

    def items(self) -> Iterator[Item]:
        """Every request item below this folder, in collection order."""
        for child in self.children:
            if isinstance(child, Item):
                yield child
            elif isinstance(child, Folder):
                yield from child.items()

    def folders(self) -> Iterator[Folder]:
        for child in self.children:
            if isinstance(child, Folder):
                yield child
                yield from child.folders()


@dataclass
class Collection(Folder):
    """The collection is the root folder; it also carries info and collection variables."""

    file: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    variables: list[dict[str, Any]] = field(default_factory=list)
    doc: dict[str, Any] = field(default_factory=dict)


def load_collection(path: str | os.PathLike[str]) -> Collection:
    """Read, convert, validate and build a collection from a file."""
    name = os.fspath(path)
    doc = read_json(name, "collection")
    return build_collection(doc, name)


def build_collection(doc: Any, file: str = "<collection>") -> Collection:
    if not isinstance(doc, dict):
        raise InputError(file, f"a collection must be a JSON object, not {_kind(doc)}")
    if "info" not in doc and ("requests" in doc or "order" in doc):
        doc = convert_v1(doc)
    problems = validate_collection(doc)
    if problems:
        raise InvalidCollection(file, [(p.pointer, p.message) for p in problems])
    v20 = "v2.0" in str(doc.get("info", {}).get("schema", ""))
    root = Collection(
        id=str(doc["info"].get("_postman_id") or uuid.uuid4()),
        name=str(doc["info"].get("name") or "collection"),
        pointer="",
        parent=None,
        file=file,
        info=doc["info"],
        doc=doc,
    )
    root.description = doc["info"].get("description")
    root.events = _events(doc.get("event"), "collection", "")
    root.auth = normalize_auth(doc.get("auth"), v20)
    root.variables = normalize_variables(doc.get("variable"))
    root.children = [_node(child, root, f"/item/{i}", v20) for i, child in enumerate(doc.get("item") or [])]
    return root


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


def _node(raw: dict[str, Any], parent: Folder, pointer: str, v20: bool) -> Node:
    name = str(raw.get("name") if raw.get("name") is not None else "")
    node_id = str(raw.get("id") or raw.get("_postman_id") or uuid.uuid4())
    if "item" in raw:
        folder = Folder(id=node_id, name=name, pointer=pointer, parent=parent)
        folder.description = raw.get("description")
        folder.events = _events(raw.get("event"), name, pointer)
        folder.auth = normalize_auth(raw.get("auth"), v20)
        folder.children = [
            _node(child, folder, f"{pointer}/item/{i}", v20) for i, child in enumerate(raw.get("item") or [])
        ]
        return folder
    item = Item(id=node_id, name=name, pointer=pointer, parent=parent, raw=raw)
    item.events = _events(raw.get("event"), name, pointer)
    item.request = normalize_request(raw.get("request"), v20)
    item.auth = item.request.get("auth")
    item.description = item.request.get("description")
    item.responses = [r for r in raw.get("response") or [] if isinstance(r, dict)]
    item.protocol_profile = raw.get("protocolProfileBehavior") or {}
    return item


def _events(events: Any, owner: str, pointer: str) -> list[Script]:
    scripts = []
    for i, event in enumerate(events or []):
        if not isinstance(event, dict) or event.get("disabled"):
            continue
        script = event.get("script") or {}
        exec_ = script.get("exec") if isinstance(script, dict) else None
        if exec_ is None:
            continue
        source = "\n".join(str(line) for line in exec_) if isinstance(exec_, list) else str(exec_)
        if source.strip():
            scripts.append(Script(str(event.get("listen")), source, owner, f"{pointer}/event/{i}"))
    return scripts


def normalize_request(request: Any, v20: bool = False) -> dict[str, Any]:
    """A request in the v2.1 shape: method upper-cased, url as parts, headers as a list."""
    if request is None:
        request = {}
    if isinstance(request, str):
        request = {"url": request, "method": "GET"}
    out = dict(request)
    out["method"] = str(out.get("method") or "GET").upper()
    out["url"] = as_url_object(out.get("url"))
    out["header"] = normalize_headers(out.get("header"))
    if "auth" in out:
        out["auth"] = normalize_auth(out.get("auth"), v20)
    return out


def normalize_headers(headers: Any) -> list[dict[str, Any]]:
    """Headers as a list of {key, value, disabled}; v1 and some exports use a ``K: v`` string."""
    if not headers:
        return []
    if isinstance(headers, str):
        out = []
        for line in headers.splitlines():
            if not line.strip():
                continue
            disabled = line.lstrip().startswith("//")
            key, _, value = line.lstrip().removeprefix("//").partition(":")
            out.append({"key": key.strip(), "value": value.strip(), "disabled": disabled})
        return out
    return [h for h in headers if isinstance(h, dict)]


def normalize_auth(auth: Any, v20: bool = False) -> dict[str, Any] | None:
    """Auth with parameters as v2.1 key/value lists, whatever the file used."""
    if not isinstance(auth, dict) or not auth.get("type"):
        return None
    kind = str(auth["type"])
    params = auth.get(kind)
    if isinstance(params, dict):  # v2.0: {"bearer": {"token": "..."}}
        params = [{"key": k, "value": v} for k, v in params.items()]
    return {"type": kind, kind: params if isinstance(params, list) else []}


def auth_params(auth: dict[str, Any]) -> dict[str, Any]:
    """The auth's parameters as a dict (the last of duplicate keys wins)."""
    params = {}
    for entry in auth.get(auth["type"]) or []:
        if isinstance(entry, dict) and entry.get("key") is not None:
            params[str(entry["key"])] = entry.get("value")
    return params


def normalize_variables(variables: Any) -> list[dict[str, Any]]:
    """Collection variables; one with an ``id`` and no ``key`` is named by its id (Postman does so)."""
    out = []
    for var in variables or []:
        if not isinstance(var, dict):
            continue
        key = var.get("key", var.get("id"))
        if key is None:
            continue
        entry = dict(var)
        entry["key"] = str(key)
        out.append(entry)
    return out


def convert_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Convert the v1 format (requests + order + folders) to v2.1, as Postman's transformer does."""
    requests = {r.get("id"): r for r in doc.get("requests") or [] if isinstance(r, dict)}
    folders = {f.get("id"): f for f in doc.get("folders") or [] if isinstance(f, dict)}

    def request_item(req: dict[str, Any]) -> dict[str, Any]:
        events = []
        if req.get("preRequestScript"):
            events.append({"listen": "prerequest", "script": {"exec": str(req["preRequestScript"]).split("\n")}})
        if req.get("tests"):
            events.append({"listen": "test", "script": {"exec": str(req["tests"]).split("\n")}})
        mode = req.get("dataMode")
        body: dict[str, Any] | None = None
        if mode == "raw":
            body = {"mode": "raw", "raw": req.get("rawModeData") or ""}
        elif mode in ("urlencoded", "params"):
            fields = [
                {"key": d.get("key"), "value": d.get("value"), "disabled": not d.get("enabled", True)}
                for d in req.get("data") or []
                if isinstance(d, dict)
            ]
            kind = "urlencoded" if mode == "urlencoded" else "formdata"
            body = {"mode": kind, kind: fields}
        elif mode == "binary":
            body = {"mode": "file", "file": {}}
        request: dict[str, Any] = {
            "method": req.get("method") or "GET",
            "header": normalize_headers(req.get("headers")),
            "url": req.get("url") or "",
        }
        if body:
            request["body"] = body
        if req.get("currentHelper") in ("basicAuth", "bearerAuth") and isinstance(req.get("helperAttributes"), dict):
            attrs = req["helperAttributes"]
            kind = "basic" if req["currentHelper"] == "basicAuth" else "bearer"
            request["auth"] = {"type": kind, kind: [{"key": k, "value": v} for k, v in attrs.items()]}
        item: dict[str, Any] = {"id": req.get("id"), "name": req.get("name"), "request": request}
        if events:
            item["event"] = events
        return item

    def folder_item(folder: dict[str, Any], seen: set[Any]) -> dict[str, Any]:
        seen = seen | {folder.get("id")}
        children = [
            folder_item(folders[f], seen)
            for f in folder.get("folders_order") or []
            if f in folders and f not in seen
        ]
        children += [request_item(requests[r]) for r in folder.get("order") or [] if r in requests]
        return {"id": folder.get("id"), "name": folder.get("name"), "item": children}

    nested = {f for folder in folders.values() for f in folder.get("folders_order") or []}
    top_folders = doc.get("folders_order") or [f for f in folders if f not in nested]
    items = [folder_item(folders[f], set()) for f in top_folders if f in folders]
    items += [request_item(requests[r]) for r in doc.get("order") or [] if r in requests]
    return {
        "info": {
            "_postman_id": doc.get("id"),
            "name": doc.get("name"),
            "description": doc.get("description"),
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
        "variable": doc.get("variables") or [],
    }
