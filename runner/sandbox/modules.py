"""The packed npm libraries, read lazily: the index at first use, a module's text when a script needs it.

The build step (runner/sandbox/pack.py) wrote ``lib/modules.json`` (each file's resolved requires and
its place in ``lib/modules.js``). Nothing here touches the network.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from runner.errors import PostrunError
from runner.sandbox.pack import BLOB_FILE, PACK_DIR, PACK_FILE


class LibrariesMissing(PostrunError):
    """postrun was installed without its build step (the sandbox's libraries are not packed)."""


def _lib_dir() -> Path:
    return Path(str(resources.files("runner.sandbox").joinpath(PACK_DIR)))


@functools.lru_cache(maxsize=1)
def index_text() -> str:
    path = _lib_dir() / PACK_FILE
    try:
        return path.read_text("utf-8")
    except OSError:
        raise LibrariesMissing(
            f"{path} is missing: the script sandbox's libraries were not built. Reinstall postrun "
            "(pip install . or pip install -e .), which fetches and packs them"
        ) from None


@functools.lru_cache(maxsize=1)
def index() -> dict[str, Any]:
    return json.loads(index_text())


def closure(paths: list[str]) -> list[str]:
    """``paths`` and every packed file they require, transitively (one round trip per new library)."""
    pack = index()
    modules, entries = pack["modules"], pack["entries"]
    free = {"process": entries["_process"], "Buffer": entries["buffer"]}  # what loader.js passes for free names
    seen: dict[str, None] = {}
    todo = list(paths)
    while todo:
        path = todo.pop()
        if path in seen or path not in modules:
            continue
        seen[path] = None
        lazy = modules[path].get("lazy", ())  # loaded when first used, by a round trip of their own
        todo.extend(t for s, t in modules[path]["deps"].items() if t and not t.startswith("@") and s not in lazy)
        todo.extend(free[name] for name in modules[path]["free"])
    return list(seen)


@functools.lru_cache(maxsize=1)
def boot_index() -> str:
    """What a context needs at boot: the names scripts and the sandbox load, and Sugar's surface."""
    pack = index()
    return json.dumps({"entries": pack["entries"], "sugar": pack.get("sugar") or {"added": {}, "replaced": {}}})


def sources(paths: list[str]) -> list[tuple[str, str, str]]:
    """(path, text, resolved requires as JSON) of each packed file in ``paths``, read from the blob by offset."""
    modules = index()["modules"]
    out = []
    with (_lib_dir() / BLOB_FILE).open("rb") as blob:
        for path in paths:
            info = modules[path]
            start, length = info["at"]
            blob.seek(start)
            out.append((path, blob.read(length).decode("utf-8"),
                        json.dumps({"deps": info["deps"], "free": info["free"], "lazy": info.get("lazy", [])})))
    return out


def versions() -> dict[str, str]:
    """name -> version of every packed package (for the README table and `postrun --version` style output)."""
    return {p["name"]: p["version"] for p in index()["packages"].values()}
