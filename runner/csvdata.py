"""CSV iteration data read as Newman reads it: csv-parse 4 with ``columns``, ``trim``, ``relax``,
``relax_column_count`` and Newman's cast (unquoted integers and floats become numbers).

Measured against Newman 6.2's own csv-parse: blanks around a delimiter are ignored (``"foo" ,``), a
quote inside an unquoted value is kept literally, a row shorter than the header leaves the last
columns undefined (the keys are absent), extra values are dropped, an empty line is a row whose
first column is ``""``; text after a closing quote and an unclosed quote are errors.
"""

from __future__ import annotations

import math
import re
from typing import Any

from runner.errors import InputError

_BLANK = " \t"
_INT = re.compile(r"^[-+]?[1-9][0-9]*$")  # Newman's util.isInt ("0" and "007" are not integers)
_JS_DECIMAL = re.compile(r"^[-+]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$")
_JS_FLOAT_PREFIX = re.compile(r"^[-+]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_JS_RADIX = re.compile(r"^0([xXoObB])([0-9a-fA-F]+)$")


class CSVError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def parse_records(text: str) -> list[tuple[int, list[tuple[str, bool]]]]:
    """Records as (line number, [(value, was quoted)]); records end at ``\\n``, ``\\r\\n`` or ``\\r``."""
    records: list[tuple[int, list[tuple[str, bool]]]] = []
    fields: list[tuple[str, bool]] = []
    i, n, line, start_line = 0, len(text), 1, 1
    while i < n:
        # one field: skip leading blanks, then a quoted or an unquoted value
        while i < n and text[i] in _BLANK:
            i += 1
        if i < n and text[i] == '"':
            opened = line
            i += 1
            value: list[str] = []
            while True:
                if i >= n:
                    raise CSVError("Quote Not Closed: the parsing is finished with an opening quote", opened)
                c = text[i]
                if c == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                if c == "\n":
                    line += 1
                value.append(c)
                i += 1
            while i < n and text[i] in _BLANK:
                i += 1
            if i < n and text[i] not in ",\r\n":
                raise CSVError("Invalid Closing Quote: found non trimable byte after quote", line)
            fields.append(("".join(value), True))
        else:
            j = i
            while j < n and text[j] not in ",\r\n":
                j += 1
            fields.append((text[i:j].rstrip(_BLANK), False))
            i = j
        if i < n and text[i] == ",":
            i += 1
            if i == n:
                fields.append(("", False))
            continue
        # end of record
        records.append((start_line, fields))
        fields = []
        if i < n:
            i += 2 if text.startswith("\r\n", i) else 1
            line += 1
            start_line = line
    if fields:
        records.append((start_line, fields))
    return records


def cast(value: str, quoted: bool) -> Any:
    """Newman's csvAutoParse: quoted values stay text; unquoted integers and floats become numbers."""
    if quoted:
        return value
    if _INT.match(value):
        # Python refuses to read integers of more than 4,300 digits; JavaScript reads them as a double
        return int(value) if len(value) <= 4300 else float(value)
    number, prefix = _js_number(value), _js_parse_float(value)
    if not (math.isnan(number) or math.isnan(prefix)) and (number - prefix + 1) >= 0:
        return int(prefix) if prefix.is_integer() and abs(prefix) < 2**53 else prefix
    return value


def _js_number(text: str) -> float:
    """JavaScript's ``Number(text)`` for a string."""
    s = text.strip()
    if not s:
        return 0.0
    if m := _JS_RADIX.match(s):
        base = {"x": 16, "o": 8, "b": 2}[m.group(1).lower()]
        try:
            return float(int(m.group(2), base))
        except ValueError:
            return math.nan
    if _JS_DECIMAL.match(s):
        return float(s.replace("Infinity", "inf"))
    return math.nan


def _js_parse_float(text: str) -> float:
    """JavaScript's ``parseFloat(text)``: the longest leading decimal number, else NaN."""
    m = _JS_FLOAT_PREFIX.match(text.lstrip())
    if not m:
        return math.nan
    return float(m.group(0).replace("Infinity", "inf"))


def parse_csv(text: str, file: str) -> list[dict[str, Any]]:
    """Rows keyed by the header row's names, as Newman hands them to the iterations."""
    try:
        records = parse_records(text)
    except CSVError as exc:
        raise InputError(file, f"invalid CSV: {exc}", f"line {exc.line}") from None
    if not records:
        return []
    header = [value for value, _quoted in records[0][1]]
    rows = []
    for _line, fields in records[1:]:
        rows.append({key: cast(*fields[i]) for i, key in enumerate(header) if i < len(fields)})
    return rows
