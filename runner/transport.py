"""Where and how each request's connection is made: proxies from the environment, TLS settings.

The run's connections (``runner.http11``) are made without httpx's client, so nothing of httpx's own
``HTTP_PROXY`` handling applies; this module reads what Newman reads instead:
``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` (either case) for every request and redirect (https
goes through a CONNECT tunnel), and builds a TLS context per setting (client certificate matched by URL, extra
CA certificates, the protocol profile's ``strictSSL``, ``tlsDisabledProtocols``, ``tlsCipherSelection``).
"""

from __future__ import annotations

import fnmatch
import os
import re
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx


def _allow_node_header_values() -> None:
    """Let h11 send header values Node sends: leading and trailing blanks kept (``Bearer ``).

    h11 refuses a value that starts or ends with whitespace; Node (and so Newman) sends any value
    without CR, LF or other controls. The executor refuses those itself, with Node's message,
    before anything reaches h11, so only the check on outgoing values is relaxed here.
    """
    try:
        from h11 import _headers
    except ImportError:  # pragma: no cover - httpcore always brings h11
        return
    if hasattr(_headers, "_field_value_re"):
        _headers._field_value_re = re.compile(rb"[\t\x20-\x7e\x80-\xff]*")


_allow_node_header_values()

# Newman's names for tlsDisabledProtocols, as OpenSSL's per-version switches (they may leave a gap,
# which minimum/maximum versions cannot express).
_TLS_SWITCHES = {
    "SSLv2": ssl.OP_NO_SSLv2,
    "SSLv3": ssl.OP_NO_SSLv3,
    "TLSv1": ssl.OP_NO_TLSv1,
    "TLSv1_1": ssl.OP_NO_TLSv1_1,
    "TLSv1_2": ssl.OP_NO_TLSv1_2,
    "TLSv1_3": ssl.OP_NO_TLSv1_3,
}


@dataclass(frozen=True)
class ClientCert:
    """A client certificate, as Newman's ``--ssl-client-*`` options or one ``--ssl-client-cert-list`` entry."""

    cert: str
    key: str | None = None
    passphrase: str | None = None
    matches: tuple[str, ...] = ()  # URL patterns (``https://*.example.com/*``); empty: every URL

    def applies_to(self, url: str) -> bool:
        return not self.matches or any(match_url_pattern(p, url) for p in self.matches)


@dataclass
class TLSOptions:
    insecure: bool = False
    extra_ca_certs: str | None = None
    client_cert: ClientCert | None = None
    client_cert_list: list[ClientCert] = field(default_factory=list)

    def cert_for(self, url: str) -> ClientCert | None:
        """The list's first entry whose pattern matches, else the single ``--ssl-client-cert``."""
        for cert in self.client_cert_list:
            if cert.applies_to(url):
                return cert
        return self.client_cert


def match_url_pattern(pattern: str, url: str) -> bool:
    """Postman's URL match patterns: ``<scheme>://<host>[:port]/<path>``, ``*`` a wildcard in each part;
    ``*.example.com`` matches the domain and its subdomains; ``<all_urls>`` matches everything."""
    if pattern == "<all_urls>":
        return True
    if "://" not in pattern:
        return False
    p_scheme, _, rest = pattern.partition("://")
    p_host, slash, p_path = rest.partition("/")
    u = urlsplit(url)
    if p_scheme != "*" and u.scheme.lower() not in p_scheme.lower().split("+"):
        return False
    host, port = u.hostname or "", u.port
    if ":" in p_host and not p_host.endswith("]"):
        p_host, _, p_port = p_host.rpartition(":")
        default = 443 if u.scheme == "https" else 80
        if p_port != "*" and str(port or default) != p_port:
            return False
    p_host = p_host.lower()
    if p_host.startswith("*."):
        if not (host == p_host[2:] or host.endswith(p_host[1:])):
            return False
    elif p_host != "*" and host != p_host:
        return False
    path = u.path or "/"
    return fnmatch.fnmatchcase(path, "/" + (p_path if slash else "*"))


