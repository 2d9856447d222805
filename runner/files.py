"""Reading the files people give us and writing the ones we produce, safely.

Postman exports are UTF-8, sometimes with a BOM; Windows tools save UTF-16. Everything postrun
writes goes to a temporary file first and is renamed into place, so an interrupted run never
leaves a half-written report or export behind.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from runner.errors import InputError, PostrunError


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
    """Read a text file (or an http(s) URL); a missing or undecodable file is an InputError naming it."""
    name = os.fspath(path)
    from runner import remote  # httpx: imported only when it is needed

    if remote.is_remote(name):
        return remote.fetch_text(name, what)
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


class OutputError(PostrunError):
    """A report or export that could not be written; the others still are, and the run exits non-zero."""

    def __init__(self, path: str, what: str, reason: str) -> None:
        self.path, self.what, self.reason = path, what, reason
        super().__init__(f"{path}: cannot write the {what}: {reason}")


def _new_file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the umask (mkstemp would give 0600)."""
    try:  # Linux tells the umask without changing it (os.umask would, for every thread at once)
        with open("/proc/self/status", encoding="ascii") as fh:
            umask = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def output_path(path: str | os.PathLike[str], default_name: str | None = None) -> Path:
    """Where a report or export goes: into an existing folder (or one named with a trailing slash)
    under ``default_name``, as Newman does; through a symlink to the file it points at."""
    name = os.fspath(path)
    target = Path(name)
    if default_name and (target.is_dir() or name.endswith(("/", os.sep))):
        target = target / default_name
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    return target


def _reason(exc: OSError) -> str:
    messages = {
        errno.ENOSPC: "no space left on the device",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EROFS: "read-only file system",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a parent in the path is a file, not a folder",
        errno.EEXIST: "a parent in the path is a file, not a folder",
    }
    return messages.get(exc.errno or 0) or exc.strerror or str(exc)


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str], what: str = "file", default_name: str | None = None
) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` only when the block completes: temp file, fsync, rename.

    An existing file keeps its mode (a new one gets the umask's), a symlink keeps pointing at the
    file written, and a device or pipe (``/dev/stdout``, ``/dev/full``) is written in place. Any
    failure to write is an OutputError naming the path and the reason.
    """
    target = output_path(path, default_name)
    try:
        existing = target.stat()
    except OSError:
        existing = None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(str(target), what, "it is a folder")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        try:
            with open(target, "w", encoding="utf-8") as fh:
                yield fh
        except OSError as exc:
            raise OutputError(str(target), what, _reason(exc)) from None
        return
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode())
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(str(target), what, _reason(exc)) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_atomic(
    path: str | os.PathLike[str], data: str, what: str = "file", default_name: str | None = None
) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_writer``)."""
    with atomic_writer(path, what, default_name) as fh:
        fh.write(data)


def write_json(
    path: str | os.PathLike[str], doc: Any, what: str = "file", default_name: str | None = None
) -> None:
    """Write ``doc`` as indented JSON, atomically."""
    write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n", what, default_name)
