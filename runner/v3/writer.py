"""Write a v2.1 collection document as a v3 collection folder, as ``postman collection migrate`` lays it out.

Files are named after items, with ``/ \\ : * ? " < > |`` replaced by ``-`` (the real name goes in
``name:`` when it differs), unique per folder regardless of case (``Login``, ``Login 1``, ...);
``order`` is 1000, 2000, ... in collection order. Whatever v3 cannot hold is left out with a warning
naming the item: item-level variables, disabled scripts, disabled bodies, v2.1's body pruning of
GET-like requests (v3 always sends a body), and what a v3 GraphQL request has no place for (a method
other than POST, disabled query params, path variables, settings).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from runner.collection import normalize_auth, normalize_headers
from runner.request import BODYLESS_METHODS
from runner.url import as_url_object, join_url, parse_url
from runner.v3.reader import RESOURCES

_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]+')
_RAW_TYPES = ("json", "xml", "html", "javascript")
_PREVIEW = ("json", "xml", "html", "text", "javascript")

_MAX_STEM = 120


def safe_name(name: str, fallback: str) -> str:
    """A file name for an item: unsafe characters as ``-``, no leading dot, not empty, not too long."""
    stem = _UNSAFE.sub("-", name).strip()
    stem = re.sub(r"^\.+", "-", stem)[:_MAX_STEM].rstrip() or fallback
    return stem


class _Names:
    """File stems taken in one folder, compared without case (as Postman's rules require)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str, fallback: str) -> str:
        stem = safe_name(name, fallback)
        candidate, n = stem, 0
        while candidate.lower() in self.taken or candidate.lower() == RESOURCES:
            n += 1
            candidate = f"{stem} {n}"
        self.taken.add(candidate.lower())
        return candidate


def _text(description: Any) -> str | None:
    if isinstance(description, dict):
        description = description.get("content")
    if description is None or description == "":
        return None
    return str(description)


def _plain(entry: dict[str, Any]) -> bool:
    return (
        not entry.get("disabled")
        and not _text(entry.get("description"))
        and isinstance(entry.get("key"), str)
        and not isinstance(entry.get("value"), (dict, list))
    )


def pairs(entries: Any, keep: tuple[str, ...] = ()) -> Any:
    """v2.1 key/value entries as v3 writes them: a map when every entry is a plain enabled pair, else a list."""
    entries = [e for e in entries or [] if isinstance(e, dict) and e.get("key") is not None]
    keys = [e.get("key") for e in entries]
    if all(_plain(e) and not any(e.get(k) for k in keep) for e in entries) and len(set(keys)) == len(keys):
        return {e["key"]: e.get("value") for e in entries}
    out = []
    for e in entries:
        entry: dict[str, Any] = {"key": str(e["key"]), "value": e.get("value")}
        for k in keep:
            if e.get(k) is not None:
                entry[k] = e[k]
        if e.get("disabled"):
            entry["disabled"] = True
        if _text(e.get("description")):
            entry["description"] = _text(e.get("description"))
        out.append(entry)
    return out


def _value(entry: dict[str, Any]) -> Any:
    """A missing value as "" where v3 wants a string (a path variable or header without one is empty)."""
    value = entry.get("value")
    return "" if value is None else value


def _no_nulls(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "value": _value(e)} for e in entries]


def _sends_something(body: dict[str, Any]) -> bool:
    """Whether a body, if not pruned, puts bytes on the wire (an empty or all-disabled one does not)."""
    mode = body.get("mode")
    content = body.get(mode) if isinstance(mode, str) else None
    if body.get("disabled") or not content:
        return False
    if mode in ("urlencoded", "formdata"):
        return any(isinstance(f, dict) and not f.get("disabled") for f in content)
    if mode == "file":
        return isinstance(content, dict) and bool(content.get("src") or content.get("content"))
    return True


def _segments(values: Any) -> list[str]:
    return [str(v.get("value") if isinstance(v, dict) else v) for v in values or []]


