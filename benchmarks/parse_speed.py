"""Parse throughput of one version of the parser on real-size reports, in one process on one CPU.

    python benchmarks/parse_speed.py [--code DIR] [--rounds 7] FILE_OR_FOLDER...

`--code` is a checkout of the project whose `pipelines.parse` is timed (default: this one), so two
versions can be timed in the same run, alternately, on the same files. Each round parses every file
once; the report is the median round. A warm-up parse loads the vocabulary and jionlp first.

The parser keeps small caches keyed by text (a sentence's figures, a label's cleaned form). Parsing
the same files round after round would find every sentence in them, as no new report does, so
they are emptied before each file: each parse costs what a report never seen before costs.
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


def text_caches() -> list:
    """The parser's caches keyed by text: functools.lru_cache with room for a thousand entries or more.
    The others hold what is built once per vocabulary (the location table, joined wordings) and stay."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("pipelines.parse"):
            continue
        for obj in vars(module).values():
            info = getattr(obj, "cache_info", None)
            if info is not None and (info().maxsize or 0) >= 1000:
                found.append(obj)
    return found


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
    caches = text_caches()
    rounds = []
    for _ in range(args.rounds):
        spent = 0.0
        for name, text in docs:
            for c in caches:
                c.cache_clear()
            start = time.perf_counter()
            parse_document(name, text)
            spent += time.perf_counter() - start
        rounds.append(spent)
    seconds = statistics.median(rounds)
    print(json.dumps({"code": args.code, "files": len(docs), "bytes": size, "rounds": args.rounds,
                      "median_s": round(seconds, 4), "ms_per_file": round(1000 * seconds / len(docs), 2),
                      "mb_per_s": round(size / seconds / 1e6, 3), "caches_emptied": len(caches)}))


if __name__ == "__main__":
    main()
