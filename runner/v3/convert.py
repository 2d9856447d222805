"""``postrun convert``: move a collection or an environment between v2.1 JSON and v3 YAML.

A v3 collection is written to a temporary folder beside the target and renamed into place, so an
interrupted conversion never leaves half a collection; an existing target is replaced only when it
is itself a v3 collection (or empty).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from runner.errors import InputError, UsageError
from runner.files import read_json, write_atomic, write_json
from runner.v3.reader import is_v3_folder, read_v3_collection, read_v3_environment
from runner.v3.writer import v3_environment, v3_files
from runner.v3.yamlio import dump_yaml

FORMATS = ("v3", "v2.1")


def convert(src: str, to: str, out: str) -> list[str]:
    """Convert ``src`` (a v2.1/v2.0/v1 JSON file, a v3 folder, or an environment) to ``to`` at ``out``.

    Returns the warnings: what the target format cannot hold, naming the item.
    """
    if to not in FORMATS:
        raise UsageError(f"--to takes v3 or v2.1, not {to!r}")
    if os.path.isdir(src):
        from runner.v3 import load_v3_collection

        load_v3_collection(src)  # the same checks as a run: a bad folder is reported, not converted
        doc, _origins = read_v3_collection(src)
        return _write_collection(doc, to, out)
    if src.endswith((".yaml", ".yml")):
        env = read_v3_environment(src)
        return _write_environment(env, to, out)
    doc = read_json(src, "collection or environment")
    if isinstance(doc, dict) and "values" in doc and "info" not in doc or isinstance(doc, list):
        from runner.variables import load_scope_file

        load_scope_file(src, "environment")  # validates it
        return _write_environment(doc, to, out)
    from runner.collection import load_collection

    collection = load_collection(src)  # validates it, and converts v1
    return _write_collection(collection.doc, to, out)


def _write_collection(doc: dict[str, Any], to: str, out: str) -> list[str]:
    if to == "v2.1":
        write_json(out, doc)
        return []
    files, warnings = v3_files(doc)
    write_v3_folder(out, {path: dump_yaml(content) for path, content in files.items()})
    return warnings


def _write_environment(doc: Any, to: str, out: str) -> list[str]:
    if to == "v2.1":
        write_json(out, doc)
    else:
        write_atomic(out, dump_yaml(v3_environment(doc)))
    return []


def write_v3_folder(out: str, files: dict[str, str]) -> None:
    """Write the files under ``out`` all at once: into a temporary folder, then renamed into place."""
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise InputError(out, "exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not is_v3_folder(target):
        raise InputError(out, "exists and is not a v3 collection; choose an empty or new folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    old = None
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old / target.name, target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
