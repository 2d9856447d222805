"""postrun's benchmarks, with Newman side by side in the same run when Node is available.

Uses ../shared/bench (the 50-item collection with pre-request and test scripts, its environment and
the loopback echo server). Each figure is measured here, now, on this machine: compare runners as
ratios, not absolute times.

    python bench/run.py                 # everything but the 100,000-request memory run
    python bench/run.py --full          # also 100,000 requests (takes minutes)
    python bench/run.py --only seq,cold # some scenarios
    python bench/run.py --fresh         # measure a new venv with `pip install .`, as a user has it

postrun runs as the `postrun` command beside this interpreter (else `python -m runner.cli`). A run
that exits with an error stops the benchmark with its stderr: a failure's time is not a figure.

Scenarios:
  seq     1,000 requests (20 iterations), sequential, with the cli reporter (the reference command of
          ../shared/bench) and with the json reporter: paired runs with Newman, alternating which goes
          first; the median of the per-pair ratios
  cold    a one-request collection, cold start: wall time and peak RSS (at least 9 pairs)
  tenants the 1,000-request run for 8 tenants with --parallel 8, vs one tenant alone
  memory  peak RSS at 1,000 / 10,000 (/ 100,000) requests with the json, junit and html reporters
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"
COLLECTION = SHARED / "bench.postman_collection.json"
ENVIRONMENT = SHARED / "local.postman_environment.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """The Node echo server from ../shared/bench; a Python one of the same behaviour without Node."""
    if shutil.which("node"):
        cmd = ["node", str(SHARED / "echo-server.js"), str(port)]
    else:
        cmd = [sys.executable, str(HERE / "echo_server.py"), str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("echo server did not start")


def find_newman() -> str | None:
    for candidate in (
        os.environ.get("POSTRUN_NEWMAN"),
        shutil.which("newman"),
        str(Path.home() / ".cache" / "postrun" / "newman" / "node_modules" / ".bin" / "newman"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class RunFailed(SystemExit):
    """A measured command failed: its figure would be a failure's time, not the runner's."""


def measure(cmd: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one successful run of ``cmd`` (stdout discarded)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RunFailed(f"{' '.join(cmd[:3])} ... exited with {code}:\n{tail}")
    return wall, usage.ru_maxrss / 1024


def paired(ours: list[str], theirs: list[str] | None, cwd: str, pairs: int) -> dict:
    """``pairs`` runs of each, alternating which goes first; medians, and the median of the per-pair ratios."""
    mine: list[tuple[float, float]] = []
    other: list[tuple[float, float]] = []
    for n in range(pairs):
        if theirs is not None and n % 2:
            other.append(measure(theirs, cwd))
        mine.append(measure(ours, cwd))
        if theirs is not None and not n % 2:
            other.append(measure(theirs, cwd))
    out = {
        "postrun_s": round(statistics.median(w for w, _ in mine), 3),
        "postrun_rss_mib": round(statistics.median(r for _, r in mine), 1),
        "postrun_range_s": [round(min(w for w, _ in mine), 3), round(max(w for w, _ in mine), 3)],
    }
    if other:
        ratios = [o[0] / m[0] for m, o in zip(mine, other, strict=True)]
        out |= {
            "newman_s": round(statistics.median(w for w, _ in other), 3),
            "newman_rss_mib": round(statistics.median(r for _, r in other), 1),
            "newman_range_s": [round(min(w for w, _ in other), 3), round(max(w for w, _ in other), 3)],
            "ratio": round(statistics.median(ratios), 2),
            "ratio_range": [round(min(ratios), 2), round(max(ratios), 2)],
            "pairs": len(ratios),
        }
    return out


def compile_bytecode() -> None:
    """Byte-compile the runner package first, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE
    set (this project's machines set it) an editable checkout would otherwise compile every module
    at every start, ~0.1 s that no installed postrun pays."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "runner"), quiet=1)


POSTRUN: list[str] = []  # the command that starts postrun, set by main()


def fresh_install(where: Path) -> list[str]:
    """A new venv with ``pip install .`` of this checkout: postrun as a user gets it (no test extras)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = [str(where / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*pip, str(HERE.parent)], check=True, stdout=subprocess.DEVNULL)
    return [str(where / "bin" / "postrun")]


def installed_command() -> list[str]:
    """The ``postrun`` script beside this interpreter (what a user runs), else ``python -m runner.cli``."""
    script = Path(sys.executable).with_name("postrun")
    return [str(script)] if script.exists() else [sys.executable, "-m", "runner.cli"]


def postrun_cmd(*args: str) -> list[str]:
    return [*POSTRUN, "run", *args]


def run(args: argparse.Namespace) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    newman = None if args.skip_newman else find_newman()
    work = tempfile.mkdtemp(prefix="postrun-bench-")
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load": round(os.getloadavg()[0], 2)},
        "newman": bool(newman),
    }
    common = [str(COLLECTION), "-e", str(ENVIRONMENT), "--env-var", f"baseUrl={base}"]
    only = set(args.only.split(",")) if args.only else {"seq", "cold", "tenants", "memory"}
    if not args.fresh:
        compile_bytecode()
    try:
        if "seq" in only:
            # Both runners with the same reporter: the cli reporter (the reference command of
            # ../shared/bench/README.md; output to /dev/null) and the json reporter writing its file.
            results["seq"] = {}
            for reporter in args.seq_reporters.split(","):
                flags = ["-r", reporter] + (
                    ["--reporter-json-export", f"{work}/seq.json"] if reporter == "json" else []
                )
                theirs = flags[:2] + (
                    ["--reporter-json-export", f"{work}/seq-newman.json"] if reporter == "json" else []
                )
                results["seq"][reporter] = paired(
                    postrun_cmd(*common, "-n", "20", *flags),
                    [newman, "run", *common, "-n", "20", *theirs] if newman else None,
                    work,
                    args.pairs,
                )
        if "cold" in only:
            one = [*common, "--folder", "req 0", "-r", "json", "--reporter-json-export", f"{work}/cold.json"]
            results["cold"] = paired(
                postrun_cmd(*one),
                [newman, "run", *one[:-1], f"{work}/cold-newman.json"] if newman else None,
                work,
                max(args.pairs, 9),
            )
        if "tenants" in only:
            envs = Path(work) / "tenants"
            envs.mkdir(exist_ok=True)
            doc = json.loads(ENVIRONMENT.read_text())
            for n in range(8):
                tenant = {
                    **doc,
                    "name": f"tenant-{n + 1}",
                    "values": [
                        {**v, "value": base if v["key"] == "baseUrl" else f"tenant-{n + 1}"}
                        if v["key"] in ("baseUrl", "tenant")
                        else v
                        for v in doc["values"]
                    ],
                }
                (envs / f"tenant-{n + 1}.json").write_text(json.dumps(tenant))
            alone = min(
                measure(
                    postrun_cmd(
                        str(COLLECTION),
                        "-e",
                        str(envs / "tenant-1.json"),
                        "-n",
                        "20",
                        "-r",
                        "json",
                        "--reporter-json-export",
                        f"{work}/t1.json",
                    ),
                    work,
                )[0]
                for _ in range(2)
            )
            eight = min(
                measure(
                    postrun_cmd(
                        str(COLLECTION),
                        "--env-dir",
                        str(envs),
                        "--parallel",
                        "8",
                        "-n",
                        "20",
                        "-r",
                        "json",
                        "--reporter-json-export",
                        f"{work}/t8.json",
                    ),
                    work,
                )[0]
                for _ in range(2)
            )
            results["tenants"] = {
                "one_s": round(alone, 3),
                "eight_parallel_s": round(eight, 3),
                "ratio": round(eight / alone, 2),
            }
        if "memory" in only:
            sizes = [20, 200] + ([2000] if args.full else [])
            results["memory"] = {}
            for n in sizes:
                wall, rss = measure(
                    postrun_cmd(
                        *common,
                        "-n",
                        str(n),
                        "-r",
                        "json,junit,html",
                        "--reporter-json-export",
                        f"{work}/m.json",
                        "--reporter-junit-export",
                        f"{work}/m.xml",
                        "--reporter-html-export",
                        f"{work}/m.html",
                    ),
                    work,
                )
                results["memory"][str(n * 50)] = {"rss_mib": round(rss, 1), "wall_s": round(wall, 1)}
    finally:
        server.kill()
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="also measure memory at 100,000 requests")
    parser.add_argument("--only", help="comma-separated scenarios: seq,cold,tenants,memory")
    parser.add_argument("--skip-newman", action="store_true", help="do not run Newman")
    parser.add_argument("--pairs", type=int, default=5, help="paired runs per figure (cold start: at least 9)")
    parser.add_argument("--seq-reporters", default="cli,json", help="the reporters seq is measured with")
    parser.add_argument("--fresh", action="store_true", help="measure a new venv with `pip install .` of this checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="postrun-venv-") as venv:
        POSTRUN[:] = fresh_install(Path(venv)) if args.fresh else installed_command()
        results = run(args)
        results["postrun"] = "fresh venv (pip install .)" if args.fresh else " ".join(POSTRUN)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
