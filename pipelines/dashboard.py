"""`warehouse dashboard`: one self-contained, offline HTML page for comparing units across counties and years.

The page embeds its data and the Vega-Lite/Vega JavaScript (no CDN). Dropdowns choose the metric, the year,
the region (province → prefecture → county) and the ranking order; the charts show each unit's result, the
result per 万元 of the unit's actual expenditure and per member of its actual staff (实有人数), attainment
of the target, and the trend over years. A metric whose target is a ceiling (`CEILING_METRICS`) is shown as
actual against the ceiling, never as a percentage of it. The initial choice can be given in the address:
`dashboard.html#metric=registered_unemployment_rate&year=2022&province=湖南省`.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import pandas as pd
import vl_convert

from pipelines import serve

# The vocabulary and the marts carry no direction for a metric (`qualifier` is about the wording: 约, 余 …),
# so the metrics whose target is a ceiling are named here. The unemployment rate is "控制在…%以内"; a unit's
# “三公” spending is held under its budget, so its budget is shown as a ceiling too. Lower is better for both.
CEILING_METRICS = frozenset({"registered_unemployment_rate", "three_public_total"})

# Unit-level measures from marts.fct_unit_year_summary, shown beside the employment metrics (the budget
# items' names come from the vocabulary when it has them).
REPORT_MEASURES = {"expenditure_total": "支出合计", "three_public_total": "“三公”经费合计",
                   "budget_execution_pct": "预算执行率", "self_score": "自评得分"}
UNIT_ZH = {"person": "人", "household": "户", "percent": "%", "wan_yuan": "万元", "post": "个", "count": "个",
           "case": "件", "score": "分"}
UNIT_ZH_BY_METRIC = {"job_fairs_held": "场"}  # `count` covers 场 and 个
WHOLE_UNITS = frozenset({"person", "household", "post", "count", "case"})
NO_RATIOS = frozenset({"percent", "score"})  # a rate or a score per 万元 or per person means nothing

ROWS = """
    with reports as (
        select r.report_id, r.fiscal_year, r.actual_headcount, u.unit_name, u.admin_level, u.province,
               u.prefecture, u.county,
               s.expenditure_total_actual, s.three_public_actual, s.three_public_budget, s.budget_execution_pct,
               r.self_score
        from marts.fct_reports as r
        inner join marts.dim_unit as u on u.unit_id = r.unit_id
        left join marts.fct_unit_year_summary as s on s.report_id = r.report_id
    ),
    measures as (
        select report_id, metric_code as metric, unit, actual_value as value, target_value as target,
               completion_rate_pct as stated_pct
        from marts.fct_employment_metrics
        union all
        select report_id, 'expenditure_total', 'wan_yuan', expenditure_total_actual, null, null from reports
        union all
        select report_id, 'three_public_total', 'wan_yuan', three_public_actual, three_public_budget, null
        from reports
        union all
        select report_id, 'budget_execution_pct', 'percent', budget_execution_pct, null, null from reports
        union all
        select report_id, 'self_score', 'score', self_score, null, null from reports
    )
    select reports.report_id, unit_name, admin_level, province, prefecture, county, fiscal_year, metric, unit,
           value::double as value, target::double as target, stated_pct::double as stated_pct,
           expenditure_total_actual::double as expenditure_wan, actual_headcount::double as headcount
    from measures
    inner join reports on reports.report_id = measures.report_id
    where value is not null or target is not null
"""
METRIC_NAMES = "select code, name_zh from raw.vocab_metrics order by rowid"
BUDGET_NAMES = "select code, name_zh from raw.vocab_budget_items order by rowid"
COVERAGE = """
    select count(*) as reports, count(distinct r.unit_id) as units, count(distinct u.province) as provinces,
           min(r.fiscal_year) as first_year, max(r.fiscal_year) as last_year,
           count(distinct r.fiscal_year) as years
    from marts.fct_reports as r
    inner join marts.dim_unit as u on u.unit_id = r.unit_id
"""
LATEST_CHECKS = """
    select suite, table_name, severity, passed, unexpected_count, sample, checked_at
    from quality.check_results
    where run_id = (select run_id from quality.check_results order by checked_at desc limit 1)
    order by severity, suite, table_name
