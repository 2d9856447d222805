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
from urllib.parse import parse_qsl

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
    variables = [v for v in parts.get("variable") or [] if isinstance(v, dict)]
    out["variable"] = [{**v, "type": v.get("type") or "any"} for v in variables]
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


def description_json(text: Any) -> Any:
    """A description as Newman writes it: ``{content, type}``."""
    return {"content": text, "type": "text/plain"} if isinstance(text, str) else text


def auth_json(auth: Any) -> dict[str, Any] | None:
    """Auth as Newman writes it: parameters as ``{key, value, type}`` entries."""
    if not isinstance(auth, dict) or not auth.get("type"):
        return None
    kind = auth["type"]
    params = [
        {"key": p.get("key"), "value": p.get("value"), "type": p.get("type") or "string"}
        for p in auth.get(kind) or []
        if isinstance(p, dict)
    ]
    return {"type": kind, kind: params}


def headers_json(headers: Any) -> list[dict[str, Any]]:
    """Headers as Newman writes them: descriptions as ``{content, type}``."""
    out = []
    for header in headers or []:
        if isinstance(header, dict):
            header = dict(header)
            if header.get("description") is not None:
                header["description"] = description_json(header["description"])
            out.append(header)
    return out


def request_json(request: dict[str, Any]) -> dict[str, Any]:
    """A request definition as Newman writes it: the url as a Url object, auth entries typed."""
    out = {k: v for k, v in request.items() if v is not None}
    out["url"] = url_object(request.get("url"))
    out["header"] = headers_json(out.get("header"))
    if not out["header"]:
        out.pop("header", None)
    if "auth" in out:
        out["auth"] = auth_json(out["auth"])
        if out["auth"] is None:
            del out["auth"]
    if "description" in out:
        out["description"] = description_json(out["description"])
    out["method"] = request.get("method") or "GET"
    return out


def response_json(saved: dict[str, Any], item_id: str, index: int) -> dict[str, Any]:
    """A saved example response as Newman writes it: id, originalRequest (url an object), cookie[]."""
    out = dict(saved)
    out["id"] = str(saved.get("id") or stable_id(item_id, f"/response/{index}"))
    original = saved.get("originalRequest")
    if isinstance(original, (dict, str)):
        original = {"url": original, "method": "GET"} if isinstance(original, str) else original
        out["originalRequest"] = request_json(original)
    out["header"] = headers_json(saved.get("header"))
    out.setdefault("cookie", [])
    return out


def item_json(item: Item, collection_name: str) -> dict[str, Any]:
    """An item as Newman writes it: id, name, request (url as an object), response[], event[]."""
    out = {"id": item.id, "name": item.name}
    if item.raw.get("description") is not None:
        out["description"] = description_json(item.raw["description"])
    out["request"] = request_json(item.request)
    out["response"] = [response_json(r, item.id, i) for i, r in enumerate(item.responses)]
    out["event"] = _events(item.raw.get("event"), collection_name, item.pointer)
    return out


def _node_json(node: Any, collection_name: str) -> dict[str, Any]:
    if isinstance(node, Item):
        return item_json(node, collection_name)
    out: dict[str, Any] = {"id": node.id, "name": node.name}
    raw = _raw_node(node)
    if raw.get("_postman_id"):
        out["_"] = {"postman_id": str(raw["_postman_id"])}
    if node.description is not None:
        out["description"] = description_json(node.description)
    out["item"] = [_node_json(child, collection_name) for child in node.children]
    out["event"] = _events(raw.get("event"), collection_name, node.pointer)
    return out


def _raw_node(folder: Folder) -> dict[str, Any]:
    """A folder as the file has it (found by its JSON pointer in the collection document)."""
    root: Any = folder
    while root.parent is not None:
        root = root.parent
    doc: Any = getattr(root, "doc", {})
    for part in [p for p in folder.pointer.split("/") if p]:
        doc = doc[int(part)] if isinstance(doc, list) and part.isdigit() and int(part) < len(doc) else (
            doc.get(part, {}) if isinstance(doc, dict) else {}
        )
    return doc if isinstance(doc, dict) else {}


def collection_json(collection: Collection, variables: list[dict[str, Any]]) -> dict[str, Any]:
    """The collection as Newman's report holds it: ``_``, item tree, event, variable, info."""
    info: dict[str, Any] = {"_postman_id": collection.id, "name": collection.name}
    given = collection.doc.get("info") or {}
    if given.get("description") is not None:
        info["description"] = description_json(given["description"])
    if given.get("schema"):
        info["schema"] = given["schema"]
    out: dict[str, Any] = {
        "_": {"postman_id": collection.id},
        "item": [_node_json(child, collection.name) for child in collection.children],
        "event": _events(collection.doc.get("event"), collection.name, ""),
        "variable": variables,
    }
    auth = auth_json(collection.auth)
    if auth is not None:
        out["auth"] = auth
    out["info"] = info
    return out


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


