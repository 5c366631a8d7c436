"""The offline dashboard, drawn in headless Chromium from a warehouse of the bundled reports.

Expected figures are worked out by hand from the reports' text (file and line named at each)."""

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.dashboard import CEILING_METRICS, _with_unit, write_dashboard

ROOT = Path(__file__).resolve().parent.parent
ZHANJIANG = "004_52c6ee96ad68c98b.txt"
MEITAN = ROOT / "tests" / "fixtures" / "cold" / "raw" / "c05_meitan_form_merged.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for report in (ROOT / "raw").glob("*.txt"):
        shutil.copy(report, raw)
    shutil.copy(MEITAN, raw)  # a county whose indicator table states the unemployment rate as a ceiling
    # 湛江's report again as next year's, with another jobs figure: one unit with two years for the trend
    text = (ROOT / "raw" / ZHANJIANG).read_text(encoding="utf-8")
    next_year = text.replace("2024", "2025").replace("2023", "2024").replace("63488", "70000")
    (raw / "zhanjiang_next_year.txt").write_text(next_year, encoding="utf-8")
    out = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0
    return out


@pytest.fixture(scope="module")
def page(built, tmp_path_factory):
    return write_dashboard(built, tmp_path_factory.mktemp("dash") / "dashboard.html")


CHOICES = {  # what the tests look at: the page as opened with these choices in its address
    "jobs": "#metric=urban_new_jobs&year=2023&province=广东省",
    "unemployment": "#metric=registered_unemployment_rate&year=2022",
    "three_public": "#metric=three_public_total&year=2023",
    "region": "#year=2022&province=湖南省&prefecture=贵州省/遵义市&level=county",
}


@pytest.fixture(scope="module")
def rendered(page, tmp_path_factory):
    """Each choice's DOM once the page has run, from headless Chromium processes started together."""
    if CHROMIUM is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    profiles = tmp_path_factory.mktemp("profiles")
    runs = {name: subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profiles / name}",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", "--dump-dom", page.as_uri() + choice],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name, choice in CHOICES.items()}
    return {name: run.communicate(timeout=60) for name, run in runs.items()}


def dom_of(rendered: dict, name: str) -> str:
    """The DOM of one choice, after checking the page ran to the end without a script error."""
    dom, console = rendered[name]
    assert 'data-rendered="yes"' in dom, dom[-2000:]
    assert '<pre id="errors"></pre>' in dom, re.search(r'<pre id="errors">.*?</pre>', dom, re.S)
    errors = [line for line in console.splitlines()
              if ":CONSOLE" in line and ("ERROR" in line or "Uncaught" in line or "Error:" in line)]
    assert not errors, errors
    return dom


def chart_texts(dom: str) -> list[str]:
    """The text the charts draw (SVG text elements), in document order."""
    charts = dom[dom.index('<div id="vis"'):]
    return [t.replace("&amp;", "&") for t in re.findall(r"<text[^>]*>([^<]*)</text>", charts)]


def label_row(dom: str, unit_name: str) -> float:
    """How far down the ranking a unit's axis label is drawn."""
    found = re.search(r'<text[^>]*transform="translate\([-\d.]+,([-\d.]+)\)"[^>]*>' + unit_name + "</text>", dom)
    assert found, unit_name
    return float(found.group(1))


def test_page_is_one_offline_file_with_its_data(page):
    html = page.read_text(encoding="utf-8")
    outside_scripts = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert html.count("<script>") == 2 and "<script " not in html  # the library inlined, then the page's code
    assert re.search(r"\b(src|href)=", outside_scripts) is None  # nothing fetched
    assert "vegaEmbed" in html and "湛江市就业服务管理中心" in html  # the library and the data are in the file


def test_charts_controls_and_chinese_labels_are_drawn(rendered):
    dom = dom_of(rendered, "jobs")
    for name in ("metric", "year", "province", "prefecture", "county", "level", "sortby"):
        assert f'<select name="{name}">' in dom
    for label in ("指标", "年度", "省份", "地市", "区县", "级别"):
        assert f'<span class="vega-bind-name">{label}</span>' in dom
    assert ">城镇新增就业（人）</option>" in dom and ">城镇登记失业率（%）</option>" in dom
    texts = chart_texts(dom)
    assert "城镇新增就业（人），2023年" in texts
    assert "湛江市就业服务管理中心" in texts  # the unit's name in full on the axis
    assert dom.count('aria-roledescription="bar"') >= 3  # result, per 万元, per staff member
    trend = re.findall(r'aria-roledescription="line mark" d="([^"]*)"', dom)
    assert any("L" in d for d in trend)  # 湛江 2023 → 2024 drawn as a line


def test_jobs_per_wan_and_per_staff_member_worked_by_hand(rendered):
    texts = chart_texts(dom_of(rendered, "jobs"))
    # raw/004_52c6ee96ad68c98b.txt line 51: "全市完成城镇新增就业63488人 … 分别完成省年度任务的126.98%";
    # line 71: "实际支出 1371.57 万元"; line 17: "实有在职人员27人".
    # 63488 / 1371.57 = 46.2885… → 46.29 jobs per 万元; 63488 / 27 = 2351.407… → 2,351.41 per staff member.
    assert "63,488 人" in texts
    assert "46.29" in texts
    assert "2,351.41" in texts
    assert "完成率 126.98%（报告所述）" in texts
    assert not any(re.search(r"\d\.\d{4,}", t) for t in texts)  # no 63488.000000 anywhere


