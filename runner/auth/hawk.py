"""Hawk request authentication (hueniverse/hawk, header scheme ``hawk.1``).

A fresh nonce and timestamp for every request unless the auth names them: Hawk servers refuse a
nonce seen before, and Newman reuses the first one for every item that inherits the auth.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from runner.auth.base import Applied, AuthError, Signing, flag, random_string, text

_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


def payload_hash(algorithm: str, content_type: str | None, body: bytes) -> str:
    ctype = (content_type or "").split(";")[0].strip().lower()
    digest = _ALGORITHMS[algorithm](b"hawk.1.payload\n" + ctype.encode() + b"\n" + body + b"\n").digest()
    return base64.b64encode(digest).decode()


def normalized(
    ts: str, nonce: str, method: str, resource: str, host: str, port: int, hash_: str, ext: str, app: str, dlg: str
) -> str:
    ext = ext.replace("\\", "\\\\").replace("\n", "\\n")
    out = f"hawk.1.header\n{ts}\n{nonce}\n{method.upper()}\n{resource}\n{host.lower()}\n{port}\n{hash_}\n{ext}\n"
    if app:
        out += f"{app}\n{dlg}\n"
    return out


def mac(algorithm: str, key: str, text_: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), text_.encode(), _ALGORITHMS[algorithm]).digest()).decode()


def sign(params: dict[str, Any], req: Signing) -> Applied:
    auth_id, key = text(params, "authId"), text(params, "authKey")
    if not auth_id or not key:
        return Applied(secrets=[key])
    algorithm = text(params, "algorithm", "sha256").lower()
    if algorithm not in _ALGORITHMS:
        raise AuthError(f"hawk: unknown algorithm {algorithm!r} (use sha1 or sha256)")
    ts = text(params, "timestamp")
    ts = ts if ts.isdigit() and int(ts) else str(int(time.time()))
    nonce = text(params, "nonce") or random_string(6)
    ext, app, dlg = text(params, "extraData"), text(params, "app"), text(params, "delegation")
    hash_ = ""
    if flag(params, "includePayloadHash") and req.body:
        hash_ = payload_hash(algorithm, req.header("Content-Type"), req.body)
    signature = mac(
        algorithm,
        key,
        normalized(ts, nonce, req.method, req.target.target, req.target.host, req.port, hash_, ext, app, dlg),
    )
    header = f'Hawk id="{auth_id}", ts="{ts}", nonce="{nonce}"'
    if hash_:
        header += f', hash="{hash_}"'
    if ext:
        header += ', ext="' + ext.replace("\\", "\\\\").replace('"', '\\"') + '"'
    header += f', mac="{signature}"'
    if app:
        header += f', app="{app}"' + (f', dlg="{dlg}"' if dlg else "")
    return Applied(headers=[("Authorization", header)], secrets=[key, signature])