"""


@dataclass
class Page:
    """What the page shows besides the charts."""

    built_at: str
    coverage: dict[str, Any]
    under_review: int | None
    checks: pd.DataFrame


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return con.sql(sql).df()
    except duckdb.Error:
        return pd.DataFrame()


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    try:
        rows = con.sql(sql).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def _number(value: float, unit: str) -> str:
    """A figure as people read it: whole counts without decimals, money and rates with two."""
    if unit in WHOLE_UNITS and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _with_unit(value: float, unit: str, metric: str) -> str:
    shown = _number(value, unit)
    if unit == "percent":
        return f"{shown}%"
    return f"{shown} {UNIT_ZH_BY_METRIC.get(metric, UNIT_ZH.get(unit, unit))}"


def _valid(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _attainment(row: pd.Series) -> tuple[str, str]:
    """Status and label of a result against its target; a ceiling is never a percentage of target."""
    value, target, metric, unit = row["value"], row["target"], row["metric"], row["unit"]
    if metric in CEILING_METRICS:
        word = "预算" if metric == "three_public_total" else "上限"
        if not _valid(target):
            return "无目标", "—"
        if not _valid(value):
            return "无实际值", f"{word} {_with_unit(target, unit, metric)}，未报实际值"
        within = value <= target
        status = "未超上限" if within else "超出上限"
        return status, f"{word} {_with_unit(target, unit, metric)}：实际 {_with_unit(value, unit, metric)}，{status}"
    rate = row["stated_pct"]
    if _valid(target) and _valid(value) and target > 0:
        rate = rate if _valid(rate) else 100 * value / target
        status = "达到目标" if value >= target else "未达目标"
        return status, f"目标 {_with_unit(target, unit, metric)}，完成率 {rate:.2f}%"
    if _valid(rate):
        return ("达到目标" if rate >= 100 else "未达目标"), f"完成率 {rate:.2f}%（报告所述）"
    if _valid(target):
        return "无实际值", f"目标 {_with_unit(target, unit, metric)}，未报实际值"
    return "无目标", "—"


def metric_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per report × metric: the result, its ratios to spending and staff, and labels to show."""
    rows = _frame(con, ROWS)
    if rows.empty:
        return rows
    ratios = ~rows["unit"].isin(NO_RATIOS)
    per_wan = ratios & ~rows["metric"].isin(REPORT_MEASURES) & (rows["expenditure_wan"] > 0)
    rows["per_wan"] = (rows["value"] / rows["expenditure_wan"]).where(per_wan)
    rows["per_staff"] = (rows["value"] / rows["headcount"].where(rows["headcount"] > 0)).where(ratios)
    rows["ceiling"] = rows["metric"].isin(CEILING_METRICS)
    rows[["status", "attainment"]] = rows.apply(_attainment, axis=1, result_type="expand")
    rows["value_label"] = [_with_unit(v, u, m) if _valid(v) else "" for v, u, m in
                           zip(rows["value"], rows["unit"], rows["metric"], strict=True)]
    for column in ("per_wan", "per_staff"):
        rows[f"{column}_label"] = [f"{v:,.2f}" if _valid(v) else "" for v in rows[column]]
    rows["spending_label"] = [f"{v:,.2f} 万元" if _valid(v) else "未报" for v in rows["expenditure_wan"]]
    rows["staff_label"] = [f"{int(v)} 人" if _valid(v) else "未报" for v in rows["headcount"]]
    rows["prefecture_key"] = rows["province"] + "/" + rows["prefecture"].fillna("")
    rows["county_key"] = rows["prefecture_key"] + "/" + rows["county"].fillna("")
    return rows.drop(columns=["report_id"])


def metric_names(con: duckdb.DuckDBPyConnection, present: set[str]) -> dict[str, str]:
    """Chinese names of the metrics that have data, vocabulary order first (name_zh of raw.vocab_*)."""
    names = dict(_frame(con, METRIC_NAMES).itertuples(index=False))
    budget = dict(_frame(con, BUDGET_NAMES).itertuples(index=False))
    labelled = {code: name for code, name in names.items() if code in present}
    for code, name in REPORT_MEASURES.items():
        if code in present:
            labelled[code] = f"{budget[code]}（实际）" if code in budget else name
    for code in sorted(present - labelled.keys()):
        labelled[code] = code
    return labelled


def _unit_text(metric: str, unit: str) -> str:
    return "%" if unit == "percent" else UNIT_ZH_BY_METRIC.get(metric, UNIT_ZH.get(unit, unit))


def _lookup(mapping: dict[str, str], key: str) -> str:
    """A Vega expression looking `key` up in a literal object."""
    return f"(({json.dumps(mapping, ensure_ascii=False)})[{key}] || '')"


FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_COLOURS = {"达到目标": "#3a8c3f", "未超上限": "#3a8c3f", "未达目标": "#d9822b", "超出上限": "#c0392b",
                  "无目标": "#9aa5b1", "无实际值": "#9aa5b1"}


def _default_year(rows: pd.DataFrame) -> int:
    """The year with the most reports (the latest of equals)."""
    counts = rows.groupby("fiscal_year")["unit_name"].nunique()
    return int(max(counts.index, key=lambda year: (counts[year], year)))


REGION = ("(level == '' || datum.admin_level == level) && (province == '' || datum.province == province)"
          " && (prefecture == '' || datum.prefecture_key == prefecture)"
          " && (county == '' || datum.county_key == county)")
CHOSEN = f"datum.metric == metric && {REGION}"
SORT_KEY = {  # the ranking's order: the chosen column, a ceiling metric lowest first, units without it last
    "sort_raw": "sortby == 'per_wan' ? datum.per_wan : sortby == 'per_staff' ? datum.per_staff : datum.value",
    "sort_key": "isValid(datum.sort_raw) ? (datum.ceiling ? -datum.sort_raw : datum.sort_raw) : -1e300",
}
PICK = alt.selection_point(name="pick", fields=["unit_name"], on="click", clear="dblclick")
OPACITY = alt.condition(PICK, alt.value(1.0), alt.value(0.35))
TOOLTIP = [alt.Tooltip("unit_name:N", title="单位"), alt.Tooltip("fiscal_year:O", title="年度"),
           alt.Tooltip("value_label:N", title="实际"), alt.Tooltip("attainment:N", title="目标"),
           alt.Tooltip("spending_label:N", title="实际支出"), alt.Tooltip("staff_label:N", title="实有人数")]
WAN_AXIS = alt.Axis(format=",~f", labelExpr="abs(datum.value) >= 10000 ? format(datum.value / 10000, '~f') + '万' "
                                            ": datum.label")  # 12万, as Chinese tables write it
STATUS_SCALE = alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))


def _title(expr: str) -> alt.TitleParams:
    return alt.TitleParams(alt.expr(expr), anchor="start", fontSize=14)


def _controls(rows: pd.DataFrame, names: dict[str, str], units: dict[str, str]) -> list[alt.Parameter]:
    """Metric, year, province, prefecture, county, level and order as dropdowns (Vega-Lite params)."""
    def select(name: str, label: str, options: list, labels: list[str], value: Any) -> alt.Parameter:
        return alt.param(name=name, value=value, bind=alt.binding_select(options=options, labels=labels, name=label))

    codes = [code for code in names if code in units]
    years = sorted(int(y) for y in rows["fiscal_year"].unique())
    provinces = sorted(rows["province"].dropna().unique())
    prefectures = sorted(rows.loc[rows["prefecture"].notna(), "prefecture_key"].unique())
    counties = sorted(rows.loc[rows["county"].notna(), "county_key"].unique())
    return [
        select("metric", "指标", codes, [f"{names[c]}（{_unit_text(c, units[c])}）" for c in codes],
               "urban_new_jobs" if "urban_new_jobs" in units else codes[0]),
        select("year", "年度", years, [f"{y}年" for y in years], _default_year(rows)),
        select("province", "省份", ["", *provinces], ["全部省份", *provinces], ""),
        select("prefecture", "地市", ["", *prefectures], ["全部地市", *(k.replace("/", " · ") for k in prefectures)],
               ""),
        select("county", "区县", ["", *counties],
               ["全部区县", *(k.replace("//", " · ").replace("/", " · ") for k in counties)], ""),
        select("level", "级别", ["", "province", "prefecture", "county"], ["全部级别", "省级", "地级", "县级"], ""),
        select("sortby", "排序依据", ["value", "per_wan", "per_staff"], ["总量", "每万元支出", "每名实有人员"],
               "value"),
    ]


def _ratio_title(rows: pd.DataFrame, field: str, title: str, per: str, unit_of: str) -> str:
    """A ratio column's title; says so when the chosen metric has no such ratio (a rate, a score)."""
    missing = json.dumps(sorted(set(rows["metric"]) - set(rows.loc[rows[field].notna(), "metric"])),
                         ensure_ascii=False)
    return f"(indexof({missing}, metric) >= 0 ? '{title}：此指标不适用' : '{title}（' + {unit_of} + '{per}）')"


