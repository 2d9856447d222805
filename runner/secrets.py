"""Keep secrets out of everything postrun shows or writes.

Secret values are environment/globals/collection entries typed ``secret``, variables named with
``--secret`` (in any scope, data files included, also when a script creates them later), and the
credentials of auth helpers. Reporters pass every string they emit through ``mask``; besides the
value itself the masker knows the forms a value takes on its way out: URL-encoded, base64 (at
each byte alignment, so it is caught inside a longer base64 text such as ``btoa('user:' + s)``),
JSON-escaped and chai-quoted, each line of a multi-line value, and UTF-8 read as Latin-1.
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from runner.collection import Collection, auth_params
from runner.variables import Scopes, VariableScope

# Auth parameters that hold credentials (Postman's names, across the auth types it knows).
CREDENTIAL_KEYS = frozenset({
    "password", "token", "value", "accessToken", "refreshToken", "clientSecret", "consumerSecret",
    "tokenSecret", "secretKey", "sessionToken", "privateKey", "secret", "authKey", "apiKey", "signature",
})

MASK = "***"
# Masking shorter values would scramble ordinary text (every "ab" in every report) without
# protecting much: such a secret is refused with a warning that says so.
MIN_LENGTH = 3
MIN_FRAGMENT = 4  # base64 pieces and lines of a multi-line secret shorter than this are not masked alone
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _inspect_quoted(text: str) -> str:
    """How chai (Node's util.inspect) shows a string between single quotes, without the quotes."""
    out = text.replace("\\", "\\\\").replace("'", "\\'")
    for char, escape in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\b", "\\b"), ("\f", "\\f"), ("\v", "\\v")):
        out = out.replace(char, escape)
    return out


def base64_forms(data: bytes) -> list[str]:
    """The base64 text of ``data`` at each of the three byte alignments it can have inside longer data.

    At alignment k (k bytes before it in its 3-byte group) the characters that mix in neighbouring
    bytes are dropped at both ends; what is left appears in the base64 of any text containing ``data``.
    """
    forms = [base64.b64encode(data).decode()]
    for k, skip in ((0, 0), (1, 2), (2, 3)):
        n = k + len(data)
        encoded = base64.b64encode(b"\0" * k + data).decode().rstrip("=")
        end = (n // 3) * 4 + {0: 0, 1: 1, 2: 2}[n % 3]
        forms.append(encoded[skip:end])
    forms += [f.replace("+", "-").replace("/", "_").rstrip("=") for f in forms]  # base64url (JWTs)
    return [f for f in forms if len(f) >= MIN_FRAGMENT]


def secret_forms(text: str) -> set[str]:
    """Every form of ``text`` the masker replaces."""
    forms = {text, quote(text, safe=""), quote(text), _inspect_quoted(text)}
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    forms |= {escaped, json.dumps(text)[1:-1], json.dumps(escaped, ensure_ascii=False)[1:-1]}
    forms |= set(base64_forms(text.encode("utf-8", "replace")))
    latin = text.encode("utf-8", "replace").decode("latin-1")
    forms.add(latin)  # a non-ASCII value echoed in a response header, which is read as Latin-1
    if "\n" in text or "\r" in text:
        forms |= {line.strip() for line in re.split(r"\r\n|\r|\n", text) if len(line.strip()) >= MIN_FRAGMENT}
    return {f for f in forms if len(f) >= MIN_LENGTH}


class Masker:
    """Replaces every known secret value (and its common encodings) with ``***``."""

    def __init__(self, names: Iterable[str] = (), warn: Callable[[str], None] = _warn) -> None:
        self._values: set[str] = set()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._warned: set[str] = set()
        self._warn = warn
        self.names: set[str] = set(names)  # variables named with --secret, in whatever scope they appear

    def add(self, values: Iterable[Any], what: str = "a secret value") -> None:
        added = False
        for value in values:
            if value is None:
                continue
            text = value if isinstance(value, str) else _text(value)
            if not text or text in self._secrets:
                continue
            if len(text) < MIN_LENGTH:
                if what not in self._warned:
                    self._warned.add(what)
                    self._warn(
                        f"{what} is shorter than {MIN_LENGTH} characters and is NOT masked: masking it would"
                        " hide those characters everywhere in the output; use a longer secret"
                    )
                continue
            self._secrets.add(text)
            self._values |= secret_forms(text)
            added = True
        if added:
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    @property
    def values(self) -> frozenset[str]:
        """The secret values themselves (another process's masker adds them back with ``add``)."""
        return frozenset(self._secrets)

    def add_collection(self, collection: Collection) -> None:
        """Credentials written literally into any auth of the collection (reports embed the collection)."""
        nodes = [collection, *collection.folders(), *collection.items()]
        for node in nodes:
            if node.auth and node.auth.get("type"):
                params = auth_params(node.auth)
                self.add(
                    (v for k, v in params.items() if k in CREDENTIAL_KEYS and isinstance(v, str) and "{{" not in v),
                    "an auth credential of the collection",
                )

    def add_scope(self, scope: VariableScope) -> None:
        """Values typed ``secret`` and those of ``--secret`` names; the names get typed secret (exports)."""
        for key in self.names:
            scope.mark_secret(key)
        for key in sorted(scope.secret_keys()):
            self.add([scope.get(key)], f"the secret variable {key!r}")

    def add_scopes(self, scopes: Scopes) -> None:
        """Every scope a request or script sees: environment, globals, collection, data row, locals."""
        for scope in (scopes.environment, scopes.globals, scopes.collection):
            self.add_scope(scope)
        for values in (scopes.data, scopes.local):
            for key in self.names & values.keys():
                self.add([values[key]], f"the secret variable {key!r}")

    def mask(self, text: Any) -> Any:
        """``text`` with secrets replaced; unpaired surrogates (which no output can encode) become U+FFFD."""
        if not isinstance(text, str):
            return text
        if _LONE_SURROGATE.search(text):
            text = _LONE_SURROGATE.sub("\ufffd", text)
        if self._pattern is None:
            return text
        return self._pattern.sub(MASK, text)

    def mask_bytes(self, data: bytes) -> bytes:
        """Bytes with secrets replaced; bytes that are not UTF-8 pass through unchanged."""
        if self._pattern is None or not data:
            return data
        text = data.decode("utf-8", "surrogateescape")
        return self._pattern.sub(MASK, text).encode("utf-8", "surrogateescape")

    @property
    def active(self) -> bool:
        """Whether there is anything to mask yet (no secret known: every text comes back as it is)."""
        return self._pattern is not None

    def mask_deep(self, value: Any) -> Any:
        """A copy of ``value`` with every string masked (keys too), without recursion: any depth is fine.

        A Node Buffer as JSON (``{"type": "Buffer", "data": [bytes]}``, Newman's response stream) is
        masked as the bytes it holds.
        """
        if isinstance(value, str):
            return self.mask(value)
        if self._pattern is None:
            return value  # writers replace unpaired surrogates themselves
        if isinstance(value, tuple):
            return tuple(self.mask_deep(v) for v in value)
        if not isinstance(value, (list, dict)):
            return value
        root: list[Any] | dict[Any, Any] = [] if isinstance(value, list) else {}
        stack: list[tuple[Any, Any]] = [(value, root)]
        while stack:
            source, target = stack.pop()
            if isinstance(source, dict) and source.get("type") == "Buffer" and isinstance(source.get("data"), list):
                source = {**source, "data": self._mask_buffer(source["data"])}
            pairs = source.items() if isinstance(source, dict) else enumerate(source)
            for key, child in pairs:
                if isinstance(child, str):
                    child = self.mask(child)
                elif isinstance(child, (list, dict)):
                    new: Any = [] if isinstance(child, list) else {}
                    stack.append((child, new))
                    child = new
                elif isinstance(child, tuple):
                    child = self.mask_deep(child)
                if isinstance(target, list):
                    target.append(child)
                else:
                    target[self.mask(key)] = child
        return root

    def _mask_buffer(self, data: list[Any]) -> list[Any]:
        if self._pattern is None:
            return data
        try:
            raw = bytes(data)
        except (TypeError, ValueError):
            return data
        return list(self.mask_bytes(raw))


def _text(value: Any) -> str:
    """A non-string secret as it shows in text (numbers, booleans, JSON for objects)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        from runner.resolver import render_value

        return render_value(value) or ""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return ""