def cursor_json(
    position: int, length: int, cycles: int, iteration: int, ref: str, shape: str = "full"
) -> dict[str, Any]:
    """Newman's cursor: where the execution is in the run, in the shape postman-runtime hands it.

    ``full`` is the run cursor's whole state (the run's first execution, and one a setNextRequest
    sent back to the first item); otherwise it is the step the cursor predicted (its ``whatnext``):
    ref, length, cycles, position, iteration, with ``cr: true`` (``shape == "cr"``) at an
    iteration's first execution past the run's first.
    """
    request_id = str(uuid.uuid5(uuid.NAMESPACE_OID, ref))
    if shape != "full":
        step: dict[str, Any] = {"ref": ref, "length": length, "cycles": cycles, "position": position}
        step["iteration"] = iteration
        if shape == "cr":
            step["cr"] = True
        step["httpRequestId"] = request_id
        return step
    return {
        "position": position,
        "iteration": iteration,
        "length": length,
        "cycles": cycles,
        "empty": length == 0,
        "eof": length == 0,  # past the last item only, which no execution is
        "bof": length == 0 or (position == 0 and iteration == 0),
        "cr": length == 0,
        "ref": ref,
        "httpRequestId": request_id,
    }


_CONNECT = re.compile(r"^(?P<syscall>connect) (?P<code>E[A-Z]+) (?P<address>.+):(?P<port>\d+)$")
_LOOKUP = re.compile(r"^(?P<syscall>getaddrinfo) (?P<code>E[A-Z]+) (?P<hostname>\S+)$")
_CODE = re.compile(r"^(?P<code>E[A-Z]+)\b")
_UV_ERRNO = {"ENOTFOUND": -3008, "EAI_AGAIN": -3001, "ESOCKETTIMEDOUT": None}


def _frame(file: str, type_name: str, method: str) -> dict[str, Any]:
    """One stack frame in Newman's shape; postrun knows where, not the line (0)."""
    return {
        "fileName": file,
        "lineNumber": 0,
        "functionName": f"{type_name}.{method}",
        "typeName": type_name,
        "methodName": method,
        "columnNumber": 0,
        "native": False,
    }


def script_frame(item_name: str, kind: str) -> dict[str, Any]:
    """The frame of a failure in a script: the script (by its item) and what failed in it."""
    return _frame(f"{kind} of {item_name}", "Object", "eval")


def request_error_json(message: str) -> dict[str, Any]:
    """A request error with Node's fields (code, errno, syscall, address, port) where they apply."""
    out: dict[str, Any] = {"name": "Error", "message": message, "stack": f"Error: {message}\n    at Executor.send"}
    out["stacktrace"] = [_frame("runner/executor.py", "Executor", "send")]
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


def sent_body(body: Any, text: str | None) -> dict[str, Any] | None:
    """The request body as Newman reports it: its mode and content (raw text and urlencoded fields
    as sent, with variables resolved; form-data fields as written)."""
    if not isinstance(body, dict) or not body.get("mode"):
        return {"mode": "raw", "raw": text} if text is not None else None
    mode = body["mode"]
    out: dict[str, Any] = {"mode": mode}
    if mode == "urlencoded" and text is not None:
        out["urlencoded"] = [{"key": k, "value": v} for k, v in parse_qsl(text, keep_blank_values=True)]
    elif mode in ("formdata", "urlencoded"):
        fields = [f for f in body.get(mode) or [] if isinstance(f, dict) and not f.get("disabled")]
        out[mode] = [{k: v for k, v in f.items() if k in ("key", "value", "type", "src")} for f in fields]
        if mode == "formdata":
            for f in out[mode]:
                f.setdefault("type", "text")
    elif mode in ("raw", "graphql"):
        if text is None:
            return None
        out = {"mode": "raw", "raw": text} if mode == "raw" else {"mode": mode, "graphql": body.get("graphql")}
    else:
        out |= {k: v for k, v in body.items() if k == mode}
    return out


def checksum(source: str) -> str:
    """A script's checksum as Newman reports it: the MD5 of its text."""
    return hashlib.md5(source.encode("utf-8"), usedforsecurity=False).hexdigest()
