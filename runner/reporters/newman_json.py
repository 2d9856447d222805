"""Newman's JSON shapes for the json report: Url objects, items with request/response/event, full
cursors, errors with stack/index/checksum/id/timestamp, request errors with code/errno/syscall.

Tools built on Newman's report read these key paths; postrun's own additions (tenant, scripts,
console, warnings) stay beside them. Measured against Newman 6.2's report key path by key path
(tests/test_ci_newman.py).
"""

from __future__ import annotations

import errno as errno_codes
import hashlib
import re
import uuid
from typing import Any

from runner.collection import Collection, Folder, Item, stable_id
from runner.url import as_url_object, parse_url

SCRIPT_TYPE = "text/javascript"


def url_object(url: Any) -> dict[str, Any]:
    """A url as Newman's Url JSON: protocol, port, path[], host[] (split at dots), query[], variable[]."""
    parts = as_url_object(url) if not isinstance(url, str) else parse_url(url)
    out: dict[str, Any] = {}
    if parts.get("protocol"):
        out["protocol"] = str(parts["protocol"]).removesuffix("://")
    if parts.get("auth"):
        out["auth"] = parts["auth"]
    if parts.get("port") not in (None, ""):
        out["port"] = str(parts["port"])
    out["path"] = [str(p) if not isinstance(p, dict) else p for p in parts.get("path") or []]
    host = parts.get("host") or []
    if isinstance(host, str):
        host = [host]
    joined = ".".join(str(h) for h in host)
    out["host"] = joined.split(".") if joined and not joined.startswith("[") else ([joined] if joined else [])
    out["query"] = [
        {k: v for k, v in q.items() if k in ("key", "value", "disabled", "description")}
        for q in parts.get("query") or []
        if isinstance(q, dict)
    ]
    out["variable"] = [v for v in parts.get("variable") or [] if isinstance(v, dict)]
    if parts.get("hash"):
        out["hash"] = parts["hash"]
    return out


def _events(events: Any, collection_name: str, pointer: str) -> list[dict[str, Any]]:
    out = []
    for i, event in enumerate(events or []):
        if not isinstance(event, dict):
            continue
        script = event.get("script") if isinstance(event.get("script"), dict) else {}
        exec_ = script.get("exec", [])
        lines = exec_ if isinstance(exec_, list) else str(exec_).split("\n")
        entry = {k: v for k, v in event.items() if k != "script"}
        entry["listen"] = str(event.get("listen") or "")
        entry["script"] = {
            **{k: v for k, v in script.items() if k not in ("exec",)},
            "id": str(script.get("id") or stable_id(collection_name, f"{pointer}/event/{i}")),
            "type": str(script.get("type") or SCRIPT_TYPE),
            "exec": [str(line) for line in lines],
        }
        entry["script"].setdefault("_lastExecutionId", str(uuid.uuid5(uuid.NAMESPACE_OID, entry["script"]["id"])))
        out.append(entry)
    return out


def item_json(item: Item, collection_name: str) -> dict[str, Any]:
    """An item as Newman writes it: id, name, request (url as an object), response[], event[]."""
    request = {k: v for k, v in item.request.items() if v is not None}
    request["url"] = url_object(item.request.get("url"))
    if not request.get("header"):
        request.pop("header", None)
    request["method"] = item.request.get("method") or "GET"
    return {
        "id": item.id,
        "name": item.name,
        "request": request,
        "response": list(item.responses),
        "event": _events(item.raw.get("event"), collection_name, item.pointer),
    }


def _node_json(node: Any, collection_name: str) -> dict[str, Any]:
    if isinstance(node, Item):
        return item_json(node, collection_name)
    out: dict[str, Any] = {"id": node.id, "name": node.name}
    if node.description is not None:
        out["description"] = node.description
    out["item"] = [_node_json(child, collection_name) for child in node.children]
    out["event"] = _events(_raw_events(node), collection_name, node.pointer)
    return out


def _raw_events(folder: Folder) -> Any:
    root: Any = folder
    while root.parent is not None:
        root = root.parent
    doc: Any = getattr(root, "doc", {})
    for part in [p for p in folder.pointer.split("/") if p]:
        doc = doc[int(part)] if isinstance(doc, list) else doc.get(part, {})
    return doc.get("event") if isinstance(doc, dict) else None


def collection_json(collection: Collection, variables: list[dict[str, Any]]) -> dict[str, Any]:
    """The collection as Newman's report holds it: ``_``, item tree, event, variable, info."""
    info = {"_postman_id": collection.id, "name": collection.name}
    schema = (collection.doc.get("info") or {}).get("schema")
    if schema:
        info["schema"] = schema
    return {
        "_": {"postman_id": collection.id},
        "item": [_node_json(child, collection.name) for child in collection.children],
        "event": _events(collection.doc.get("event"), collection.name, ""),
        "variable": variables,
        "info": info,
    }


def parent_json(item: Item, collection_variables: list[dict[str, Any]]) -> dict[str, Any]:
    """A failure's ``parent``: the item's folder, or the collection for an item at the top."""
    parent = item.parent
    if isinstance(parent, Collection):
        return collection_json(parent, collection_variables)
    if parent is None:
        return {}
    root: Any = parent
    while root.parent is not None:
        root = root.parent
    return _node_json(parent, root.name)


def cursor_json(position: int, length: int, cycles: int, iteration: int, ref: str) -> dict[str, Any]:
    """Newman's cursor: where the execution is in the run."""
    return {
        "position": position,
        "iteration": iteration,
        "length": length,
        "cycles": cycles,
        "empty": length == 0,
        "eof": position >= length - 1 and iteration >= cycles - 1,
        "bof": position == 0 and iteration == 0,
        "cr": False,
        "ref": ref,
        "httpRequestId": str(uuid.uuid5(uuid.NAMESPACE_OID, ref)),
    }


_CONNECT = re.compile(r"^(?P<syscall>connect) (?P<code>E[A-Z]+) (?P<address>.+):(?P<port>\d+)$")
_LOOKUP = re.compile(r"^(?P<syscall>getaddrinfo) (?P<code>E[A-Z]+) (?P<hostname>\S+)$")
_CODE = re.compile(r"^(?P<code>E[A-Z]+)\b")
_UV_ERRNO = {"ENOTFOUND": -3008, "EAI_AGAIN": -3001, "ESOCKETTIMEDOUT": None}


def request_error_json(message: str) -> dict[str, Any]:
    """A request error with Node's fields (code, errno, syscall, address, port) where they apply."""
    out: dict[str, Any] = {"name": "Error", "message": message, "stack": f"Error: {message}\n    at Executor.send"}
    out["stacktrace"] = [
        {
            "fileName": "runner/executor.py",
            "lineNumber": 0,
            "functionName": "Executor.send",
            "typeName": "Executor",
            "methodName": "send",
            "columnNumber": 0,
            "native": False,
        }
    ]
    match = _CONNECT.match(message) or _LOOKUP.match(message) or _CODE.match(message)
    if match is None:
        return out
    fields = match.groupdict()
    code = fields["code"]
    number = _UV_ERRNO[code] if code in _UV_ERRNO else getattr(errno_codes, code, None)
    if number is not None:
        out["errno"] = -abs(number)
    out["code"] = code
    for key in ("syscall", "address", "hostname"):
        if fields.get(key):
            out[key] = fields[key]
    if fields.get("port"):
        out["port"] = int(fields["port"])
    return out


def checksum(source: str) -> str:
    """A script's checksum as Newman reports it: the MD5 of its text."""
    return hashlib.md5(source.encode("utf-8"), usedforsecurity=False).hexdigest()
