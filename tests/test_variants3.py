"""The parser on a third round of hand-written reports (tests/fixtures/variants3/raw): text taken
from a PDF (lines cut between a figure and its unit, running page headers and footers), a Word
table exported one cell a line without TABs, a 2021 county report with 上年 / 同比 traps and a
自评表 of ≥/≤ targets, and a prefecture-level report in 元 with 「年度目标X，实际完成Y」 goal
lines. Every expected value below was read by hand from the fixture's text."""

from decimal import Decimal

import pytest
from facts import assert_fixture_evidence, budget, header, metric_values, parse_fixtures

from pipelines.parse import parse_document
from pipelines.parse.layout import page_furniture, read_layout
from pipelines.parse.numbers import is_cell_figure, unit_cut_at_break


@pytest.fixture(scope="module")
def parsed():
    return parse_fixtures("variants3")


def test_every_variant_is_a_report_with_exact_evidence(parsed):
    assert_fixture_evidence("variants3", parsed, 4)


@pytest.mark.parametrize(("line", "next_line", "cut"), [
    ("全县城镇新增就业1256", "人，完成市下达目标任务", True),
    ("城镇登记失业率为3.1", "%，控制在4.5%以内。", True),
    ("发放创业担保贷款1,260万", "元。", True),
    ("预算编码：118001", "编制日期：2023年2月", False),
    ("第 2 页 共 4 页", "人员经费", False),
])
def test_figure_cut_from_its_unit(line, next_line, cut):
    assert unit_cut_at_break(line, next_line) is cut


@pytest.mark.parametrize(("text", "figure"), [
    ("1,036.42", True), ("0.00", True), ("96.5%", True), ("-", True),
    ("局本级", False), ("预算数", False), ("3862人", False),
])
def test_cell_figure(text, figure):
    assert is_cell_figure(text) is figure


def test_page_furniture():
    lines = ["某县人社局2022年度部门整体支出绩效自评报告", "正文第一段，", "某县人社局报告", "第 2 页 共 5 页",
             "正文接着写。", "某县人社局报告", "- 3 -", "某县人社局", "2023年3月", "某县人社局"]
    # the running header stands next to a footer each time; the unit's name at the end does not
    assert page_furniture(lines) == {3, 4, 6, 7}


def test_two_tables_one_cell_a_line_without_a_blank_line_between():
    lines = ["表1 支出表", "项目", "预算数", "决算数", "基本支出", "10.00", "9.50", "项目支出", "5.00", "4.00",
             "表2 所属单位表", "单位名称", "支出合计", "基本支出", "甲中心", "3.00", "2.00", "乙中心", "1.00", "1.00"]
    rows = read_layout(lines, lines).rows
    assert [r.texts() for r in rows] == [["项目", "预算数", "决算数"], ["基本支出", "10.00", "9.50"],
                                         ["项目支出", "5.00", "4.00"], ["单位名称", "支出合计", "基本支出"],
                                         ["甲中心", "3.00", "2.00"], ["乙中心", "1.00", "1.00"]]


SEQ_TABLE = ["某县人力资源和社会保障局2022年度部门整体支出绩效自评报告", "", "表2 所属单位支出情况表", "单位：万元",
             "序号", "单位名称", "支出合计", "基本支出", "项目支出", "1", "局本级", "1,036.42", "688.20", "348.22",
             "2", "县就业管理服务中心", "412.85", "176.30", "236.55", "3", "合计", "1,449.27", "864.50", "584.77"]


@pytest.mark.parametrize("text", [
    "\n".join(SEQ_TABLE),  # one cell a line, no TABs
    "\n".join(SEQ_TABLE[:4] + ["\t".join(SEQ_TABLE[k:k + 5]) for k in range(4, len(SEQ_TABLE), 5)]),  # TABs
])
def test_sub_unit_table_with_a_seq_column(text):
    r = parse_document("seq.txt", text)
    assert budget(r, "局本级") == {("expenditure_total", "actual"): Decimal("1036.42"),
                                 ("expenditure_basic", "actual"): Decimal("688.20"),
                                 ("expenditure_project", "actual"): Decimal("348.22")}
    assert budget(r, "县就业管理服务中心")[("expenditure_project", "actual")] == Decimal("236.55")
    assert budget(r)[("expenditure_total", "actual")] == Decimal("1449.27")  # 合计: the unit's own


