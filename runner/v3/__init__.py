"""Postman v12's git-native collection format (collection schema 3.0.0): a folder of YAML files.

``reader`` turns a v3 folder into the v2.1 document the rest of postrun runs; ``writer`` turns a
v2.1 document into v3 files; ``convert`` moves a collection or environment between the formats.
"""

from __future__ import annotations

import os

from runner.collection import Collection, build_collection
from runner.errors import InputError, InvalidCollection
from runner.v3.reader import is_v3_folder, read_v3_collection, read_v3_environment

__all__ = ["is_v3_folder", "load_v3_collection", "read_v3_collection", "read_v3_environment"]


def load_v3_collection(path: str | os.PathLike[str]) -> Collection:
    """Build a runnable collection from a v3 folder; problems name the YAML file they are in."""
    name = os.fspath(path)
    if not is_v3_folder(name):
        raise InputError(
            name,
            "collection is a directory, not a file, nor a v3 collection folder "
            "(it has no .resources/definition.yaml and no *.request.yaml)",
        )
    doc, origins = read_v3_collection(name)
    try:
        return build_collection(doc, name)
    except InvalidCollection as exc:
        lines = []
        for pointer, message in exc.problems:
            owner = max((p for p in origins if pointer == p or pointer.startswith(p + "/")), key=len, default="")
            lines.append((origins.get(owner, name), f"{pointer or '/'} (as v2.1): {message}"))
        raise InputError(lines[0][0], "; ".join(m for _f, m in lines)) from None
