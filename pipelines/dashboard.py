"""`warehouse dashboard`: one self-contained, offline HTML page of charts (Vega-Lite via
Altair, its JavaScript inlined), comparing units across years."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import duckdb
import pandas as pd

from pipelines import serve

UNIT_BUDGET = """
    select u.unit_name || ' ' || r.fiscal_year as report, b.item_code, b.basis, b.amount_wan::double as amount_wan
    from marts.fct_budget b
    join marts.fct_reports r using (report_id)
    join marts.dim_unit u on u.unit_id = r.unit_id
    where b.org is null
"""
SPENDING = f"""
    with actuals as (
        select report,
               max(amount_wan) filter (where item_code = 'expenditure_total') as total,
               max(amount_wan) filter (where item_code = 'expenditure_basic') as basic,
               max(amount_wan) filter (where item_code = 'expenditure_project') as project
        from ({UNIT_BUDGET} and b.basis = 'actual') as unit_budget
        group by report
    )
    select report, part, amount_wan from actuals,
        lateral (values ('basic', basic), ('project', project),
                        ('not split in the report', greatest(total - coalesce(basic, 0) - coalesce(project, 0), 0)))
            as parts(part, amount_wan)
    where amount_wan > 0
"""
THREE_PUBLIC = UNIT_BUDGET + " and b.item_code = 'three_public_total'"
METRICS = """
    select u.unit_name || ' ' || r.fiscal_year as report, m.metric_code,
           (100 * m.actual_value / m.target_value)::double as pct_of_target
    from marts.fct_employment_metrics m
    join marts.fct_reports r using (report_id)
    join marts.dim_unit u on u.unit_id = r.unit_id
    where m.target_value > 0 and m.actual_value is not null
"""
QUALITY = """
    select table_name, severity, case when passed then 'passed' else 'failed' end as status, count(*) as checks
    from quality.check_results
    where run_id = (select run_id from quality.check_results order by checked_at desc limit 1)
    group by all
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return con.sql(sql).df()
    except duckdb.Error:
        return pd.DataFrame()


def _empty(title: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"note": ["no data"]})).mark_text(size=14).encode(text="note").properties(
        title=title, width=420, height=60)


def build_chart(con: duckdb.DuckDBPyConnection) -> alt.VConcatChart:
    spending, three, metrics, quality = (_frame(con, q) for q in (SPENDING, THREE_PUBLIC, METRICS, QUALITY))
    charts = []
    title = "Spending by report: basic, project, and what the report leaves unsplit (万元, actual)"
    charts.append(alt.Chart(spending).mark_bar().encode(
        x=alt.X("report:N", title=None), y=alt.Y("sum(amount_wan):Q", title="万元"),
        color=alt.Color("part:N", title="part", sort=["basic", "project", "not split in the report"]),
        tooltip=["report", "part", "amount_wan"],
    ).properties(title=title, width=420, height=220) if len(spending) else _empty(title))
    title = "“三公” spending: budget vs actual (万元)"
    charts.append(alt.Chart(three).mark_bar().encode(
        x=alt.X("report:N", title=None), xOffset="basis:N", y=alt.Y("amount_wan:Q", title="万元"),
        color="basis:N", tooltip=["report", "basis", "amount_wan"],
    ).properties(title=title, width=420, height=220) if len(three) else _empty(title))
    title = "Employment results as % of target"
    charts.append(alt.Chart(metrics).mark_circle(size=90).encode(
        x=alt.X("pct_of_target:Q", title="% of target"), y=alt.Y("metric_code:N", title=None),
        color=alt.Color("report:N"), tooltip=["report", "metric_code", "pct_of_target"],
    ).properties(title=title, width=420, height=260) if len(metrics) else _empty(title))
    title = "Data quality: latest check run"
    charts.append(alt.Chart(quality).mark_bar().encode(
        x=alt.X("checks:Q"), y=alt.Y("table_name:N", title=None),
        color=alt.Color("status:N", scale=alt.Scale(domain=["passed", "failed"], range=["#4c9a2a", "#c0392b"])),
        tooltip=["table_name", "severity", "status", "checks"],
    ).properties(title=title, width=420, height=200) if len(quality) else _empty(title))
    return alt.vconcat(*charts).resolve_scale(color="independent").properties(
        title="perfwarehouse: units across years")


def write_dashboard(warehouse: Path, out: Path) -> Path:
    """Render the dashboard to `out` (HTML with the charting library inlined: works offline)."""
    con = serve.reader(warehouse)
    try:
        chart = build_chart(con)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    chart.save(str(out), inline=True, embed_options={"renderer": "svg", "actions": False})
    return out