def _ranking(rows: pd.DataFrame, name_of: str, unit_of: str) -> alt.HConcatChart:
    """The chosen year's units side by side: result with target, attainment, per 万元, per staff member."""
    base = alt.Chart(rows).transform_filter(f"{CHOSEN} && datum.fiscal_year == year").transform_calculate(**SORT_KEY)
    sort = alt.EncodingSortField("sort_key", op="max", order="descending")
    y = alt.Y("unit_name:N", title=None, sort=sort, axis=alt.Axis(labelLimit=330, labelFontSize=12, labelPadding=6))
    y_hidden = alt.Y("unit_name:N", title=None, sort=sort, axis=None)

    def bars(field: str, title: str, y_enc: alt.Y, colour: Any, *extra: alt.Chart) -> alt.LayerChart:
        shown = base.transform_filter(f"isValid(datum.{field})")
        axis = WAN_AXIS if field == "value" else alt.Axis(format=",~f", tickCount=4)
        bar = shown.mark_bar(height=16).encode(x=alt.X(f"{field}:Q", title=None, axis=axis),
                                               y=y_enc, color=colour, opacity=OPACITY, tooltip=TOOLTIP)
        text = shown.mark_text(align="left", dx=4, fontSize=11).encode(x=f"{field}:Q", y=y_enc,
                                                                        text=f"{field}_label:N")
        room = shown.transform_calculate(room=f"datum.{field} * 1.45").mark_point(opacity=0).encode(
            x="room:Q", y=y_enc)  # invisible: leaves room for the labels
        return alt.layer(bar, text, room, *extra).properties(width=240 if field == "value" else 170,
                                                             height=alt.Step(24), title=_title(title))

    target = base.transform_filter("isValid(datum.target) && isValid(datum.value)").mark_tick(
        thickness=2, size=20, color="#222").encode(x="target:Q", y=y, tooltip=TOOLTIP)
    totals = bars("value", f"{name_of} + '（' + {unit_of} + '），' + year + '年'", y,
                  alt.Color("status:N", scale=STATUS_SCALE, legend=None), target).add_params(PICK)
    legend = alt.Legend(orient="top", direction="horizontal", columns=3, symbolType="square", labelFontSize=12)
    ceilings = json.dumps(sorted(CEILING_METRICS))
    attainment = base.mark_text(align="left", fontSize=12).encode(
        x=alt.value(0), y=y_hidden, text="attainment:N",
        color=alt.Color("status:N", title=None, scale=STATUS_SCALE, legend=legend),
    ).properties(width=250, height=alt.Step(24), title=_title(
        f"indexof({ceilings}, metric) >= 0 ? '上限（越低越好）：实际是否未超' : '目标与完成率'"))
    blue = alt.value("#4c78a8")
    per_wan = bars("per_wan", _ratio_title(rows, "per_wan", "每万元实际支出", "/万元", unit_of), y_hidden, blue)
    per_staff = bars("per_staff", _ratio_title(rows, "per_staff", "每名实有人员", "/人", unit_of), y_hidden, blue)
    return alt.hconcat(totals, attainment, per_wan, per_staff, spacing=16).resolve_scale(
        y="shared", color="independent")


def _trends(rows: pd.DataFrame, name_of: str, unit_of: str) -> alt.HConcatChart:
    """Each unit of the region over the years: result, per 万元, per staff member; the chosen year marked."""
    def trend(field: str, title: str) -> alt.LayerChart:
        line = alt.Chart(rows).transform_filter(f"{CHOSEN} && isValid(datum.{field})").mark_line(
            point=True, strokeWidth=1.5).encode(
            x=alt.X("fiscal_year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{field}:Q", title=None, axis=WAN_AXIS),
            detail="unit_name:N", opacity=OPACITY, tooltip=TOOLTIP)
        now = alt.Chart(rows).transform_filter("datum.fiscal_year == year").transform_aggregate(
            groupby=["fiscal_year"]).mark_rule(color="#d9822b", strokeDash=[4, 3]).encode(x="fiscal_year:O")
        return alt.layer(now, line).properties(width=290, height=220, title=_title("'逐年趋势：' + " + title))

    return alt.hconcat(
        trend("value", f"{name_of} + '（' + {unit_of} + '）'"),
        trend("per_wan", _ratio_title(rows, "per_wan", "每万元实际支出", "/万元", unit_of)),
        trend("per_staff", _ratio_title(rows, "per_staff", "每名实有人员", "/人", unit_of)),
        spacing=40)


