"""HTTP Digest (RFC 7616, RFC 2617): answers the server's 401 challenge, as Postman does.

Without a realm and nonce the request goes unsigned; the 401's ``WWW-Authenticate: Digest``
gives them (with qop and opaque) and the request is sent once more, signed. What the challenge
taught stays on the auth (the item's own, or the folder's or collection's it inherits), so the
items using that auth sign at once, with the next nonce count, as postman-runtime does.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from runner.auth.base import Applied, AuthError, Signing, random_string, text

HASHES = {
    "MD5": "md5",
    "MD5-SESS": "md5",
    "SHA-256": "sha256",
    "SHA-256-SESS": "sha256",
    "SHA-512-256": "sha512_256",
    "SHA-512-256-SESS": "sha512_256",
}
_FIELD = re.compile(r'([a-zA-Z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def _hash(name: str, data: bytes) -> str:
    if name == "sha512_256":
        return hashlib.new("sha512_256", data).hexdigest()
    return hashlib.new(name, data).hexdigest()


def parse_challenge(value: str) -> dict[str, str]:
    """The fields of one ``Digest ...`` challenge, keys in lower case."""
    out = {}
    for key, quoted, bare in _FIELD.findall(value[len("Digest") :]):
        out[key.lower()] = re.sub(r"\\(.)", r"\1", quoted) if quoted else bare
    return out


def pick_challenge(headers: list[tuple[str, str]], algorithm: str) -> dict[str, str] | None:
    """The Digest challenge for the algorithm asked for (a challenge naming none is MD5), else the first."""
    found = [parse_challenge(v) for k, v in headers if k.lower() == "www-authenticate" and v[:7].lower() == "digest "]
    for challenge in found:
        if challenge.get("algorithm", "MD5").upper() == algorithm.upper():
            return challenge
    return found[0] if found else None


def choose_qop(offered: str, wanted: str) -> str:
    """RFC 7616 3.4: the client picks one of the offered qop values (Newman sends the list as is)."""
    options = [q.strip() for q in offered.split(",") if q.strip()]
    if not options:
        return ""
    if wanted in options:
        return wanted
    return "auth" if "auth" in options else options[0]


def response_header(
    *,
    username: str,
    password: str,
    realm: str,
    nonce: str,
    method: str,
    uri: str,
    algorithm: str = "MD5",
    qop: str = "",
    nc: str = "00000001",
    cnonce: str = "",
    opaque: str = "",
    body: bytes = b"",
) -> tuple[str, str]:
    """The Authorization header value and its ``response`` digest."""
    hname = HASHES.get(algorithm.upper())
    if hname is None:
        raise AuthError(f"Unsupported digest algorithm: {algorithm}")
    h = lambda s: _hash(hname, s.encode() if isinstance(s, str) else s)  # noqa: E731
    ha1 = h(f"{username}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}:{h(body)}") if qop == "auth-int" else h(f"{method}:{uri}")
    if qop in ("auth", "auth-int"):
        digest = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
    else:
        digest = h(f"{ha1}:{nonce}:{ha2}")
    parts = [
        f'username="{username}"',
        f'realm="{realm}"',
        f'nonce="{nonce}"',
        f'uri="{uri}"',
        f'algorithm="{algorithm}"',
    ]
    if qop in ("auth", "auth-int"):
        parts += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
    elif algorithm.upper().endswith("-SESS"):
        parts += [f"nc={nc}", f'cnonce="{cnonce}"']
    parts.append(f'response="{digest}"')
    if opaque:
        parts.append(f'opaque="{opaque}"')
    return "Digest " + ", ".join(parts), digest


def _value(params: dict[str, Any], learned: dict[str, str], key: str) -> str:
    """A parameter the user gave wins; else what a challenge taught (Postman only fills empty ones)."""
    return text(params, key) or learned.get(key, "")


def sign(params: dict[str, Any], req: Signing) -> Applied:
    learned = req.state.digest if req.state is not None else {}
    username = text(params, "username")
    password = text(params, "password")
    realm, nonce = _value(params, learned, "realm"), _value(params, learned, "nonce")
    if not (realm and nonce and username):
        return Applied(secrets=[password])  # sent unsigned, to get the challenge
    algorithm = text(params, "algorithm") or learned.get("algorithm") or "MD5"
    header, digest = response_header(
        username=username,
        password=password,
        realm=realm,
        nonce=nonce,
        method=req.method,
        uri=req.target.target,
        algorithm=algorithm,
        qop=_value(params, learned, "qop"),
        nc=_value(params, learned, "nonceCount") or "00000001",
        cnonce=_value(params, learned, "clientNonce") or random_string(8),
        opaque=_value(params, learned, "opaque"),
        body=req.body or b"",
    )
    return Applied(headers=[("Authorization", header)], secrets=[password, digest])


def answered(params: dict[str, Any], headers: list[tuple[str, str]], code: int, learned: dict[str, str]) -> bool:
    """What the response teaches the auth; True when the request must be sent again, signed.

    postman-runtime's rule: a 401/403 with a Digest challenge is answered unless the auth already
    has every value the challenge names (then the 401 stands: a nonce the server no longer takes is
    not replaced); any other response counts the nonce as used (``nonceCount`` + 1).
    """
    challenge = pick_challenge(headers, text(params, "algorithm", "MD5")) if code in (401, 403) else None
    if challenge is None:
        if not text(params, "nonceCount"):
            used = re.match(r"\s*[+-]?\d+", _value(params, learned, "nonceCount"))  # lodash parseInt: decimal
            learned["nonceCount"] = str(int(used.group()) + 1).zfill(8) if used else "00000001"
        return False
    taught = {"nonce": challenge.get("nonce", ""), "realm": challenge.get("realm", "")}
    if challenge.get("opaque"):
        taught["opaque"] = challenge["opaque"]
    if "qop" in challenge:
        taught["qop"] = choose_qop(challenge["qop"], text(params, "qop"))
    if taught.get("qop") or text(params, "qop"):
        taught["clientNonce"] = random_string(8)
        taught["nonceCount"] = "00000001"
    if all(_value(params, learned, key) for key in taught):
        return False
    for key, value in taught.items():
        if not text(params, key):
            learned[key] = value
    if not text(params, "algorithm") and challenge.get("algorithm", "").upper() in HASHES:
        learned["algorithm"] = challenge["algorithm"]  # none asked for: the server's (RFC 7616 3.3)
    return True
