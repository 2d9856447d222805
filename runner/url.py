"""Postman URLs: parse the raw form into parts, join the parts, and encode them as Newman does.

Postman keeps a URL as parts (protocol, host, port, path segments, query list, path variables).
A raw string is split into those parts when the collection is loaded; variables are resolved part
by part; the parts are joined again and the result is percent-encoded with the character sets
Newman uses (those of the WHATWG URL standard): existing escapes are kept, never doubled.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

_VAR = re.compile(r"\{\{[^{}]*\}\}")

# Bytes Newman percent-encodes in each part, besides C0 controls, DEL and every non-ASCII character.
_PATH_SET = frozenset(' "#<>?`{}')
_QUERY_SET = frozenset(" \"#'<>")
_USERINFO_SET = frozenset(' "#<>?`{}/:;=@[\\]^|')
# In a query list, these would change the structure of the query string, so they are escaped first.
_PARAM_KEY_SET = frozenset("&#=")
_PARAM_VALUE_SET = frozenset("&#")


def _mask(text: str) -> str:
    """Blank out ``{{...}}`` references so that separators inside variable names are not seen."""
    return _VAR.sub(lambda m: "\0" * len(m.group(0)), text)


def parse_query(query: str) -> list[dict[str, Any]]:
    """Split a query string into Postman query params (a missing ``=`` gives value None)."""
    params: list[dict[str, Any]] = []
    masked = _mask(query)
    start = 0
    for i in range(len(masked) + 1):
        if i == len(masked) or masked[i] == "&":
            part, mpart = query[start:i], masked[start:i]
            eq = mpart.find("=")
            if eq < 0:
                params.append({"key": part, "value": None})
            else:
                params.append({"key": part[:eq], "value": part[eq + 1 :]})
            start = i + 1
    return params


def parse_url(raw: str) -> dict[str, Any]:
    """Parse a raw URL string into Postman's url object (protocol, auth, host, port, path, query, hash).

    A fresh copy of ``_parsed(raw)``: callers may change what they get.
    """
    parts = _parsed(raw)
    out = dict(parts)
    for key in ("host", "path"):
        if key in out:
            out[key] = list(out[key])
    if "query" in out:
        out["query"] = [dict(p) for p in out["query"]]
    if "auth" in out:
        out["auth"] = dict(out["auth"])
    return out


# Parsed URLs and wire targets by text: an item sends the same URL every iteration, and parsing and
# encoding it per character was ~0.05 ms a request. Only short texts are kept, at most this many.
_CACHE_LIMIT = 4096
_CACHED_LENGTH = 2048
_parsed_cache: dict[str, dict[str, Any]] = {}
_target_cache: dict[tuple[str, bool], Target] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


def _parsed(raw: str) -> dict[str, Any]:
    """``_parse_url(raw)``, kept for short texts; never to be changed by callers (``parse_url`` copies)."""
    parts = _parsed_cache.get(raw)
    if parts is None:
        parts = _parse_url(raw)
        if len(raw) <= _CACHED_LENGTH:
            _remember(_parsed_cache, raw, parts)
    return parts


def _parse_url(raw: str) -> dict[str, Any]:
    """The parse itself, as postman-url-encoder's parser: only leading whitespace is trimmed
    (trailing whitespace is part of the URL and gets encoded), backslashes before the query are
    slashes, and extra slashes after ``scheme://`` are dropped. ``{{...}}`` references are opaque:
    separators inside them do not split.
    """
    url: dict[str, Any] = {"raw": raw}
    rest = raw.lstrip()
    masked = _mask(rest)
    if (i := masked.find("#")) >= 0:
        url["hash"] = rest[i + 1 :]
        rest, masked = rest[:i], masked[:i]
    if (i := masked.find("?")) >= 0:
        url["query"] = parse_query(rest[i + 1 :])
        rest, masked = rest[:i], masked[:i]
    if "\\" in masked:
        slashed = [m == "\\" for m in masked]
        rest = "".join("/" if s else c for c, s in zip(rest, slashed, strict=True))
        masked = masked.replace("\\", "/")
    m = re.match(r"^([^:/?#\s]+)://", masked)
    if m:
        url["protocol"] = rest[: m.end(1)]
        rest, masked = rest[m.end() :], masked[m.end() :]
        keep = "/" if url["protocol"].lower() == "file" else ""
        extra = len(masked) - len(masked.lstrip("/"))
        if extra:
            rest, masked = keep + rest[extra:], keep + masked[extra:]
    slash = masked.find("/")
    authority, mauth = (rest, masked) if slash < 0 else (rest[:slash], masked[:slash])
    path = "" if slash < 0 else rest[slash + 1 :]
    mpath = "" if slash < 0 else masked[slash + 1 :]
    if (at := mauth.rfind("@")) >= 0:
        user, sep, password = authority[:at].partition(":")
        url["auth"] = {"user": user, "password": password if sep else None}
        authority, mauth = authority[at + 1 :], mauth[at + 1 :]
    colon = mauth.rfind(":")
    if colon >= 0 and "]" not in mauth[colon:]:
        url["port"] = authority[colon + 1 :]
        authority = authority[:colon]
    url["host"] = [authority] if authority else []
    if slash >= 0:
        segments, start = [], 0
        for i in range(len(mpath) + 1):
            if i == len(mpath) or mpath[i] == "/":
                segments.append(path[start:i])
                start = i + 1
        url["path"] = segments
    return url


def as_url_object(url: Any) -> dict[str, Any]:
    """Normalise a collection's url (string, or object with only ``raw``) to the parts form."""
    if url is None:
        return {"host": [], "path": []}
    if isinstance(url, str):
        return parse_url(url)
    if not isinstance(url, dict):
        return parse_url(str(url))
    has_parts = any(k in url for k in ("host", "path", "protocol"))
    if not has_parts and isinstance(url.get("raw"), str):
        parsed = parse_url(url["raw"])
        for key in ("variable", "query", "hash"):
            if key in url and key != "query":
                parsed[key] = url[key]
        if "query" in url and isinstance(url["query"], list):
            parsed["query"] = url["query"]
        return parsed
    out = dict(url)
    host = out.get("host")
    if isinstance(host, str):
        out["host"] = host.split(".") if host else []
    path = out.get("path")
    if isinstance(path, str):
        # As Postman's Url: one leading slash is dropped, "/" is one empty segment, "" is no path.
        out["path"] = path.removeprefix("/").split("/") if path else []
    return out