def _coverage(rows: pd.DataFrame) -> alt.LayerChart:
    """Reports per province and year in the chosen region."""
    cells = alt.Chart(rows.drop_duplicates(["unit_name", "fiscal_year"])).transform_filter(REGION).mark_rect(
        stroke="white", strokeWidth=1).encode(
        x=alt.X("fiscal_year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top", grid=False)),
        y=alt.Y("province:N", title=None, axis=alt.Axis(labelLimit=200, grid=False)),
        color=alt.Color("count():Q", title="报告数", scale=alt.Scale(scheme="blues"), legend=None))
    counts = cells.mark_text(fontSize=13).encode(text=alt.Text("count():Q", format="d"), color=alt.value("#111"))
    return alt.layer(cells, counts).properties(width=alt.Step(56), height=alt.Step(20), title=alt.TitleParams(
        "报告覆盖：省份 × 年度（报告数，随地区筛选）", anchor="start", fontSize=14))


def build_chart(rows: pd.DataFrame, names: dict[str, str]) -> alt.VConcatChart:
    """The charts and their controls: ranking, trends, coverage."""
    units = rows.drop_duplicates("metric").set_index("metric")["unit"].to_dict()
    name_of = _lookup(names, "metric")
    unit_of = _lookup({c: _unit_text(c, u) for c, u in units.items()}, "metric")
    return alt.vconcat(_ranking(rows, name_of, unit_of), _trends(rows, name_of, unit_of), _coverage(rows),
                       spacing=36).add_params(*_controls(rows, names, units)).configure(font=FONT).configure_view(
        stroke=None).configure_axis(labelFontSize=11, grid=True, gridColor="#eee")


