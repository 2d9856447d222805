"""Atlassian S2S Authentication (ASAP): a short-lived JWT with iss, sub, aud, jti, iat, exp and a kid."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from urllib.parse import unquote

from runner.auth.base import Applied, AuthError, Signing, number, text
from runner.auth.jwt import _json_object, encode
from runner.auth.keys import load_private_key

ALGORITHMS = frozenset(f"{f}{n}" for f in ("RS", "PS", "ES") for n in (256, 384, 512))
_DATA_URI = re.compile(r"^data:application/pkcs8;kid=([\w.\-+/]+);base64,([A-Za-z0-9+/=]+)$")
DEFAULT_EXPIRY = 3600


def _key(kid: str, raw: str) -> Any:
    raw = unquote(raw.strip().strip('"'))
    if raw.startswith("data:"):
        match = _DATA_URI.match(raw.replace("\n", ""))
        if not match:
            raise AuthError("asap: malformed data URI for the private key")
        if match.group(1) != kid:
            raise AuthError("asap: the key id does not match the one in the data URI")
    return load_private_key(raw)


def sign(params: dict[str, Any], req: Signing) -> Applied:
    claims = _json_object(params.get("claims"), "claims")
    now = int(time.time())
    issuer = claims.get("iss") or text(params, "iss")
    audience = claims.get("aud") or text(params, "aud")
    kid = claims.get("kid") or text(params, "kid")
    private_key = text(params, "privateKey")
    if not (kid and issuer and audience and private_key):
        raise AuthError("asap: one or more of the required claims (kid, iss, aud) or the private key is missing")
    alg = text(params, "alg", "RS256").upper()
    if alg not in ALGORITHMS:
        raise AuthError(f"asap: invalid algorithm {alg!r}")
    expiry = number(params, "exp", DEFAULT_EXPIRY)
    payload = dict(claims)
    payload.pop("kid", None)
    payload.update(
        iss=issuer,
        sub=claims.get("sub") or text(params, "sub") or issuer,
        aud=audience,
        jti=claims.get("jti") or str(uuid.uuid4()),
        iat=int(claims.get("iat") or now),
        exp=int(claims.get("exp") or now + expiry),
    )
    token = encode(payload, alg, _key(str(kid), private_key), {"kid": str(kid)})
    return Applied(headers=[("Authorization", f"Bearer {token}")], secrets=[token])
