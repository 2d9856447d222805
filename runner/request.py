"""Turn an item's request definition into the exact request Newman would put on the wire.

Order of work, as in Postman's runtime: resolve variables in every part of the definition, join
the url from its parts, apply the auth that the item inherits, build the body for its mode, then
add the headers Newman adds itself, in Newman's order.
"""

from __future__ import annotations

import base64
import dataclasses
import errno
import json
import mimetypes
import os
import random
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from runner import __version__
from runner import headers as header_list
from runner.auth import SUPPORTED, Applied, AuthError, AuthSession, ExchangeState, Signing, TokenError, sign
from runner.auth.simple import query_before_join
from runner.collection import Item, Node, auth_params
from runner.files import ENCODE_ERRORS, encode_utf8
from runner.resolver import Resolver
from runner.url import Target, join_url, to_target

USER_AGENT = f"postrun/{__version__}"
ACCEPT_ENCODING = "gzip, deflate, br"
# Newman never sends a body with these methods (unless protocolProfileBehavior.disableBodyPruning).
BODYLESS_METHODS = frozenset({"GET", "HEAD", "COPY", "PURGE", "UNLOCK"})
# Node sends no Content-Length for these when there is no body; other methods get "Content-Length: 0".
NO_LENGTH_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
RAW_LANGUAGE_TYPES = {
    "json": "application/json",
    "javascript": "application/javascript",
    "html": "text/html",
    "xml": "application/xml",
    "text": "text/plain",
}
# RFC 3986 unreserved characters: all Newman leaves bare in urlencoded bodies.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


@dataclass
class PreparedRequest:
    """A request ready to send, and what reports show of it."""

    method: str
    url: str  # joined and resolved, before encoding: what Postman shows
    target: Target
    headers: list[tuple[str, str]]
    body: bytes | None = None
    body_text: str | None = None  # for reports; None for binary and multipart file content
    auth_type: str | None = None
    warnings: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)  # values reporters must mask
    auth_params: dict[str, Any] | None = None  # the resolved auth parameters it was signed with
    oauth2_token: str = ""  # the OAuth 2.0 access token it carries (to retry once after a 401)

    def header(self, name: str) -> str | None:
        return header_list.last(self.headers, name)

    def __repr__(self) -> str:
        """Method and URL only: the dataclass repr would show credentials and whole bodies."""
        return f"<PreparedRequest {self.method} {self.url}>"


def _auth_node(item: Item) -> Node | None:
    """The node whose auth the item uses: itself, else the nearest folder with one, else the collection."""
    node: Node | None = item
    while node is not None:
        if node.auth and node.auth.get("type") not in (None, "inherit"):
            return node
        node = node.parent
    return None


def effective_auth(item: Item) -> dict[str, Any] | None:
    """The auth an item uses: its own, else the nearest folder's, else the collection's."""
    node = _auth_node(item)
    return node.auth if node is not None else None


def auth_owner(item: Item) -> str:
    """Where the auth the item uses is written (a pointer, unique where ids may repeat): Postman keeps
    what a digest challenge taught on that auth, for every item that uses it, in later iterations too."""
    node = _auth_node(item)
    return node.pointer if node is not None else ""


def definition(item: Item) -> dict[str, Any]:
    """The item's request with its inherited auth filled in (what scripts see and ``prepare`` builds).

    A shallow copy: nothing downstream mutates a definition (a script's changes come back as a new
    one), so the loaded collection is shared safely across iterations and tenants.
    """
    request = dict(item.request)
    request["auth"] = effective_auth(item)
    return request