def page_facts(con: duckdb.DuckDBPyConnection) -> Page:
    """Build date, coverage, documents under review and the latest quality run."""
    built = _scalar(con, "select max(built_at) from raw.build_state") or _scalar(
        con, "select max(checked_at) from quality.check_results")
    if isinstance(built, datetime):
        built = (built if built.tzinfo else built.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    coverage = _frame(con, COVERAGE)
    return Page(str(built) if built else "未知",
                coverage.iloc[0].to_dict() if len(coverage) else {},
                _scalar(con, "select count(*) from marts.review_documents"),
                _frame(con, LATEST_CHECKS))


def _quality_html(checks: pd.DataFrame) -> str:
    if checks.empty:
        return "<p class='quality'>数据质量：没有检查记录。</p>"
    passed = checks["passed"].astype(bool)
    warnings = checks[~passed & (checks["severity"] != "error")]
    failures = checks[~passed & (checks["severity"] == "error")]
    when = pd.Timestamp(checks["checked_at"].max()).strftime("%Y-%m-%d %H:%M")
    parts = [f"<p class='quality'>数据质量（最近一次检查 {when}，共 {len(checks)} 项）："
             f"<span class='ok'>通过 {int(passed.sum())} 项</span>，"
             f"<span class='warn'>警告 {len(warnings)} 项</span>（warning 级：记录并显示，不阻止发布），"
             f"<span class='fail'>未通过 {len(failures)} 项</span>（error 级：阻止发布）。</p>"]
    for css, title, frame in (("warn", "警告", warnings), ("fail", "未通过", failures)):
        if frame.empty:
            continue
        items = "".join(
            f"<li><b>{html.escape(str(r.suite))}</b> · {html.escape(str(r.table_name))}："
            f"{int(r.unexpected_count or 0)} 行不符 <code>{html.escape(str(r.sample or '')[:160])}</code></li>"
            for r in frame.itertuples())
        parts.append(f"<ul class='{css}'><lh>{title}</lh>{items}</ul>")
    return "".join(parts)


def _header_html(page: Page) -> str:
    c = page.coverage
    if c.get("reports"):
        span = f"{c['first_year']}–{c['last_year']}" if c["first_year"] != c["last_year"] else f"{c['first_year']}"
        coverage = (f"<b>{c['reports']}</b> 份报告 · <b>{c['years']}</b> 个年度（{span}）· "
                    f"<b>{c['units']}</b> 个单位 · <b>{c['provinces']}</b> 个省份")
    else:
        coverage = "仓库中没有报告"
    review = f" · 另有 {page.under_review} 份文件待复核（marts.review_documents）" if page.under_review else ""
    return (f"<header><h1>部门整体支出绩效自评：跨县比较</h1>"
            f"<p class='meta'>数据构建于 {html.escape(page.built_at)} · 覆盖 {coverage}{review}</p>"
            f"{_quality_html(page.checks)}"
            f"<p class='hint'>比率：每万元实际支出 = 指标实际值 ÷ 本单位报告的支出合计（实际）；每名实有人员 = "
            f"实际值 ÷ 实有人数。就业结果多为辖区数字，而支出是本单位的。上限类指标（城镇登记失业率、“三公”经费）"
            f"越低越好，显示实际与上限。点击条形突出显示一个单位，双击取消。</p></header>")


STYLE = f"""
body {{ font-family: {FONT}; margin: 16px 20px; color: #1f2933; max-width: 1360px; }}
h1 {{ font-size: 22px; margin: 0 0 6px; }}
header p {{ margin: 4px 0; font-size: 14px; line-height: 1.5; }}
.hint {{ color: #52606d; font-size: 13px; }}
.ok {{ color: #2f7d32; }} .warn {{ color: #b7791f; }} .fail {{ color: #c0392b; }}
ul.warn, ul.fail {{ margin: 2px 0 4px; font-size: 13px; }}
ul lh {{ font-weight: bold; }}
code {{ font-size: 11px; color: #52606d; }}
#controls {{ display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 12px 0 10px; padding: 10px 12px;
  background: #f4f6f8; border-radius: 6px; font-size: 14px; }}
#controls .vega-bind-name {{ margin-right: 6px; font-weight: bold; }}
#controls select {{ font-size: 14px; max-width: 420px; }}
#errors:empty {{ display: none; }}
#errors {{ color: #c0392b; white-space: pre-wrap; }}
"""

SCRIPT = """
const errors = document.getElementById('errors');
const report = (what) => { errors.textContent += String(what) + '\\n'; };
window.addEventListener('error', (event) => report(event.message));
window.addEventListener('unhandledrejection', (event) => report(event.reason));
const CHOICES = ['metric', 'year', 'province', 'prefecture', 'county', 'level', 'sortby'];

function narrow(view) {
  const within = (key, prefix) => key === '' || prefix === '' || key.startsWith(prefix + '/');
  const province = view.signal('province');
  if (!within(view.signal('prefecture'), province)) view.signal('prefecture', '');
  const region = view.signal('prefecture') || province;
  if (!within(view.signal('county'), region)) view.signal('county', '');
  for (const [name, prefix] of [['prefecture', province], ['county', region]]) {
    const box = document.querySelector(`#controls select[name="${name}"]`);
    if (box) for (const option of box.options) option.hidden = !within(option.value, prefix);
  }
}

vegaEmbed('#vis', SPEC, OPTIONS).then(async (result) => {
  const view = result.view;
  const wanted = new URLSearchParams(location.hash.slice(1));
  for (const [name, value] of wanted) {
    if (CHOICES.includes(name)) view.signal(name, name === 'year' ? Number(value) : value);
  }
  const later = () => setTimeout(() => { narrow(view); view.runAsync().catch(report); });
  view.addSignalListener('province', later);
  view.addSignalListener('prefecture', later);
  narrow(view);
  await view.runAsync();
  document.body.dataset.rendered = 'yes';
}).catch(report);
"""


def render_html(chart: alt.TopLevelMixin | None, page: Page) -> str:
    """The whole page: header, controls, charts, and the charting library inlined."""
    library = vl_convert.javascript_bundle(vl_version="_".join(alt.SCHEMA_VERSION.split(".")[:2]))
    spec = json.dumps(chart.to_dict() if chart is not None else {}, ensure_ascii=False).replace("</", "<\\/")
    options = json.dumps({"renderer": "svg", "actions": False, "bind": "#controls"})
    body = ("<div id='controls'></div><div id='vis'></div>" if chart is not None
            else "<p>仓库中没有可比较的指标。</p>")
    script = (f"<script>const SPEC = {spec};\nconst OPTIONS = {options};\n{SCRIPT}</script>"
              if chart is not None else "")
    return (f"<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='UTF-8'>"
            f"<title>部门整体支出绩效自评：跨县比较</title><style>{STYLE}</style>"
            f"<script>{library}</script></head><body>{_header_html(page)}<pre id='errors'></pre>{body}"
            f"{script}</body></html>\n")


def write_dashboard(warehouse: Path, out: Path) -> Path:
    """Render the dashboard to `out`: one HTML file with its data and the charting library inlined."""
    con = serve.reader(warehouse)
    try:
        rows = metric_rows(con)
        names = metric_names(con, set(rows["metric"]) if len(rows) else set())
        page = page_facts(con)
    finally:
        con.close()
    chart = build_chart(rows, names) if len(rows) else None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(chart, page), encoding="utf-8")
    return out