def _enabled_query(url: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [
        (q.get("key"), q.get("value")) for q in url.get("query") or [] if isinstance(q, dict) and not q.get("disabled")
    ]


def url_text(url: Any, with_query: bool = False) -> str:
    """The whole URL as one string: ``raw`` when it says what the parts say, else the parts joined.

    ``with_query``: the query must agree too (a GraphQL request has no queryParams to carry it).
    """
    if url is None:
        return ""
    if isinstance(url, str):
        return url
    if not isinstance(url, dict):
        return str(url)
    raw = url.get("raw")
    parts = as_url_object(url)
    if isinstance(raw, str):
        parsed = parse_url(raw)
        same = all(_segments(parsed.get(k)) == _segments(parts.get(k)) for k in ("host", "path")) and all(
            str(parsed.get(k) or "") == str(parts.get(k) or "") for k in ("protocol", "port")
        )
        if same and (not with_query or "query" not in url or _enabled_query(parsed) == _enabled_query(parts)):
            return raw
    text = join_url({**parts, "variable": [], "query": [q for q in parts.get("query") or [] if not q.get("disabled")]})
    if parts.get("hash"):
        text += f"#{parts['hash']}"
    return text


@dataclass
class V3Writer:
    """Builds the files of a v3 folder (relative path -> YAML document) and the warnings."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    collection_id: str = ""

    def collection(self, doc: dict[str, Any]) -> None:
        info = doc.get("info") or {}
        self.collection_id = str(info.get("_postman_id") or info.get("name") or "")
        v20 = "v2.0" in str(info.get("schema", ""))
        definition: dict[str, Any] = {"$kind": "collection"}
        if info.get("_postman_id"):
            definition["id"] = str(info["_postman_id"])
        definition["name"] = str(info.get("name") or "collection")
        if _text(info.get("description")):
            definition["description"] = _text(info.get("description"))
        self._scope(doc, definition, "collection", "", v20)
        if doc.get("protocolProfileBehavior"):
            definition["settings"] = self._settings(doc["protocolProfileBehavior"], "the collection")
        self.files[f"{RESOURCES}/definition.yaml"] = definition
        self._items(doc.get("item") or [], "", "", v20)

    def _scope(self, raw: dict[str, Any], out: dict[str, Any], owner: str, pointer: str, v20: bool) -> None:
        if raw.get("variable"):
            out["variables"] = pairs(
                [
                    {**v, "key": v.get("key") if v.get("key") not in (None, "") else v.get("id")}
                    for v in raw["variable"]
                    if isinstance(v, dict)
                ],
                keep=("type",)
                if any(isinstance(v, dict) and v.get("type") == "secret" for v in raw["variable"])
                else (),
            )
        scripts = self._scripts(raw.get("event"), owner, prefix="http:")
        if scripts:
            out["scripts"] = scripts
        auth = normalize_auth(raw.get("auth"), v20)
        if auth is not None and auth["type"] != "inherit":
            entry: dict[str, Any] = {
                "id": ""
                if auth["type"] == "noauth"
                else str(uuid.uuid5(uuid.NAMESPACE_URL, f"postrun:{self.collection_id}:{pointer}/auth")),
                "type": auth["type"],
                "name": "No Auth" if auth["type"] == "noauth" else f"{auth['type']} auth",
            }
            if auth["type"] != "noauth":
                entry["credentials"] = pairs(auth[auth["type"]])
            out["auth"] = [entry]

    def _items(self, items: list[Any], folder: str, pointer: str, v20: bool) -> None:
        folders, requests = _Names(), _Names()
        for i, raw in enumerate(items):
            if not isinstance(raw, dict):
                continue
            name = str(raw.get("name") if raw.get("name") is not None else "")
            order = (i + 1) * 1000
            child_pointer = f"{pointer}/item/{i}"
            if "item" in raw:
                stem = folders.claim(name, "New Folder")
                path = f"{folder}{stem}/"
                definition: dict[str, Any] = {"$kind": "collection"}
                if raw.get("id"):
                    definition["id"] = str(raw["id"])
                if stem != name:
                    definition["name"] = name
                if _text(raw.get("description")):
                    definition["description"] = _text(raw.get("description"))
                self._scope(raw, definition, f"folder {name!r}", child_pointer, v20)
                if raw.get("protocolProfileBehavior"):
                    definition["settings"] = self._settings(raw["protocolProfileBehavior"], f"folder {name!r}")
                definition["order"] = order
                self.files[f"{path}{RESOURCES}/definition.yaml"] = definition
                self._items(raw.get("item") or [], path, child_pointer, v20)
            else:
                stem = requests.claim(name, "New Request")
                self._request(raw, name, stem, folder, order, v20)

    def _request(self, raw: dict[str, Any], name: str, stem: str, folder: str, order: int, v20: bool) -> None:
        request = raw.get("request")
        if isinstance(request, str):
            request = {"url": request, "method": "GET"}
        request = request if isinstance(request, dict) else {}
        label = f"item {name!r}"
        body = request.get("body") if isinstance(request.get("body"), dict) else None
        graphql = body is not None and body.get("mode") == "graphql" and not body.get("disabled")
        out: dict[str, Any] = {"$kind": "graphql-request" if graphql else "http-request"}
        if raw.get("id"):
            out["id"] = str(raw["id"])
        if stem != name:
            out["name"] = name
        description = _text(request.get("description")) or _text(raw.get("description"))
        if description:
            out["description"] = description
        method = str(request.get("method") or "GET")
        out.update(self._http(request, label, graphql))
        if graphql:
            if method.upper() != "POST":
                self.warnings.append(f"{label}: a v3 GraphQL request is always a POST; its method {method} is left out")
        elif body is not None and method.upper() in BODYLESS_METHODS and _sends_something(body):
            pruning = (raw.get("protocolProfileBehavior") or {}).get("disableBodyPruning")
            if not pruning:
                self.warnings.append(
                    f"{label}: v2.1 leaves the body of this {method.upper()} out, v3 sends it (no body pruning in v3)"
                )
        auth = request.get("auth")
        if isinstance(auth, dict) and auth.get("type") and auth.get("type") != "inherit":
            norm = normalize_auth(auth, v20)
            if norm is not None:
                out["auth"] = {"type": norm["type"]}
                if norm["type"] != "noauth":
                    out["auth"]["credentials"] = pairs(norm[norm["type"]])
        if raw.get("protocolProfileBehavior") and graphql:
            self.warnings.append(
                f"{label}: a v3 GraphQL request has no settings; its protocolProfileBehavior is left out"
            )
        elif raw.get("protocolProfileBehavior"):
            settings = self._settings(raw["protocolProfileBehavior"], label)
            if settings:
                out["settings"] = settings
        if raw.get("variable"):
            self.warnings.append(f"{label}: v3 requests have no variables of their own; its variables are left out")
        scripts = self._scripts(raw.get("event"), label, prefix="")
        if scripts:
            out["scripts"] = scripts
        examples = [r for r in raw.get("response") or [] if isinstance(r, dict)]
        if examples:
            where = f"{RESOURCES}/{stem}.resources/examples"
            out["examples"] = f"./{where}"
            names = _Names()
            for i, example in enumerate(examples):
                ex_name = str(example.get("name") or "")
                ex_stem = names.claim(ex_name, "New Example")
                self.files[f"{folder}{where}/{ex_stem}.example.yaml"] = self._example(
                    example, ex_name, ex_stem, (i + 1) * 1000, label
                )
        out["order"] = order
        self.files[f"{folder}{stem}.request.yaml"] = out

    def _http(self, request: dict[str, Any], label: str, graphql: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"url": url_text(request.get("url"), with_query=graphql)}
        if not graphql:
            out["method"] = str(request.get("method") or "GET")
        headers = normalize_headers(request.get("header"))
        url = request.get("url")
        body = request.get("body") if isinstance(request.get("body"), dict) else None
        if graphql:
            gql = (body or {}).get("graphql") or {}
            out["query"] = str(gql.get("query") or "")
            # A v3 GraphQL request without variables sends "variables": null (as v2.1's null does, which
            # migrate leaves out); "" or none at all send no variables, so they are written as "".
            variables = gql.get("variables", "")
            if variables is not None:
                out["variables"] = variables if isinstance(variables, str) else json.dumps(variables, indent=2)
        if headers:
            out["headers"] = pairs(_no_nulls(headers))
        if isinstance(url, dict) and graphql:
            # A v3 GraphQL request has its URL only (as migrate writes it): enabled query params are in it.
            if any(isinstance(q, dict) and q.get("disabled") for q in url.get("query") or []):
                self.warnings.append(f"{label}: a v3 GraphQL request has no disabled query params; they are left out")
            if url.get("variable"):
                self.warnings.append(f"{label}: a v3 GraphQL request has no path variables; they are left out")
        elif isinstance(url, dict):
            if url.get("query"):
                out["queryParams"] = pairs(url["query"])
            if url.get("variable"):
                out["pathVariables"] = pairs(
                    [
                        {**v, "key": v.get("key") if v.get("key") is not None else v.get("id"), "value": _value(v)}
                        for v in url["variable"]
                        if isinstance(v, dict)
                    ]
                )
        if body is not None and not graphql:
            written = self._body(body, label)
            if written is not None:
                out["body"] = written
        return out

    def _body(self, body: dict[str, Any], label: str) -> dict[str, Any] | None:
        mode = body.get("mode")
        if body.get("disabled"):
            self.warnings.append(f"{label}: v3 has no disabled bodies; its disabled {mode} body is left out")
            return None
        if mode == "raw":
            language = ((body.get("options") or {}).get("raw") or {}).get("language")
            content = body.get("raw")
            if content is not None and not isinstance(content, str):
                content = json.dumps(content)
            return {"type": language if language in _RAW_TYPES else "text", "content": content or ""}
        if mode == "urlencoded":
            fields = [f for f in body.get("urlencoded") or [] if isinstance(f, dict)]
            return {"type": "urlencoded", "content": pairs(_no_nulls(fields))}
        if mode == "formdata":
            parts = []
            for part in body.get("formdata") or []:
                if not isinstance(part, dict) or part.get("key") is None:
                    continue
                entry: dict[str, Any] = {"type": str(part.get("type") or "text"), "key": str(part["key"])}
                if entry["type"] == "file":
                    entry["src"] = "" if part.get("src") is None else part["src"]  # none: as migrate writes
                else:
                    entry["value"] = _value(part)
                if part.get("contentType"):
                    entry["contentType"] = part["contentType"]
                if part.get("disabled"):
                    entry["disabled"] = True
                if _text(part.get("description")):
                    entry["description"] = _text(part.get("description"))
                parts.append(entry)
            return {"type": "formdata", "content": parts}
        if mode == "file":
            src = (body.get("file") or {}).get("src") if isinstance(body.get("file"), dict) else None
            return {"type": "file", "content": {} if src is None else {"src": src}}
        if mode == "graphql":
            return None
        return None

    def _settings(self, behavior: Any, label: str) -> dict[str, Any]:
        settings = dict(behavior) if isinstance(behavior, dict) else {}
        if "disableBodyPruning" in settings:
            settings.pop("disableBodyPruning")
            self.warnings.append(f"{label}: v3 has no disableBodyPruning (a v3 request always sends its body)")
        disabled = settings.get("disabledSystemHeaders")
        if isinstance(disabled, dict):
            settings["disabledSystemHeaders"] = [k for k, v in disabled.items() if v]
        return settings

    def _scripts(self, events: Any, label: str, prefix: str) -> list[dict[str, Any]]:
        scripts = []
        for event in events or []:
            if not isinstance(event, dict):
                continue
            listen = event.get("listen")
            hook = {"prerequest": "beforeRequest", "test": "afterResponse"}.get(str(listen))
            if hook is None:
                self.warnings.append(f"{label}: a {listen!r} script has no v3 equivalent; it is left out")
                continue
            script = event.get("script") or {}
            exec_ = script.get("exec") if isinstance(script, dict) else None
            if exec_ is None:
                continue
            code = "\n".join(str(line) for line in exec_) if isinstance(exec_, list) else str(exec_)
            if event.get("disabled"):
                self.warnings.append(f"{label}: v3 has no disabled scripts; its disabled {listen} script is left out")
                continue
            entry: dict[str, Any] = {"type": prefix + hook, "code": code}
            if isinstance(script, dict) and script.get("type"):
                entry["language"] = str(script["type"])
            scripts.append(entry)
        return scripts

    def _example(self, example: dict[str, Any], name: str, stem: str, order: int, label: str) -> dict[str, Any]:
        out: dict[str, Any] = {"$kind": "http-example"}
        if example.get("id"):
            out["id"] = str(example["id"])
        if stem != name:
            out["name"] = name
        original = example.get("originalRequest")
        if isinstance(original, str):
            original = {"url": original, "method": "GET"}
        if isinstance(original, dict):
            out["request"] = self._http(original, f"{label}, example {name!r}", graphql=False)
        try:
            code = int(example.get("code") or 200)
        except (TypeError, ValueError):
            code = 200
        status = example.get("status")
        if not status:
            try:
                status = HTTPStatus(code).phrase
            except ValueError:
                status = ""
        response: dict[str, Any] = {"statusCode": code, "statusText": str(status)}
        headers = example.get("header")
        if isinstance(headers, str):
            headers = normalize_headers(headers)
        if headers:
            response["headers"] = pairs(headers)
        preview = str(example.get("_postman_previewlanguage") or "").lower()
        body = example.get("body")
        response["body"] = {
            "type": preview if preview in _PREVIEW else "text",
            "content": "" if body is None else body if isinstance(body, str) else json.dumps(body),
        }
        out["response"] = response
        out["order"] = order
        return out


def v3_files(doc: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The v3 files of a v2.1 collection document (relative path -> YAML document), and warnings."""
    writer = V3Writer()
    writer.collection(doc)
    return writer.files, writer.warnings


def v3_environment(doc: dict[str, Any]) -> dict[str, Any]:
    """A v2.1 environment (or globals) document as a ``*.environment.yaml`` document."""
    values = []
    entries = doc.get("values") if isinstance(doc, dict) else doc
    for entry in entries or []:
        if not isinstance(entry, dict) or entry.get("key") is None:
            continue
        enabled = not (entry.get("enabled") is False or entry.get("disabled"))
        values.append(
            {
                "key": str(entry["key"]),
                "value": entry.get("value"),
                "enabled": enabled,
                "type": "secret" if entry.get("type") == "secret" else "default",
            }
        )
    out: dict[str, Any] = {}
    if isinstance(doc, dict) and doc.get("id"):
        out["id"] = str(doc["id"])
    out["name"] = str(doc.get("name") or "") if isinstance(doc, dict) else ""
    out["values"] = values
    return out
