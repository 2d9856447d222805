"""``--verbose`` in the cli reporter, as Newman shows it: a one-line summary of the exchange, the
request and response bodies (clipped), and the timing phases, with their averages in the summary."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from runner.request import PreparedRequest
from runner.results import Execution, body_size, wire_size

BODY_CLIP = 2048
PHASES = {
    "prepare": "prepare",
    "wait": "wait",
    "dns": "dns-lookup",
    "tcp": "tcp-handshake",
    "secureHandshake": "ssl-handshake",
    "firstByte": "transfer-start",
    "download": "download",
    "process": "process",
    "total": "total",
}


@dataclass
class PhaseStats:
    """Running average, min, max and s.d. of one phase over the run (memory stays flat)."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0
    low: float = 0.0
    high: float = 0.0

    def add(self, ms: float) -> None:
        self.low = ms if not self.n else min(self.low, ms)
        self.high = ms if not self.n else max(self.high, ms)
        self.n += 1
        self.total += ms
        self.squares += ms * ms

    def _avg_sd(self) -> tuple[float, float]:
        avg = self.total / self.n if self.n else 0.0
        sd = math.sqrt(max(0.0, self.squares / self.n - avg * avg)) if self.n else 0.0
        return avg, sd

    def line(self, label: str, fmt: Callable[[float], str]) -> str:
        avg, sd = self._avg_sd()
        return f"{label} {fmt(avg)} [min: {fmt(self.low)}, max: {fmt(self.high)}, s.d.: {fmt(sd)}]"

    def as_timings(self, phase: str) -> dict[str, float]:
        """``run.timings`` keys for this phase, as Newman's report names them (``firstByteAverage``...)."""
        avg, sd = self._avg_sd()
        return {f"{phase}Average": avg, f"{phase}Min": self.low, f"{phase}Max": self.high, f"{phase}Sd": sd}


def _clip(text: str, size: Callable[[int], str]) -> str:
    data = text.encode("utf-8")
    if len(data) <= BODY_CLIP:
        return text
    return data[:BODY_CLIP].decode("utf-8", "ignore") + f"\n(showing {size(BODY_CLIP)}/{size(len(data))})"


def _request_body_size(req: PreparedRequest) -> int:
    """Newman's Request#size().body: the Content-Length sent, else the body's bytes."""
    length = (req.header("Content-Length") or "").strip()
    return int(length) if length.isdigit() else len(req.body or b"")


def _request_header_size(req: PreparedRequest) -> int:
    """Newman's Request#size().header: the request line (``HTTP/X.X``), a ``key: value`` CRLF per
    header and the blank line."""
    line = len(f"{req.method} {req.target.target} HTTP/X.X\r\n\r\n")
    return line + sum(len(key) + len(value) + 4 for key, value in req.headers)


def verbose_lines(
    ex: Execution,
    symbols: dict[str, str],
    size: Callable[[int], str],
    ms: Callable[[float], str],
    dim: Callable[[str], str],
) -> list[str]:
    """The lines --verbose adds after the request line."""
    req, res = ex.request, ex.response
    if req is None or res is None:
        return []
    star, up, down = f" {dim('★')} ", dim("↑"), dim("↓")
    req_body = req.body_text if req.body_text is not None else ""
    req_body_size = _request_body_size(req)
    req_size = req_body_size + _request_header_size(req)
    res_size = wire_size(res)
    cookies = len([h for h, _v in res.headers if h.lower() == "set-cookie"])
    lines = [
        "  "
        + star.join(
            [
                f"{res.code} {res.reason}",
                f"{ms(res.time_ms)} {dim('time')}",
                f"{size(req_size)}{up} {size(res_size)}{down} {dim('size')}",
                f"{len(req.headers)}{up} {len(res.headers)}{down} {dim('headers')}",
                f"{cookies} {dim('cookies')}",
            ]
        )
    ]
    top, middle, bottom = symbols["top"], symbols["middle"], symbols["bottom"]
    if req_body:
        body = ex.item.request.get("body")
        mode = str(body.get("mode") or "") if isinstance(body, dict) else ""  # Newman's label: raw, urlencoded...
        lines.append(f"  {top} {up} {mode}{star}{size(req_body_size or len(req_body.encode('utf-8')))}")
        lines += [f"  {middle} {dim(line)}" for line in _clip(req_body, size).splitlines()]
        lines.append(f"  {bottom}")
    content_type = res.header("Content-Type") or "unknown"
    text = res.text()
    if text:
        lines.append(f"  {top} {down} {content_type}{star}{size(body_size(res) or len(res.body))}")
        lines += [f"  {middle} {dim(line)}" for line in _clip(text, size).splitlines()]
        lines.append(f"  {bottom}")
    else:
        lines.append(f"  {down} {content_type}")
    if res.phases:
        heads = [PHASES[k] for k in PHASES if k in res.phases and (k != "secureHandshake" or res.phases[k])]
        values = [
            (ms(res.phases[k]) if res.phases[k] or k != "dns" else "(cache)")
            for k in PHASES
            if k in res.phases and (k != "secureHandshake" or res.phases[k])
        ]
        widths = [max(len(h), len(v)) for h, v in zip(heads, values, strict=True)]
        lines.append("")
        lines.append("  " + "   ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
        lines.append("  " + "   ".join(dim(v.ljust(w)) for v, w in zip(values, widths, strict=True)))
        lines.append("")
    return lines
