"""Servers' side of the auth tests: each verifier checks a request with an independent library.

oauthlib (OAuth 1.0a), mohawk (Hawk), botocore (SigV4), PyJWT (JWT, ASAP), Akamai's edgegrid-python
(EdgeGrid), pyspnego's acceptor (NTLM), and an RFC 7616 digest server written from the RFC.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit


def rsa_key() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode(), pub.decode()


def ec_key(curve: Any) -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(curve)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode(), pub.decode()


def oauth1_verifier(secret: str, token_secret: str, public_key: str = "") -> Any:
    from oauthlib.common import Request
    from oauthlib.oauth1.rfc5849 import signature as sig

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        uri = f"http://127.0.0.1:{handler.server.server_address[1]}{seen.target}"
        headers = dict(seen.headers)
        form = (seen.header("Content-Type") or "").startswith("application/x-www-form-urlencoded")
        body = seen.body.decode() if form else None
        params = sig.collect_parameters(
            uri_query=urlsplit(uri).query, body=body, headers=headers, exclude_oauth_signature=False
        )
        found = dict(params)
        request = Request(uri, seen.method, body, headers)
        request.params = [(k, v) for k, v in params if k != "oauth_signature"]
        request.signature = found.get("oauth_signature", "")
        in_query = dict(parse_qsl(urlsplit(uri).query))  # oauthlib decodes query values twice; RFC 5849 3.5.2 once
        if "oauth_signature" in in_query:
            request.signature = in_query["oauth_signature"]
        method = found.get("oauth_signature_method", "HMAC-SHA1")
        checks = {
            "HMAC-SHA1": lambda: sig.verify_hmac_sha1(request, secret, token_secret),
            "HMAC-SHA256": lambda: sig.verify_hmac_sha256(request, secret, token_secret),
            "HMAC-SHA512": lambda: sig.verify_hmac_sha512(request, secret, token_secret),
            "PLAINTEXT": lambda: sig.verify_plaintext(request, secret, token_secret),
            "RSA-SHA1": lambda: sig.verify_rsa_sha1(request, public_key),
            "RSA-SHA256": lambda: sig.verify_rsa_sha256(request, public_key),
            "RSA-SHA512": lambda: sig.verify_rsa_sha512(request, public_key),
        }
        ok = checks[method]()
        if "oauth_body_hash" in found:
            algo = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}[method.split("-")[1]]
            ok = ok and base64.b64encode(algo(seen.body).digest()).decode() == found["oauth_body_hash"]
        return (200 if ok else 401), [], json.dumps(found)

    return verify


OAUTH1 = {"consumerKey": "ck-4711", "consumerSecret": "cs-s3cr3t!", "token": "tk-99", "tokenSecret": "ts-s3cr3t&"}


DIGEST_ALGORITHMS = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"]


DIGEST_QOPS = ["auth", "auth-int", "auth,auth-int"]


def digest_server(user: str = "Mufasa", password: str = "Circle of Life", one_time: bool = False) -> Any:
    """An RFC 7616 server: challenges (algorithm and qop from the path), then checks with hashlib.

    ``one_time``: every nonce is good for one request (the next gets a 401 with a new one).
    """
    realm, opaque = "api@example.org", "5ccc069c403ebaf9f0171e9517f40e41"
    nonces = ["dcd98b7102dd2f0e8b11d0f600bfb0c093"]

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]]]:
        nonce = nonces[-1]
        algorithm, qop = urlsplit(seen.target).path.strip("/").split("/")[:2]
        hname = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}[algorithm.removesuffix("-sess")]

        def h(data: bytes) -> str:
            return hashlib.new(hname, data).hexdigest()

        header = seen.header("Authorization") or ""
        offer = f'Digest realm="{realm}", qop="{qop}", algorithm={algorithm}, nonce="{nonce}", opaque="{opaque}"'
        challenge = [("WWW-Authenticate", offer)]
        if not header.startswith("Digest "):
            return 401, challenge
        p = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header)}
        ha1 = h(f"{user}:{realm}:{password}".encode())
        if algorithm.endswith("-sess"):
            ha1 = h(f"{ha1}:{nonce}:{p['cnonce']}".encode())
        a2 = f"{seen.method}:{p['uri']}"
        if p.get("qop") == "auth-int":
            a2 += ":" + h(seen.body)
        expect = h(f"{ha1}:{nonce}:{p['nc']}:{p['cnonce']}:{p['qop']}:{h(a2.encode())}".encode())
        good = p["response"] == expect and p["uri"] == seen.target and p.get("opaque") == opaque
        if good and one_time:
            nonces.append(f"nonce-{len(nonces)}")
        return (200, []) if good else (401, challenge)

    return verify


HAWK_KEY = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn"


def hawk_verifier(algorithm: str, payload: bool) -> Any:
    import mohawk

    nonces: set[str] = set()

    def seen_nonce(sender_id: str, nonce: str, timestamp: str) -> bool:
        if nonce in nonces:
            return True
        nonces.add(nonce)
        return False

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        url = f"http://127.0.0.1:{handler.server.server_address[1]}{seen.target}"
        try:
            mohawk.Receiver(
                lambda sid: {"id": sid, "key": HAWK_KEY, "algorithm": algorithm},
                seen.header("Authorization") or "",
                url,
                seen.method,
                content=seen.body,
                content_type=seen.header("Content-Type") or "",
                accept_untrusted_content=not payload,
                seen_nonce=seen_nonce,
            )
        except mohawk.exc.HawkFail as exc:
            return 401, [], f"{type(exc).__name__}: {exc}"
        return 200, [], "ok"

    return verify


def aws_verifier(secret: str, token: str = "") -> Any:
    from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        base = f"http://127.0.0.1:{handler.server.server_address[1]}"
        header = seen.header("Authorization")
        query = parse_qsl(urlsplit(seen.target).query, keep_blank_values=True)
        if header:
            fields = dict(re.findall(r"(\w+)=([^,\s]+)", header))
            credential, signed, signature = fields["Credential"], fields["SignedHeaders"], fields["Signature"]
            amz_date, url = seen.header("X-Amz-Date"), base + seen.target
        else:
            q = dict(query)
            credential, signed, signature = q["X-Amz-Credential"], q["X-Amz-SignedHeaders"], q["X-Amz-Signature"]
            amz_date = q["X-Amz-Date"]
            path, _, qs = seen.target.partition("?")
            url = base + path + "?" + "&".join(p for p in qs.split("&") if not p.startswith("X-Amz-Signature="))
        access, date, region, service, _ = credential.split("/")
        headers = {k: v for k, v in seen.headers if k.lower() in signed.split(";")}
        request = AWSRequest(method=seen.method, url=url, headers=headers, data=seen.body)
        request.context["timestamp"] = amz_date
        kind = SigV4Auth if service != "s3" else S3SigV4Auth if header else S3SigV4QueryAuth
        signer = kind(Credentials(access, secret, token or None), service, region)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if token and (seen.header("X-Amz-Security-Token") or dict(query).get("X-Amz-Security-Token")) != token:
            return 401, [], "session token"
        return (200 if expected == signature else 403), [], json.dumps({"region": region, "service": service})

    return verify


def jwt_verifier(keys: dict[str, Any], where: str = "header", **decode: Any) -> Any:
    """PyJWT checks the token with the key for the algorithm the path names (/jwt/RS256)."""
    import jwt as pyjwt

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        algorithm = urlsplit(seen.target).path.rstrip("/").split("/")[-1]
        if where == "header":
            token = (seen.header("Authorization") or "").split(" ")[-1]
        else:
            token = dict(parse_qsl(urlsplit(seen.target).query))[where]
        try:
            claims = pyjwt.decode(token, keys[algorithm], algorithms=[algorithm], **decode)
        except pyjwt.PyJWTError as exc:
            return 401, [], str(exc)
        return 200, [], json.dumps({"claims": claims, "header": pyjwt.get_unverified_header(token)})

    return verify


JWT_ALGORITHMS = [f"{f}{n}" for f in ("HS", "RS", "PS", "ES") for n in (256, 384, 512)]


def edgegrid_verifier(client: str, secret: str, access: str, headers_to_sign: list[str], max_body: int) -> Any:
    from akamai.edgegrid.edgegrid import EdgeGridAuthHeaders
    from requests.structures import CaseInsensitiveDict

    signer = EdgeGridAuthHeaders(client, secret, access, headers_to_sign=headers_to_sign, max_body=max_body)

    class Req:
        pass

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        header = seen.header("Authorization") or ""
        fields = dict(re.findall(r"(\w+)=([^;]*)", header))
        r = Req()
        r.method, r.headers, r.body = seen.method, CaseInsensitiveDict(seen.headers), seen.body
        r.url = f"http://127.0.0.1:{handler.server.server_address[1]}{seen.target}"
        expected = signer.make_auth_header(r, fields.get("timestamp", ""), fields.get("nonce", ""))
        return (200 if expected == header else 401), [], "ok"

    return verify


def ntlm_verifier() -> Any:
    import spnego

    def verify(handler: Any, seen: Any) -> tuple[int, list[tuple[str, str]], str]:
        header = seen.header("Authorization") or ""
        if not header.startswith("NTLM "):
            return 401, [("WWW-Authenticate", "NTLM"), ("WWW-Authenticate", "Negotiate")], "no auth"
        token = base64.b64decode(header[5:])
        if not hasattr(handler, "ntlm"):
            handler.ntlm = spnego.server(protocol="ntlm")
        out = handler.ntlm.step(token)
        if not handler.ntlm.complete:
            return 401, [("WWW-Authenticate", "NTLM " + base64.b64encode(out or b"").decode())], "challenge"
        return 200, [], json.dumps({"user": handler.ntlm.client_principal})

    return verify
