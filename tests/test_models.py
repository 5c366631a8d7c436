"""The SQL model layer: inferred graph, validation, atomic builds, portability, SQL unit tests."""

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import sqlglot

from pipelines import catalog, load, models

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "sql"

EXPECTED_GRAPH = {
    "staging.stg_documents": {"raw.documents"},
    "staging.stg_reports": {"raw.report_fields"},
    "staging.stg_budget": {"raw.budget_facts"},
    "staging.stg_employment_metrics": {"raw.employment_metrics"},
    "staging.stg_performance_indicators": {"raw.performance_indicators"},
    "staging.stg_parse_issues": {"raw.parse_issues"},
    "staging.stg_quarantine": {"raw.quarantine"},
    "intermediate.int_reports_keyed": {"staging.stg_reports"},
    "intermediate.int_reports_current": {"intermediate.int_reports_keyed"},
    "intermediate.int_reports_superseded": {"intermediate.int_reports_keyed", "intermediate.int_reports_current"},
    "marts.dim_unit": {"intermediate.int_reports_current"},
    "marts.fct_reports": {"intermediate.int_reports_current"},
    "marts.fct_budget": {"intermediate.int_reports_current", "staging.stg_budget"},
    "marts.fct_employment_metrics": {"intermediate.int_reports_current", "staging.stg_employment_metrics"},
    "marts.fct_performance_indicators": {"intermediate.int_reports_current",
                                         "staging.stg_performance_indicators"},
    "marts.fct_unit_year_summary": {"marts.dim_unit", "marts.fct_budget", "marts.fct_employment_metrics",
                                    "marts.fct_reports"},
    "marts.fct_indicator_attainment": {"marts.fct_performance_indicators"},
    "marts.review_documents": {"staging.stg_documents", "staging.stg_reports", "staging.stg_parse_issues",
                               "staging.stg_budget", "staging.stg_employment_metrics", "staging.stg_quarantine"},
}


def test_inferred_graph_is_the_intended_one():
    found = models.discover(SQL)
    assert {m.relation: set(m.deps) for m in found} == EXPECTED_GRAPH
    order = [m.relation for m in found]
    for model in found:  # dependency order
        assert all(order.index(d) < order.index(model.relation) for d in model.deps if d in order)
    assert {m.relation: m.materialized for m in found}["marts.fct_budget"] == "incremental"
    assert {m.relation: m.materialized for m in found}["staging.stg_budget"] == "view"


def test_cte_names_are_not_dependencies():
    assert models.references("with x as (select * from raw.documents) select * from x") == {"raw.documents"}


@pytest.fixture
def sql_copy(tmp_path):
    target = tmp_path / "sql"
    shutil.copytree(SQL, target)
    return target


