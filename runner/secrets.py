"""Keep secrets out of everything postrun shows or writes.

Secret values are environment/globals entries typed ``secret``, values named with ``--secret``,
and the credentials of auth helpers. Reporters pass every string they emit through ``mask``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from runner.collection import Collection, auth_params
from runner.variables import VariableScope

# Auth parameters that hold credentials (Postman's names, across the auth types it knows).
CREDENTIAL_KEYS = frozenset({
    "password", "token", "value", "accessToken", "refreshToken", "clientSecret", "consumerSecret",
    "tokenSecret", "secretKey", "sessionToken", "privateKey", "secret", "authKey", "apiKey", "signature",
})

MASK = "***"
MIN_LENGTH = 3  # masking shorter values would scramble ordinary text without protecting much


class Masker:
    """Replaces every known secret value (and its common encodings) with ``***``."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, values: Iterable[Any]) -> None:
        added = False
        for value in values:
            if value is None:
                continue
            text = str(value)
            if len(text) < MIN_LENGTH or text in self._values:
                continue
            for form in (text, quote(text, safe=""), quote(text), base64.b64encode(text.encode()).decode()):
                if len(form) >= MIN_LENGTH:
                    self._values.add(form)
            added = True
        if added:
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    @property
    def values(self) -> frozenset[str]:
        return frozenset(self._values)

    def add_collection(self, collection: Collection) -> None:
        """Credentials written literally into any auth of the collection (reports embed the collection)."""
        nodes = [collection, *collection.folders(), *collection.items()]
        for node in nodes:
            if node.auth and node.auth.get("type"):
                params = auth_params(node.auth)
                self.add(v for k, v in params.items() if k in CREDENTIAL_KEYS and isinstance(v, str) and "{{" not in v)

    def add_scope(self, scope: VariableScope) -> None:
        self.add(scope.get(k) for k in scope.secret_keys())

    def mask(self, text: Any) -> Any:
        if self._pattern is None or not isinstance(text, str):
            return text
        return self._pattern.sub(MASK, text)

    def mask_deep(self, value: Any) -> Any:
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, list):
            return [self.mask_deep(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.mask_deep(v) for v in value)
        if isinstance(value, dict):
            return {k: self.mask_deep(v) for k, v in value.items()}
        return value
