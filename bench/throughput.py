"""End-to-end throughput of ``factcheck extract`` with the promoted model: what users feel.

    .venv/bin/python bench/throughput.py [--limit 300] [--baseline DIR] [--repeat 1]

On the first ``--limit`` posts of the CED Weibo rumour set (real Chinese microblog text,
read from ../shared at run time, one article per post), in one run:

  * rules only, no store (``--model none --no-store``): the extractor without the model;
  * (a) ``--no-store``: extraction scored by the promoted model;
  * (b) the store, without matching (``--no-match``);
  * (c) the store with matching (the default of ``factcheck extract``);
  * the floor: the encoder alone embedding the same candidate texts (every one, as the
    extractor would without de-duplication), sorted batches of 32;

each as candidates per second, and the share of (c)'s time per stage (rules, scoring,
storing, matching: the differences between the runs above). ``--baseline DIR`` runs the
same modes on another checkout of factcheck (e.g. ``git worktree add /tmp/base HEAD``,
or ``git archive START | tar -x -C /tmp/base``) in the same run, interleaved, and prints
the ratio. ``--int8`` adds this checkout with ``FACTCHECK_ENCODER_PRECISION=int8`` as a
third column: the promoted version's head trained on int8 vectors when it carries one
(``models/<version>/int8/``), else its fp32 head with thresholds recalibrated on int8 scores
(``factcheck models calibrate-int8`` first); each run's line says which head scored.
Each run's line shows its cores busy (CPU seconds / wall seconds): 2.0 on 2 cores is all.
Every mode runs in a fresh process with the model loaded before the clock
starts; wall time, so a machine shared with other work gives noisy figures: read the
ratios, which are measured side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEIBO = REPO.parent / "shared" / "datasets" / "ced-weibo-rumor" / "original-microblog"
MODES = ("rules", "no-store", "store", "store+match", "encoder")


def posts(limit: int) -> list[str]:
    return [str(p) for p in sorted(WEIBO.glob("*.json"))[:limit]]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_mode(mode: str, limit: int) -> dict:
    """One mode in this process (the code on sys.path): candidates, wall and CPU seconds."""
    from factcheck.model.registry import load_scorer
    from factcheck.store.db import open_db
    from factcheck.store.intake import extract_paths

    paths = posts(limit)
    scorer = None if mode == "rules" else load_scorer(None)
    if scorer is not None:
        scorer.score(["预热：模型先跑一句。", "Warm-up sentence."])  # sessions allocate on first use
    if mode == "encoder":
        # The candidate texts, by the rules alone (not timed), then the encoder over them.
        texts = [c.text for done in extract_paths(paths) for c in done.candidates]
        start, cpu = time.perf_counter(), cpu_seconds()
        scorer.encoder.embed(texts, batch_size=32)
        return {"candidates": len(texts), "seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu,
                "head": None}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db") if mode in ("store", "store+match") else None
        start, cpu = time.perf_counter(), cpu_seconds()
        candidates = 0
        for done in extract_paths(paths, db=db, scorer=scorer, match=mode == "store+match" if db else None):
            candidates += len(done.candidates)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return {"candidates": candidates, "seconds": seconds, "cpu": cpu,
            "head": getattr(scorer, "head_precision", "fp32") if scorer else None}


def measure(code: Path, mode: str, limit: int, extra_env: dict | None = None) -> dict:
    """``run_mode`` in a fresh interpreter importing factcheck from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "FACTCHECK_MODELS": str(code / "models"), **(extra_env or {})}
    out = subprocess.run([sys.executable, __file__, "--run", mode, "--limit", str(limit)], env=env, cwd=code,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{mode} on {code} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def shares(r: dict, clock: str = "cpu") -> dict[str, float]:
    """Share of the full run's (store + matching) time per stage, from the differences
    between the runs (CPU seconds by default: wall-clock differences drown in a busy
    machine's noise)."""
    total = r["store+match"][clock]
    rules = r["rules"][clock]
    scoring = max(0.0, r["no-store"][clock] - rules)
    storing = max(0.0, r["store"][clock] - r["no-store"][clock])
    matching = max(0.0, total - r["store"][clock])
    return {"rules": rules / total, "scoring": scoring / total, "storing": storing / total,
            "matching": matching / total}


def print_speeds(results: dict, codes, modes, header: str, per: str, baseline) -> None:
    """One table of candidates per second of ``per`` (wall "seconds" or "cpu"), with the ratio to the baseline."""
    print(header)
    for mode in modes:
        row = f"{mode:14s}"
        speeds = {}
        for name in codes:
            r = results[name].get(mode) or (results["this"].get(mode) if mode == "encoder" else None)
            speeds[name] = r["candidates"] / r[per] if r else None
            row += f"{speeds[name]:12.1f}" if speeds[name] else f"{'':12s}"
        if baseline and speeds.get("baseline") and mode != "encoder":
            row += "".join(f"    {speeds[n] / speeds['baseline']:.2f}x" for n in codes if n != "baseline"
                           and speeds.get(n))
        print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=300, help="posts to extract (the set has 1,000)")
    parser.add_argument("--baseline", type=Path, help="another factcheck checkout to measure beside this one")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode (the fastest counts)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of " + ", ".join(MODES))
    parser.add_argument("--int8", action="store_true", help="also this checkout on the int8 encoder")
    parser.add_argument("--run", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_mode(args.run, args.limit)))
        return
    codes = {"this": REPO, **({"this-int8": REPO} if args.int8 else {}),
             **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    envs = {"this-int8": {"FACTCHECK_ENCODER_PRECISION": "int8"}}
    modes = args.modes.split(",")
    results: dict[str, dict] = {name: {} for name in codes}
    for mode in modes:
        for _ in range(args.repeat):
            for name, code in codes.items():  # interleaved: both see the same machine load
                if mode == "encoder" and name == "baseline":
                    continue  # the floor is the encoder's, the same in both
                got = measure(code, mode, args.limit, envs.get(name))
                best = results[name].get(mode)
                if best is None or got["seconds"] < best["seconds"]:
                    results[name][mode] = got
                print(f"  {name:9s} {mode:12s} {got['candidates']:6d} candidates {got['seconds']:7.1f} s wall "
                      f"{got['cpu']:7.1f} s CPU ({got['cpu'] / got['seconds']:.2f} cores busy)"
                      + (f", {got['head']} head" if got.get("head") else ""), flush=True)
    print(f"\n{args.limit} CED Weibo posts, {os.cpu_count()} cores; candidates per second (fastest of {args.repeat}):")
    header = f"{'mode':14s}" + "".join(f"{n:>12s}" for n in codes) + (
        "".join(f"  {n} / baseline" for n in codes if n != "baseline") if args.baseline else "")
    print_speeds(results, codes, modes, header, "seconds", args.baseline)
    print("candidates per CPU second (steadier on a shared machine: the work done, not the wait):")
    print_speeds(results, codes, modes, header, "cpu", args.baseline)
    for name in codes:
        if set(MODES[:4]) <= set(results[name]):
            print(f"share of {name}'s store+match CPU time: "
                  + ", ".join(f"{k} {v:.0%}" for k, v in shares(results[name]).items()))


if __name__ == "__main__":
    main()
