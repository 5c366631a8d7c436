"""Score the parser on synthetic reports, and time it.

    python -m benchmarks.score_synth [--n 500] [--seed 1] [--out DIR] [--misses 40]
    python -m benchmarks.score_synth --raw raw --gold ../shared/gold     # any folder with gold

Generates N reports with benchmarks.synth (into a temporary folder unless --out),
parses each with pipelines.parse.parse_document on one core (timed), builds in a
temporary DuckDB the four marts the scorer reads (marts.fct_reports, dim_unit,
fct_budget, fct_employment_metrics: the selected facts), runs
/work/shared/tools/score_extraction.py --gold <truth> on it and prints its pooled F1
per part, the F1 per layout, the most frequent misses and the throughput.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from benchmarks.synth import generate
from pipelines.parse import ParseResult, parse_document

SCORER = Path("/work/shared/tools/score_extraction.py")
PARTS = ["header", "budget", "metrics", "targets", "all"]

MARTS = {
    "dim_unit": "unit_id varchar, unit_name varchar, admin_level varchar, province varchar, prefecture varchar, "
                "county varchar, division_code varchar",
    "fct_reports": "report_id varchar, unit_id varchar, fiscal_year integer, source_file varchar, report_date date, "
                   "budget_code varchar, staffing_quota integer, actual_headcount integer, retirees integer, "
                   "self_score decimal(6, 2), grade varchar",
    "fct_budget": "report_id varchar, unit_id varchar, fiscal_year integer, org varchar, item_code varchar, "
                  "basis varchar, amount_wan decimal(24, 6), source_file varchar, source_line integer, "
                  "evidence varchar",
    "fct_employment_metrics": "report_id varchar, unit_id varchar, fiscal_year integer, metric_code varchar, "
                              "actual_value decimal(24, 6), target_value decimal(24, 6), "
                              "completion_rate_pct decimal(12, 4), unit varchar, qualifier varchar, "
                              "source_file varchar, source_line integer, evidence varchar",
}


@dataclass
class Timing:
    reports: int
    bytes: int
    seconds: float
    first_call: float  # the cold first parse (loads jionlp's tables and the vocabulary)

    def line(self) -> str:
        return (f"{self.reports} reports, {self.bytes / 1e6:.2f} MB in {self.seconds:.2f} s on one core: "
                f"{self.reports / self.seconds:.1f} reports/s, {self.bytes / 1e6 / self.seconds:.3f} MB/s "
                f"(warm; the first call alone took {self.first_call:.2f} s)")


def _int(value: Any) -> int | None:
    return int(value) if value is not None and re.fullmatch(r"\d+", str(value)) else None


def _date(value: Any) -> date | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", str(value or ""))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return None


def parse_all(paths: list[Path]) -> tuple[list[ParseResult], Timing]:
    """Parse every report in this process, pinned to one CPU while it runs (where the OS allows)."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if cpus:
        os.sched_setaffinity(0, {min(cpus)})
    try:
        start = time.perf_counter()
        parse_document(*texts[0])  # warm-up: jionlp and the vocabulary load on the first call
        first = time.perf_counter() - start
        start = time.perf_counter()
        results = [parse_document(name, text) for name, text in texts]
        seconds = time.perf_counter() - start
    finally:
        if cpus:
            os.sched_setaffinity(0, cpus)
    size = sum(len(text.encode("utf-8")) for _, text in texts)
    return results, Timing(len(results), size, seconds, first)


def build_marts(results: list[ParseResult], path: Path) -> None:
    """The four marts the scorer reads, from the selected facts of each parse."""
    units: dict[str, dict[str, Any]] = {}
    reports, budget, metrics = [], [], []
    for result in results:
        fields: dict[str, Any] = {}
        for f in result.report_fields:
            fields.setdefault(f["field"], f["value"])
        unit_key = f"{fields.get('division_code')}|{fields.get('unit_name')}"
        unit_id = hashlib.sha1(unit_key.encode()).hexdigest()[:16]
        units[unit_id] = {"unit_id": unit_id, **{k: fields.get(k) for k in (
            "unit_name", "admin_level", "province", "prefecture", "county", "division_code")}}
        year = _int(fields.get("fiscal_year"))
        report_id = hashlib.sha1(result.source_file.encode()).hexdigest()[:16]
        ids = {"report_id": report_id, "unit_id": unit_id, "fiscal_year": year}
        score = fields.get("self_score")
        reports.append({**ids, "source_file": result.source_file, "report_date": _date(fields.get("report_date")),
                        "budget_code": fields.get("budget_code"), "staffing_quota": _int(fields.get("staffing_quota")),
                        "actual_headcount": _int(fields.get("actual_headcount")),
                        "retirees": _int(fields.get("retirees")), "self_score": str(score) if score else None,
                        "grade": fields.get("grade")})
        for b in result.budget_facts:
            if b["is_selected"]:
                budget.append({**ids, "org": b["org"], "item_code": b["item_code"], "basis": b["basis"],
                               "amount_wan": str(b["amount_wan"]), "source_file": result.source_file,
                               "source_line": b["source_line"], "evidence": b["evidence"]})
        for m in result.employment_metrics:
            if m["is_selected"]:
                metrics.append({**ids, "metric_code": m["metric_code"],
                                **{k: None if m[k] is None else str(m[k])
                                   for k in ("actual_value", "target_value", "completion_rate_pct")},
                                "unit": m["unit"], "qualifier": m["qualifier"], "source_file": result.source_file,
                                "source_line": m["source_line"], "evidence": m["evidence"]})
    rows = {"dim_unit": list(units.values()), "fct_reports": reports, "fct_budget": budget,
            "fct_employment_metrics": metrics}
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    for table, columns in MARTS.items():
        con.execute(f"create table marts.{table} ({columns})")
        if rows[table]:
            names = [c.split()[0] for c in columns.split(", ") if c.split()[0].isidentifier()]
            incoming = pa.Table.from_pylist(rows[table])
            con.register("incoming", incoming)
            con.execute(f"insert into marts.{table} ({', '.join(names)}) select {', '.join(names)} from incoming")
            con.unregister("incoming")
    con.close()


