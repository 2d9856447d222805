"""The token schemes: basic, bearer, API key and an OAuth 2.0 access token already at hand."""

from __future__ import annotations

import base64
from typing import Any

from runner.auth.base import Applied, Signing, text


def basic(params: dict[str, Any], req: Signing) -> Applied:
    user, password = text(params, "username"), text(params, "password")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return Applied(headers=[("Authorization", f"Basic {token}")], secrets=[password, token])


def bearer(params: dict[str, Any], req: Signing) -> Applied:
    token = text(params, "token")
    if not token:
        return Applied()
    return Applied(headers=[("Authorization", f"Bearer {token}")], secrets=[token])


def apikey(params: dict[str, Any], req: Signing) -> Applied:
    """The query form is added before the url is joined (see ``query_before_join``)."""
    key, value = text(params, "key"), text(params, "value")
    applied = Applied(secrets=[value])
    if key and text(params, "in", "header") == "header" and req.header(key) is None:
        applied.headers.append((key, value))
    return applied


def oauth2_token(params: dict[str, Any], token: str) -> Applied:
    """Send an access token the way Postman's oauth2 helper does (header, or query before joining)."""
    if not token:
        return Applied()
    applied = Applied(secrets=[token])
    if text(params, "tokenType").lower() == "mac":  # Postman does not sign MAC tokens; neither do we
        return applied
    if text(params, "addTokenTo", "header") == "header":
        prefix = "Bearer" if params.get("headerPrefix") is None else str(params["headerPrefix"]).strip()
        applied.headers.append(("Authorization", f"{prefix} {token}".strip()))
    return applied


def query_before_join(kind: str | None, params: dict[str, Any], token: str = "") -> list[dict[str, str]]:
    """Query parameters Newman adds before joining the url, so they are encoded like the others."""
    if kind == "apikey" and text(params, "in", "header") == "query" and text(params, "key"):
        return [{"key": text(params, "key"), "value": text(params, "value")}]
    if kind == "oauth2" and params.get("addTokenTo") == "queryParams" and token:
        return [{"key": "access_token", "value": token}]
    return []