def test_typo_in_a_table_name_names_file_line_and_table(sql_copy):
    path = sql_copy / "marts" / "fct_budget.sql"
    path.write_text(path.read_text(encoding="utf-8").replace("staging.stg_budget", "staging.stg_budgett"),
                    encoding="utf-8")
    with pytest.raises(models.ModelError) as err:
        models.discover(sql_copy)
    message = str(err.value)
    assert "fct_budget.sql:" in message and "staging.stg_budgett" in message
    line = int(message.split("fct_budget.sql:")[1].split(":")[0])
    assert "stg_budgett" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_references_parsed_once_are_remembered_and_a_changed_text_is_parsed_again(tmp_path, monkeypatch, sql_copy):
    monkeypatch.setenv("WAREHOUSE_CACHE_DIR", str(tmp_path / "cache"))
    first = {m.relation: m.deps for m in models.discover(sql_copy)}
    assert {r: set(d) for r, d in first.items()} == EXPECTED_GRAPH

    def no_parsing(sql):
        raise AssertionError("parsed again")

    monkeypatch.setattr(models, "references", no_parsing)
    assert {m.relation: m.deps for m in models.discover(sql_copy)} == first  # from the cache
    (sql_copy / "marts" / "dim_unit.sql").write_text("select * from marts.fct_reports", encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        models.discover(sql_copy)


def test_cycles_are_rejected(sql_copy):
    (sql_copy / "staging" / "stg_loop.sql").write_text("select * from marts.fct_loop", encoding="utf-8")
    (sql_copy / "marts" / "fct_loop.sql").write_text("select * from staging.stg_loop", encoding="utf-8")
    with pytest.raises(models.ModelError, match="cycle"):
        models.discover(sql_copy)


def test_a_failing_table_model_leaves_the_old_table(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    good = models.Model("t", "marts", tmp_path / "t.sql", "select 1 as x", "", "table", frozenset())
    assert models.materialize(con, good) == 1
    bad = models.Model("t", "marts", tmp_path / "t.sql", "select 1 / 'x'::integer as x", "", "table", frozenset())
    with pytest.raises(duckdb.Error):
        models.materialize(con, bad)
    assert con.sql("select x from marts.t").fetchall() == [(1,)]
    assert con.sql("select count(*) from information_schema.tables where table_name like '__building%'"
                   ).fetchall() == [(0,)]


@pytest.mark.parametrize("dialect", ["postgres", "trino", "spark"])
def test_every_model_compiles_and_parses_back(tmp_path, dialect):
    written = models.compile_models(dialect, tmp_path, SQL)
    assert len(written) == len(EXPECTED_GRAPH)
    for path in written:
        assert sqlglot.parse_one(path.read_text(encoding="utf-8"), read=dialect) is not None


def seeded(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load.ensure_raw_schema(con)
    return con


def field_rows(source_file, **fields):
    return [{"source_file": source_file, "field": k, "value": v, "source_line": 1, "span_start": 0,
             "span_end": 1, "evidence": v} for k, v in fields.items()]


def test_sql_unit_reports_and_metrics(tmp_path):
    """Given raw rows -> expected mart rows (like a dbt unit test)."""
    con = seeded(tmp_path)
    load.replace_rows(con, "report_fields", [], field_rows(
        "a.txt", unit_name="靖州县就业服务中心", unit_name_full="靖州苗族侗族自治县就业服务中心", fiscal_year="2022",
        report_date="2023-06", self_score="98.8", staffing_quota="22", division_code="431229"))
    load.replace_rows(con, "employment_metrics", [], [
        {"source_file": "a.txt", "metric_code": "urban_new_jobs", "actual_value": Decimal(2141),
         "target_value": Decimal(2130), "completion_rate_pct": Decimal("100.5"), "unit": "person",
         "qualifier": "exact", "context": "prose", "is_selected": True, "source_line": 3, "evidence": "e"},
        {"source_file": "a.txt", "metric_code": "urban_new_jobs", "actual_value": Decimal(1),
         "is_selected": False, "source_line": 9, "evidence": "not kept"}])
    models.run_models(con, models.discover(SQL))
    report = con.sql("select fiscal_year, report_date, self_score, staffing_quota from marts.fct_reports").fetchall()
    assert report == [(2022, __import__("datetime").date(2023, 6, 1), Decimal("98.80"), 22)]
    metric = con.sql("select actual_value, target_value, completion_rate_derived_pct "
                     "from marts.fct_employment_metrics").fetchall()
    assert metric == [(Decimal(2141), Decimal(2130), Decimal("100.52"))]  # 2141 / 2130 = 100.516…
    unit = con.sql("select unit_name, division_code from marts.dim_unit").fetchall()
    assert unit == [("靖州苗族侗族自治县就业服务中心", "431229")]


def test_sql_unit_year_summary(tmp_path):
    con = seeded(tmp_path)
    rows = []
    for year, actual, budget, three in ((2021, "900.00", "1000.00", "5.00"), (2022, "950.00", "1000.00", "4.00")):
        f = f"{year}.txt"
        load.replace_rows(con, "report_fields", [], field_rows(
            f, unit_name="X县就业服务中心", fiscal_year=str(year), division_code="431229", province="湖南省",
            admin_level="county", actual_headcount="19"))
        for item, basis, amount in (("expenditure_total", "actual", actual), ("expenditure_total", "budget", budget),
                                    ("three_public_total", "actual", three)):
            rows.append({"source_file": f, "org": None, "item_code": item, "basis": basis,
                         "amount_wan": Decimal(amount), "is_selected": True, "source_line": 1, "evidence": amount})
    load.replace_rows(con, "budget_facts", [], rows)
    models.run_models(con, models.discover(SQL))
    got = con.sql("select fiscal_year, budget_execution_pct, three_public_change_wan, expenditure_per_staff_wan "
                  "from marts.fct_unit_year_summary order by fiscal_year").fetchall()
    assert got == [(2021, Decimal("90.00"), None, Decimal("47.37")),
                   (2022, Decimal("95.00"), Decimal("-1.000000"), Decimal("50.00"))]


def test_lineage_ends_at_a_raw_column(tmp_path):
    con = seeded(tmp_path)
    models.run_models(con, models.discover(SQL))
    chain = catalog.lineage_chain("marts.fct_budget.amount_wan", con, SQL)
    assert chain[0] == "marts.fct_budget.amount_wan"
    assert chain[-1].strip() == "raw.budget_facts.amount_wan"


def test_two_files_for_one_unit_and_year_keep_the_later(tmp_path):
    con = seeded(tmp_path)
    for name, date in (("old.txt", "2023-02-01"), ("new.txt", "2023-06-30")):
        load.replace_rows(con, "report_fields", [], field_rows(
            name, unit_name="靖州县就业服务中心", fiscal_year="2022", report_date=date, division_code="431229"))
    models.run_models(con, models.discover(SQL))
    assert con.sql("select source_file from marts.fct_reports").fetchall() == [("new.txt",)]
    assert con.sql("select source_file, kept_source_file from intermediate.int_reports_superseded").fetchall() == [
        ("old.txt", "new.txt")]


def test_small_inserts_keep_every_digit_and_null():
    con = duckdb.connect()
    load.ensure_raw_schema(con, ["budget_facts"])
    amounts = [Decimal("123456789012345678.123456"), Decimal("0.000001"), Decimal("669.36")]
    records = [{"source_file": "a.txt", "org": None if i else "所属单位", "item_code": "total", "basis": "actual",
                "amount_wan": amount, "is_selected": i == 2, "source_line": i + 1} for i, amount in enumerate(amounts)]
    assert load.replace_rows(con, "budget_facts", ["a.txt"], records) == 3
    assert con.sql("select org, amount_wan, is_selected, source_line from raw.budget_facts order by source_line"
                   ).fetchall() == [("所属单位", amounts[0], False, 1), (None, Decimal("0.000001"), False, 2),
                                    (None, Decimal("669.360000"), True, 3)]


def test_summary_derives_a_total_only_from_both_stated_parts_and_says_so(tmp_path):
    con = seeded(tmp_path)
    parts = {"parts.txt": [("expenditure_basic", "actual", "120.50"), ("expenditure_project", "actual", "30.25")],
             "stated.txt": [("expenditure_total", "actual", "99.00"), ("expenditure_basic", "actual", "60.00"),
                            ("expenditure_project", "actual", "30.00")],
             "half.txt": [("expenditure_basic", "actual", "70.00")],
             "none.txt": []}
    rows = []
    for n, (f, facts) in enumerate(parts.items()):
        load.replace_rows(con, "report_fields", [], field_rows(
            f, unit_name=f"X{n}县就业服务中心", fiscal_year="2022", division_code="431229", province="湖南省",
            admin_level="county"))
        rows += [{"source_file": f, "org": None, "item_code": item, "basis": basis, "amount_wan": Decimal(amount),
                  "is_selected": True, "source_line": 1, "evidence": amount} for item, basis, amount in facts]
    load.replace_rows(con, "budget_facts", [], rows)
    load.replace_rows(con, "employment_metrics", [], [
        {"source_file": "parts.txt", "metric_code": "urban_new_jobs", "actual_value": Decimal("63488.000000"),
         "is_selected": True, "source_line": 2, "evidence": "e"}])
    models.run_models(con, models.discover(SQL))
    got = dict((r[0], r[1:]) for r in con.sql(
        "select u.unit_name, expenditure_total_actual, expenditure_total_actual_derived, urban_new_jobs "
        "from marts.fct_unit_year_summary u order by 1").fetchall())
    assert got["X0县就业服务中心"] == (Decimal("150.750000"), True, 63488)  # 120.50 + 30.25
    assert got["X1县就业服务中心"] == (Decimal("99.000000"), False, None)  # stated, kept even though 60 + 30 = 90
    assert got["X2县就业服务中心"] == (None, False, None)  # one part only: no total
    assert got["X3县就业服务中心"] == (None, False, None)  # no budget figure at all: not derived either
    kind = con.sql("select data_type from information_schema.columns where table_name = 'fct_unit_year_summary' "
                   "and column_name = 'urban_new_jobs'").fetchall()
    assert kind == [("BIGINT",)]
