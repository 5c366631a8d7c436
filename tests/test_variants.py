"""The parser on hand-written reports in layouts the bundled ones lack (tests/fixtures/variants/raw):
every expected value below was read by hand from the fixture's text."""

from decimal import Decimal

import pytest
from facts import assert_fixture_evidence, budget, header, metric_values, parse_fixtures

from pipelines.parse import parse_document
from pipelines.parse.numbers import count_value, find_quantities
from pipelines.text import normalize


@pytest.fixture(scope="module")
def parsed():
    return parse_fixtures("variants", key="name")


def test_every_variant_is_a_report_with_exact_evidence(parsed):
    assert_fixture_evidence("variants", parsed, 7)


def test_pipe_tables_with_sub_units_and_indicator_scores(parsed):
    result = parsed["v1_yubei_pipe.txt"]
    # 「| 区劳动人事争议仲裁院 | 1,089.80 | 42.20 | 1,037.60 | 0.00 | 10.00 |」
    org = budget(result, "区劳动人事争议仲裁院")
    assert org[("income_total", "actual")] == Decimal("1089.80")
    assert org[("income_general_public", "actual")] == Decimal("1037.60")
    # 「| 汇总 | 6,185.90 | 3,640.70 | 3,102.40 | 538.30 | 2,545.20 |」
    assert budget(result)[("expenditure_public", "actual")] == Decimal("538.30")
    # 「| 城镇新增就业人数 | ≥3.2万人 | 3.46万人 | 10 | 10 |」: 分值 and 得分 follow the result
    m = metric_values(result)
    assert m["urban_new_jobs"] == (Decimal("34600"), Decimal("32000"))
    assert m["hard_to_employ_employed"] == (Decimal("1953"), Decimal("1800"))
    h = header(result)
    # 「报告日期：二〇二三年三月十日」, 「自评得分为92.5分，评价等级为“优”」
    assert (h["report_date"], h["self_score"], h["grade"]) == ("2023-03-10", "92.5", "excellent")
    assert (h["province"], h["county"], h["division_code"]) == ("重庆市", "渝北区", "500112")
    assert "prefecture" not in h


def test_html_table_on_one_line_with_merged_head(parsed):
    result = parsed["v4_mianyang_html.txt"]
    # 「<td>市就业创业促进中心</td><td>2,864.44</td><td>2,700.00</td><td>164.44</td>…」 under a head where
    # 其中 (colspan=2) spans 一般公共预算财政拨款 and 其他收入
    org = budget(result, "市就业创业促进中心")
    assert org[("income_general_public", "actual")] == Decimal("2700.00")
    assert org[("income_other", "actual")] == Decimal("164.44")
    assert org[("expenditure_project", "actual")] == Decimal("1277.69")
    assert budget(result)[("income_total", "actual")] == Decimal("9876.54")  # the 合计 row
    assert metric_values(result)["registered_unemployment_rate"] == (Decimal("3.3"), Decimal("4.5"))


def test_full_width_digits_seal_and_label_row(parsed):
    result = parsed["v3_eshan_tsv.txt"]
    h = header(result)
    # 「单位名称：峨山县人力资源和社会保障局（盖章）」
    assert h["unit_name"] == "峨山县人力资源和社会保障局"
    assert h["division_code"] == "530426"
    # a row of labels 人员编制 | 实有人数 | 退休人员 over a row ３２ | ３０ | １８
    assert (h["staffing_quota"], h["actual_headcount"], h["retirees"]) == ("32", "30", "18")
    # 「全县城镇新增就业１，２０６人，完成州下达任务１，１００人的…」
    assert metric_values(result)["urban_new_jobs"] == (Decimal("1206"), Decimal("1100"))
    assert metric_values(result)["jobs_offered"][0] == Decimal("8600")
    # a table in 元: 「支出合计	12,846,500.00	12,655,431.20	98.51%」
    assert budget(result)[("expenditure_total", "actual")] == Decimal("1265.54312")


def test_prose_in_yuan_and_yi_and_latex(parsed):
    result = parsed["v2_yiwu_prose.txt"]
    assert budget(result)[("expenditure_public", "actual")] == Decimal("69.035036")  # 690,350.36 元
    assert metric_values(result)["guaranteed_loans_issued"] == (Decimal("36200"), Decimal("30000"))  # 3.62 亿元
    chosen = next(m for m in result.employment_metrics if m["is_selected"] and m["metric_code"] == "urban_new_jobs")
    assert chosen["completion_rate_pct"] == Decimal("140.5")  # 「…的 140.5$\%$」
    assert (header(result)["self_score"], header(result)["grade"]) == ("88", "good")  # 综合评分 88 分，等级：良


def test_ascii_punctuation_results_section(parsed):
    result = parsed["v5_jiangxi_ascii.txt"]
    # 「三、绩效目标实现情况」 reports results: 「城镇新增就业46.52万人,完成年度目标任务的116.3%」
    assert metric_values(result)["urban_new_jobs"] == (Decimal("465200"), None)
    # 「"三公"经费预算25.00万元,决算18.42万元」
    assert budget(result)[("three_public_total", "actual")] == Decimal("18.42")
    assert header(result)["admin_level"] == "province"


def test_chinese_numeral_staff_and_full_year_budget(parsed):
    result = parsed["v6_fangshan_latex.txt"]
    h = header(result)
    # 「核定编制四十五名，实有人数四十二人，退休人员十七人」
    assert (h["staffing_quota"], h["actual_headcount"], h["retirees"]) == ("45", "42", "17")
    # 「部门预算批复 2,486.73 万元，全年预算 2,612.05 万元」: the full-year budget
    assert budget(result)[("expenditure_total", "budget")] == Decimal("2612.05")


def test_grade_as_evaluation_conclusion(parsed):
    assert header(parsed["v7_pingshan_tsv.txt"])["grade"] == "good"  # 「评价结论为“良”」


def test_full_width_thousands_separator():
    assert [q.value for q in find_quantities(normalize("共计１，２０６人"))] == [Decimal("1206")]
    assert [q.value for q in find_quantities("2021，2022年")] == [Decimal("2021"), Decimal("2022")]
    assert count_value("四十五") == 45 and count_value("3.5") is None


def _budget_of(text):
    return {(b["item_code"], b["basis"]): b["amount_wan"] for b in parse_document("t.txt", text).budget_facts
            if b["is_selected"]}


def test_whole_wording_stands_for_its_one_named_part():
    # the subject is 公用经费, a part of 基本支出 with no figure of its own
    got = _budget_of("2023年我单位的公用经费基本支出主要用于日常运行，基本支出 11.26 万元。")
    assert got == {("expenditure_public", "actual"): Decimal("11.26")}
    # two parts named: the whole is the whole
    got = _budget_of("人员经费和公用经费均列入基本支出，基本支出 500 万元。")
    assert got == {("expenditure_basic", "actual"): Decimal("500")}
    # the part has its own figure: the whole is the whole
    got = _budget_of("公用经费 20 万元，基本支出 120 万元。")
    assert got[("expenditure_basic", "actual")] == Decimal("120")


def test_kept_within_a_named_goal_is_the_result(parsed):
    # 「城镇登记失业率控制在３．２％，低于４．５％的控制目标」
    assert metric_values(parsed["v3_eshan_tsv.txt"])["registered_unemployment_rate"] == (Decimal("3.2"), Decimal("4.5"))
    # with no goal named after it, 控制在 gives the target
    alone = metric_values(parse_document("t.txt", "全年城镇登记失业率控制在4.5%以内。"))
    assert alone["registered_unemployment_rate"] == (None, Decimal("4.5"))
