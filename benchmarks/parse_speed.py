"""Parse throughput of one version of the parser on real-size reports, in one process on one CPU.

    python benchmarks/parse_speed.py [--code DIR] [--rounds 7] FILE_OR_FOLDER...

`--code` is a checkout of the project whose `pipelines.parse` is timed (default: this one), so two
versions can be timed in the same run, alternately, on the same files. Each round parses every file
once; the report is the median round. A warm-up parse loads the vocabulary and jionlp first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


def files_of(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.txt")) if p.is_dir() else [p]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, args.code)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from pipelines.parse import parse_document

    docs = [(p.name, p.read_text(encoding="utf-8")) for p in files_of(args.paths)]
    size = sum(len(text.encode("utf-8")) for _, text in docs)
    parse_document(*docs[0])
    rounds = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for name, text in docs:
            parse_document(name, text)
        rounds.append(time.perf_counter() - start)
    seconds = statistics.median(rounds)
    print(json.dumps({"code": args.code, "files": len(docs), "bytes": size, "rounds": args.rounds,
                      "median_s": round(seconds, 4), "ms_per_file": round(1000 * seconds / len(docs), 2),
                      "mb_per_s": round(size / seconds / 1e6, 3)}))


if __name__ == "__main__":
    main()
