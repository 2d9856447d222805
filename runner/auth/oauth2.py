"""OAuth 2.0 tokens fetched by postrun: the grants Postman configures, a per-tenant cache, refresh.

Newman only sends an ``accessToken`` pasted into the collection. When the auth also carries a grant
configuration (``grant_type`` and ``accessTokenUrl``) and no usable token, we ask the token endpoint
(RFC 6749 section 4), reuse the token for the run, refresh it with its refresh token when it expires
(or when the API answers 401 once) and otherwise fetch again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote_plus

from runner.auth.base import AuthError, random_string, text
from runner.files import write_atomic

GRANTS = {
    "client_credentials": "client_credentials",
    "password_credentials": "password",
    "password": "password",
    "authorization_code": "authorization_code",
    "authorization_code_with_pkce": "authorization_code",
}


class TokenError(AuthError):
    """The token endpoint refused or failed: a request error of the item, not a warning."""


@dataclass
class Token:
    access_token: str
    token_type: str = "Bearer"
    refresh_token: str | None = None
    expires_at: float | None = None
    scope: str | None = None

    def usable(self, now: float | None = None) -> bool:
        return bool(self.access_token) and (self.expires_at is None or (now or time.time()) < self.expires_at)


@dataclass
class TokenCall:
    """One request to a token endpoint, reported on its own line before the item's request."""

    purpose: str  # "authorize", "token" or "refresh"
    request: Any  # PreparedRequest
    response: Any = None  # Response
    error: str | None = None


def configured(params: dict[str, Any]) -> bool:
    """Whether this oauth2 auth tells postrun how to get a token itself."""
    return bool(text(params, "grant_type") and text(params, "accessTokenUrl"))


def cache_key(params: dict[str, Any]) -> str:
    fields = ("grant_type", "accessTokenUrl", "clientId", "scope", "username", "audience", "resource")
    return json.dumps([text(params, f) for f in fields])


