"""A temporary file of JSON records, so reporters keep nothing per execution in memory."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any

from runner.files import encode_utf8


class Spool:
    """Append records now, read them back in order at the end; the file vanishes when closed."""

    def __init__(self) -> None:
        # Binary, with our own offset: TextIOWrapper.tell() is slow enough to show in profiles.
        self._file = tempfile.TemporaryFile(mode="w+b", prefix="postrun-spool-")
        self._size = 0
        self.count = 0

    def append(self, record: Any) -> int:
        """Store ``record``; returns its offset for ``read_at``."""
        return self.append_json(json.dumps(record, ensure_ascii=False, separators=(",", ":")))

    def append_json(self, text: str) -> int:
        """Store a record already written as compact JSON (one line); returns its offset."""
        offset = self._size
        line = encode_utf8(text + "\n")
        self._file.write(line)
        self._size += len(line)
        self.count += 1
        return offset

    def __iter__(self) -> Iterator[Any]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield json.loads(line)
        self._file.seek(0, 2)

    def lines(self) -> Iterator[str]:
        """The records as the JSON text they were stored as (no parsing), in order."""
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            yield line.decode("utf-8").rstrip("\n")
        self._file.seek(0, 2)

    def read_at(self, offset: int) -> Any:
        self._file.flush()
        self._file.seek(offset)
        record = json.loads(self._file.readline())
        self._file.seek(0, 2)
        return record

    def close(self) -> None:
        self._file.close()
