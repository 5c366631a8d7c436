"""Read-only queries and exports on a small real DuckDB file."""

import csv
import json
from decimal import Decimal

import duckdb
import pytest

from pipelines import serve


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.fct_budget (report_id varchar, item_code varchar, amount_wan decimal(18,2), "
                "fiscal_year integer)")
    con.execute("insert into marts.fct_budget values ('r1', 'expenditure_total', 299.83, 2022), "
                "('r2', 'expenditure_total', 8675.33, 2022)")
    con.close()
    return path


@pytest.mark.parametrize("sql", [
    "delete from marts.fct_budget",
    "select 1; drop table marts.fct_budget",
    "with gone as (delete from marts.fct_budget returning *) select * from gone",
    "create table marts.x as select 1",
    "insert into marts.fct_budget select * from marts.fct_budget",
    "attach 'other.duckdb' as o",
    "copy marts.fct_budget to 'x.csv'",
])
def test_writes_are_refused(warehouse, sql):
    with pytest.raises(serve.ReadOnlyError):
        serve.query(sql, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.sql("select count(*) from marts.fct_budget").fetchall()[0][0] == 2


def test_query_formats(warehouse):
    sql = "select report_id, amount_wan from marts.fct_budget order by report_id"
    assert json.loads(serve.query(sql, warehouse, "json")) == [
        {"report_id": "r1", "amount_wan": "299.83"}, {"report_id": "r2", "amount_wan": "8675.33"}]
    rows = list(csv.reader(serve.query(sql, warehouse, "csv").splitlines()))
    assert rows == [["report_id", "amount_wan"], ["r1", "299.83"], ["r2", "8675.33"]]
    assert "(2 rows)" in serve.query(sql, warehouse)


def test_export_round_trips(warehouse, tmp_path):
    out = tmp_path / "parquet"
    serve.export(warehouse, out, "parquet")
    con = duckdb.connect()
    rows = con.sql(f"select amount_wan from '{out / 'fct_budget.parquet'}' order by 1").fetchall()
    assert rows == [(Decimal("299.83"),), (Decimal("8675.33"),)]
    assert con.sql(f"describe select * from '{out / 'fct_budget.parquet'}'").fetchall()[2][1] == "DECIMAL(18,2)"


def test_datapackage_validates(built, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "dp"
    serve.export(built, out, "datapackage")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    budget = next(r for r in package["resources"] if r["name"] == "fct_budget")
    amount = next(f for f in budget["schema"]["fields"] if f["name"] == "amount_wan")
    assert amount == {"name": "amount_wan", "type": "number", "description": "Amount in 万元, exact decimal.",
                      "constraints": {"required": False}}  # written once in sql/marts/_docs.yml, read back as a comment
    assert budget["description"].startswith("One row per budget figure")


def test_a_bad_query_is_a_message_not_a_traceback(warehouse, capsys):
    from pipelines.cli import main

    assert main(["query", "--warehouse", str(warehouse), "select no_such_column from marts.fct_budget"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("warehouse query: BinderException") and "no_such_column" in err


@pytest.mark.parametrize("sql", [
    "pragma profiling_output='{victim}'",
    "pragma enable_profiling",
    "set memory_limit='100GB'",
    "select * from read_text('{victim}')",
    "select * from read_blob('/etc/hosts')",
    "select * from glob('/**')",
    "select * from read_csv('http://127.0.0.1:9/a.csv')",
    "select * from '{victim}'",
    "install httpfs",
    "load httpfs",
    "select /* /* */ 1",
    "select count(*) from range(100000000000000)",
])
def test_query_escapes_are_refused_with_a_message(warehouse, tmp_path, capsys, monkeypatch, sql):
    """Each escape the safety review tried: files, URLs, settings, extensions, a runaway scan."""
    from pipelines.cli import main

    victim = tmp_path / "report.txt"
    victim.write_text("一份报告", encoding="utf-8")
    monkeypatch.setenv("WAREHOUSE_QUERY_TIMEOUT", "1")
    assert main(["query", "--warehouse", str(warehouse), sql.format(victim=victim)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("warehouse query: ") and "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "一份报告"
    assert "一份报告" not in err


def test_a_query_may_not_lift_the_memory_cap(warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_QUERY_MEMORY", "300MB")
    assert serve.query("select current_setting('memory_limit') as m", warehouse, "csv").splitlines()[1] == "286.1 MiB"


def test_marts_read_gives_a_polars_frame_with_exact_money(warehouse):
    import polars as pl

    from pipelines import marts

    budget = marts.read("fct_budget", warehouse)
    assert isinstance(budget, pl.DataFrame)
    assert budget.schema["amount_wan"] == pl.Decimal(18, 2)
    assert sorted(budget["amount_wan"].to_list()) == [Decimal("299.83"), Decimal("8675.33")]
    total = marts.sql("select sum(amount_wan) as total from marts.fct_budget", warehouse)
    assert total["total"].to_list() == [Decimal("8975.16")]  # 299.83 + 8675.33, no float drift


def test_marts_are_read_only_and_named(warehouse):
    from pipelines import marts

    with pytest.raises(serve.ReadOnlyError):
        marts.sql("delete from marts.fct_budget", warehouse)
    with pytest.raises(ValueError, match="not a mart name"):
        marts.read("fct_budget; drop table marts.fct_budget", warehouse)
    with pytest.raises(ValueError, match="no mart 'fct_nothing'"):
        marts.read("fct_nothing", warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("comment on table marts.fct_budget is 'One row per budget figure.'")
    con.close()
    assert marts.tables(warehouse) == {"fct_budget": "One row per budget figure."}
    assert len(marts.read("fct_budget", warehouse)) == 2
