"""Load a Postman collection (v2.1, v2.0, or the old v1) into a small tree of folders and items.

Everything is normalised to the v2.1 shape while loading (auth parameters as key/value lists,
urls as parts, exec as a list of lines), so that later stages handle one form only.
"""

from __future__ import annotations

import json
import os
import re
import sys
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


@dataclass(repr=False)
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

    def __repr__(self) -> str:
        """Short: a node's dataclass repr would hold its parent, and so the whole collection."""
        where = "/".join(self.path) or self.name
        return f"<{type(self).__name__} {where!r}>"


@dataclass(repr=False)
class Item(Node):
    """A request item: the request as written (v2.1 shape) and its saved example responses."""

    request: dict[str, Any] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    protocol_profile: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(repr=False)
class Folder(Node):
    children: list[Node] = field(default_factory=list)
    protocol_profile: dict[str, Any] = field(default_factory=dict)  # resolved: inherited keys included

    def items(self) -> Iterator[Item]:
        """Every request item below this folder, in collection order."""
        for node in self._walk():
            if isinstance(node, Item):
                yield node

    def folders(self) -> Iterator[Folder]:
        """Every folder below this one, parents before their children, in collection order."""
        for node in self._walk():
            if isinstance(node, Folder):
                yield node

    def _walk(self) -> Iterator[Node]:
        # Iterative, so that deeply nested folders need no deep recursion.
        stack: list[Node] = list(reversed(self.children))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Folder):
                stack.extend(reversed(node.children))


@dataclass(repr=False)
class Collection(Folder):
    """The collection is the root folder; it also carries info and collection variables."""

    file: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    variables: list[dict[str, Any]] = field(default_factory=list)
    doc: dict[str, Any] = field(default_factory=dict)


def load_collection(path: str | os.PathLike[str]) -> Collection:
    """Read, convert, validate and build a collection from a file (or a v3 collection folder)."""
    name = os.fspath(path)
    if os.path.isdir(name):  # a v3 collection: a folder of YAML files (Postman v12)
        from runner.v3 import load_v3_collection

        return load_v3_collection(name)
    doc = read_json(name, "collection")
    if isinstance(doc, dict) and list(doc) == ["collection"] and isinstance(doc["collection"], dict):
        doc = doc["collection"]  # the Postman API's answer
    return build_collection(doc, name)


# Folders may nest this deep. Validation and building recurse per level, so the recursion limit is
# raised to fit while a collection is built (a v2 file cannot nest deeper than Python's JSON parser
# allows anyway, about 490 folder levels).
MAX_FOLDER_DEPTH = 1000


def build_collection(doc: Any, file: str = "<collection>") -> Collection:
    if not isinstance(doc, dict):
        raise InputError(file, f"a collection must be a JSON object, not {_kind(doc)}", "/")
    too_deep = f"folders are nested more than {MAX_FOLDER_DEPTH} levels deep"
    limit = sys.getrecursionlimit()
    try:
        if "info" not in doc and ("requests" in doc or "order" in doc):
            sys.setrecursionlimit(max(limit, 1000 + 3 * MAX_FOLDER_DEPTH))
            doc = convert_v1(doc)
        doc = accept_newman_shapes(doc)
        depth = _folder_depth(doc)
        if depth > MAX_FOLDER_DEPTH:
            raise InputError(file, too_deep, "/item")
        sys.setrecursionlimit(max(limit, 1000 + 25 * depth))
        return _build(doc, file)
    except RecursionError:
        raise InputError(file, too_deep, "/item") from None
    finally:
        sys.setrecursionlimit(limit)


def accept_newman_shapes(doc: dict[str, Any]) -> dict[str, Any]:
    """What Newman runs although the schema says otherwise: no top-level ``info`` (the collection is
    then nameless), and ``event`` given as one event object instead of a list. Returns a copy when
    something changes; the copy shares everything else with ``doc``."""
    if "info" not in doc and isinstance(doc.get("item"), list):
        doc = {**doc, "info": {"name": str(doc.get("name") or ""), "schema": V21_SCHEMA}}
    needs_copy = False
    stack = [doc]
    while stack and not needs_copy:
        node = stack.pop()
        needs_copy = isinstance(node.get("event"), dict)
        children = node.get("item") if isinstance(node.get("item"), list) else []
        stack += [c for c in children if isinstance(c, dict)]
    if not needs_copy:
        return doc

    def fix(node: dict[str, Any]) -> dict[str, Any]:
        out = dict(node)
        if isinstance(out.get("event"), dict):
            out["event"] = [out["event"]]
        if isinstance(out.get("item"), list):
            out["item"] = [fix(c) if isinstance(c, dict) else c for c in out["item"]]
        return out

    return fix(doc)


