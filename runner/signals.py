"""Signals as CI sends them: SIGTERM (a cancelled job) stops the run like Ctrl-C, so the partial
reports are still written, and no signal interrupts the writing of reports and exports.

Handlers are installed only on the main thread (Python allows no other); elsewhere these are no-ops.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, what a shell reports for a process ended by SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so every Ctrl-C path (partial reports) handles it."""


class SignalState:
    """Which stopping signal arrived first during this command (None: none did)."""

    def __init__(self) -> None:
        self.received: int | None = None

    @property
    def terminated(self) -> bool:
        return self.received == signal.SIGTERM


state = SignalState()


def _on_term(signum: int, _frame: FrameType | None) -> None:
    state.received = state.received or signum
    raise Terminated()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def handle_termination() -> Iterator[SignalState]:
    """For the length of a command: SIGTERM raises ``Terminated``; Ctrl-C is remembered too."""
    state.received = None
    if not _main_thread():
        yield state
        return
    previous = signal.signal(signal.SIGTERM, _on_term)
    try:
        yield state
    except KeyboardInterrupt as exc:
        if not isinstance(exc, Terminated):
            state.received = state.received or signal.SIGINT
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def deferred() -> Iterator[None]:
    """Reports and exports being written: Ctrl-C and SIGTERM are noted, not raised, until done."""
    if not _main_thread():
        yield
        return

    def note(signum: int, _frame: FrameType | None) -> None:
        state.received = state.received or signum

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A step that must not be cut in half (one message from a tenant process): a Ctrl-C or SIGTERM
    during it is raised right after it, as it would have been."""
    if not _main_thread():
        yield
        return
    arrived: list[int] = []
    def note(signum: int, _frame: FrameType | None) -> None:
        arrived.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if arrived:
        if arrived[0] == signal.SIGTERM:
            state.received = state.received or signal.SIGTERM
            raise Terminated()
        raise KeyboardInterrupt()