def _segment(seg: Any) -> str:
    if isinstance(seg, dict):  # v2.0 allows {"type": "string", "value": "..."}
        seg = seg.get("value")
    return "" if seg is None else str(seg)


def _escape(text: str, chars: frozenset[str]) -> str:
    """Percent-escape ``chars`` in ``text``, except inside ``{{...}}`` references (kept whole, as Postman)."""
    if chars.isdisjoint(text):  # the usual case: nothing to escape
        return text
    out, pos = [], 0
    for m in _VAR.finditer(text):
        out.append("".join(f"%{ord(c):02X}" if c in chars else c for c in text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append("".join(f"%{ord(c):02X}" if c in chars else c for c in text[pos:]))
    return "".join(out)


def unparse_param(param: dict[str, Any]) -> str:
    """One query param as Postman's ``QueryParam.unparseSingle``: ``key=value``, ``key`` without a value.

    Only strings count: a key that is not a string is left out, and so is ``=value`` when the value is
    not a string (null, missing, or a number in a hand-written file), as Postman does.
    """
    key = param.get("key")
    value = param.get("value")
    key_text = _escape(key, _PARAM_KEY_SET) if isinstance(key, str) else ""
    if not isinstance(value, str):
        return key_text
    return f"{key_text}={_escape(value, _PARAM_VALUE_SET)}"


def path_variable_name(segment: str) -> str | None:
    """The variable a ``:name`` path segment refers to; the name ends at the first ``.`` (``:id.json``)."""
    if not segment.startswith(":"):
        return None
    return segment[1:].split(".", 1)[0] or None


def join_url(url: dict[str, Any]) -> str:
    """Join a url object into one string, as Postman's ``Url.toString()`` (the hash left out).

    Path variables (``:name`` segments) take their values from ``url.variable`` when the value is a
    non-empty string (disabled entries too, the last of duplicates winning), keeping any suffix after
    the name; otherwise the segment stays as written. Disabled query params are left out.

    Newman joins the url object *before* resolving variables and resolves the joined string, so a
    variable whose value holds ``&``, ``#`` or ``/`` can add query params or path segments; callers
    that want Newman's behaviour join the unresolved object and resolve the result.
    """
    out = []
    protocol = url.get("protocol")
    if protocol:
        protocol = str(protocol)
        out.append(protocol if protocol.endswith("://") else f"{protocol}://")
    auth = url.get("auth")
    if isinstance(auth, dict):
        user, password = auth.get("user"), auth.get("password")
        text = user if isinstance(user, str) else None
        if isinstance(password, str):
            text = f"{text or ''}:{password}"
        if text is not None:
            out.append(f"{text}@")
    host = url.get("host") or []
    out.append(".".join(_segment(h) for h in host) if isinstance(host, list) else str(host))
    if url.get("port") not in (None, ""):
        out.append(f":{url['port']}")
    path = url.get("path")
    if path:
        variables: dict[str, Any] = {}
        for var in url.get("variable") or []:
            if isinstance(var, dict):
                name = var.get("key") or var.get("id")
                if name is not None:
                    variables[str(name)] = var.get("value")
        segs = []
        for seg in path:
            text = _segment(seg)
            name = path_variable_name(text)
            value = variables.get(name) if name is not None else None
            if isinstance(value, str) and value:
                text = value + text[len(name) + 1 :]
            segs.append(text)
        out.append("/" + "/".join(segs))
    query = [p for p in url.get("query") or [] if isinstance(p, dict) and not p.get("disabled")]
    if query:
        out.append("?" + "&".join(unparse_param(p) for p in query))
    return "".join(out)


def _encode(text: str, chars: frozenset[str]) -> str:
    """Percent-encode ``chars``, controls and non-ASCII as UTF-8; keep everything else, ``%`` too."""
    out = []
    for c in text:
        o = ord(c)
        if o < 0x21 or o >= 0x7F or c in chars:
            out.append("".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass")))
        else:
            out.append(c)
    return "".join(out)


@dataclass(frozen=True)
class Target:
    """Where a request goes: everything the wire needs, already encoded."""

    scheme: str
    host: str
    port: int | None
    target: str  # path and query, encoded: what follows the method on the request line
    user: str | None = None
    password: str | None = None
    empty_port: bool = False  # "host:" with nothing after the colon: Node's Host header keeps the colon

    @property
    def host_header(self) -> str:
        return self.netloc + ":" if self.empty_port and self.port is None else self.netloc

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    def __str__(self) -> str:
        return self.origin + self.target


class InvalidURL(ValueError):
    """A URL that resolves to something no request can be sent to."""


def _encode_host(host: str) -> str:
    """The host as Node's WHATWG ``domainToASCII`` gives it: lower case, non-ASCII labels in punycode.

    Python's ``idna`` codec implements IDNA 2003, which maps ``ß`` to ``ss`` (``straße.de`` would go
    to ``strasse.de``); WHATWG URLs keep it (``xn--strae-oqa.de``), so labels are encoded one by one.
    """
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1]
    if host.isascii():
        return _ipv4(host) or host.lower()
    labels = unicodedata.normalize("NFKC", host.lower()).split(".")
    return ".".join(lab if lab.isascii() else "xn--" + lab.encode("punycode").decode() for lab in labels)


_IPV4_DIGITS = {16: frozenset("0123456789abcdef"), 10: frozenset("0123456789"), 8: frozenset("01234567")}


def _ipv4(host: str) -> str | None:
    """A WHATWG IPv4 address in dotted form (``127.1`` and ``0x7f.1`` are ``127.0.0.1``), else None."""
    labels = host.lower().split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    last = labels[-1]
    if not (last.isdigit() or (last.startswith("0x") and set(last[2:]) <= _IPV4_DIGITS[16])):
        return None
    numbers = []
    for label in labels:
        base = 16 if label.startswith("0x") else 8 if len(label) > 1 and label.startswith("0") else 10
        digits = label[2:] if base == 16 else label[1:] if base == 8 else label
        if not label or not set(digits) <= _IPV4_DIGITS[base] or (base == 10 and not digits):
            return None
        numbers.append(int(digits, base) if digits else 0)
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1] + sum(n * 256 ** (3 - i) for i, n in enumerate(numbers[:-1]))
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def to_target(text: str, encode: bool = True) -> Target:
    """Turn a joined URL string into a wire target, encoded the way Newman sends it.

    ``encode=False`` is the protocol profile's ``disableUrlEncoding``: path and query go as written,
    and what Node refuses to put on a request line (blanks, controls, non-Latin-1) is an error.
    """
    target = _target_cache.get((text, encode))
    if target is None:
        target = _to_target(text, encode)  # Target is frozen: one object may serve every request
        if len(text) <= _CACHED_LENGTH:
            _remember(_target_cache, (text, encode), target)
    return target


def _to_target(text: str, encode: bool) -> Target:
    parts = _parsed(text)
    scheme = (parts.get("protocol") or "http").lower()
    host = _encode_host(parts["host"][0] if parts.get("host") else "")
    if not host:
        raise InvalidURL(f"no host in URL {text!r}")
    port: int | None = None
    if parts.get("port"):
        digits = parts["port"]
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 5 or int(digits) > 65535:
            raise InvalidURL(f"invalid port {digits!r} in URL {text!r}")
        port = int(digits)
        if scheme == "http" and port == 80 or scheme == "https" and port == 443:
            port = None
    def enc(text: str, chars: frozenset[str]) -> str:
        return _encode(text, chars) if encode else _encode(text, frozenset())

    path = "/" + "/".join(enc(s, _PATH_SET) for s in parts.get("path", []))
    target = path
    if "query" in parts:
        target += "?" + "&".join(enc(unparse_raw(p), _QUERY_SET) for p in parts["query"])
    if not encode and any(ord(c) <= 0x20 or ord(c) > 0xFF for c in _raw_target(parts)):
        raise InvalidURL("Request path contains unescaped characters")
    # Userinfo is sent as Basic auth when it is not empty ("@host" sends none, ":@host" does).
    auth = parts.get("auth")
    user = password = None
    if auth and (auth.get("user") or auth.get("password") is not None):
        user, password = auth.get("user") or "", auth.get("password") or ""
    return Target(scheme, host, port, target, user, password, parts.get("port") == "")


def _raw_target(parts: dict[str, Any]) -> str:
    target = "/" + "/".join(parts.get("path", []))
    if "query" in parts:
        target += "?" + "&".join(unparse_raw(p) for p in parts["query"])
    return target


def unparse_raw(param: dict[str, Any]) -> str:
    """A param parsed from a string, joined back without escaping (it came from the string)."""
    key = param.get("key") or ""
    return key if param.get("value") is None else f"{key}={param['value']}"


def encode_userinfo(text: str) -> str:
    return _encode(text, _USERINFO_SET)