def _header_list(headers: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Enabled headers as Node gets them from postman-runtime: values as written (blanks kept), a
    name given twice with the same spelling sent twice; names differing only in case are one header,
    in the first one's place, with the last one's spelling and values."""
    groups: dict[str, tuple[str, list[str]]] = {}  # lower name -> (spelling, values)
    for h in headers:
        if h.get("disabled") or h.get("key") in (None, ""):
            continue
        key = str(h["key"]).strip()
        value = "" if h.get("value") is None else str(h["value"])
        if not key or "\n" in key or "\r" in key:
            continue
        lower = key.lower()
        spelling, values = groups.get(lower, (key, []))
        if spelling != key:
            values = []
        groups[lower] = (key, [*values, value])
    return [(key, value) for key, values in groups.values() for value in values]


def _obj(value: Any) -> dict[str, Any]:
    """``value`` if it is an object, else an empty one: a wrong type in the file means "not set"."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


_has = header_list.has


def urlencode_component(text: str) -> str:
    return "".join(c if c in _UNRESERVED else "".join(f"%{b:02X}" for b in encode_utf8(c)) for c in text)


def prepare(
    request: dict[str, Any],
    resolver: Resolver,
    *,
    working_dir: str | None = ".",
    protocol_profile: dict[str, Any] | None = None,
    session: AuthSession | None = None,
    state: ExchangeState | None = None,
    insecure_file_read: bool = True,
) -> PreparedRequest:
    """Resolve and build ``request`` (a v2.1 request definition, auth already inherited).

    ``working_dir`` None: no file is read (pm.sendRequest's file bodies are sent without their file).

    ``session`` gets OAuth 2.0 tokens; ``state`` holds what a server's challenge taught us so far.
    """
    profile = protocol_profile or {}
    method = str(resolver.resolve(request.get("method") or "GET")).upper()
    url = request.get("url") or {}  # resolved after joining, as Newman does: {{qs}} may hold "a=1&b=2"
    headers = _header_list(resolver.resolve_deep(request.get("header") or []))
    body = resolver.resolve_deep(request["body"]) if isinstance(request.get("body"), dict) else None
    auth = resolver.resolve_deep(request.get("auth")) if request.get("auth") else None
    warnings: list[str] = []
    credentials: list[str] = []

    # Auth that goes in the query must be part of the url before it is joined.
    kind = auth.get("type") if auth else None
    params = auth_params(auth) if auth else {}
    token = ""
    if kind == "oauth2":
        token = str(params.get("accessToken") or "")
        own_header = _has(headers, "Authorization") and params.get("addTokenTo") != "queryParams"
        if session is not None and not own_header:  # a request's own Authorization needs no token fetched
            try:
                token = session.token(params, state)
            except TokenError:
                raise  # the token endpoint refused: the item's request error
            except AuthError as exc:
                warnings.append(f"{exc}; the request was sent without a token")
    extra_query = query_before_join(kind, params, token)
    if extra_query:
        url = dict(url)
        url["query"] = list(url.get("query") or []) + extra_query
    joined = resolver.resolve(join_url(url))
    target = to_target(joined, encode=not profile.get("disableUrlEncoding"))

    prunes = method in BODYLESS_METHODS and not profile.get("disableBodyPruning")
    if body and (body.get("disabled") or prunes):
        body = None
    mode = body.get("mode") if body else None

    user_content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
    # Content-Type from the raw body's language comes before auth headers, as in Newman.
    if mode == "raw" and not _has(headers, "Content-Type"):
        language = _obj(_obj(body.get("options")).get("raw")).get("language")
        if isinstance(language, str) and language in RAW_LANGUAGE_TYPES and body.get("raw"):
            headers.append(("Content-Type", RAW_LANGUAGE_TYPES[language]))

    auth_at = len(headers)  # auth headers go here, though they are computed once the body is built
    if kind and kind not in SUPPORTED:
        warnings.append(f"auth type '{kind}' is not supported by postrun; the request was sent without it")

    if mode == "raw" and _is_json_body(body, user_content_type):
        body = {**body, "raw": strip_json_comments(str(body.get("raw") or ""))}
    payload, body_text, late_headers = _body(mode, body, headers, working_dir, warnings, insecure_file_read)

    if kind in SUPPORTED and kind != "noauth":
        form = _form_fields(body) if mode == "urlencoded" and payload is not None else None
        # The body's Content-Type is signed too (Hawk's payload hash, SigV4), though Newman adds it later.
        sent_type = [(k, v) for k, v in late_headers if k == "Content-Type" and not _has(headers, k)]
        signing = Signing(method, joined, target, headers + sent_type, payload, form=form, state=state)
        try:
            applied = sign(kind, params, signing, token)
        except Exception as exc:  # AuthError, or a library's: the item's warning, never a crash of the run
            warnings.append(f"{kind} auth could not be applied: {exc}; the request was sent without it")
            applied = Applied()
        headers[auth_at:auth_at] = applied.headers
        credentials += applied.secrets
        warnings += applied.warnings
        if applied.query:
            added = "&".join(f"{k}={v}" for k, v in applied.query)
            joined += ("&" if "?" in joined else "?") + added
            sep = "&" if "?" in target.target else "?"
            target = dataclasses.replace(target, target=target.target + sep + added)
        if applied.form and payload is not None:
            text = (body_text + "&" if body_text else "") + "&".join(
                f"{urlencode_component(k)}={urlencode_component(v)}" for k, v in applied.form
            )
            payload, body_text = text.encode("ascii"), text
            late_headers = [(k, str(len(payload)) if k == "Content-Length" else v) for k, v in late_headers]

    off = profile.get("disabledSystemHeaders")  # a wrong type in the file disables nothing
    disabled = {str(k).lower() for k, v in off.items() if v} if isinstance(off, dict) else set()

    def system(name: str, value: str) -> None:
        if name.lower() not in disabled and not _has(headers, name):
            headers.append((name, value))

    system("User-Agent", USER_AGENT)
    system("Accept", "*/*")
    system("Cache-Control", "no-cache")
    system("Postman-Token", str(uuid.uuid4()))
    system("Host", target.host_header)
    if target.user is not None and not _has(headers, "Authorization"):
        userinfo = f"{unquote(target.user)}:{unquote(target.password or '')}"
        headers.append(("Authorization", "Basic " + base64.b64encode(encode_utf8(userinfo)).decode()))
        credentials.append(unquote(target.password or ""))
    system("Accept-Encoding", ACCEPT_ENCODING)
    system("Connection", "keep-alive")
    for name, value in late_headers:
        if name == "Content-Type" and value.startswith("multipart/form-data;"):
            # Newman replaces any Content-Type the request sets with the multipart one and its boundary.
            for i, (key, _old) in enumerate(headers):
                if key.lower() == "content-type":
                    headers[i] = (key, value)
        if name == "Content-Length":
            if not _has(headers, "Content-Length"):
                headers.append((name, value))
        elif not _has(headers, name):
            headers.append((name, value))
    if "content-type" in disabled and user_content_type is None:  # the body's own type is a system header too
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
    if payload is None and method not in NO_LENGTH_METHODS and not _has(headers, "Content-Length"):
        headers.append(("Content-Length", "0"))
    return PreparedRequest(
        method=method,
        url=joined,
        target=target,
        headers=headers,
        body=payload,
        body_text=body_text,
        auth_type=kind,
        warnings=warnings,
        credentials=[c for c in credentials if c],
        auth_params=params if kind else None,
        oauth2_token=token,
    )


def _form_fields(body: dict[str, Any] | None) -> list[tuple[str, str]]:
    fields = (body or {}).get("urlencoded") or []
    return [
        (str(f.get("key") or ""), "" if f.get("value") is None else str(f.get("value")))
        for f in fields
        if isinstance(f, dict) and not f.get("disabled")
    ]


def _body(
    mode: str | None,
    body: dict[str, Any] | None,
    headers: list[tuple[str, str]],
    working_dir: str | None,
    warnings: list[str],
    insecure_file_read: bool = True,
) -> tuple[bytes | None, str | None, list[tuple[str, str]]]:
    """The payload, its text for reports, and headers that Newman adds after its own system headers.

    Headers from the body mode that Newman adds before its system headers are appended to ``headers``.
    """
    if not body or not mode:
        return None, None, []
    if mode == "raw":
        text = body.get("raw")
        text = "" if text is None else str(text)
        if not text:
            return None, None, []
        if not _has(headers, "Content-Type"):
            headers.append(("Content-Type", "text/plain"))
        data = text.encode("utf-8", ENCODE_ERRORS)
        return data, text, [("Content-Length", str(len(data)))]
    if mode == "graphql":
        gql = _obj(body.get("graphql"))
        query = gql.get("query")
        text = '{"query":' + json.dumps("" if query is None else str(query), ensure_ascii=False)
        if "variables" in gql and gql["variables"] != "":
            variables = gql["variables"]
            text += ',"variables":' + ("null" if variables is None else str(variables))
        text += "}"
        if not _has(headers, "Content-Type"):
            headers.append(("Content-Type", "application/json"))
        data = text.encode("utf-8", ENCODE_ERRORS)
        return data, text, [("Content-Length", str(len(data)))]
    if mode == "urlencoded":
        fields = [f for f in _list(body.get("urlencoded")) if isinstance(f, dict) and not f.get("disabled")]
        if not fields:
            return None, None, []
        text = "&".join(
            f"{urlencode_component(str(f.get('key') or ''))}="
            f"{urlencode_component('' if f.get('value') is None else str(f.get('value')))}"
            for f in fields
        )
        data = text.encode("ascii")
        return (
            data,
            text,
            [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Content-Length", str(len(data))),
            ],
        )
    if mode == "formdata":
        return _multipart(body, working_dir, warnings, insecure_file_read)
    if mode == "file":
        src = _obj(body.get("file")).get("src")
        if not src:
            return None, None, []
        try:
            data = read_body_file(working_dir, str(src), insecure_file_read)
        except OSError as exc:
            warnings.append(f"body file {src!r} could not be read: {exc.strerror or exc}")
            return None, None, []
        ctype = mimetypes.guess_type(str(src))[0] or "application/octet-stream"
        return data, None, [("Content-Length", str(len(data))), ("Content-Type", ctype)]
    warnings.append(f"body mode '{mode}' is not known; the request was sent without a body")
    return None, None, []


def read_body_file(working_dir: str | None, src: str, insecure_file_read: bool = True) -> bytes:
    """A file named by a body, relative to the working folder; with ``--no-insecure-file-read`` a file
    outside that folder is refused, as Newman refuses it. Without a working folder (a script's
    pm.sendRequest) no file is read at all."""
    if working_dir is None:
        raise PermissionError(errno.EPERM, "scripts cannot read files")
    path = os.path.join(working_dir, src)
    if not insecure_file_read:
        base = os.path.realpath(working_dir)
        if os.path.commonpath([base, os.path.realpath(path)]) != base:
            raise PermissionError(errno.EPERM, "outside the working directory (--no-insecure-file-read)")
    with open(path, "rb") as fh:
        return fh.read()


def _multipart(
    body: dict[str, Any], working_dir: str | None, warnings: list[str], insecure_file_read: bool = True
) -> tuple[bytes | None, str | None, list[tuple[str, str]]]:
    """multipart/form-data as Node's form-data library writes it (boundary shape included)."""
    boundary = "-" * 26 + "".join(random.choice("0123456789") for _ in range(24))
    chunks: list[bytes] = []
    shown: list[str] = []
    for part in _list(body.get("formdata")):
        if not isinstance(part, dict) or part.get("disabled"):
            continue
        name = str(part.get("key") or "")
        if part.get("type") == "file":
            sources = part.get("src")
            sources = sources if isinstance(sources, list) else [sources] if sources else []
            if not sources:  # a file field with no file chosen: Newman sends it empty
                chunks.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n\r\n\r\n'.encode()
                )
                shown.append(f"{name}=")
            for src in sources:
                try:
                    content = read_body_file(working_dir, str(src), insecure_file_read)
                except OSError as exc:
                    warnings.append(f"form field {name!r}: file {src!r} could not be read: {exc.strerror or exc}")
                    continue
                filename = os.path.basename(str(src))
                ctype = part.get("contentType") or mimetypes.guess_type(filename)[0] or "application/octet-stream"
                chunks.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n".encode("utf-8", ENCODE_ERRORS)
                    + content
                    + b"\r\n"
                )
                shown.append(f"{name}=@{filename}")
        else:
            value = "" if part.get("value") is None else str(part.get("value"))
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n'
            if part.get("contentType"):
                head += f"Content-Type: {part['contentType']}\r\n"
            chunks.append((head + "\r\n" + value + "\r\n").encode("utf-8", ENCODE_ERRORS))
            shown.append(f"{name}={value}")
    if not chunks:
        return None, None, []
    data = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return (
        data,
        "&".join(shown),
        [
            ("Content-Type", f"multipart/form-data; boundary={boundary}"),
            ("Content-Length", str(len(data))),
        ],
    )


def _is_json_body(body: dict[str, Any], content_type: str | None) -> bool:
    """postman-runtime strips comments when the raw body's language is json, or, without a language,
    when the request's own Content-Type is a JSON one."""
    language = _obj(_obj(body.get("options")).get("raw")).get("language")
    if language:
        return language == "json"
    return content_type is not None and re.match(r"application/(\S+\+)?json", content_type) is not None


def strip_json_comments(text: str) -> str:
    """``//`` and ``/* */`` comments out of a JSON body, as postman-runtime strips them before sending:
    the comment's text goes (line ends stay), strings are left alone."""
    if "/" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)
