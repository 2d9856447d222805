"""postrun's benchmarks, with Newman side by side in the same run when Node is available.

Uses ../shared/bench (the 50-item collection with pre-request and test scripts, its environment and
the loopback echo server). Each figure is measured here, now, on this machine: compare runners as
ratios, not absolute times.

    python bench/run.py                 # everything but the 100,000-request memory run
    python bench/run.py --full          # also 100,000 requests (takes minutes)
    python bench/run.py --only seq,cold # some scenarios

Scenarios:
  seq     1,000 requests (20 iterations), sequential: wall time, postrun vs Newman
  cold    a one-request collection, cold start: wall time and peak RSS (median of 5)
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


def measure(cmd: list[str], cwd: str) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, and exit code of one run of ``cmd``."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def compile_bytecode() -> None:
    """Byte-compile the runner package first, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE
    set (this project's machines set it) an editable checkout would otherwise compile every module
    at every start, ~0.1 s that no installed postrun pays."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "runner"), quiet=1)


def postrun_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "runner.cli", "run", *args]


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
    compile_bytecode()
    try:
        if "seq" in only:
            ours = min(
                measure(
                    postrun_cmd(*common, "-n", "20", "-r", "json", "--reporter-json-export", f"{work}/seq.json"), work
                )[0]
                for _ in range(3)
            )
            results["seq"] = {"postrun_s": round(ours, 3)}
            if newman:
                theirs = measure(
                    [
                        newman,
                        "run",
                        *common,
                        "-n",
                        "20",
                        "-r",
                        "json",
                        "--reporter-json-export",
                        f"{work}/seq-newman.json",
                    ],
                    work,
                )[0]
                results["seq"] |= {"newman_s": round(theirs, 3), "ratio": round(theirs / ours, 1)}
        if "cold" in only:
            one = [*common, "--folder", "req 0", "-r", "json", "--reporter-json-export", f"{work}/cold.json"]
            runs = [measure(postrun_cmd(*one), work) for _ in range(5)]
            results["cold"] = {
                "postrun_s": round(statistics.median(r[0] for r in runs), 3),
                "postrun_rss_mib": round(statistics.median(r[1] for r in runs), 1),
            }
            if newman:
                theirs = [measure([newman, "run", *one[:-4]], work) for _ in range(5)]
                results["cold"] |= {
                    "newman_s": round(statistics.median(r[0] for r in theirs), 3),
                    "newman_rss_mib": round(statistics.median(r[1] for r in theirs), 1),
                }
                results["cold"]["ratio"] = round(results["cold"]["newman_s"] / results["cold"]["postrun_s"], 1)
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
                wall, rss, _ = measure(
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
    args = parser.parse_args()
    print(json.dumps(run(args), indent=2))


if __name__ == "__main__":
    main()
