"""Postman's auth helpers: one module per scheme, applied from one place (``sign``), and the
challenge-response and token exchanges around a request (``AuthSession.exchange``).

``runner.request.prepare`` calls ``sign`` once the body is built, with the request as it will be
sent (minus the headers Newman adds itself); the engine sends through ``AuthSession.exchange``,
which answers digest and NTLM challenges and retries once with a new OAuth 2.0 token after a 401.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from runner.auth import simple
from runner.auth.base import Applied, AuthError, ExchangeState, Signing, flag, text
from runner.auth.oauth2 import OAuth2Client, TokenCall, TokenError, TokenStore

__all__ = [
    "Applied", "AuthError", "AuthSession", "ExchangeState", "Signing", "SUPPORTED", "TokenCall", "TokenError",
    "TokenStore", "sign",
]  # fmt: skip

# Each scheme's signer, as "module:function" in runner.auth: a scheme's module is imported when a request
# first uses it (the signing modules and their crypto imports are ~3 ms of every start otherwise).
SIGNERS: dict[str, str] = {
    "basic": "simple:basic",
    "bearer": "simple:bearer",
    "apikey": "simple:apikey",
    "digest": "digest:sign",
    "oauth1": "oauth1:sign",
    "hawk": "hawk:sign",
    "awsv4": "awsv4:sign",
    "jwt": "jwt:sign",
    "asap": "asap:sign",
    "edgegrid": "edgegrid:sign",
    "ntlm": "ntlm:sign",
}
SUPPORTED = frozenset({*SIGNERS, "noauth", "oauth2"})
# Schemes that set Authorization: a request that sets its own keeps it (Newman replaces it; README differences).
_HEADER_SCHEMES = frozenset(SUPPORTED - {"apikey", "noauth"})


def sign(kind: str, params: dict[str, Any], req: Signing, oauth2_token: str = "") -> Applied:
    """What the auth ``kind`` adds to ``req``; a request that sets Authorization itself keeps it."""
    if kind in _HEADER_SCHEMES and req.header("Authorization") is not None:
        return Applied()
    if kind == "oauth2":
        return simple.oauth2_token(params, oauth2_token)
    where = SIGNERS.get(kind)
    if where is None:
        return Applied()
    return _signer(where)(params, req)


def _signer(where: str) -> Callable[[dict[str, Any], Signing], Applied]:
    module, name = where.split(":")
    signer: Callable[[dict[str, Any], Signing], Applied] = getattr(_scheme(module), name)
    return signer


def _scheme(module: str) -> Any:
    return importlib.import_module(f"runner.auth.{module}")


class AuthSession:
    """A tenant's auth state for the run: its OAuth 2.0 tokens, and the exchanges around requests."""

    def __init__(
        self, store: TokenStore | None = None, tenant: str = "", on_secret: Callable[[list[str]], None] | None = None
    ) -> None:
        self.oauth2 = OAuth2Client(
            store=store or TokenStore(), send=lambda p: None, tenant=tenant, on_secret=on_secret or (lambda v: None)
        )
        self.oauth2.on_secret(self.oauth2.store.all_secrets())
        self.digest: dict[str, dict[str, str]] = {}  # what digest challenges taught, by where the auth is written

    def token(self, params: dict[str, Any], state: ExchangeState | None = None) -> str:
        if state is not None and state.no_token:
            return text(params, "accessToken")
        return self.oauth2.token(params)

    def exchange(self, ex: Any, build: Callable[[ExchangeState], Any], send: Callable[[Any], Any]) -> None:
        """Build and send ``ex``'s request, answering the challenges its auth expects.

        Sets ``ex.request``, ``ex.response``, ``ex.attempts`` (the requests answered with another) and
        ``ex.auth_calls``; raises what ``build`` and ``send`` raise (the engine reports it as the item's
        request error).
        """
        from runner.request import auth_owner  # runner.request imports this package

        # What a digest challenge taught lives on the auth the item uses, as in Postman: the items that
        # share it (and later iterations) sign with that nonce and the next count at once.
        state = ExchangeState(digest=self.digest.setdefault(auth_owner(ex.item), {}))
        self.oauth2.send = send
        self.oauth2.calls = ex.auth_calls
        try:
            while True:
                ex.request = None
                try:
                    ex.request = build(state)
                except TokenError:
                    state.no_token = True  # reports show the request the token failure stopped
                    ex.request = build(state)
                    raise
                ex.response = send(ex.request)
                if state.retries >= 3 or not self._again(ex.request, ex.response, state):
                    return
                state.retries += 1
                ex.attempts.append((ex.request, ex.response))  # reported as a request of its own, as Newman does
        finally:
            self.oauth2.calls = []

    def _again(self, prepared: Any, response: Any, state: ExchangeState) -> bool:
        """Whether the server's answer asks for the request once more, with what it taught us."""
        params, kind = prepared.auth_params, prepared.auth_type
        if kind is None or params is None or flag(params, "disableRetryRequest"):
            return False
        if kind == "digest":
            return _scheme("digest").answered(params, response.headers, response.code, state.digest)
        if kind == "ntlm":
            return _scheme("ntlm").challenged(params, response.headers, response.code, state)
        if kind == "oauth2" and response.code == 401 and not state.token_retry and prepared.oauth2_token:
            state.token_retry = True
            return self.oauth2.expire(params, prepared.oauth2_token)
        return False
