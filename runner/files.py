"""Reading the files people give us and writing the ones we produce, safely.

Postman exports are UTF-8, sometimes with a BOM; Windows tools save UTF-16. Everything postrun
writes goes to a temporary file first and is renamed into place, so an interrupted run never
leaves a half-written report or export behind.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from runner.errors import InputError


def decode_text(raw: bytes) -> str:
    """Decode bytes as UTF-8 or UTF-16 (by BOM or by NUL pattern), dropping any BOM."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if len(raw) >= 2 and raw[0] == 0 and raw[1] != 0:
        return raw.decode("utf-16-be")
    if len(raw) >= 2 and raw[0] != 0 and raw[1] == 0:
        return raw.decode("utf-16-le")
    return raw.decode("utf-8")


def read_text(path: str | os.PathLike[str], what: str = "file") -> str:
    """Read a text file; a missing or undecodable file is an InputError naming it."""
    name = os.fspath(path)
    try:
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError(name, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(name, f"{what} is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        return decode_text(raw)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not UTF-8 or UTF-16 text (byte {exc.start})") from None


def read_json(path: str | os.PathLike[str], what: str = "file") -> Any:
    """Parse a JSON file; broken JSON is reported with its line and column."""
    name = os.fspath(path)
    text = read_text(name, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(name, "JSON nested too deeply to read") from None


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` only when the block completes: temp file, fsync, rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(path: str | os.PathLike[str], data: str) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path) as fh:
        fh.write(data)


def write_json(path: str | os.PathLike[str], doc: Any) -> None:
    """Write ``doc`` as indented JSON, atomically."""
    write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