NOTE = re.compile(r"^\s+(?P<doc>\S+): (?P<kind>header\.\S+|budget|metric|target) ?(?P<key>.*?): "
                  r"(?P<what>want .*|not in gold.*|gold has none.*)$")


@dataclass
class Miss:
    doc: str
    key: str  # as in the manifest's sources: budget|org|item|basis, metric|code, target|code, header|field
    outcome: str  # missed / wrong / extra
    note: str


def read_note(line: str) -> Miss | None:
    m = NOTE.match(line)
    if not m:
        return None
    what = m["what"]
    if what.startswith(("not in gold", "gold has none")):
        outcome = "extra"
    elif what.endswith(("got nothing", "got None")):
        outcome = "missed"
    else:
        outcome = "wrong"
    kind = m["kind"]
    if kind.startswith("header."):
        key = "header|" + kind.split(".", 1)[1]
    elif kind == "budget":
        org, item, basis = ast.literal_eval(m["key"].strip())
        key = f"budget|{org}|{item}|{basis}"
    else:
        key = f"{kind}|{m['key'].strip()}"
    return Miss(m["doc"], key, outcome, line.strip())


def family(construct: str) -> str:
    """A construct without its table layout or header depth: misses are grouped by what was written."""
    construct = re.sub(r"/(?:cells|tsv|pipe)\b", "", construct)
    return re.sub(r" \d-row header", "", construct)


def _fact_label(key: str) -> str:
    kind, *rest = key.split("|")
    if kind == "budget":
        org, item, basis = rest
        return f"{item}/{basis}" + ("" if org == "None" else " (sub-unit)")
    return f"{kind} {rest[0]}"


def explain(miss: Miss, results: dict[str, ParseResult], gold: Path) -> list[str]:
    """The truth's evidence of a missed fact and what the parser read for it."""
    truth = json.loads((gold / miss.doc.replace(".txt", ".json")).read_text(encoding="utf-8"))
    kind, *rest = miss.key.split("|")
    result = results.get(miss.doc)
    lines = []
    if kind == "budget":
        org, item, basis = rest
        org_value = None if org == "None" else org
        for b in truth["budget"]:
            if (b["item"], b["basis"]) == (item, basis) and (b["org"] or None) == org_value:
                lines.append(f"truth {b['amount_wan']}: {b['evidence'][:150]}")
        for b in result.budget_facts if result else []:
            if (b["item_code"], b["basis"]) == (item, basis) and b["org"] == org_value and b["is_selected"]:
                lines.append(f"parser {b['amount_wan']:f} ({b['source_kind']}): {b['evidence'][:150]}")
    elif kind in {"metric", "target"}:
        for m in truth["metrics"]:
            if m["metric"] == rest[0]:
                lines.append(f"truth actual {m['actual']} target {m['target']}: {m['evidence'][:150]}")
        for m in result.employment_metrics if result else []:
            if m["metric_code"] == rest[0] and m["is_selected"]:
                lines.append(f"parser actual {m['actual_value']} target {m['target_value']}: {m['evidence'][:150]}")
    else:
        lines.append(f"truth {truth['header'].get(rest[0])!r}")
        for f in result.report_fields if result else []:
            if f["field"] == rest[0]:
                lines.append(f"parser {f['value']!r}: {f['evidence'][:150]}")
    return lines