def load_cert_list(path: str) -> list[ClientCert]:
    """Newman's ``--ssl-client-cert-list``: a JSON array of ``{name, matches, key: {src}, cert: {src}, passphrase}``."""
    from runner.errors import InputError
    from runner.files import read_json

    doc = read_json(path, "client certificate list")
    if not isinstance(doc, list):
        raise InputError(path, "a client certificate list must be a JSON array")
    certs = []
    for i, entry in enumerate(doc):
        if not isinstance(entry, dict):
            raise InputError(path, "each entry must be an object", f"/{i}")
        cert = _src(entry.get("cert"))
        if not cert:
            raise InputError(path, "the entry has no cert.src", f"/{i}/cert")
        matches = entry.get("matches") or []
        if not isinstance(matches, list) or not all(isinstance(m, str) for m in matches):
            raise InputError(path, "matches must be an array of URL patterns", f"/{i}/matches")
        passphrase = entry.get("passphrase")
        secret = None if passphrase is None else str(passphrase)
        certs.append(ClientCert(cert, _src(entry.get("key")), secret, tuple(matches)))
    return certs


def _src(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("src")
    return str(value) if value else None


class ProxyConfig:
    """``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` read once per run, in either case, as Newman reads them."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name.upper()) or env.get(name.lower())
            return value.strip() or None if value else None

        self.http = get("HTTP_PROXY")
        self.https = get("HTTPS_PROXY") or self.http
        self.no_proxy = [n.strip().lower() for n in (get("NO_PROXY") or "").split(",") if n.strip()]

    def credentials(self) -> list[str]:
        """Passwords written into the proxy URLs: reporters mask them."""
        from urllib.parse import unquote

        found = []
        for proxy in (self.http, self.https):
            if proxy and "@" in proxy:
                parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
                if parts.password:
                    found += [parts.password, unquote(parts.password)]
        return found

    def for_url(self, url: httpx.URL) -> str | None:
        proxy = self.https if url.scheme == "https" else self.http if url.scheme == "http" else None
        if proxy is None or self._bypassed(url):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def _bypassed(self, url: httpx.URL) -> bool:
        host = url.host.lower()
        port = url.port or (443 if url.scheme == "https" else 80)
        for entry in self.no_proxy:
            if entry == "*":
                return True
            name, _, entry_port = entry.partition(":") if not entry.startswith("[") else (entry, "", "")
            if entry_port and entry_port != str(port):
                continue
            name = name.lstrip("*")
            if host == name.lstrip(".") or (name.startswith(".") and host.endswith(name)) or host.endswith("." + name):
                return True
        return False


def tls_context(options: TLSOptions, cert: ClientCert | None, profile: Mapping[str, Any]) -> ssl.SSLContext:
    """A TLS context for these settings; ``strictSSL: false`` in the profile verifies nothing, like ``-k``."""
    verify = not options.insecure and profile.get("strictSSL") is not False
    ctx = httpx.create_ssl_context(verify=verify, trust_env=True)
    if verify:
        # NODE_EXTRA_CA_CERTS is how a CI job trusts its CA for Newman; honour it so the job switches as is.
        for extra in (os.environ.get("NODE_EXTRA_CA_CERTS"), options.extra_ca_certs):
            if extra:
                ctx.load_verify_locations(cafile=extra)
    if cert is not None:
        ctx.load_cert_chain(cert.cert, cert.key, cert.passphrase)
    for name in profile.get("tlsDisabledProtocols") or []:
        if str(name) in _TLS_SWITCHES:
            with warnings.catch_warnings():  # deprecated in favour of min/max versions, which cannot leave gaps
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.options |= _TLS_SWITCHES[str(name)]
    ciphers = profile.get("tlsCipherSelection")
    if ciphers:
        ctx.set_ciphers(":".join(str(c) for c in ciphers))  # TLS 1.2 and below; see README
    return ctx
