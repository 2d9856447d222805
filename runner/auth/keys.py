"""Private keys as collections carry them: PEM (newlines sometimes lost), or a ``data:`` URI of DER."""

from __future__ import annotations

import base64
import re
from typing import Any

from runner.auth.base import AuthError

_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def normalize_pem(text: str) -> bytes:
    """Re-wrap a PEM body: Postman's editors and env files often turn its newlines into spaces or ``\\n``."""
    text = text.strip().strip('"').replace("\\n", "\n")
    match = _PEM.search(text)
    if not match:
        raise AuthError("the private key is not a PEM key")
    label, body = match.group(1), re.sub(r"\s+", "", match.group(2))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    wrapped = "\n".join(lines)
    return f"-----BEGIN {label}-----\n{wrapped}\n-----END {label}-----\n".encode()


def load_private_key(text: str, password: bytes | None = None) -> Any:
    from cryptography.hazmat.primitives import serialization

    try:
        if text.strip().startswith("data:"):
            _, _, b64 = text.strip().partition("base64,")
            return serialization.load_der_private_key(base64.b64decode(b64), password)
        return serialization.load_pem_private_key(normalize_pem(text), password)
    except (ValueError, TypeError) as exc:
        raise AuthError(f"the private key could not be read: {exc}") from None
