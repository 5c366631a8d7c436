"""The published file opens in the DuckDB 1.x clients that BI drivers pin, not only in this project's 2.x."""

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.assets import storage_format
from pipelines.cli import main

ROOT = Path(__file__).resolve().parent.parent
OLD_CLIENTS = ["1.1.3", "1.4.2"]  # the oldest release that reads the format, and the last 1.x
READ_EVERY_MART = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
names = [r[0] for r in con.sql("select table_name from duckdb_tables() where schema_name = 'marts' "
                              "union all select view_name from duckdb_views() where schema_name = 'marts'").fetchall()]
print(json.dumps({"version": duckdb.__version__,
                  "rows": {n: con.sql(f"select count(*) from marts.{n}").fetchall()[0][0] for n in sorted(names)},
                  "spent": str(con.sql("select sum(amount_wan) from marts.fct_budget "
                                       "where item_code = 'expenditure_total' and org is null").fetchall()[0][0])}))
"""


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """A warehouse built, then refreshed after one report changed (a refresh writes into the old file)."""
    base = tmp_path_factory.mktemp("clients")
    raw = base / "raw"
    shutil.copytree(ROOT / "raw", raw)
    out = base / "warehouse.duckdb"
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0
    report = raw / "000_2ffef96f446e24f3.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0
    return out


def read_with(version: str, path: Path) -> dict:
    uv = shutil.which("uv")
    assert uv, "uv runs the old clients (the README's quickstart installs it)"
    done = subprocess.run([uv, "run", "--quiet", "--no-project", "--with", f"duckdb=={version}", "python", "-c",
                           READ_EVERY_MART, str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("version", OLD_CLIENTS)
def test_an_old_client_reads_every_mart_as_this_one_does(refreshed, version):
    con = duckdb.connect(str(refreshed), read_only=True)
    names = [r[0] for r in con.sql("select table_name from duckdb_tables() where schema_name = 'marts' union all "
                                   "select view_name from duckdb_views() where schema_name = 'marts'").fetchall()]
    here = {n: con.sql(f"select count(*) from marts.{n}").fetchall()[0][0] for n in sorted(names)}
    con.close()
    seen = read_with(version, refreshed)
    assert seen["version"] == version
    assert seen["rows"] == here and here["fct_reports"] == 4
    # 支出 totals of the bundled reports, actual and budget: 000 299.83 + 373.34, 003 8675.33 + 9853.12,
    # 004 1371.57 + 1371.57 (001 states no total)
    assert seen["spent"] == "21944.760000"


def test_a_published_file_of_the_newer_format_is_rebuilt_in_the_old_one(tmp_path, monkeypatch):
    out = tmp_path / "w.duckdb"
    monkeypatch.setenv("WAREHOUSE_STORAGE_VERSION", "v2.0.0")
    assert main(["build", "--warehouse", str(out), "--raw", str(ROOT / "raw")]) == 0
    assert storage_format(out) == "v2.0.0"  # as DuckDB 2.0 writes by default
    monkeypatch.delenv("WAREHOUSE_STORAGE_VERSION")
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    report = raw / "004_52c6ee96ad68c98b.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0  # a refresh, not --full
    assert storage_format(out) == "v1.0.0"