def test_a_ceiling_is_shown_as_actual_against_it_never_as_percent_of_target(rendered):
    dom = dom_of(rendered, "unemployment")
    texts = chart_texts(dom)
    # raw/000_2ffef96f446e24f3.txt line 52: "城镇登记失业率3.85%，控制在规定的4.5%之内"
    assert "上限 4.50%：实际 3.85%，未超上限" in texts
    # tests/fixtures/cold/raw/c05_meitan_form_merged.txt line 31: "城镇登记失业率 | ≤4.5% | 3.62%"
    assert "上限 4.50%：实际 3.62%，未超上限" in texts
    # raw/003_fe78408465235910.txt line 228: "城镇登记失业率控制在 5.5%" (no result stated)
    assert "上限 5.50%，未报实际值" in texts
    assert not any("完成率" in t for t in texts)
    # lower is better: 湄潭 3.62% ranks above 靖州 3.85%; 湘西 without a result comes last
    rows = [label_row(dom, name) for name in ("湄潭县人力资源和社会保障局", "靖州苗族侗族自治县就业服务中心",
                                              "湘西土家族苗族自治州人力资源和社会保障局")]
    assert rows == sorted(rows)
    # raw/004_52c6ee96ad68c98b.txt line 79: "三公经费年初预算 2.3 万元，实际支出 1.96 万元"
    assert "预算 2.30 万元：实际 1.96 万元，未超上限" in chart_texts(dom_of(rendered, "three_public"))


def test_region_and_level_dropdowns_narrow_the_units(rendered):
    dom = dom_of(rendered, "region")
    assert re.search(r'<option value="贵州省/遵义市" hidden', dom)  # a prefecture of another province is hidden
    assert re.search(r'<option value="湖南省/怀化市">', dom)
    assert re.search(r'<option value="湖南省/怀化市/靖州苗族侗族自治县">', dom)
    texts = chart_texts(dom)
    assert "靖州苗族侗族自治县就业服务中心" in texts  # the prefecture outside 湖南省 was let go, not applied
    assert "湄潭县人力资源和社会保障局" not in texts  # 贵州省
    assert "湘西土家族苗族自治州人力资源和社会保障局" not in texts  # 湖南省 2022, but a prefecture's unit


def test_header_shows_build_date_coverage_and_quality_with_warnings_as_warnings(built, page):
    html = page.read_text(encoding="utf-8")
    header = html[html.index("<header>"):html.index("</header>")]
    # 4 bundled reports + 湄潭 + 湛江's next year: 6 reports of 5 units in 湖南, 广东, 贵州; 2020, 2022, 2023, 2024
    assert "<b>6</b> 份报告 · <b>4</b> 个年度（2020–2024）· <b>5</b> 个单位 · <b>3</b> 个省份" in header
    con = duckdb.connect(str(built), read_only=True)
    try:
        built_at = con.sql("select max(built_at) from raw.build_state").fetchall()[0][0]
        latest = con.sql("select severity, passed, suite from quality.check_results where run_id = (select run_id "
                         "from quality.check_results order by checked_at desc limit 1)").fetchall()
    finally:
        con.close()
    assert f"数据构建于 {built_at:%Y-%m-%d}" in header
    warned = [suite for severity, passed, suite in latest if severity == "warning" and not passed]
    failed = [suite for severity, passed, suite in latest if severity == "error" and not passed]
    assert warned and not failed  # 湛江's budget does not add up (a warning), nothing blocks
    assert f"警告 {len(warned)} 项" in header and "未通过 0 项" in header
    assert "<ul class='warn'>" in header and "<ul class='fail'>" not in header
    assert all(suite in header[header.index("<ul class='warn'>"):] for suite in warned)


def test_counts_are_whole_money_has_two_decimals():
    assert _with_unit(63488.0, "person", "urban_new_jobs") == "63,488 人"
    assert _with_unit(1371.57, "wan_yuan", "expenditure_total") == "1,371.57 万元"
    assert _with_unit(828.0, "wan_yuan", "guaranteed_loans_issued") == "828.00 万元"
    assert _with_unit(3.85, "percent", "registered_unemployment_rate") == "3.85%"
    assert _with_unit(474.0, "count", "job_fairs_held") == "474 场"


def test_ceiling_metrics_agree_with_the_indicator_tables(built):
    con = duckdb.connect(str(built), read_only=True)
    try:
        operators = con.sql("select coalesce(metric_code, item_code), target_operator "
                            "from marts.fct_performance_indicators where coalesce(metric_code, item_code) is not null "
                            "and target_operator in ('le', 'lt', 'ge', 'gt')").fetchall()
    finally:
        con.close()
    ceilings = {code for code, op in operators if op in ("le", "lt")}
    floors = {code for code, op in operators if op in ("ge", "gt")}
    assert "registered_unemployment_rate" in ceilings  # 湄潭's table: 城镇登记失业率 ≤4.5%
    assert not CEILING_METRICS & floors
    shown_with_targets = ceilings - {"expenditure_total"}  # the dashboard gives total spending no target
    assert shown_with_targets <= CEILING_METRICS
