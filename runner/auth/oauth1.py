"""OAuth 1.0a request signing (RFC 5849), with the parameters Postman's oauth1 helper exposes.

The base string is built from the request as it goes on the wire: the query string decoded as a
form, the urlencoded body fields, and the oauth_* parameters (RFC 5849 3.4.1).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import unquote_plus

from runner.auth.base import Applied, AuthError, Signing, flag, percent_encode, random_string, text
from runner.auth.keys import load_private_key

_DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def base_string_uri(req: Signing) -> str:
    """RFC 5849 3.4.1.2: scheme and host in lower case, the port only when not the default."""
    t = req.target
    host = f"[{t.host}]" if ":" in t.host else t.host
    netloc = host if t.port is None else f"{host}:{t.port}"
    return f"{t.scheme.lower()}://{netloc.lower()}{t.target.split('?', 1)[0]}"


def query_pairs(target: str) -> list[tuple[str, str]]:
    if "?" not in target:
        return []
    out = []
    for part in target.split("?", 1)[1].split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        out.append((unquote_plus(key), unquote_plus(value)))
    return out


def base_string(method: str, uri: str, params: list[tuple[str, str]]) -> str:
    encoded = sorted((percent_encode(k), percent_encode(v)) for k, v in params)
    normalized = "&".join(f"{k}={v}" for k, v in encoded)
    return "&".join(percent_encode(s) for s in (method.upper(), uri, normalized))


def signature(method: str, base: str, consumer_secret: str, token_secret: str, private_key: str = "") -> str:
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    kind, _, digest = method.upper().partition("-")
    if kind == "PLAINTEXT":
        return key
    if digest not in _DIGESTS:
        raise AuthError(f"oauth1: unsupported signature method {method!r}")
    if kind == "HMAC":
        return base64.b64encode(hmac.new(key.encode(), base.encode(), _DIGESTS[digest]).digest()).decode()
    if kind == "RSA":
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        pkey = load_private_key(private_key)
        if not isinstance(pkey, rsa.RSAPrivateKey):
            raise AuthError("oauth1: RSA signature methods need an RSA private key")
        algo = {"SHA1": hashes.SHA1(), "SHA256": hashes.SHA256(), "SHA512": hashes.SHA512()}[digest]
        return base64.b64encode(pkey.sign(base.encode(), padding.PKCS1v15(), algo)).decode()
    raise AuthError(f"oauth1: unsupported signature method {method!r}")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def sign(params: dict[str, Any], req: Signing) -> Applied:
    method = text(params, "signatureMethod", "HMAC-SHA1")
    consumer_key = text(params, "consumerKey")
    consumer_secret, token_secret = text(params, "consumerSecret"), text(params, "tokenSecret")
    private_key = text(params, "privateKey")
    is_rsa = method.upper().startswith("RSA")
    if not consumer_key or (is_rsa and not private_key) or (not is_rsa and not consumer_secret):
        return Applied(secrets=[consumer_secret, token_secret])  # nothing to sign with, as Postman
    keep_empty = flag(params, "addEmptyParamsToSign")
    oauth = [
        ("oauth_consumer_key", consumer_key),
        ("oauth_token", text(params, "token")),
        ("oauth_signature_method", method),
        ("oauth_timestamp", text(params, "timestamp") or str(int(time.time()))),
        ("oauth_nonce", text(params, "nonce") or random_string(11)),
        ("oauth_version", text(params, "version")),
    ]
    digest = method.upper().partition("-")[2]
    if flag(params, "includeBodyHash") and digest in _DIGESTS and req.form is None:
        oauth.append(("oauth_body_hash", base64.b64encode(_DIGESTS[digest](req.body or b"").digest()).decode()))
    oauth += [("oauth_callback", text(params, "callback")), ("oauth_verifier", text(params, "verifier"))]
    # Without addEmptyParamsToSign an empty parameter is neither signed nor sent; with it, it is both
    # (Newman signs an empty oauth_token and then leaves it out, which no server accepts).
    # An empty oauth_version is never sent (RFC 5849 3.1: when present it is "1.0").
    named = {"oauth_token": "token", "oauth_callback": "callback", "oauth_verifier": "verifier"}
    oauth = [(k, v) for k, v in oauth if v.strip() or (keep_empty and named.get(k) in params)]
    signed = [*oauth, *query_pairs(req.target.target), *(req.form or [])]
    base = base_string(req.method, base_string_uri(req), signed)
    sig = signature(method, base, consumer_secret, token_secret, private_key)
    oauth.append(("oauth_signature", sig))
    applied = Applied(secrets=[consumer_secret, token_secret, sig, percent_encode(sig)])
    if flag(params, "addParamsToHeader"):
        raw = flag(params, "disableHeaderEncoding")
        fields = [(k, v if raw else percent_encode(v)) for k, v in oauth]
        realm = text(params, "realm")
        # RFC 5849 3.5.1: the realm is a plain quoted-string (Newman percent-encodes it).
        head = [f'realm="{_quote(realm)}"'] if realm else []
        applied.headers.append(("Authorization", "OAuth " + ",".join(head + [f'{k}="{v}"' for k, v in fields])))
    elif req.method in ("POST", "PUT") and req.form is not None:
        applied.form = oauth
    else:
        applied.query = [(percent_encode(k), percent_encode(v)) for k, v in oauth]
    return applied