V21_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _folder_depth(doc: dict[str, Any]) -> int:
    """How deep ``item`` lists nest (0 for a collection without folders), without recursing."""
    deepest, stack = 0, [(doc.get("item"), 0)]
    while stack:
        items, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in items if isinstance(items, list) else []:
            if isinstance(child, dict) and isinstance(child.get("item"), list):
                stack.append((child["item"], depth + 1))
    return deepest


def _build(doc: dict[str, Any], file: str) -> Collection:
    problems = validate_collection(doc)
    if problems:
        raise InvalidCollection(file, [(p.pointer, p.message) for p in problems])
    v20 = "v2.0" in str(doc.get("info", {}).get("schema", ""))
    root = Collection(
        id=str(doc["info"].get("_postman_id") or stable_id(str(doc["info"].get("name")), "")),
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
    root.protocol_profile = inherit_profile({}, doc.get("protocolProfileBehavior"))
    root.variables = normalize_variables(doc.get("variable"))
    root.children = [_node(child, root, f"/item/{i}", v20) for i, child in enumerate(doc.get("item") or [])]
    return root


def stable_id(collection_name: str, pointer: str) -> str:
    """An id for a node the file gives none: the same in every process, so shards' results merge."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"postrun:{collection_name}:{pointer}"))


def _root_name(node: Node) -> str:
    while node.parent is not None:
        node = node.parent
    return node.name


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "null"
    )


def _node(raw: dict[str, Any], parent: Folder, pointer: str, v20: bool) -> Node:
    name = str(raw.get("name") if raw.get("name") is not None else "")
    node_id = str(raw.get("id") or raw.get("_postman_id") or stable_id(_root_name(parent), pointer))
    if "item" in raw:
        folder = Folder(id=node_id, name=name, pointer=pointer, parent=parent)
        folder.description = raw.get("description")
        folder.events = _events(raw.get("event"), name, pointer)
        folder.auth = normalize_auth(raw.get("auth"), v20)
        folder.protocol_profile = inherit_profile(parent.protocol_profile, raw.get("protocolProfileBehavior"))
        folder.children = [
            _node(child, folder, f"{pointer}/item/{i}", v20) for i, child in enumerate(raw.get("item") or [])
        ]
        return folder
    item = Item(id=node_id, name=name, pointer=pointer, parent=parent, raw=raw)
    item.events = _events(raw.get("event"), name, pointer)
    item.request = normalize_request(raw.get("request"), v20)
    item.auth = item.request.get("auth")
    item.description = item.request.get("description") or raw.get("description")
    item.responses = [r for r in raw.get("response") or [] if isinstance(r, dict)]
    item.protocol_profile = inherit_profile(parent.protocol_profile, raw.get("protocolProfileBehavior"))
    return item


def inherit_profile(parent: dict[str, Any], own: Any) -> dict[str, Any]:
    """protocolProfileBehavior as postman-collection resolves it: the collection's, then each folder's,
    then the item's keys win; object values (``disabledSystemHeaders``) merge key by key."""
    if not isinstance(own, dict) or not own:
        return parent
    merged = dict(parent)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


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
        # A NUL character cannot pass into the script engine; as the escape \u0000 it means the same in a
        # string, template or regex literal, and outside them it is the syntax error a raw NUL is in V8.
        source = source.replace("\0", "\\u0000")
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
    """Headers as a list of {key, value, disabled}; v1 and some exports use a ``K: v`` string.

    In the string form (as Postman parses it) a line is ``key: value``, a line starting with ``//`` is a
    disabled header, a CRLF followed by a space or tab continues the previous line (obsolete header
    folding), and a line without a colon is ignored.
    """
    if not headers:
        return []
    if isinstance(headers, str):
        out = []
        for line in re.sub(r"\r\n([ \t])", r"\1", headers).splitlines():
            disabled = line.lstrip().startswith("//")
            key, colon, value = line.lstrip().removeprefix("//").partition(":")
            if not colon or not key.strip():
                continue
            out.append({"key": key.strip(), "value": value.strip(), "disabled": disabled})
        return out
    return [h for h in headers if isinstance(h, dict)] if isinstance(headers, list) else []


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
        key = var.get("key")
        if key is None or key == "":
            key = var.get("id")
        if key is None:
            continue
        entry = dict(var)
        entry["key"] = str(key)
        out.append(entry)
    return out


# v1 auth helpers: the v2 type, and the helper attributes whose names changed (v1 name -> v2 name).
_V1_AUTH_TYPES = {
    "apikeyAuth": "apikey",
    "basicAuth": "basic",
    "bearerAuth": "bearer",
    "digestAuth": "digest",
    "hawkAuth": "hawk",
    "oAuth1": "oauth1",
    "oAuth2": "oauth2",
    "ntlmAuth": "ntlm",
    "awsSigV4": "awsv4",
}
_V1_AUTH_RENAMES = {
    "basicAuth": {"saveToRequest": "saveHelperData"},
    "oAuth1": {"header": "addParamsToHeader", "auto": "autoAddParam", "includeEmpty": "addEmptyParamsToSign"},
    "hawkAuth": {
        "hawk_id": "authId",
        "hawk_key": "authKey",
        "ext": "extraData",
        "app": "appId",
        "dlg": "delegation",
        "saveToRequest": "saveHelperData",
    },
}
_V1_BODY_MODES = {
    "binary": "file",
    "graphql": "graphql",
    "params": "formdata",
    "raw": "raw",
    "urlencoded": "urlencoded",
}


def convert_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Convert the v1 format (requests + order + folders) to v2.1, as postman-collection-transformer does.

    Newman converts v1 files with that transformer before running them; the rules followed here are
    its rules: folder nesting from ``folders_order``, scripts from ``tests``/``preRequestScript`` (or
    ``events``), auth from ``auth`` or the legacy ``currentHelper``, bodies from ``dataMode``, path
    variables from ``pathVariables``/``pathVariableData``, and saved responses.
    """
    requests = {r.get("id"): r for r in _ids(doc.get("requests"), dict) if _hashable(r.get("id"))}
    folders = {f.get("id"): f for f in _ids(doc.get("folders"), dict) if _hashable(f.get("id"))}

    def request_item(req: dict[str, Any]) -> dict[str, Any]:
        item: dict[str, Any] = {"id": req.get("id"), "name": req.get("name") or ""}
        item["request"] = _v1_request(req)
        events = _v1_events(req)
        if events:
            item["event"] = events
        responses = [r for r in req.get("responses") or [] if isinstance(r, dict)]
        order = [r for r in _ids(req.get("responses_order")) if r in {x.get("id") for x in responses}]
        if order:
            by_id = {r.get("id"): r for r in responses}
            responses = [by_id[r] for r in order]
        if responses:
            item["response"] = [_v1_response(r, requests) for r in responses]
        if isinstance(req.get("protocolProfileBehavior"), dict) and req["protocolProfileBehavior"]:
            item["protocolProfileBehavior"] = req["protocolProfileBehavior"]
        return item

    def folder_item(folder: dict[str, Any], seen: frozenset[Any]) -> dict[str, Any]:
        seen = seen | {folder.get("id")}
        children = [
            folder_item(folders[f], seen) for f in _ids(folder.get("folders_order")) if f in folders and f not in seen
        ]
        children += [request_item(requests[r]) for r in _ids(folder.get("order")) if r in requests]
        out: dict[str, Any] = {"id": folder.get("id"), "name": folder.get("name"), "item": children}
        if folder.get("description"):
            out["description"] = folder["description"]
        auth = _v1_auth(folder)
        if auth is not None:
            out["auth"] = auth
        events = _v1_events(folder)
        if events:
            out["event"] = events
        return out

    nested = {f for folder in folders.values() for f in _ids(folder.get("folders_order"))}
    top_ids = _ids(doc.get("folders_order")) or list(folders)
    top_folders = [f for f in dict.fromkeys(top_ids) if f in folders and f not in nested]
    items = [folder_item(folders[f], frozenset()) for f in top_folders]
    items += [request_item(requests[r]) for r in _ids(doc.get("order")) if r in requests]
    info: dict[str, Any] = {
        "_postman_id": doc.get("id"),
        "name": doc.get("name"),
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    }
    if doc.get("description"):
        info["description"] = doc["description"]
    out: dict[str, Any] = {"info": info, "item": items}
    auth = _v1_auth(doc)
    if auth and auth.get("type") != "noauth":
        out["auth"] = auth
    events = _v1_events(doc)
    if events:
        out["event"] = events
    variables = [
        {
            "key": v.get("key") or v.get("id"),
            "value": v.get("value"),
            **({"type": "string" if v["type"] == "text" else v["type"]} if v.get("type") else {}),
            **({"disabled": True} if v.get("disabled") else {}),
        }
        for v in doc.get("variables") or doc.get("variable") or []
        if isinstance(v, dict)
    ]
    if variables:
        out["variable"] = variables
    return out


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _ids(value: Any, kind: type | None = None) -> list[Any]:
    """A v1 list (``order``, ``folders_order``, ...) as a list of usable entries; a wrong type is no list.

    Newman's converter skips what it cannot use in these lists; so do we.
    """
    if not isinstance(value, list):
        return []
    if kind is not None:
        return [v for v in value if isinstance(v, kind)]
    return [v for v in value if isinstance(v, (str, int))]


def _v1_events(entity: dict[str, Any]) -> list[dict[str, Any]]:
    """``events`` when the entity has no legacy ``tests``/``preRequestScript``, else those two as events."""
    if not (entity.get("tests") or entity.get("preRequestScript")):
        events = []
        for event in entity.get("events") or []:
            if not isinstance(event, dict):
                continue
            event = {**event, "listen": event.get("listen") or "test"}
            script = event.get("script")
            if isinstance(script, dict) and isinstance(script.get("exec"), str):
                event["script"] = {**script, "exec": script["exec"].split("\n")}
            events.append(event)
        return events
    events = []
    for listen, key in (("test", "tests"), ("prerequest", "preRequestScript")):
        source = entity.get(key)
        if source:
            lines = source.split("\n") if isinstance(source, str) else source
            events.append({"listen": listen, "script": {"type": "text/javascript", "exec": lines}})
    return events


def _v1_auth(entity: dict[str, Any]) -> dict[str, Any] | None:
    """A v1 entity's auth: its v2-style ``auth`` object, or the legacy ``currentHelper`` + attributes."""
    if "auth" in entity and not ("currentHelper" in entity or entity.get("helperAttributes")):
        auth = entity["auth"]
        return auth if isinstance(auth, dict) and auth.get("type") else None
    helper = entity.get("currentHelper")
    if not helper or not isinstance(helper, str) or helper == "normal":
        return None
    kind = _V1_AUTH_TYPES.get(helper, helper)
    attrs = entity.get("helperAttributes")
    if isinstance(attrs, str):
        try:
            attrs = json.loads(attrs)
        except ValueError:
            return None
    auth: dict[str, Any] = {"type": kind}
    if isinstance(attrs, dict):
        renames = _V1_AUTH_RENAMES.get(helper, {})
        auth[kind] = [{"key": renames.get(k, k), "value": v} for k, v in attrs.items() if k != "id"]
    return auth


def _v1_form_fields(data: Any) -> list[dict[str, Any]]:
    """formdata/urlencoded fields: ``enabled: false`` becomes ``disabled``; a file's value is its src."""
    fields = []
    for param in data if isinstance(data, list) else []:
        if not isinstance(param, dict) or param.get("key") is None:
            continue
        param = dict(param)
        if param.get("type") == "file" and not param.get("src") and param.get("value"):
            param["src"] = param.pop("value") if isinstance(param["value"], (str, list)) else None
        if "enabled" in param:
            if param.pop("enabled") is False:
                param["disabled"] = True
        fields.append(param)
    return fields


def _v1_body(req: dict[str, Any]) -> dict[str, Any] | None:
    mode = _V1_BODY_MODES.get(req["dataMode"] if isinstance(req.get("dataMode"), str) else "")
    raw_data = req.get("rawModeData")
    empty = not req.get("data") and not raw_data and not req.get("graphqlModeData")
    if (not mode and empty) or ("dataMode" in req and req["dataMode"] is None):
        return None
    if isinstance(raw_data, list) and len(raw_data) == 1 and isinstance(raw_data[0], str):
        raw_data = raw_data[0]
    raw_text = raw_data if isinstance(raw_data, str) else None
    graphql = req.get("graphqlModeData") or None
    options = req.get("dataOptions") if isinstance(req.get("dataOptions"), dict) else {}
    if not graphql and "graphql" in options and req.get("data"):
        graphql = req["data"]
    if not mode:
        if not raw_text and isinstance(req.get("data") or raw_data, list):
            mode = "formdata"
        elif not raw_text and graphql:
            mode = "graphql"
        else:
            mode = "raw"
    body: dict[str, Any] = {"mode": mode}
    if mode == "raw":
        body["raw"] = raw_text or (req["data"] if isinstance(req.get("data"), str) else "")
    elif mode == "graphql":
        body["graphql"] = graphql
    elif mode == "file":
        body["file"] = {"src": raw_text} if raw_text is not None else {}
    else:
        body[mode] = _v1_form_fields(req.get("data") or raw_data)
    body_options = {_V1_BODY_MODES[k]: v for k, v in options.items() if k in _V1_BODY_MODES and v}
    if body_options:
        body["options"] = body_options
    if req.get("dataDisabled"):
        body["disabled"] = True
    return body


def _v1_url(req: dict[str, Any]) -> Any:
    """The url, with explicit ``queryParams`` and path variables (``pathVariableData``, ``pathVariables``)."""
    raw = req.get("url")
    url = as_url_object(raw if isinstance(raw, str) else "" if raw is None else str(raw))
    query = []
    for param in req.get("queryParams") or []:
        if not isinstance(param, dict):
            continue
        param = dict(param)
        if param.pop("enabled", True) is False:
            param["disabled"] = True
        if "equals" in param:
            if param.pop("equals"):
                param["value"] = "" if param.get("value") is None else param["value"]
            else:
                param["value"] = param.get("value") or None
        query.append(param)
    if query:
        url["query"] = query
    variables = [dict(v) for v in req.get("pathVariableData") or [] if isinstance(v, dict)]
    seen = {v.get("key") for v in variables}
    if isinstance(req.get("pathVariables"), dict):
        variables += [{"key": k, "value": v} for k, v in req["pathVariables"].items() if k not in seen]
    if variables:
        url["variable"] = variables
    return url


def _v1_headers(req: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(req.get("headers"), list):
        return normalize_headers(req["headers"])
    headers = []
    for header in req.get("headerData") or []:
        if not isinstance(header, dict):
            continue
        header = dict(header)
        key = str(header.get("key") or "")
        if key.startswith("//") or header.get("enabled") is False:
            header["disabled"] = True
            header["key"] = key.replace("//", "", 1).strip()
        header.pop("enabled", None)
        headers.append(header)
    known = {h.get("key") for h in headers}
    headers += [h for h in normalize_headers(req.get("headers") or "") if h["key"] not in known]
    return headers


def _v1_request(req: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": req.get("method") or "GET",
        "header": _v1_headers(req),
        "url": _v1_url(req),
    }
    body = _v1_body(req)
    if body is not None:
        request["body"] = body
    auth = _v1_auth(req)
    if auth is not None:
        request["auth"] = auth
    if req.get("description"):
        request["description"] = req["description"]
    return request


def _v1_response(response: dict[str, Any], requests: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """A saved v1 response as a v2 example; its request is embedded, JSON text, or the id of a request."""
    original: Any = None
    for key in ("requestObject", "request"):
        saved = response.get(key)
        if isinstance(saved, dict):
            original = saved
            break
        if isinstance(saved, str):
            try:
                original = json.loads(saved)
            except ValueError:
                original = requests.get(saved)
            break
    code = response.get("responseCode") if isinstance(response.get("responseCode"), dict) else {}
    out: dict[str, Any] = {"name": response.get("name") or "response"}
    if isinstance(original, dict):
        out["originalRequest"] = _v1_request(original)
    if code.get("name"):
        out["status"] = code["name"]
    try:
        if code.get("code"):
            out["code"] = int(code["code"])
    except (TypeError, ValueError):
        pass
    if isinstance(response.get("headers"), list):
        out["header"] = response["headers"]
    if response.get("time") is not None:
        out["responseTime"] = response["time"]
    if isinstance(response.get("text"), str):
        out["body"] = response["text"]
    return out
