"""HTTP Digest (RFC 7616, RFC 2617): answers the server's 401 challenge, as Postman does.

Without a realm and nonce the request goes unsigned; the 401's ``WWW-Authenticate: Digest``
gives them (with qop and opaque) and the request is sent once more, signed.
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


def remember_key(req: Signing | Any, params: dict[str, Any]) -> str:
    return f"{req.target.origin} {text(params, 'username')}"


def sign(params: dict[str, Any], req: Signing) -> Applied:
    state = req.state.challenge if req.state is not None else {}
    username = text(params, "username")
    password = text(params, "password")
    remembered = req.state.remembered if req.state is not None else None
    key = remember_key(req, params)
    if not state.get("nonce") and not text(params, "nonce") and remembered and key in remembered:
        # An earlier item's challenge: its nonce again with the next count (RFC 7616 3.4), as Postman
        # does; a server that wants a new nonce says so with a 401, answered as usual.
        last = remembered[key]
        last["nc"] = f"{int(last.get('nc') or '0', 16) + 1:08x}"
        state.update(last)
    realm = state.get("realm") or text(params, "realm")
    nonce = state.get("nonce") or text(params, "nonce")
    if not (realm and nonce and username):
        return Applied(secrets=[password])  # wait for the challenge
    algorithm = text(params, "algorithm") or state.get("algorithm") or "MD5"
    qop = state["qop"] if "qop" in state else text(params, "qop")
    cnonce = state.get("cnonce") or text(params, "clientNonce") or random_string(8)
    nc = state.get("nc") or text(params, "nonceCount", "00000001")
    header, digest = response_header(
        username=username,
        password=password,
        realm=realm,
        nonce=nonce,
        method=req.method,
        uri=req.target.target,
        algorithm=algorithm,
        qop=qop,
        nc=nc,
        cnonce=cnonce,
        opaque=state.get("opaque") or text(params, "opaque"),
        body=req.body or b"",
    )
    return Applied(headers=[("Authorization", header)], secrets=[password, digest])


def challenged(params: dict[str, Any], headers: list[tuple[str, str]], code: int, state: dict[str, str]) -> bool:
    """Learn the server's challenge from a 401/403; True when the request must be sent again."""
    if code not in (401, 403) or state.get("answered"):
        return False
    challenge = pick_challenge(headers, text(params, "algorithm", "MD5"))
    if challenge is None or not challenge.get("nonce"):
        return False
    state.clear()
    state.update(realm=challenge.get("realm", ""), nonce=challenge["nonce"], answered="1")
    if not text(params, "algorithm") and challenge.get("algorithm", "").upper() in HASHES:
        state["algorithm"] = challenge["algorithm"]  # none asked for: the server's (RFC 7616 3.3)
    if challenge.get("opaque"):
        state["opaque"] = challenge["opaque"]
    if "qop" in challenge:
        state["qop"] = choose_qop(challenge["qop"], text(params, "qop"))
        state["cnonce"] = text(params, "clientNonce") or random_string(8)
    return True


def remember(
    params: dict[str, Any], prepared: Any, code: int, state: dict[str, str], into: dict[str, dict[str, str]]
) -> None:
    """Keep the challenge a request answered, for the run's next digest requests to the same origin."""
    if code in (401, 403) or not state.get("nonce"):
        return
    kept = {k: v for k, v in state.items() if k in ("realm", "nonce", "opaque", "qop", "cnonce", "algorithm", "nc")}
    kept.setdefault("nc", text(params, "nonceCount", "00000001"))
    into[remember_key(prepared, params)] = kept
