"""AWS Signature Version 4, in the Authorization header or as a presigned URL (query).

Defaults as Postman's: service ``execute-api``, region ``us-east-1``. The body is hashed into
``X-Amz-Content-Sha256``. A presigned request with a body signs that body's hash (S3: the
``UNSIGNED-PAYLOAD`` marker), as AWS computes it; Newman signs the empty body's hash there.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any
from urllib.parse import unquote

from runner.auth.base import Applied, Signing, flag, percent_encode, text

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
UNSIGNED = "UNSIGNED-PAYLOAD"
# Headers that proxies change or that aws4 leaves unsigned.
_UNSIGNED_HEADERS = frozenset(
    {"authorization", "connection", "x-amzn-trace-id", "user-agent", "expect", "presigned-expires", "range"}
)
_OURS = ("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256")


def _normalize_path(path: str) -> str:
    """RFC 3986 5.2.4 dot segments removed; repeated slashes kept as AWS's own signers do."""
    out: list[str] = []
    segments = path.split("/")
    for seg in segments[1:]:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    result = "/" + "/".join(out)
    if path.endswith(("/.", "/..")) and not result.endswith("/"):
        result += "/"
    return result


def canonical_uri(path: str, service: str) -> str:
    """The wire path: as sent for S3, else normalized and encoded once more (as AWS's own signers)."""
    if service == "s3":
        return path or "/"
    return "/".join(percent_encode(seg) for seg in _normalize_path(path or "/").split("/"))


def canonical_query(query: str) -> str:
    pairs = []
    for part in query.split("&") if query else []:
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((percent_encode(unquote(key)), percent_encode(unquote(value))))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_headers(headers: list[tuple[str, str]]) -> tuple[str, str]:
    merged: dict[str, list[str]] = {}
    for key, value in headers:
        lower = key.lower()
        if lower in _UNSIGNED_HEADERS:
            continue
        merged.setdefault(lower, []).append(" ".join(value.strip().split()))
    names = sorted(merged)
    return "".join(f"{n}:{','.join(merged[n])}\n" for n in names), ";".join(names)


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def string_to_sign(amz_date: str, scope: str, canonical_request: str) -> str:
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"


def sign_parts(
    *,
    method: str,
    path: str,
    query: str,
    headers: list[tuple[str, str]],
    payload_hash: str,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    amz_date: str,
) -> tuple[str, str, str]:
    """(signature, signed header names, credential scope) of a request."""
    canon_headers, signed = canonical_headers(headers)
    canonical = "\n".join(
        [method.upper(), canonical_uri(path, service), canonical_query(query), canon_headers, signed, payload_hash]
    )
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    key = signing_key(secret_key, amz_date[:8], region, service)
    sig = hmac.new(key, string_to_sign(amz_date, scope, canonical).encode(), hashlib.sha256).hexdigest()
    return sig, signed, scope


def sign(params: dict[str, Any], req: Signing, now: float | None = None) -> Applied:
    access_key, secret_key = text(params, "accessKey"), text(params, "secretKey")
    token = text(params, "sessionToken")
    service, region = text(params, "service", "execute-api"), text(params, "region", "us-east-1")
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now if now is not None else time.time()))
    path, _, query = req.target.target.partition("?")
    base = [(k, v) for k, v in req.headers if k.lower() not in _OURS]
    if req.header("Host") is None:
        base.insert(0, ("Host", req.target.netloc))
    body_hash = hashlib.sha256(req.body).hexdigest() if req.body else None
    applied = Applied(secrets=[secret_key, token])
    if flag(params, "addAuthDataToQuery"):
        payload = UNSIGNED if service == "s3" else (body_hash or EMPTY_HASH)
        _, signed_names = canonical_headers(base)
        added = [
            ("X-Amz-Algorithm", ALGORITHM),
            ("X-Amz-Credential", f"{access_key}/{amz_date[:8]}/{region}/{service}/aws4_request"),
            ("X-Amz-Date", amz_date),
            ("X-Amz-Expires", "86400"),
        ]
        if token:
            added.append(("X-Amz-Security-Token", token))
        added.append(("X-Amz-SignedHeaders", signed_names))
        encoded = [(percent_encode(k), percent_encode(v)) for k, v in added]
        full_query = "&".join(p for p in [query, *(f"{k}={v}" for k, v in encoded)] if p)
        sig, _, _ = sign_parts(
            method=req.method, path=path, query=full_query, headers=base, payload_hash=payload,
            access_key=access_key, secret_key=secret_key, region=region, service=service, amz_date=amz_date,
        )  # fmt: skip
        applied.query = [*encoded, ("X-Amz-Signature", sig)]
        applied.headers = [h for h in base if h[0].lower() == "host" and req.header("Host") is None]
        applied.secrets.append(sig)
        return applied
    added_headers: list[tuple[str, str]] = []
    if req.header("Host") is None:
        added_headers.append(("Host", req.target.netloc))
    payload = body_hash or (UNSIGNED if service == "s3" else EMPTY_HASH)
    if body_hash or service == "s3":
        added_headers.append(("X-Amz-Content-Sha256", payload))
    added_headers.append(("X-Amz-Date", amz_date))
    if token:
        added_headers.append(("X-Amz-Security-Token", token))
    signing = [*base, *(h for h in added_headers if h[0] != "Host")]
    sig, signed_names, scope = sign_parts(
        method=req.method, path=path, query=query, headers=signing, payload_hash=payload,
        access_key=access_key, secret_key=secret_key, region=region, service=service, amz_date=amz_date,
    )  # fmt: skip
    header = f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed_names}, Signature={sig}"
    applied.headers = [*added_headers, ("Authorization", header)]
    applied.secrets.append(sig)
    return applied
