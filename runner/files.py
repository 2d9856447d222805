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
import re
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from runner.errors import InputError, PostrunError

# Text postrun writes may hold unpaired surrogates (from a script, or a JSON escape): they are written
# as U+FFFD, as JavaScript does, never refused halfway through a report.
ENCODE_ERRORS = "postrun.ufffd"
codecs.register_error(ENCODE_ERRORS, lambda exc: ("\ufffd".encode(), exc.end))  # type: ignore[arg-type, return-value]


def encode_utf8(text: str) -> bytes:
    """UTF-8 bytes of ``text``, unpaired surrogates written as U+FFFD."""
    return text.encode("utf-8", ENCODE_ERRORS)



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
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        where = f"line {line}, column {column}"
        raise InputError(name, f"not UTF-8 or UTF-16 text (byte {exc.start})", where) from None


# JSON nesting postrun reads: deep enough for hundreds of folder levels (two JSON levels each), shallow
# enough that every later stage (masking, exports, reports) stays far from Python's recursion limit.
MAX_JSON_DEPTH = 1000
# Python refuses to convert integers longer than this (sys.get_int_max_str_digits); JavaScript reads
# such a number as Infinity, which no API means: we say where it is instead.
MAX_INT_DIGITS = 4300
_TOKENS = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]|-?\d{' + str(MAX_INT_DIGITS + 1) + ",}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_json(path: str | os.PathLike[str], what: str = "file") -> Any:
    """Parse a JSON file; broken JSON is reported with its line and column.

    Lone UTF-16 surrogates (``"\\ud800"``) become U+FFFD, as JavaScript does when it encodes them, so that
    no later stage meets a string it cannot write.
    """
    name = os.fspath(path)
    text = read_text(name, what)
    return parse_json(text, name)


def parse_json(text: str, name: str) -> Any:
    """``json.loads`` with postrun's limits (nesting, integer length); every refusal names line and column."""
    limit = sys.getrecursionlimit()
    frame, frames = sys._getframe(), 0
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    sys.setrecursionlimit(frames + MAX_JSON_DEPTH + 10)  # the C parser counts one level per [ or {
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except (RecursionError, ValueError) as exc:
        message, offset = _locate(text, exc)
        raise InputError(name, message, _line_column(text, offset)) from None
    finally:
        sys.setrecursionlimit(limit)
    if _SURROGATE_ESCAPE.search(text):
        doc = replace_lone_surrogates(doc)
    return doc


def _locate(text: str, exc: Exception) -> tuple[str, int]:
    """Where the parser gave up on a value nested too deeply, or an integer too long to read."""
    depth, deepest, at = 0, 0, 0
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, at = depth, m.start()
            if depth > MAX_JSON_DEPTH and isinstance(exc, RecursionError):
                break
        elif token in ("]", "}"):
            depth -= 1
        elif not token.startswith('"') and not isinstance(exc, RecursionError):
            return f"number too large: {len(token.lstrip('-'))} digits (at most {MAX_INT_DIGITS})", m.start()
    if isinstance(exc, RecursionError):
        return f"JSON nested too deeply to read (more than {MAX_JSON_DEPTH} levels)", at
    return f"invalid JSON: {exc}", 0


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def replace_lone_surrogates(value: Any) -> Any:
    """``value`` with every unpaired surrogate in its strings (keys too) replaced by U+FFFD; iterative."""

    def fix(text: str) -> str:
        return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text

    if isinstance(value, str):
        return fix(value)
    root = [value]
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for i, child in enumerate(node):
                if isinstance(child, str):
                    node[i] = fix(child)
                elif isinstance(child, (list, dict)):
                    stack.append(child)
        else:
            for key in list(node):
                child = node[key]
                if isinstance(child, str):
                    child = fix(child)
                elif isinstance(child, (list, dict)):
                    stack.append(child)
                new_key = fix(key) if isinstance(key, str) else key
                if new_key is not key:
                    del node[key]
                node[new_key] = child
    return root[0]


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
            with open(target, "w", encoding="utf-8", errors=ENCODE_ERRORS) as fh:
                yield fh
        except OSError as exc:
            raise OutputError(str(target), what, _reason(exc)) from None
        return
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", errors=ENCODE_ERRORS) as fh:
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
