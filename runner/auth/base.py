"""What every auth scheme gets (the request as built so far) and gives back (what to add to it)."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from runner import headers as header_list
from runner.url import Target

_ALNUM = string.ascii_letters + string.digits
# RFC 3986 unreserved characters: the only ones that signature schemes leave bare.
UNRESERVED = frozenset(_ALNUM + "-._~")


class AuthError(Exception):
    """The auth could not be applied (a bad key, an unknown algorithm); the request goes without it."""


@dataclass
class Signing:
    """The request an auth scheme signs: everything but the headers Newman adds itself."""

    method: str
    url: str  # as shown
    target: Target
    headers: list[tuple[str, str]]
    body: bytes | None
    form: list[tuple[str, str]] | None = None  # the urlencoded fields, when the body is a form
    state: ExchangeState | None = None

    def header(self, name: str) -> str | None:
        return header_list.last(self.headers, name)

    @property
    def port(self) -> int:
        return self.target.port or (443 if self.target.scheme == "https" else 80)


@dataclass
class Applied:
    """What a scheme adds: headers (in order), query parameters (already encoded) and form fields."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)  # values reporters must mask
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExchangeState:
    """What one item's exchange learned from the server so far (a digest or NTLM challenge)."""

    challenge: dict[str, str] = field(default_factory=dict)
    # digest: what its challenges taught the auth (nonce, realm, qop, opaque, clientNonce, nonceCount),
    # shared by every item that uses that auth and kept for the run, as Postman keeps them on the auth
    digest: dict[str, str] = field(default_factory=dict)
    ntlm: Any = None  # the pyspnego client context of a handshake in progress
    ntlm_step: int = 0
    retries: int = 0
    token_retry: bool = False  # the OAuth 2.0 token was refreshed after a 401
    no_token: bool = False  # build without fetching a token (to show the request a token failure stopped)


def percent_encode(text: str) -> str:
    """RFC 3986 percent-encoding (RFC 5849 3.6, SigV4): all but the unreserved characters."""
    return "".join(c if c in UNRESERVED else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def random_string(length: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(length))


def text(params: dict[str, Any], key: str, default: str = "") -> str:
    """A parameter as text; absent, null and empty all give ``default``."""
    value = params.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flag(params: dict[str, Any], key: str, default: bool = False) -> bool:
    """A boolean parameter as Postman stores it: true/false, or the strings "true"/"false"."""
    value = params.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def number(params: dict[str, Any], key: str, default: int) -> int:
    """A whole-number parameter; absent or not a number gives ``default``."""
    value = text(params, key).strip()
    return int(value) if value.isdigit() and int(value) > 0 else default
