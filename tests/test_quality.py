"""Quality suites on a real warehouse built from the bundled reports, then corrupted on purpose."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import checks, quality
from pipelines.assets import WarehouseDB
from pipelines.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def good(built):
    return built  # the bundled reports' warehouse (tests/conftest.py), never written: `copy` is


@pytest.fixture
def copy(good, tmp_path):
    target = tmp_path / "w.duckdb"
    shutil.copy(good, target)
    return duckdb.connect(str(target))


def failures(con):
    return {(r.suite, r.expectation.split("(")[0], r.severity) for r in quality.run_checks(con) if not r.passed}


def test_bundled_reports_have_no_errors(copy):
    assert all(severity == "warning" for _, _, severity in failures(copy))
    assert copy.sql("select count(*) from quality.check_results").fetchall()[0][0] >= 30


def test_a_sum_off_by_ten_warns(copy):
    # 003's 汇总 row: 支出合计 8675.33 = 基本 3855.91 + 项目 4819.42
    copy.execute("update marts.fct_budget set amount_wan = amount_wan + 10 where org is null and basis = 'actual' "
                 "and item_code = 'expenditure_project' and source_file like '003%'")
    assert ("budget_reconciliation", "expect_column_values_to_be_between", "warning") in failures(copy)


def test_a_total_raised_where_the_report_gives_no_project_part_warns(copy):
    """000 gives its actual spending as 支出合计 299.83 = 基本支出 299.83 with no project part, so the
    parts-sum check cannot see a raised total; its income (收入合计 299.83) and budget (373.34) can."""
    assert not {f for f in failures(copy) if f[0] == "budget_plausibility"}
    copy.execute("update marts.fct_budget set amount_wan = amount_wan + 5000 where org is null and basis = 'actual' "
                 "and item_code = 'expenditure_total' and source_file like '000%'")
    assert ("budget_plausibility", "expect_column_values_to_be_between", "warning") in failures(copy)


def test_a_part_larger_than_its_total_warns_when_the_other_parts_are_missing(copy):
    # 004 gives its actual project spending (13.77) and total (1371.57) but no basic part
    copy.execute("update marts.fct_budget set amount_wan = 1400 where org is null and basis = 'actual' "
                 "and item_code = 'expenditure_project' and source_file like '004%'")
    assert ("budget_plausibility", "expect_column_values_to_be_between", "warning") in failures(copy)


def test_an_unknown_code_is_an_error(copy):
    copy.execute("update raw.budget_facts set item_code = 'income_lottery' where is_selected and "
                 "item_code = 'income_other'")
    assert ("stg_budget", "expect_column_values_to_be_in_set", "error") in failures(copy)


def test_an_unknown_code_in_the_marts_is_an_error(copy):
    """The published marts are checked on their own (warehouse check), not only the staging they came from."""
    copy.execute("update marts.fct_budget set item_code = 'income_lottery' where item_code = 'income_other'")
    copy.execute("update marts.fct_employment_metrics set metric_code = 'jobs_imagined' "
                 "where metric_code = 'urban_new_jobs'")
    found = failures(copy)
    assert ("fct_budget", "expect_column_values_to_be_in_set", "error") in found
    assert ("fct_employment_metrics", "expect_column_values_to_be_in_set", "error") in found


def test_a_null_key_is_an_error(copy):
    copy.execute("update marts.fct_reports set report_id = null where source_file like '001%'")
    assert ("fct_reports", "expect_column_values_to_not_be_null", "error") in failures(copy)


def test_a_duplicate_report_is_an_error(copy):
    copy.execute("insert into marts.fct_reports select * from marts.fct_reports where source_file like '000%'")
    found = failures(copy)
    assert ("fct_reports", "expect_column_values_to_be_unique", "error") in found
    assert ("fct_reports", "expect_compound_columns_to_be_unique", "error") in found


def test_a_blocking_failure_stops_downstream(tmp_path):
    suite = quality.Suite("always_null", "marts.upstream", "error", "select null as k", ("k",), "",
                          ({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "k"}},))

    @dg.asset(key=["marts", "upstream"])
    def upstream() -> None:
        return None

    @dg.asset(key=["marts", "downstream"], deps=[upstream])
    def downstream() -> None:
        return None

    result = dg.materialize([upstream, downstream, checks._checks("upstream", [suite])], raise_on_error=False,
                            resources={"duckdb": WarehouseDB(database=str(tmp_path / "w.duckdb"))})
    done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert done == {"marts/upstream"}
    evaluation = result.get_asset_check_evaluations()[0]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR


def test_check_command_is_a_reader_beside_other_readers(good, capsys):
    reader = duckdb.connect(str(good), read_only=True)
    try:
        assert main(["check", "--warehouse", str(good)]) == 0
        report = capsys.readouterr().out
        assert "0 errors" in report and "budget_reconciliation" in report
        assert (good.parent / "docs" / "quality.html").read_text(encoding="utf-8").count("<tr") > 10
    finally:
        reader.close()


def test_results_keep_their_own_expectation_whatever_order_gx_returns_them_in(good, tmp_path):
    import json

    suite = json.loads((ROOT / "expectations" / "stg_budget.json").read_text(encoding="utf-8"))
    suite["expectations"].append({"type": "expect_column_values_to_be_in_set",
                                  "kwargs": {"column": "basis", "value_set": ["actual"]}})
    (tmp_path / "stg_budget.json").write_text(json.dumps(suite), encoding="utf-8")
    con = duckdb.connect(str(good), read_only=True)
    results = quality.run_checks(con, folder=tmp_path, record_results=False)
    con.close()
    failed = [r.expectation for r in results if not r.passed]
    assert failed == ["expect_column_values_to_be_in_set(basis)"]
    assert all(r.passed for r in results if r.expectation == "expect_column_values_to_not_be_null(amount_wan)")


def test_the_worker_process_validates_as_this_process_does_and_its_loss_is_survived(copy):
    copy.execute("update marts.fct_reports set unit_id = null where source_file like '001%'")
    suite = {s.name: s for s in quality.load_suites()}["fct_reports"]
    here = quality.validate(suite, copy)
    quality.start_worker()
    try:
        assert quality.validate(suite, copy) == here
        assert [r.failing_files for r in here if not r.passed] == [("001_7aa3f15b6822626a.txt",)]
        quality._worker.proc.kill()
        quality._worker.proc.wait()
        with pytest.warns(RuntimeWarning, match="validation process ended"):
            assert quality.validate(suite, copy) == here
        assert quality._worker is None
    finally:
        quality.stop_worker()


def test_many_suites_through_the_worker_come_back_in_order_as_here(copy):
    """More suites than may wait in the pipes at once (quality.IN_FLIGHT), one of them failing."""
    copy.execute("update marts.fct_reports set unit_id = null where source_file like '001%'")
    jobs = [(suite, None) for suite in quality.load_suites()]
    assert len(jobs) > quality.IN_FLIGHT + 1
    here = quality.validate_many(copy, jobs)
    quality.start_worker()
    try:
        assert quality.validate_many(copy, jobs) == here
        pid = quality._worker.proc.pid  # it forked a validating process a channel once GX was imported
        assert len(Path(f"/proc/{pid}/task/{pid}/children").read_text().split()) == 2
    finally:
        quality.stop_worker()
    assert [r.suite for results in here for r in results if not r.passed and r.severity == "error"] == [
        "fct_reports"]


def test_a_validating_process_past_its_size_gives_way_to_a_fresh_one(copy, monkeypatch):
    """With a limit every process passes, each answers once and is replaced: the answers are the same."""
    copy.execute("update marts.fct_reports set unit_id = null where source_file like '001%'")
    jobs = [(suite, None) for suite in quality.load_suites()]
    here = quality.validate_many(copy, jobs)
    monkeypatch.setenv("WAREHOUSE_WORKER_RECYCLE_MB", "1")
    quality.stop_worker()
    quality.start_worker()
    try:
        pid = quality._worker.proc.pid
        assert quality.validate_many(copy, jobs[:2]) == here[:2]
        first = set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        assert quality.validate_many(copy, jobs) == here
        time.sleep(0.2)  # (the last ones replaced after their answers)
        now = set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        assert len(now) == 2 and not now & first
    finally:
        quality.stop_worker()


def test_deferred_imports_run_a_module_only_when_it_is_first_used():
    """The worker defers GX's scipy import; a deferred module must still work once touched."""
    probe = ("import sys\nfrom pipelines import lazy\nwith lazy.deferred('scipy'):\n    import scipy.stats\n"
             "print('scipy.stats._stats_py' in sys.modules)\n"
             "print(scipy.stats.norm.cdf(0.0))\nprint('scipy.stats._stats_py' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "0.5", "True"]


def test_a_part_holds_at_most_check_cells_values(copy, monkeypatch):
    """Parts are bounded by values, rows × columns: a wide table goes in parts of fewer rows."""
    suite = {s.name: s for s in quality.load_suites()}["fct_reports"]
    rows = copy.execute(f"select count(*) from ({suite.body}) c").fetchall()[0][0]
    width = len(copy.execute(f"select * from ({suite.body}) c limit 0").description)
    assert rows > 1 and width > 1
    monkeypatch.setattr(quality, "CHECK_CELLS", rows * width)
    assert quality._parts(copy, suite, None) == [quality.Part(None)]
    monkeypatch.setattr(quality, "CHECK_CELLS", rows * width - 1)
    assert len(quality._parts(copy, suite, None)) > 1


def test_a_whole_table_checked_in_parts_finds_what_one_pass_finds(copy, monkeypatch):
    """A full check of many rows goes to GX in parts of whole files (quality.CHECK_CELLS): a bad row and a
    key repeated in two files that fall in different parts are still found."""
    copy.execute("update marts.fct_reports set unit_id = null where source_file like '001%'")
    copy.execute("insert into marts.fct_reports select * replace ('zzz_copy.txt' as source_file) "
                 "from marts.fct_reports where source_file = '000_2ffef96f446e24f3.txt'")
    suite = {s.name: s for s in quality.load_suites()}["fct_reports"]
    whole = quality.validate(suite, copy)
    monkeypatch.setattr(quality, "CHECK_CELLS", 1)
    assert len(quality._parts(copy, suite, None)) > 2
    parts = quality.validate(suite, copy)
    assert [(r.expectation, r.passed, r.failing_files) for r in parts] == [
        (r.expectation, r.passed, r.failing_files) for r in whole]
    assert {r.expectation.split("(")[0] for r in parts if not r.passed} == {
        "expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique"}
