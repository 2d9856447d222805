"""The ``postrun`` command's start: the script sandbox boots while the rest of postrun is imported.

Most of a one-request run is Python importing httpx, jinja2, click and the engine (~120 ms here), and
a quarter is QuickJS evaluating the SDK and chai that the first script loads (~45 ms). QuickJS runs
without the GIL, so with a second core the two overlap: the imports on a thread, the context on the
main thread, where the run uses it (a QuickJS context stays on the thread that made it).
"""

from __future__ import annotations

import os
import sys
import threading


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def entry() -> None:
    """The console script: for ``postrun run`` on more than one core, boot a context while importing."""
    if sys.argv[1:2] == ["run"] and _cores() > 1:
        from runner.sandbox import runtime  # what the boot needs, imported before the thread starts

        thread = threading.Thread(target=_import_cli, name="postrun-imports", daemon=True)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(0.0002)  # back from QuickJS, the main thread gets the GIL within 0.2 ms
        thread.start()
        try:
            runtime.warm_up()
        except Exception:  # noqa: BLE001 - the run boots a context of its own and reports what is wrong
            pass
        finally:
            thread.join()
            sys.setswitchinterval(interval)
    from runner.cli import entry as run_cli

    run_cli()


def _import_cli() -> None:
    try:
        import runner.cli  # noqa: F401
    except BaseException:  # noqa: BLE001 - imported again below, where the error is raised as usual
        pass
