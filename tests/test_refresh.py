"""A refresh does only the changed files' work: incremental marts, scoped checks, the publish
guard, and a parser change that parses everything again. Each is compared with a full build."""

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import assets, models, quality
from pipelines.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIRST = "000_2ffef96f446e24f3.txt"  # reported 2023年 2月 20 日; 失业保险费征缴共计669.36万元 (line 87)
MARTS = ["dim_unit", "fct_reports", "fct_budget", "fct_employment_metrics", "fct_performance_indicators",
         "fct_unit_year_summary"]


def marts(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {m: sorted(con.sql(f"select * from marts.{m}").fetchall(), key=repr) for m in MARTS}
    finally:
        con.close()


def build(raw: Path, warehouse: Path, *extra: str) -> None:
    assert main(["build", "--raw", str(raw), "--warehouse", str(warehouse), *extra]) == 0


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", folder)
    return folder


def test_a_later_version_of_a_report_replaces_it_and_its_removal_brings_it_back(raw, tmp_path):
    warehouse = tmp_path / "inc.duckdb"
    build(raw, warehouse)
    text = (raw / FIRST).read_text(encoding="utf-8")
    later = text.replace("2023年  2月 20 日", "2023年  3月 20 日")
    assert later != text
    (raw / "000_v2.txt").write_text(later, encoding="utf-8")
    build(raw, warehouse)  # the same unit and year, reported later: 000 leaves the marts
    con = duckdb.connect(str(warehouse), read_only=True)
    assert {r[0] for r in con.sql("select distinct source_file from marts.fct_budget where report_id = "
                                  "(select report_id from marts.fct_reports where source_file = '000_v2.txt')"
                                  ).fetchall()} == {"000_v2.txt"}
    con.close()
    build(raw, tmp_path / "full.duckdb", "--full")
    assert marts(warehouse) == marts(tmp_path / "full.duckdb")
    (raw / "000_v2.txt").unlink()  # back to the first version: its rows must return
    build(raw, warehouse)
    build(raw, tmp_path / "full2.duckdb", "--full")
    assert marts(warehouse) == marts(tmp_path / "full2.duckdb")
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.sql(f"select count(*) from marts.fct_budget where source_file = '{FIRST}'").fetchall()[0][0] > 0
    con.close()


def test_a_refresh_checks_only_the_changed_files_rows(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    path = raw / "004_52c6ee96ad68c98b.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    build(raw, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    checked = dict(con.sql("select suite, max(rows_checked) from quality.check_results where run_id = "
                           "(select run_id from quality.check_results order by checked_at desc limit 1) "
                           "group by 1").fetchall())
    reports = con.sql("select count(*) from marts.fct_reports").fetchall()[0][0]
    con.close()
    assert reports == 4 and checked["fct_reports"] == 1  # the changed report only
    assert checked["raw_documents"] == 1
    assert checked["dim_unit"] == 4  # no source-file column: every row


