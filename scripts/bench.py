#!/usr/bin/env python3
"""Speed benchmark: pylint-recover against ruff (and deptry when installed) on the same
trees, side by side. Prints the median of N runs and the ratios DESIGN §5 targets:
cold check <= 0.5 x `ruff check --no-cache --select F`, warm re-run <= 0.1 x cold,
>= 10 x faster than deptry.

usage: scripts/bench.py [--runs N] [DIR ...]   (default: every folder under ./corpus)
Needs `ruff` (pip install ruff); `deptry` is optional. Fetch the corpus first with
scripts/corpus.py.
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "pylint-recover")


def timed(cmd, cwd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv):
    runs = 5
    dirs = []
    it = iter(argv)
    for a in it:
        if a == "--runs":
            runs = int(next(it))
        else:
            dirs.append(a)
    if not dirs:
        base = os.path.join(ROOT, "corpus")
        dirs = sorted(os.path.join(base, d) for d in os.listdir(base)) if os.path.isdir(base) else []
    ruff = shutil.which("ruff")
    deptry = shutil.which("deptry")
    print(f"{'tree':40} {'ruff F':>8} {'cold':>8} {'warm':>8} {'cold/ruff':>10} {'warm/cold':>10} {'deptry':>8} {'deptry/cold':>12}")
    for d in dirs:
        name = os.path.basename(d.rstrip("/"))
        cold = timed([BIN, "check", ".", "--no-cache", "-q", "--exit-zero"], d, runs)
        subprocess.run([BIN, "check", ".", "-q", "--exit-zero"], cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        warm = timed([BIN, "check", ".", "-q", "--exit-zero"], d, runs)
        r = timed([ruff, "check", ".", "--no-cache", "--select", "F", "--exit-zero", "-q"], d, runs) if ruff else float("nan")
        dp = timed([deptry, "."], d, max(1, runs // 2)) if deptry else float("nan")
        print(f"{name:40} {r:8.3f} {cold:8.3f} {warm:8.3f} {cold / r:10.2f} {warm / cold:10.2f} {dp:8.3f} {dp / cold:12.2f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