class TokenStore:
    """Tokens per tenant for the run; with a file, also across runs (written atomically, mode 0600)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._tokens: dict[str, dict[str, Token]] = {}
        if path and os.path.exists(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    doc = json.load(fh)
                for tenant, tokens in (doc.get("tokens") or {}).items():
                    self._tokens[tenant] = {k: Token(**v) for k, v in tokens.items()}
            except (OSError, ValueError, TypeError) as exc:
                raise AuthError(f"{path}: the OAuth 2.0 token cache could not be read: {exc}") from None

    def get(self, tenant: str, key: str) -> Token | None:
        with self._lock:
            return self._tokens.get(tenant, {}).get(key)

    def all_secrets(self) -> list[str]:
        with self._lock:
            tokens = [tok for t in self._tokens.values() for tok in t.values()]
        return [s for tok in tokens for s in (tok.access_token, tok.refresh_token) if s]

    def put(self, tenant: str, key: str, token: Token | None) -> None:
        with self._lock:
            tokens = self._tokens.setdefault(tenant, {})
            if token is None:
                tokens.pop(key, None)
            else:
                tokens[key] = token
            if self.path:
                self._save()

    def _save(self) -> None:
        assert self.path is not None
        on_disk: dict[str, Any] = {}
        if os.path.exists(self.path):  # another tenant's process may have written since we read
            try:
                with open(self.path, encoding="utf-8") as fh:
                    on_disk = json.load(fh).get("tokens") or {}
            except (OSError, ValueError):
                on_disk = {}
        for tenant, tokens in self._tokens.items():
            on_disk[tenant] = {k: asdict(v) for k, v in tokens.items()}
        old = os.umask(0o077)
        try:
            write_atomic(self.path, json.dumps({"version": 1, "tokens": on_disk}, indent=2))
        finally:
            os.umask(old)
        os.chmod(self.path, 0o600)


@dataclass
class OAuth2Client:
    """Gets tokens for one tenant; ``send`` posts a token request (PreparedRequest -> Response)."""

    store: TokenStore
    send: Callable[..., Any]  # (PreparedRequest, follow_redirects=None) -> Response
    tenant: str = ""
    on_secret: Callable[[list[str]], None] = lambda values: None
    calls: list[TokenCall] = field(default_factory=list)  # of the exchange in progress

    def token(self, params: dict[str, Any]) -> str:
        """The access token to send: a fresh enough cached one, else refreshed, else fetched."""
        pasted = text(params, "accessToken")
        grant = text(params, "grant_type")
        if grant == "implicit" and not pasted and (text(params, "authUrl") or text(params, "accessTokenUrl")):
            # A warning on the item, which goes without a token (as Newman sends it).
            raise AuthError(
                "oauth2 grant 'implicit' needs a browser (the token comes back in a redirect's fragment), so "
                "postrun does not run it and nothing was sent to the authorization server; paste an accessToken "
                "or use another grant"
            )
        if not configured(params) or grant == "implicit":
            return pasted
        if grant not in GRANTS:
            known = ", ".join(sorted(set(GRANTS) - {"password"}))
            raise AuthError(f"oauth2 grant {grant!r} is not supported (use {known})")
        self.on_secret([text(params, k) for k in ("clientSecret", "password", "code_verifier")])
        key = cache_key(params)
        cached = self.store.get(self.tenant, key)
        if cached is None and pasted and not _jwt_expired(pasted):
            return pasted  # a pasted token is used until the API refuses it
        if cached is not None and cached.usable():
            return cached.access_token
        if cached is not None and cached.refresh_token:
            refreshed = self._request(params, "refresh", cached.refresh_token)
            if refreshed is not None:
                self.store.put(self.tenant, key, refreshed)
                return refreshed.access_token
        extra = self._authorize(params) if self._needs_authorize(params) else []
        token = self._request(params, "token", extra=extra)
        assert token is not None
        self.store.put(self.tenant, key, token)
        return token.access_token

    def expire(self, params: dict[str, Any], sent: str) -> bool:
        """The API answered 401 to ``sent``: forget it (keeping the refresh token); True to retry."""
        if not configured(params):
            return False
        key = cache_key(params)
        cached = self.store.get(self.tenant, key) or Token(access_token=sent)
        if cached.access_token != sent:
            return True  # someone got a newer one meanwhile
        self.store.put(self.tenant, key, Token("", cached.token_type, cached.refresh_token, 0.0, cached.scope))
        return True

    # -- the token endpoint -------------------------------------------------------------------
    @staticmethod
    def _needs_authorize(params: dict[str, Any]) -> bool:
        """An authorization-code grant with an authUrl but no code given: try it without a browser."""
        if GRANTS.get(text(params, "grant_type")) != "authorization_code" or not text(params, "authUrl"):
            return False
        given = params.get("tokenRequestParams")
        return not any(isinstance(e, dict) and e.get("key") == "code" and e.get("enabled") is not False
                       for e in (given if isinstance(given, list) else []))  # fmt: skip

    def _authorize(self, params: dict[str, Any]) -> list[tuple[str, str]]:
        """Ask ``authUrl`` for a code, as a browser would, without following its redirect.

        Works where the authorization server answers at once (a trusted client, an SSO session);
        one that wants a login page gets a clear error instead.
        """
        from urllib.parse import parse_qs, urlsplit

        from runner.request import USER_AGENT, PreparedRequest, urlencode_component
        from runner.url import to_target

        auth_url = text(params, "authUrl")
        state = text(params, "state") or random_string(16)
        query = [("response_type", "code"), ("client_id", text(params, "clientId"))]
        for name in ("redirect_uri", "scope"):
            if text(params, name):
                query.append((name, text(params, name)))
        query.append(("state", state))
        form: list[tuple[str, str]] = []
        if text(params, "grant_type") == "authorization_code_with_pkce":
            verifier = text(params, "code_verifier") or random_string(64)
            method = text(params, "challengeAlgorithm", "S256")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = verifier if method == "plain" else base64.urlsafe_b64encode(digest).decode().rstrip("=")
            query += [("code_challenge", challenge), ("code_challenge_method", method)]
            if not text(params, "code_verifier"):
                form.append(("code_verifier", verifier))
                self.on_secret([verifier])
        url = auth_url + ("&" if "?" in auth_url else "?")
        url += "&".join(f"{urlencode_component(k)}={urlencode_component(v)}" for k, v in query)
        target = to_target(url)
        headers = [("User-Agent", USER_AGENT), ("Accept", "*/*"), ("Host", target.netloc)]
        prepared = PreparedRequest(method="GET", url=url, target=target, headers=headers, auth_type="oauth2")
        call = TokenCall("authorize", prepared)
        self.calls.append(call)
        try:
            response = self.send(prepared, False)
        except Exception as exc:  # noqa: BLE001 - RequestError or InvalidURL, reported on the item
            call.error = f"oauth2 authorization request to {auth_url} failed: {exc}"
            raise TokenError(call.error) from None
        call.response = response
        location = response.header("Location") or ""
        found = parse_qs(urlsplit(location).query)
        if found.get("code") and found.get("state", [state])[0] == state:
            self.on_secret(found["code"])
            return [("code", found["code"][0]), *form]
        why = found.get("error", [f"HTTP {response.code}"])[0]
        call.error = (
            f"oauth2 authorization_code: {auth_url} gave no code ({why}); it needs a browser login: give the code "
            "as a token request parameter (tokenRequestParams, key 'code')"
        )
        raise TokenError(call.error)

    def _request(
        self, params: dict[str, Any], purpose: str, refresh_token: str = "", extra: list[tuple[str, str]] | None = None
    ) -> Token | None:
        from runner.executor import RequestError
        from runner.url import InvalidURL

        url = text(params, "refreshTokenUrl") if purpose == "refresh" else ""
        url = url or text(params, "accessTokenUrl")
        form, headers, query = self._form(params, purpose, refresh_token)
        if extra:
            names = {k for k, _ in extra}
            form = [f for f in form if f[0] not in names] + extra
        prepared = build_token_request(url, form, headers, query)
        call = TokenCall(purpose, prepared)
        self.calls.append(call)
        try:
            response = self.send(prepared)
        except (InvalidURL, RequestError) as exc:
            call.error = f"oauth2 {purpose} request to {url} failed: {exc}"
            if purpose == "refresh":
                return None
            raise TokenError(call.error) from None
        call.response = response
        doc = _token_response(response.text())
        if response.code >= 400 or not doc.get("access_token"):
            error = str(doc.get("error") or f"HTTP {response.code}")
            detail = doc.get("error_description")
            call.error = f"oauth2 {purpose} request to {url} failed: {error}" + (f": {detail}" if detail else "")
            if purpose == "refresh":
                return None
            raise TokenError(call.error)
        expires = doc.get("expires_in")
        try:
            expires_at = time.time() + float(expires) if expires not in (None, "") else None
        except (TypeError, ValueError):
            expires_at = None
        token = Token(
            access_token=str(doc["access_token"]),
            token_type=str(doc.get("token_type") or "Bearer"),
            refresh_token=str(doc["refresh_token"]) if doc.get("refresh_token") else (refresh_token or None),
            expires_at=expires_at,
            scope=doc.get("scope"),
        )
        self.on_secret([token.access_token, token.refresh_token or ""])
        return token

    def _form(
        self, params: dict[str, Any], purpose: str, refresh_token: str
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
        grant = text(params, "grant_type")
        client_id, secret = text(params, "clientId"), text(params, "clientSecret")
        form: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        query: list[tuple[str, str]] = []
        if purpose == "refresh":
            form += [("grant_type", "refresh_token"), ("refresh_token", refresh_token)]
        else:
            form.append(("grant_type", GRANTS[grant]))
            if GRANTS[grant] == "password":
                form += [("username", text(params, "username")), ("password", text(params, "password"))]
            if GRANTS[grant] == "authorization_code":
                if text(params, "redirect_uri"):
                    form.append(("redirect_uri", text(params, "redirect_uri")))
                if grant == "authorization_code_with_pkce" and text(params, "code_verifier"):
                    form.append(("code_verifier", text(params, "code_verifier")))
        if text(params, "scope"):
            form.append(("scope", text(params, "scope")))
        for name in ("audience", "resource"):
            if text(params, name):
                form.append((name, text(params, name)))
        # RFC 6749 2.3: one client authentication per request; a public client names itself in the form.
        if secret and text(params, "client_authentication", "header") == "header":
            pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
            headers.append(("Authorization", "Basic " + base64.b64encode(pair.encode()).decode()))
        elif secret:
            form += [("client_id", client_id), ("client_secret", secret)]
        elif client_id:
            form.append(("client_id", client_id))
        extra = params.get("refreshRequestParams" if purpose == "refresh" else "tokenRequestParams")
        for entry in extra if isinstance(extra, list) else []:
            if not isinstance(entry, dict) or entry.get("enabled") is False or not entry.get("key"):
                continue
            pair = (str(entry["key"]), "" if entry.get("value") is None else str(entry["value"]))
            where = str(entry.get("send_as") or "request_body")
            if where == "request_header":
                headers.append(pair)
            elif where == "request_url":
                query.append(pair)
            else:
                form = [f for f in form if f[0] != pair[0]] + [pair]
        return form, headers, query


def build_token_request(
    url: str, form: list[tuple[str, str]], headers: list[tuple[str, str]], query: list[tuple[str, str]]
) -> Any:
    from runner.request import USER_AGENT, PreparedRequest, urlencode_component
    from runner.url import to_target

    if query:
        pairs = "&".join(f"{urlencode_component(k)}={urlencode_component(v)}" for k, v in query)
        url += ("&" if "?" in url else "?") + pairs
    target = to_target(url)
    body = "&".join(f"{urlencode_component(k)}={urlencode_component(v)}" for k, v in form)
    data = body.encode()
    all_headers = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
        *headers,
        ("User-Agent", USER_AGENT),
        ("Host", target.netloc),
        ("Content-Length", str(len(data))),
    ]
    secrets = [v for k, v in form if k in ("client_secret", "password", "refresh_token", "code", "code_verifier")]
    secrets += [v for k, v in headers if k.lower() == "authorization"]
    return PreparedRequest(
        method="POST", url=url, target=target, headers=all_headers, body=data, body_text=body, auth_type="oauth2",
        credentials=[s for s in secrets if s],
    )  # fmt: skip


def _jwt_expired(token: str) -> bool:
    """A pasted token that is a JWT whose ``exp`` has passed is no usable token."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return isinstance(claims, dict) and isinstance(claims.get("exp"), int | float) and claims["exp"] < time.time()
    except ValueError:
        return False


def _token_response(body: str) -> dict[str, Any]:
    """A token endpoint's answer: JSON (RFC 6749 5.1), or a form as some older servers send."""
    try:
        doc = json.loads(body)
    except ValueError:
        pairs = dict(parse_qsl(body.strip(), keep_blank_values=True))
        return pairs if "access_token" in pairs or "error" in pairs else {}
    return doc if isinstance(doc, dict) else {}
