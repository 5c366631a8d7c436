"""`warehouse build` at scale: N synthetic reports end to end, a no-change rebuild, a one-file
refresh, and the saved example queries on the result. Prints a Markdown table.

    python -m benchmarks.build_scale --n 10000 --seed 5 --out /tmp/scale
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.synth import generate
from pipelines import serve

ROOT = Path(__file__).resolve().parent.parent
REFRESHES = 5  # this shared machine's speed drifts by a half within minutes: the median of several


def _tree(pid: int) -> list[int]:
    """`pid` and every process under it (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sorted(tree)


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of the processes, in MB: a page shared by the build and the parse processes
    it forked counts once, split between them (their RSS would count it in each)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def timed_build(raw: Path, warehouse: Path, *extra: str) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS MB of the largest process of the build, its output, peak PSS MB of the build's
    whole process tree, sampled every 0.2 s; 0 where /proc has no smaps_rollup)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse",
                             str(warehouse), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    tree_peak = 0.0
    out: dict[str, str] = {}

    def drain() -> None:
        out["stdout"], out["stderr"] = proc.communicate()

    reader = threading.Thread(target=drain)
    reader.start()
    while reader.is_alive():
        tree_peak = max(tree_peak, _pss_mb(_tree(proc.pid)))
        reader.join(0.2)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode not in (0,):
        print(out["stdout"][-3000:], out["stderr"][-3000:], file=sys.stderr)
    return wall, peak, out["stdout"], tree_peak


def watched_refreshes(raw: Path, warehouse: Path, victims: list[Path]) -> list[float]:
    """Seconds from changing each of `victims` to the line of `warehouse watch` that says the warehouse
    is up to date (its refresh published), the watch started once before them all."""
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "watch", "--raw", str(raw), "--warehouse",
                             str(warehouse)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert proc.stdout is not None

    def until_up_to_date() -> None:
        for line in proc.stdout:
            if line.startswith("warehouse watch: up to date"):
                return
        raise RuntimeError("warehouse watch ended")

    walls = []
    try:
        until_up_to_date()
        for victim in victims:
            time.sleep(1.0)  # (not a burst: one refresh each)
            started = time.perf_counter()
            with victim.open("a", encoding="utf-8") as out:
                out.write("\n附：本报告已复核。\n")
            until_up_to_date()
            walls.append(time.perf_counter() - started)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return walls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path("/tmp/perfwarehouse-scale"))
    args = ap.parse_args()
    started = time.perf_counter()
    files = generate(args.n, args.seed, args.out)
    raw = files[0].parent
    print(f"generated {len(files)} reports in {time.perf_counter() - started:.1f} s")
    warehouse = args.out / "warehouse.duckdb"
    rows = []
    wall, peak, out, tree = timed_build(raw, warehouse, "--full")
    job = re.search(r"seconds: ([\d.]+)", out)
    in_job = job.group(1) if job else "?"
    rows.append(("full build", f"{wall:.1f} s wall ({in_job} s in the job), peak RSS {peak:.0f} MB (the largest "
                               f"process), peak PSS {tree:.0f} MB (all its processes)"))
    stages = re.search(r"stages: (.*)", out)
    rows.append(("full build, time per stage", stages.group(1) if stages else "?"))
    wall, _, _, _ = timed_build(raw, warehouse)
    rows.append(("rebuild, nothing changed", f"{wall:.2f} s wall"))
    walls, in_job, per_stage = [], [], []
    for victim in sorted(raw.glob("*.txt"))[:REFRESHES]:  # each refresh with another file changed
        victim.write_text(victim.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
        wall, _, out, _ = timed_build(raw, warehouse)
        job = re.search(r"seconds: ([\d.]+)", out)
        stages = re.search(r"stages: (.*)", out)
        walls.append(wall)
        in_job.append(job.group(1) if job else "?")
        per_stage.append(stages.group(1) if stages else "?")
    middle = walls.index(statistics.median(walls))
    rows.append((f"refresh, one file changed (median of {REFRESHES})",
                 f"{walls[middle]:.2f} s wall ({in_job[middle]} s in the job); all runs "
                 + ", ".join(f"{w:.2f}" for w in walls) + " s"))
    rows.append(("refresh, time per stage (the median run)", per_stage[middle]))
    walls = watched_refreshes(raw, warehouse, sorted(raw.glob("*.txt"))[REFRESHES:2 * REFRESHES])
    rows.append((f"refresh under `warehouse watch`, one file changed (median of {REFRESHES})",
                 f"{statistics.median(walls):.2f} s from the write to the published warehouse; all runs "
                 + ", ".join(f"{w:.2f}" for w in walls) + " s"))
    for path in sorted((ROOT / "sql" / "examples").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        times = []
        for _ in range(7):
            t = time.perf_counter()
            serve.query(sql, warehouse, "csv")
            times.append((time.perf_counter() - t) * 1000)
        rows.append((f"query {path.stem}", f"{statistics.median(times):.0f} ms median of 7"))
    print(f"\n| {args.n} reports | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
