"""JWT bearer: a token signed from the auth's header and payload (HS, RS, PS, ES at 256/384/512)."""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from typing import Any

from runner.auth.base import Applied, AuthError, Signing, flag, text
from runner.auth.keys import load_private_key

ALGORITHMS = frozenset(f"{f}{n}" for f in ("HS", "RS", "PS", "ES") for n in (256, 384, 512))


def _json_object(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return dict(value)
    if value is None or not str(value).strip():
        return {}
    try:
        parsed = json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise AuthError(
            f"jwt: the {what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(parsed, dict):
        raise AuthError(f"jwt: the {what} must be a JSON object")
    return parsed


def encode(claims: dict[str, Any], algorithm: str, key: Any, header: dict[str, Any]) -> str:
    import jwt as pyjwt

    headers = {"typ": None, **header, "alg": algorithm}  # no "typ" unless asked for, as jose does
    try:
        with warnings.catch_warnings():  # Postman signs with short HMAC secrets too; say nothing on stderr
            warnings.simplefilter("ignore")
            return pyjwt.encode(claims, key, algorithm=algorithm, headers=headers)
    except (ValueError, TypeError, pyjwt.PyJWTError) as exc:
        raise AuthError(f"could not sign the token with {algorithm}: {exc}") from None


def signing_key(algorithm: str, params: dict[str, Any]) -> Any:
    if algorithm.startswith("HS"):
        secret = text(params, "secret")
        if not secret:
            raise AuthError("Invalid secret key. Enter a valid key.")
        if flag(params, "isSecretBase64Encoded"):
            try:
                return base64.b64decode(secret)
            except binascii.Error:
                raise AuthError("jwt: the secret is not valid base64") from None
        return secret.encode()
    private_key = text(params, "privateKey")
    if not private_key:
        raise AuthError("Invalid private key. Enter a valid key.")
    return load_private_key(private_key)


def sign(params: dict[str, Any], req: Signing) -> Applied:
    algorithm = text(params, "algorithm", "HS256").upper()
    if algorithm not in ALGORITHMS:
        raise AuthError(f"jwt: invalid algorithm {algorithm!r}")
    key = signing_key(algorithm, params)
    token = encode(
        _json_object(params.get("payload"), "payload"), algorithm, key, _json_object(params.get("header"), "header")
    )
    applied = Applied(secrets=[text(params, "secret"), token])
    if text(params, "addTokenTo", "header") == "queryParam":
        applied.query = [(text(params, "queryParamKey", "token"), token)]
    else:
        prefix = "Bearer" if params.get("headerPrefix") is None else str(params["headerPrefix"])
        applied.headers = [("Authorization", f"{prefix} {token}" if prefix else token)]
    return applied
