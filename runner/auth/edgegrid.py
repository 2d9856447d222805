"""Akamai EdgeGrid (EG1-HMAC-SHA256): a signature over the request line, chosen headers and body hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from typing import Any

from runner.auth.base import Applied, Signing, number, text
from runner.url import to_target

DEFAULT_MAX_BODY = 131072  # 128 KiB, as Postman and Akamai's own clients


def _hmac(data: str, key: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), data.encode(), hashlib.sha256).digest()).decode()


def canonical_headers(names: list[str], headers: list[tuple[str, str]]) -> str:
    values = {k.lower(): v for k, v in headers}
    out = []
    for name in names:
        name = name.strip().lower()
        value = values.get(name)
        if value:
            out.append(f"{name}:{' '.join(value.strip().split())}")
    return "\t".join(out)


def sign(params: dict[str, Any], req: Signing) -> Applied:
    access, client, secret = text(params, "accessToken"), text(params, "clientToken"), text(params, "clientSecret")
    if not (access and client and secret):
        return Applied(secrets=[secret])
    timestamp = text(params, "timestamp") or time.strftime("%Y%m%dT%H:%M:%S+0000", time.gmtime())
    nonce = text(params, "nonce") or str(uuid.uuid4())
    base_url = text(params, "baseURL")
    host = to_target(base_url).netloc if base_url else req.target.netloc
    names = params.get("headersToSign") or []
    if isinstance(names, str):
        names = names.split(",")
    max_body = number(params, "maxBodySize", DEFAULT_MAX_BODY)
    body_hash = ""
    if req.method == "POST" and req.body:
        body_hash = base64.b64encode(hashlib.sha256(req.body[:max_body]).digest()).decode()
    head = f"EG1-HMAC-SHA256 client_token={client};access_token={access};timestamp={timestamp};nonce={nonce};"
    data = "\t".join(
        [
            req.method,
            req.target.scheme,
            host,
            req.target.target or "/",
            canonical_headers(list(names), req.headers),
            body_hash,
            head,
        ]
    )
    signature = _hmac(data, _hmac(timestamp, secret))
    return Applied(
        headers=[("Authorization", head + "signature=" + signature)], secrets=[secret, access, client, signature]
    )