@pytest.fixture
def copy(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    con = duckdb.connect(str(warehouse))
    yield con
    con.close()


def suite(name: str) -> quality.Suite:
    return {s.name: s for s in quality.load_suites()}[name]


def test_scoped_checks_see_the_rows_of_their_files_and_keys_they_share(copy):
    copy.execute("update marts.fct_reports set unit_id = null where source_file like '001%'")
    fct_reports = suite("fct_reports")
    outside = quality.validate(fct_reports, copy, {FIRST})
    assert all(r.passed for r in outside) and outside[0].rows_checked == 1
    inside = quality.validate(fct_reports, copy, {"001_7aa3f15b6822626a.txt"})
    assert [r.failing_files for r in inside if not r.passed] == [("001_7aa3f15b6822626a.txt",)]
    # a row of an unchanged file with the changed file's report_id is pulled in and found
    copy.execute(f"insert into marts.fct_reports select * replace ('other.txt' as source_file) "
                 f"from marts.fct_reports where source_file = '{FIRST}'")
    found = {r.expectation.split("(")[0] for r in quality.validate(fct_reports, copy, {FIRST}) if not r.passed}
    assert found == {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}


def test_files_that_failed_a_suite_are_checked_again(copy):
    budget = suite("fct_budget")
    quality.record(copy, "r1", [quality.CheckResult("fct_budget", "x", "marts.fct_budget", "error", False, 2, "",
                                                    1, ("a.txt",))])
    assert quality.files_to_check(copy, budget, {"b.txt"}) == {"a.txt", "b.txt"}
    quality.record(copy, "r2", [quality.CheckResult("fct_budget", "x", "marts.fct_budget", "error", False, 1, "",
                                                    1, (None,))])
    assert quality.files_to_check(copy, budget, {"b.txt"}) is None  # a failure of the whole table
    assert quality.files_to_check(copy, suite("superseded_reports"), {"b.txt"}) is None  # a row count


def test_an_error_on_an_ingest_table_keeps_the_warehouse_unpublished(raw, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    data = json.loads((folder / "raw_documents.json").read_text(encoding="utf-8"))
    data["expectations"].append({"type": "expect_column_values_to_be_between",
                                 "kwargs": {"column": "size_bytes", "min_value": 0, "max_value": 10}})
    (folder / "raw_documents.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("WAREHOUSE_EXPECTATIONS_DIR", str(folder))
    warehouse = tmp_path / "w.duckdb"
    assert main(["build", "--raw", str(raw), "--warehouse", str(warehouse)]) == 1
    out = capsys.readouterr().out
    assert "NOT published" in out and "raw_documents" in out
    assert not warehouse.exists()


def test_a_changed_parser_parses_every_document_again(raw, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)
    publisher = assets.Publisher(path=str(warehouse))
    shards = set(assets.PARSE_SHARDS.get_partition_keys())
    con = duckdb.connect(str(warehouse), read_only=True)
    assert assets.plan_shard_jobs(con, publisher, shards) == []
    monkeypatch.setattr(assets, "parser_fingerprint", lambda: "another parser")
    jobs = assets.plan_shard_jobs(con, publisher, shards)
    con.close()
    assert sorted(f for job in jobs for f in job.changed) == sorted(p.name for p in raw.iterdir())
    assert all(job.fresh for job in jobs)


def test_same_report_files_are_the_other_versions(copy):
    assert models.same_report_files(copy, [FIRST]) == {FIRST}
    copy.execute("create or replace table raw.changed_files as select null::varchar as file_name")
    assert models.changed_files(copy) is None


def test_a_small_refresh_leaves_its_deleted_rows_for_a_later_build_to_compact(raw, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)

    def stored_and_live() -> tuple[int, int, int]:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            stored = con.sql("select estimated_size from duckdb_tables() where schema_name = 'raw' "
                             "and table_name = 'budget_facts'").fetchall()[0][0]  # deleted rows too
            live = con.sql("select count(*) from raw.budget_facts").fetchall()[0][0]
            return stored, live, con.sql("select deferred_files from raw.compaction").fetchall()[0][0]
        finally:
            con.close()

    def new_file() -> bool:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.sql("select new_file from raw.compaction").fetchall()[0][0]

    stored, live, deferred = stored_and_live()
    assert stored == live and deferred == 0 and new_file()  # a first build has nothing to compact
    path = raw / "004_52c6ee96ad68c98b.txt"  # one report of its unit and year: one file to refresh
    path.write_text(path.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    build(raw, warehouse)
    stored, live, deferred = stored_and_live()
    assert deferred == 1 and stored > live and not new_file()  # its old rows are still stored, not read
    assert marts(warehouse) == (build(raw, tmp_path / "full.duckdb", "--full") or marts(tmp_path / "full.duckdb"))
    monkeypatch.setattr(assets, "COMPACT_AFTER_FILES", 2)
    path.write_text(path.read_text(encoding="utf-8") + "\n附：再次复核。\n", encoding="utf-8")
    build(raw, warehouse)  # the second file changed since the last compaction: compacted now
    stored, live, deferred = stored_and_live()
    assert (stored, deferred) == (live, 0)


def test_a_refresh_keeps_the_views_and_a_changed_view_is_made_again(raw, tmp_path, monkeypatch):
    sql = tmp_path / "sql"
    shutil.copytree(ROOT / "sql", sql)
    monkeypatch.setenv("WAREHOUSE_SQL_DIR", str(sql))
    warehouse = tmp_path / "w.duckdb"
    build(raw, warehouse)

    def view_sql() -> str:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.sql("select sql from duckdb_views() where schema_name = 'staging' "
                           "and view_name = 'stg_quarantine'").fetchall()[0][0]
        finally:
            con.close()

    made = view_sql()
    path = raw / "004_52c6ee96ad68c98b.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    build(raw, warehouse)  # same code: the views are left as they are, and the marts still right
    assert marts(warehouse) == (build(raw, tmp_path / "full.duckdb", "--full") or marts(tmp_path / "full.duckdb"))
    model = sql / "staging" / "stg_quarantine.sql"
    model.write_text(model.read_text(encoding="utf-8").replace("quarantined_at\n", "quarantined_at, 1 as probe\n"),
                     encoding="utf-8")
    build(raw, warehouse)  # its SQL changed: made again
    assert "probe" in view_sql() and "probe" not in made


def test_a_staging_copy_made_ahead_is_used_only_while_it_matches_the_published_file(raw, tmp_path):
    warehouse, full = tmp_path / "w.duckdb", tmp_path / "full.duckdb"
    build(raw, warehouse)
    staging = Path(assets.staging_path(str(warehouse)))
    assets.prepare_staging(warehouse)
    assert assets.prepared_staging_fits(warehouse)
    os.utime(staging, ns=(staging.stat().st_atime_ns, staging.stat().st_mtime_ns + 1))  # touched since
    assert not assets.prepared_staging_fits(warehouse)
    assets.prepare_staging(warehouse)
    copy = staging.stat().st_ino
    (raw / FIRST).write_text((raw / FIRST).read_text(encoding="utf-8") + "\n附：本报告已复核。\n", encoding="utf-8")
    build(raw, warehouse)
    assert warehouse.stat().st_ino == copy  # the build went on from the copy, and published it
    assert not Path(f"{staging}{assets.PREPARED}").exists()
    build(raw, full, "--full")
    assert marts(warehouse) == marts(full)
    assets.prepare_staging(warehouse)
    shutil.copy(full, f"{warehouse}.new")
    os.replace(f"{warehouse}.new", warehouse)  # another file published under the name since
    assert not assets.prepared_staging_fits(warehouse)


def test_the_compaction_plan_is_followed_on_a_warehouse_planned_before_new_file():
    """A warehouse published before raw.compaction had its new_file column still defers its compaction
    (vacuum off); a new file keeps the vacuum off; otherwise it is on."""
    con = duckdb.connect()
    vacuum = "select current_setting('max_vacuum_tasks')"
    assets.follow_compaction_plan(con)  # (no plan yet: nothing happens)
    con.execute("create schema raw")
    con.execute("create table raw.compaction (deferred_files bigint)")
    con.execute("insert into raw.compaction values (3)")
    assets.follow_compaction_plan(con)
    assert con.sql(vacuum).fetchall()[0][0] == 0
    assets.plan_compaction(con, 0, everything=True)
    assets.follow_compaction_plan(con)
    assert con.sql(vacuum).fetchall()[0][0] > 0
    assets.plan_compaction(con, 0, everything=True, new_file=True)
    assets.follow_compaction_plan(con)
    assert con.sql(vacuum).fetchall()[0][0] == 0
