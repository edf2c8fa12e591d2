"""Serial against ``--workers 2`` against a local Dask cluster of 2 workers, in one run;
and one long article's time and peak memory.

    .venv/bin/python bench/scale.py [--articles 1000] [--model none] [--large-mb 5]

Generates ``--articles`` articles (paragraphs of examples/ in a seeded random order, each
with its own numbered opening sentence), then times ``factcheck extract DIR`` as a user
runs it (a fresh process, model loading included) three ways into three stores:

  * serial (``--workers 1``);
  * ``--workers 2``;
  * ``--dask-scheduler`` on a cluster of 2 workers (``dask scheduler`` and ``dask worker
    --nthreads 1``, started here before the clock; each loads the model on its first task);

and prints candidates per second, the ratio to serial, the cores each run kept busy (CPU
seconds of every process it used, the Dask workers' included, over its wall time: 2.0 is all
of 2 cores), and whether the three stores hold identical claims (ids, kinds, decisions;
scores within 1e-6). ``--large-mb N`` also
extracts one generated Chinese article of N MB with ``--no-store`` and prints its time and
the peak RSS of the process. Wall time on a machine shared with other work is noisy:
the three runs are back to back, so compare their ratios.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def generate(folder: Path, count: int, seed: int = 20) -> None:
    paragraphs = [p for f in sorted((REPO / "examples").glob("*.txt")) for p in f.read_text("utf-8").split("\n\n")
                  if len(p) > 40]
    rng = random.Random(seed)
    for i in range(count):
        body = "\n\n".join(rng.sample(paragraphs, k=min(3, len(paragraphs))))
        (folder / f"{i:05d}.txt").write_text(f"第{i}号报告：全市今年新增病床{i}张。\n\n{body}\n", "utf-8")


def cpu_of(processes: list[subprocess.Popen]) -> float:
    """CPU seconds so far of this process's finished children and of ``processes`` (running
    Dask processes) with their own children."""
    import psutil

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    for process in processes:
        try:
            tree = [psutil.Process(process.pid)]
            tree += tree[0].children(recursive=True)
        except psutil.NoSuchProcess:
            continue
        for member in tree:
            try:
                times = member.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
    return total


def extract(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([str(BIN / "factcheck"), "extract", *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if out.returncode:
        raise SystemExit(f"factcheck extract {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return seconds, out.stderr


def claims(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, article_id, start, end, kind, is_claim, checkworthiness from claims "
                            "order by article_id, start, end, id").fetchall()


def same(a: list[tuple], b: list[tuple]) -> bool:
    return len(a) == len(b) and all(x[:6] == y[:6] and (x[6] is None) == (y[6] is None)
                                    and (x[6] is None or abs(x[6] - y[6]) <= 1e-6) for x, y in zip(a, b))


def start_cluster(logs: Path) -> tuple[str, list[subprocess.Popen]]:
    def launch(args: list[str], name: str) -> subprocess.Popen:
        with (logs / name).open("w") as log:
            return subprocess.Popen([str(BIN / "dask"), *args], stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=REPO)

    def wait(pattern: str, name: str) -> re.Match:
        for _ in range(600):
            found = re.search(pattern, (logs / name).read_text(errors="replace"))
            if found:
                return found
            time.sleep(0.2)
        raise SystemExit(f"no {pattern!r} in {logs / name}")

    processes = [launch(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"], "scheduler.log")]
    address = wait(r"Scheduler at:\s+(tcp://[\d.]+:\d+)", "scheduler.log").group(1)
    for i in range(2):
        processes.append(launch(["worker", address, "--nthreads", "1", "--no-dashboard", "--local-directory",
                                 str(logs / f"w{i}")], f"w{i}.log"))
    for i in range(2):
        wait("Registered to:", f"w{i}.log")
    return address, processes


def large(mb: float, model: list[str], tmp: Path) -> None:
    paragraph = (REPO / "examples" / "zh_public_health.txt").read_text("utf-8")
    parts, size, i = [], 0, 0
    while size < mb * 1_000_000:
        part = f"第{i}段：全市今年新增病床{i}张。\n{paragraph}\n"
        parts.append(part)
        size += len(part.encode())
        i += 1
    path = tmp / "large.txt"
    path.write_text("".join(parts), "utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, log = extract([str(path), "--no-store", "--format", "summary", *model, "--max-bytes", str(size + 1)])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, before_peak = after.ru_maxrss, before.ru_maxrss
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    shown = [line for line in log.splitlines() if "%" in line]
    which = " ".join(model) or "promoted model"
    print(f"one {size / 1e6:.1f} MB Chinese article ({which}, --no-store): {seconds:.0f} s wall, {cpu:.0f} s CPU, "
          f"{seconds / (size / 1e6):.0f} s wall per MB, peak RSS {peak / 1024:.0f} MB"
          + ("" if peak > before_peak else " (an earlier child's peak)") + f"; {len(shown)} progress lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--model", default=None, help="version, or 'none' for rules only (default: the promoted)")
    parser.add_argument("--large-mb", type=float, default=0, help="also time one article of this many MB")
    parser.add_argument("--skip", default="", help="comma-separated modes to leave out: serial, workers, dask")
    args = parser.parse_args()
    model = ["--model", args.model] if args.model else []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.large_mb:
            large(args.large_mb, model, tmp)
        if not args.articles:
            return
        folder = tmp / "articles"
        folder.mkdir()
        generate(folder, args.articles)
        address, processes = start_cluster(tmp)
        try:
            runs = {"serial": [], "workers": ["--workers", "2"], "dask": ["--dask-scheduler", address]}
            results = {}
            for mode, extra in runs.items():
                if mode in args.skip.split(","):
                    continue
                db = tmp / f"{mode}.db"
                cpu = cpu_of(processes)
                seconds, _ = extract([str(folder), "--db", str(db), "--format", "summary", *model, *extra])
                cores = (cpu_of(processes) - cpu) / seconds
                results[mode] = (seconds, claims(db), cores)
                print(f"  {mode:8s} {seconds:7.1f} s  {len(results[mode][1])} candidates  {cores:.2f} cores busy",
                      flush=True)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    base = results.get("serial")
    print(f"\n{args.articles} generated articles, model {args.model or 'promoted'}; candidates per second:")
    for mode, (seconds, rows, cores) in results.items():
        ratio = f"  {base[0] / seconds:.2f}x serial" if base else ""
        identical = "" if not base or mode == "serial" else ("  identical claims" if same(rows, base[1])
                                                              else "  CLAIMS DIFFER")
        print(f"  {mode:8s} {len(rows) / seconds:8.1f}{ratio}  {cores:.2f} cores busy{identical}")


if __name__ == "__main__":
    main()
