"""Our model run vs the same sql/ models run by dbt-duckdb, on copies of one warehouse.

A dbt project is generated from sql/: sqlglot rewrites every schema-qualified table name
to `{{ ref('…') }}` (models) or `{{ source('raw', '…') }}` (raw tables). Both runs start
cold, in a new process, on a copy of the same file with the model schemas dropped.

    python -m benchmarks.dbt_compare --warehouse /tmp/scale10k/warehouse.duckdb \
        --dbt /tmp/dbtvenv/bin/dbt --out /tmp/dbt_compare
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from pipelines import models
from pipelines.load import RAW_TABLES

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("staging", "intermediate", "marts")
GENERATE_SCHEMA = """{% macro generate_schema_name(custom_schema_name, node) -%}
{{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
"""


def to_dbt(model: models.Model) -> str:
    """The model's select with table names as ref()/source() and its materialisation as config()."""
    tree = sqlglot.parse_one(model.sql, read="duckdb")
    refs: dict[str, str] = {}
    for table in list(tree.find_all(exp.Table)):
        if table.db in SCHEMAS:
            token = f"__ref_{len(refs)}__"
            refs[token] = "{{ ref('" + table.name + "') }}"
        elif table.db == "raw":
            token = f"__ref_{len(refs)}__"
            refs[token] = "{{ source('raw', '" + table.name + "') }}"
        else:
            continue
        alias = table.args.get("alias")
        table.replace(exp.Table(this=exp.to_identifier(token), alias=alias))
    body = tree.sql(dialect="duckdb", pretty=True)
    for token, jinja in refs.items():
        body = body.replace(token, jinja)
    materialized = "table" if model.materialized == "incremental" else model.materialized  # runs are cold
    return f"{{{{ config(materialized='{materialized}', schema='{model.schema}') }}}}\n{body}\n"


def write_project(out: Path, warehouse: Path) -> Path:
    project = out / "dbt_project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "macros").mkdir(parents=True)
    (project / "macros" / "schema.sql").write_text(GENERATE_SCHEMA, encoding="utf-8")
    (project / "dbt_project.yml").write_text(
        "name: perfwarehouse\nversion: '1.0'\nprofile: perfwarehouse\nmodel-paths: ['models']\n"
        "macro-paths: ['macros']\n", encoding="utf-8")
    (project / "profiles.yml").write_text(
        f"perfwarehouse:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{warehouse}'\n"
        "      threads: 1\n", encoding="utf-8")
    tables = [*RAW_TABLES, *models.SEEDS]
    sources = {"version": 2, "sources": [{"name": "raw", "schema": "raw", "tables": [{"name": t} for t in tables]}]}
    (project / "models").mkdir()
    (project / "models" / "sources.yml").write_text(json.dumps(sources), encoding="utf-8")
    for model in models.discover():
        target = project / "models" / model.schema / f"{model.name}.sql"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_dbt(model), encoding="utf-8")
    return project


def fresh_copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    for schema in SCHEMAS:
        con.execute(f"drop schema if exists {schema} cascade")
    con.close()
    return target


OURS = """
import json, sys, time
t0 = time.perf_counter()
import duckdb
from pipelines import models
found = models.discover()
con = duckdb.connect(sys.argv[1])
stats = models.run_models(con, found)
print(json.dumps({"seconds": time.perf_counter() - t0, "execute": sum(s["seconds"] for s in stats.values())}))
"""


def run_once(warehouse: Path, out: Path, dbt_exe: Path) -> tuple[float, dict, float, int, int] | None:
    """(our wall, our in-process timings, dbt wall, our fct_budget rows, dbt's), each on a fresh copy."""
    ours_db = fresh_copy(warehouse, out / "ours.duckdb")
    dbt_db = fresh_copy(warehouse, out / "dbt.duckdb")
    project = write_project(out, dbt_db)
    started = time.perf_counter()
    ours = subprocess.run([sys.executable, "-c", OURS, str(ours_db)], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    ours_wall = time.perf_counter() - started
    inner = json.loads(ours.stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    dbt = subprocess.run([str(dbt_exe), "run", "--project-dir", str(project), "--profiles-dir", str(project)],
                         capture_output=True, text=True, check=False)
    dbt_wall = time.perf_counter() - started
    if dbt.returncode != 0:
        print(dbt.stdout[-3000:], dbt.stderr[-2000:], file=sys.stderr)
        return None
    rows = []
    for db in (ours_db, dbt_db):
        con = duckdb.connect(str(db), read_only=True)
        rows.append(con.sql("select count(*) from marts.fct_budget").fetchall()[0][0])
        con.close()
    return ours_wall, inner, dbt_wall, rows[0], rows[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--dbt", type=Path, required=True, help="the dbt executable of its own virtualenv")
    ap.add_argument("--out", type=Path, default=Path("/tmp/dbt_compare"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating; medians are reported")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    runs = [run_once(args.warehouse, args.out, args.dbt) for _ in range(args.repeat)]
    if any(r is None for r in runs):
        return 1
    ours_wall = statistics.median(r[0] for r in runs)
    seconds = statistics.median(r[1]["seconds"] for r in runs)
    overhead = statistics.median(r[1]["seconds"] - r[1]["execute"] for r in runs)
    execute = statistics.median(r[1]["execute"] for r in runs)
    dbt_wall = statistics.median(r[2] for r in runs)
    ours_rows, dbt_rows = runs[-1][3], runs[-1][4]
    print(f"| run (median of {args.repeat}, each cold in a new process) | wall |\n|---|---|")
    print(f"| ours: pipelines.models.run_models | {ours_wall:.2f} s (in-process {seconds:.2f} s, of which "
          f"DuckDB executing statements {execute:.2f} s: overhead {overhead:.2f} s incl. imports); "
          f"all runs {', '.join(f'{r[0]:.2f}' for r in runs)} s |")
    print(f"| dbt-duckdb `dbt run` | {dbt_wall:.2f} s; all runs {', '.join(f'{r[2]:.2f}' for r in runs)} s |")
    print(f"\nratio dbt / ours: {dbt_wall / ours_wall:.1f}×; marts.fct_budget rows: ours {ours_rows}, dbt {dbt_rows}")
    return 0 if ours_rows == dbt_rows else 1


if __name__ == "__main__":
    sys.exit(main())