def test_pdf_text_with_figures_cut_from_units(parsed):
    r = parsed["x1_lincheng_pdf"]
    h = header(r)
    assert h["unit_name"] == "临城县人力资源和社会保障局"
    assert (h["division_code"], h["report_date"]) == ("130522", "2023-03-20")
    assert h["retirees"] == "21"  # 「退休人」 / 「员21人」
    b = budget(r)
    assert b[("expenditure_total", "actual")] == Decimal("1415.92")  # 「1,415.92」 / 「万元」
    assert b[("expenditure_basic", "actual")] == Decimal("902.14")  # 「902.14万」 / 「元」
    # 「实际支出合计」 / running header / 「第 2 页 共 4 页」 / 「 6.37 万元」: the sentence goes on
    assert b[("three_public_total", "actual")] == Decimal("6.37")
    assert b[("three_public_vehicle_ops", "actual")] == Decimal("4.55")
    m = metric_values(r)
    assert m["urban_new_jobs"] == (Decimal("1256"), Decimal("1200"))  # 「城镇新增就业1256」 / 「人，…」
    assert m["registered_unemployment_rate"] == (Decimal("3.1"), Decimal("4.5"))  # 「3.1」 / 「%」
    assert m["guaranteed_loans_issued"][0] == Decimal("1260")  # 「1,260万」 / 「元」


def test_word_table_one_cell_a_line_without_tabs(parsed):
    r = parsed["x2_wuyi_word_cells"]
    b = budget(r)
    # 三公 table: 项目 / 预算数 / 决算数, three lines a row
    assert b[("three_public_total", "budget")] == Decimal("12.60")
    assert b[("three_public_total", "actual")] == Decimal("9.84")
    assert b[("three_public_reception", "actual")] == Decimal("2.71")
    assert b[("three_public_vehicle_ops", "budget")] == Decimal("9.00")
    # sub-unit table: 单位名称 / 支出合计 / 基本支出 / 项目支出; its 合计 row is the unit's own
    assert b[("expenditure_basic", "actual")] == Decimal("1105.58")
    assert b[("expenditure_total", "budget")] == Decimal("1806.50")  # from the prose
    assert budget(r, "局本级")[("expenditure_project", "actual")] == Decimal("348.22")
    assert budget(r, "县就业管理服务中心")[("expenditure_total", "actual")] == Decimal("412.85")
    assert budget(r, "县社会保险事业管理中心")[("expenditure_basic", "actual")] == Decimal("241.08")


def test_county_2021_traps_and_self_table_targets(parsed):
    r = parsed["x3_yingshan_2021"]
    h = header(r)
    assert (h["fiscal_year"], h["division_code"], h["grade"]) == ("2021", "511322", "excellent")
    b = budget(r)
    assert b[("expenditure_total", "actual")] == Decimal("2298.71")  # not 上年支出合计2,105.33
    assert not any(f["amount_wan"] == Decimal("2105.33") for f in r.budget_facts if f["is_selected"])
    m = metric_values(r)
    assert m["urban_new_jobs"] == (Decimal("3862"), Decimal("3500"))  # not 上年为3,633人; ≥3500人
    assert m["vocational_training"] == (Decimal("12600"), Decimal("10000"))  # 1.26万人次; ≥1万人次
    assert m["rural_labor_transfer_new"] == (Decimal("10500"), Decimal("10000"))
    assert m["registered_unemployment_rate"] == (Decimal("3.6"), Decimal("4.5"))  # not 上年为3.8%; ≤4.5%


def test_prefecture_report_in_yuan_with_goal_lines(parsed):
    r = parsed["x4_guilin_yuan_goals"]
    h = header(r)
    assert (h["admin_level"], h["division_code"], h["actual_headcount"]) == ("prefecture", "450300", "33")
    assert "retirees" not in h  # 离退休人员 is no 退休人员 count
    b = budget(r)
    assert b[("income_total", "budget")] == Decimal("985.68")  # 调整后预算收入, not 年初 865.23
    assert b[("income_total", "actual")] == Decimal("985.68")  # 「；全年实际收入」 after the budget cue
    assert b[("balance_accumulated", "actual")] == Decimal("24.332765")
    m = metric_values(r)
    assert m["urban_new_jobs"] == (Decimal("13500"), Decimal("12000"))
    assert m["hard_to_employ_employed"] == (Decimal("912"), Decimal("800"))
    assert m["registered_unemployment_rate"] == (Decimal("2.85"), Decimal("4.5"))