def score(db: Path, gold: Path, manifest: Path | None, results: dict[str, ParseResult], top: int,
          examples: int) -> None:
    run = subprocess.run([sys.executable, str(SCORER), "--warehouse", str(db), "--gold", str(gold), "--verbose"],
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        sys.exit(f"scorer failed:\n{run.stderr}")
    lines = run.stdout.splitlines()
    per_doc: dict[str, list[float]] = {}
    misses: list[Miss] = []
    for line in lines:
        miss = read_note(line)
        if miss:
            misses.append(miss)
            continue
        cells = line.split()
        if len(cells) == 6 and cells[0].endswith(".txt"):
            per_doc[cells[0]] = [float(c) for c in cells[1:]]
    print("Pooled over all reports (score_extraction.py):")
    for line in lines:
        if re.match(r"^(header|budget|metrics|targets|all) +precision|^F1 ", line):
            print("  " + line)
    hows = [json.loads(x) for x in manifest.read_text(encoding="utf-8").splitlines()] if manifest else []
    if hows:
        groups: dict[str, list[list[float]]] = defaultdict(list)
        for how in hows:
            if how["document"] in per_doc:
                groups[how["layout"]].append(per_doc[how["document"]])
        print("\nMean F1 per report, by layout:")
        print(f"  {'layout':<8} {'reports':>7} " + " ".join(f"{p:>8}" for p in PARTS))
        for layout in ("cells", "tsv", "pipe", "prose"):
            docs = groups.get(layout, [])
            if docs:
                means = [sum(d[k] for d in docs) / len(docs) for k in range(len(PARTS))]
                print(f"  {layout:<8} {len(docs):>7} " + " ".join(f"{v:8.3f}" for v in means))
    if not top:
        return
    sources = {how["document"]: how["sources"] for how in hows}
    facts: Counter[str] = Counter()  # construct -> facts of the truth it states
    for doc_sources in sources.values():
        for constructs in doc_sources.values():
            facts.update({family(c) for c in constructs})
    by_construct: dict[str, list[tuple[Miss, bool]]] = defaultdict(list)  # construct -> (miss, sole source?)
    extras: Counter[str] = Counter()
    for miss in misses:
        if miss.outcome == "extra":
            extras[_fact_label(miss.key)] += 1
            continue
        constructs = {family(c) for c in sources.get(miss.doc, {}).get(miss.key, ["(no manifest)"])}
        for construct in constructs:
            by_construct[construct].append((miss, len(constructs) == 1))
    print(f"\nMisses by construct: {sum(1 for m in misses if m.outcome != 'extra')} facts of the truth were missed "
          "or read with another value. A fact stated by two constructs (a table and a sentence) counts for both; "
          "'facts' = facts of the truth that the construct states, 'sole' = misses it alone states.")
    print(f"  {'missed':>6} {'wrong':>5} {'sole':>5} {'facts':>6} {'rate':>5}  construct  [facts affected]")
    ranked = sorted(by_construct.items(), key=lambda kv: (-sum(sole for _, sole in kv[1]), -len(kv[1])))
    for construct, found in ranked[:top]:
        outcomes = Counter(m.outcome for m, _ in found)
        sole = sum(1 for _, only in found if only)
        labels = Counter(_fact_label(m.key) for m, _ in found).most_common(3)
        affected = ", ".join(f"{label} ×{n}" for label, n in labels)
        total = facts.get(construct, 0)
        print(f"  {outcomes['missed']:>6} {outcomes['wrong']:>5} {sole:>5} {total:>6} {len(found) / max(total, 1):5.0%}"
              f"  {construct}  [{affected}]")
        shown = sorted(found, key=lambda pair: not pair[1])[:examples]
        for miss, _ in shown:
            print(f"           e.g. {miss.note}")
            for line in explain(miss, results, gold):
                print(f"                {line}")
    if extras:
        print("\nExtracted but not in the truth: " + ", ".join(f"{k} ×{v}" for k, v in extras.most_common(15)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="keep reports, truth and warehouse here (default: a temporary folder)")
    ap.add_argument("--raw", type=Path, help="score these reports instead of generating some")
    ap.add_argument("--gold", type=Path, help="with --raw: their gold")
    ap.add_argument("--misses", type=int, default=30, help="how many constructs with misses to list")
    ap.add_argument("--examples", type=int, default=1, help="examples shown per construct")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="synth_") as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        if args.raw:
            paths, gold, manifest = sorted(args.raw.glob("*.txt")), args.gold, None
        else:
            paths = generate(args.n, args.seed, out)
            gold, manifest = out / "gold", out / "manifest.jsonl"
            print(f"generated {len(paths)} reports (seed {args.seed}) in {out}")
        results, timing = parse_all(paths)
        db = out / "synth_marts.duckdb"
        db.unlink(missing_ok=True)
        build_marts(results, db)
        score(db, gold, manifest, {r.source_file: r for r in results}, args.misses, args.examples)
        print("\nThroughput: " + timing.line())


if __name__ == "__main__":
    main()
