"""The parser on a second round of hand-written reports (tests/fixtures/variants2/raw), in layouts
neither the bundled reports nor round 1 have: every expected value below was read by hand from
the fixture's text."""

from decimal import Decimal

import pytest
from facts import assert_fixture_evidence, budget, header, metric_values, parse_fixtures

from pipelines.parse import parse_document


@pytest.fixture(scope="module")
def parsed():
    return parse_fixtures("variants2")


def test_every_variant_is_a_report_with_exact_evidence(parsed):
    assert_fixture_evidence("variants2", parsed, 6)


def test_title_broken_after_the_unit_name(parsed):
    # 「郧西县人力资源和社会保障局」 / 「2022年度部门整体支出绩效自评报告」 on two lines
    h = header(parsed["w3_yunxi_subunits"])
    assert (h["unit_name"], h["fiscal_year"], h["division_code"]) == ("郧西县人力资源和社会保障局", "2022", "420322")


@pytest.mark.parametrize(("name", "date"), [
    ("w1_zhenglan_basis_rows", "2024-03-15"),  # 报告日期：2024-03-15
    ("w2_aksu_markdown", "2024-04-10"),  # 填报时间：2024年4月10日
    ("w5_xigong_district", "2024-03"),  # sign-off line 「2024年3月」 under the unit's name
    ("w6_xinhua_basic_table", "2024-04-12"),  # 报告日期：2024.04.12
])
def test_report_dates_in_other_forms(parsed, name, date):
    assert header(parsed[name])["report_date"] == date


@pytest.mark.parametrize(("name", "score", "grade"), [
    ("w1_zhenglan_basis_rows", "95.5", "excellent"),  # 自评得分：95.5，自评等级为优秀
    ("w2_aksu_markdown", "91.2", "excellent"),  # 自评分：91.2分，评价结果：优秀
    ("w5_xigong_district", "92", "excellent"),  # 总分100分，自评得分92分 (100 is the maximum)
])
def test_self_score_wordings(parsed, name, score, grade):
    h = header(parsed[name])
    assert (h["self_score"], h["grade"]) == (score, grade)


def test_markdown_goal_list_gives_targets(parsed):
    # 「### （一）年度绩效目标」 / 「- 城镇新增就业：2.6万人；」 …, results under 「## 四、绩效目标完成情况」
    m = metric_values(parsed["w2_aksu_markdown"])
    assert m["urban_new_jobs"] == (Decimal("28300"), Decimal("26000"))  # **2.83万人**
    assert m["vocational_training"] == (Decimal("54600"), Decimal("50000"))
    assert m["poverty_labor_employed"] == (Decimal("67200"), Decimal("65000"))
    assert m["registered_unemployment_rate"] == (Decimal("3.12"), Decimal("4"))  # not 上年为3.35%
    # 「征收失业保险费1.36亿元」: the verb before the wording
    assert m["ui_premiums_collected"][0] == Decimal("13600")
    # the # marks do not make it into the name
    assert header(parsed["w2_aksu_markdown"])["unit_name"] == "阿克苏地区就业服务中心"


def test_sentence_led_by_goal_label_gives_targets(parsed):
    # 「年度目标：城镇新增就业2,800人，…」 then 「完成情况：全县城镇新增就业2,946人，…」
    m = metric_values(parsed["w6_xinhua_basic_table"])
    assert m["urban_new_jobs"] == (Decimal("2946"), Decimal("2800"))
    assert m["unemployed_reemployed"] == (Decimal("936"), Decimal("900"))
    assert m["hard_to_employ_employed"] == (Decimal("318"), Decimal("300"))
    assert m["vocational_training"] == (Decimal("3152"), Decimal("3000"))
    assert m["registered_unemployment_rate"] == (Decimal("3.26"), Decimal("4.5"))


def test_hunan_basic_data_table_template(parsed):
    result = parsed["w6_xinhua_basic_table"]
    b = budget(result)
    # 「经费控制情况 | 2022年决算数 | 2023年预算数 | 2023年决算数」: the 2022 column is last year's
    assert (b[("three_public_total", "budget")], b[("three_public_total", "actual")]) == (Decimal("6.50"),
                                                                                         Decimal("5.96"))
    assert b[("three_public_vehicle_ops", "actual")] == Decimal("3.86")  # 公车运行维护
    assert b[("three_public_vehicle_purchase", "budget")] == Decimal("0")  # 其中：公车购置
    assert b[("three_public_overseas", "actual")] == Decimal("0")  # 2、出国经费
    assert b[("three_public_reception", "budget")] == Decimal("2.50")  # 3、公务接待
    assert b[("expenditure_project", "actual")] == Decimal("412.35")  # 项目支出：
    assert b[("expenditure_public", "budget")] == Decimal("45.60")
    assert not any(v == Decimal("7.82") for v in b.values())  # 2022年决算数
    h = header(result)
    # 「财政供养人员情况 | 编制数 | 2023年实际在职人数 | 控制率」 over 「 | 26 | 24 | 92.31%」
    assert (h["staffing_quota"], h["actual_headcount"]) == ("26", "24")
    assert "retirees" not in h


def test_table_with_items_as_columns_and_bases_as_rows(parsed):
    # 「预算执行情况 | 基本支出 | 项目支出 | “三公”经费 | 合计」 over rows 年初预算数 / 全年预算数 / 全年执行数 / 执行率
    b = budget(parsed["w1_zhenglan_basis_rows"])
    assert b[("expenditure_basic", "budget")] == Decimal("640.85")  # the 全年预算数 row, not 年初 612.40
    assert b[("expenditure_project", "actual")] == Decimal("221.64")
    assert b[("three_public_total", "budget")] == Decimal("6.50")
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (Decimal("877.05"),
                                                                                       Decimal("854.81"))
    assert not any(v in (Decimal("98.80"), Decimal("97.46")) for v in b.values())  # the 执行率 row
    m = metric_values(parsed["w1_zhenglan_basis_rows"])
    # 「各类职业技能培训1,520人次，较上年增加210人次；其中创业培训160人」
    assert m["vocational_training"][0] == Decimal("1520")
    assert m["entrepreneurship_training"][0] == Decimal("160")
    # 「全旗城镇新增就业1260人，为年度目标任务1200人的105%」
    assert m["urban_new_jobs"] == (Decimal("1260"), Decimal("1200"))


def test_sub_units_as_sections_in_prose(parsed):
    result = parsed["w3_yunxi_subunits"]
    # 「2022年部门全年预算数1,986.40万元，全年实际支出1,942.18万元」 before the sub-unit sections
    whole = budget(result)
    assert (whole[("expenditure_total", "budget")], whole[("expenditure_total", "actual")]) == (
        Decimal("1986.40"), Decimal("1942.18"))
    # 「（一）局本级」: 「全年预算数1,102.30万元，实际支出1,087.46万元，其中基本支出652.10万元，…」
    own = budget(result, "局本级")
    assert own[("expenditure_total", "budget")] == Decimal("1102.30")  # a total, not 基本支出
    assert own[("expenditure_basic", "actual")] == Decimal("652.10")
    # 「（二）县劳动人事争议仲裁院」: 「全年预算数96.80万元，实际支出92.35万元，均为基本支出。」
    court = budget(result, "县劳动人事争议仲裁院")
    assert court[("expenditure_total", "budget")] == Decimal("96.80")
    assert ("expenditure_basic", "budget") not in court
    assert budget(result, "县就业服务中心")[("expenditure_project", "actual")] == Decimal("302.27")
    assert {b["org"] for b in result.budget_facts} == {None, "局本级", "县劳动人事争议仲裁院", "县就业服务中心"}


def test_self_evaluation_table_with_score_columns_around_the_values(parsed):
    # 「一级指标 二级指标 三级指标 分值 年度指标值 实际完成值 得分 偏差原因」: the 分值 cell (10) is no name
    m = metric_values(parsed["w4_fenshui_township"])
    assert m["vocational_training"] == (Decimal("420"), Decimal("400"))  # 「≥400人次」
    assert m["registered_unemployment_rate"] == (Decimal("2.4"), Decimal("3"))  # 「≤3%」「2.4%」
    assert m["public_welfare_posts"] == (Decimal("46"), Decimal("40"))  # 公益性岗位安置人数 40个 / 46个
    assert m["urban_new_jobs"] == (Decimal("312"), Decimal("300"))


def test_table_in_yuan_by_its_caption(parsed):
    # 「金额单位：元」 above 「收入合计	23,468,900.00	23,012,455.60」
    result = parsed["w4_fenshui_township"]
    b = budget(result)
    assert b[("income_total", "budget")] == Decimal("2346.89")
    assert b[("expenditure_total", "actual")] == Decimal("2287.631042")
    assert b[("income_gov_fund", "actual")] == Decimal("150")
    # 三公 in prose, also in 元: 「其中公务接待费12,316.50元」
    assert b[("three_public_reception", "actual")] == Decimal("1.23165")
    h = header(result)
    assert (h["unit_name"], h["admin_level"], h["division_code"]) == ("桐庐县分水镇人民政府", "county", "330122")


def test_generic_spending_word_with_total(parsed):
    # 「全年实际支出合计**2,790.36万元**，其中基本支出1,126.08万元、项目支出1,664.28万元」
    b = budget(parsed["w2_aksu_markdown"])
    assert b[("expenditure_total", "actual")] == Decimal("2790.36")
    assert b[("expenditure_basic", "actual")] == Decimal("1126.08")
    # 「全年预算收入合计**2,865.42万元**，…，比上年减少135.20万元」
    assert b[("income_total", "budget")] == Decimal("2865.42")
    assert Decimal("135.20") not in b.values()


def test_yi_yuan_prose_and_prior_year_traps(parsed):
    result = parsed["w5_xigong_district"]
    b = budget(result)
    assert b[("income_total", "actual")] == Decimal("12600")  # 收入总计1.26亿元
    assert b[("expenditure_total", "budget")] == Decimal("12600")  # 调整后预算支出1.26亿元, not 年初 1.05亿元
    assert b[("expenditure_total", "actual")] == Decimal("12200")  # not 较上年减少0.09亿元
    assert b[("balance_accumulated", "actual")] == Decimal("400")  # 年末结转和结余0.04亿元
    m = metric_values(result)
    # 「全区城镇新增就业1.2万人，为年度目标任务1.1万人的109.1%」
    assert m["urban_new_jobs"] == (Decimal("12000"), Decimal("11000"))
    assert m["registered_unemployment_rate"] == (Decimal("2.76"), None)  # not 上年同期为2.95%
    assert m["entrepreneurship_training"] == (Decimal("1120"), None)  # not 上年为980人
    assert m["ui_insured"][0] == Decimal("86200")  # not 较上年增加0.35万人
    rates = {r["metric_code"]: r["completion_rate_pct"] for r in result.employment_metrics if r["is_selected"]}
    assert rates["urban_new_jobs"] == Decimal("109.1")
    assert rates["vocational_training"] == Decimal("103.8")  # 完成率为103.8%


# Single sentences in wordings the fixtures do not use, each in a minimal report; values read by hand.
TITLE = "某某县人力资源和社会保障局2023年度部门整体支出绩效自评报告\n\n"


def snippet(body):
    return parse_document("snippet.txt", TITLE + body + "\n")


@pytest.mark.parametrize(("body", "want"), [
    ("四、自评结论\n经自评，综合评定得分95分，自评结果为良好。", {"self_score": "95", "grade": "good"}),
    ("四、自评结论\n自评结果：得分96分，等级优秀。", {"self_score": "96", "grade": "excellent"}),
    ("编制人数：32人；实有人数：30人；退休人员：15人。",
     {"staffing_quota": "32", "actual_headcount": "30", "retirees": "15"}),
])
def test_header_wordings(body, want):
    h = header(snippet(body))
    assert {k: h.get(k) for k in want} == want


@pytest.mark.parametrize(("body", "metric", "want"), [
    ("城镇新增就业3200人（目标3000人），完成率106.7%。", "urban_new_jobs", (Decimal("3200"), Decimal("3000"))),
    ("年末城镇登记失业率为3.2%（控制目标4.5%以内）。", "registered_unemployment_rate",
     (Decimal("3.2"), Decimal("4.5"))),
    ("全县新增就业3,200人，完成年度任务的106.7%。", "urban_new_jobs", (Decimal("3200"), None)),
])
def test_metric_wordings(body, metric, want):
    assert metric_values(snippet(body))[metric] == want


@pytest.mark.parametrize(("body", "want"), [
    # the title line is no part of the sentence after it (its 整体支出 is no label of these figures)
    ("本年收入1,234.56万元，本年支出1,200.00万元。",
     {("income_total", "actual"): Decimal("1234.56"), ("expenditure_total", "actual"): Decimal("1200.00")}),
    ("部门决算收入总额1,234.56万元，部门决算支出总额1,200.00万元。",
     {("income_total", "actual"): Decimal("1234.56"), ("expenditure_total", "actual"): Decimal("1200.00")}),
    ("2023年度部门预算收入1,100.00万元，决算收入1,090.00万元。",
     {("income_total", "budget"): Decimal("1100.00"), ("income_total", "actual"): Decimal("1090.00")}),
    # 调整预算 is the full-year budget; 年初预算 gives way to it
    ("年初预算1,000.00万元，调整预算1,100.00万元，实际支出1,050.00万元，预算执行率95.45%。",
     {("expenditure_total", "budget"): Decimal("1100.00"), ("expenditure_total", "actual"): Decimal("1050.00")}),
    ("全年完成政府采购预算50万元，实际采购48万元。", {}),
])
def test_budget_wordings(body, want):
    assert budget(snippet(body)) == want


def test_row_labels_numbered_with_bracketed_chinese_numerals():
    # 「（一）财政拨款收入」「（二）其他收入」 under 「一、收入合计」; the 上年决算数 column is last year's
    result = snippet("收支预算执行表（单位：万元）\n科目名称\t全年预算数\t全年决算数\t上年决算数\n"
                     "一、收入合计\t900.00\t880.00\t850.00\n（一）财政拨款收入\t850.00\t830.00\t800.00\n"
                     "（二）其他收入\t50.00\t50.00\t50.00\n二、支出合计\t900.00\t870.00\t840.00\n"
                     "（一）基本支出\t600.00\t590.00\t580.00\n（二）项目支出\t300.00\t280.00\t260.00")
    b = budget(result)
    assert b[("income_general_public", "actual")] == Decimal("830.00")
    assert b[("income_other", "budget")] == Decimal("50.00")
    assert b[("expenditure_basic", "actual")] == Decimal("590.00")
    assert len(b) == 12


def test_completion_rate_after_a_bracketed_target():
    # 「完成全年目标任务（3000人）的106.7%」
    rows = [r for r in snippet("城镇新增就业3200人，完成全年目标任务（3000人）的106.7%。").employment_metrics
            if r["is_selected"]]
    assert [(r["actual_value"], r["target_value"], r["completion_rate_pct"]) for r in rows] == [
        (Decimal("3200"), Decimal("3000"), Decimal("106.7"))]


@pytest.mark.parametrize("table", [
    # heads and labels spaced out letter by letter
    "项 目\t预 算 数\t实 际 支 出\t执 行 率\n基 本 支 出\t500.00\t495.00\t99.00%\n项 目 支 出\t300.00\t280.00\t93.33%",
    # every cell carries its own unit word
    "项目\t预算数\t决算数\n基本支出\t500.00万元\t495.00万元\n项目支出\t3,000,000.00元\t2,800,000.00元",
])
def test_item_tables_with_spaced_heads_or_units_in_cells(table):
    b = budget(snippet("二、预算执行情况\n" + table))
    assert b[("expenditure_basic", "budget")] == Decimal("500.00")
    assert b[("expenditure_basic", "actual")] == Decimal("495.00")
    assert b[("expenditure_project", "actual")] == Decimal("280.00")


def test_two_sided_income_and_expenditure_table():
    # 收入支出决算总表: income items on the left, expenditure items on the right of the same rows
    result = snippet("收入支出决算总表\n单位：万元\n收入\t决算数\t支出\t决算数\n"
                     "一般公共预算财政拨款收入\t850.00\t基本支出\t590.00\n其他收入\t50.00\t项目支出\t280.00\n"
                     "\t\t其中：三公经费\t3.20\n本年收入合计\t900.00\t本年支出合计\t870.00")
    assert budget(result) == {
        ("income_general_public", "actual"): Decimal("850.00"), ("income_other", "actual"): Decimal("50.00"),
        ("income_total", "actual"): Decimal("900.00"), ("expenditure_basic", "actual"): Decimal("590.00"),
        ("expenditure_project", "actual"): Decimal("280.00"), ("three_public_total", "actual"): Decimal("3.20"),
        ("expenditure_total", "actual"): Decimal("870.00")}


@pytest.mark.parametrize(("body", "metric", "want"), [
    # a figure shared by two things joined with 及 is their sum; the part follows after 其中
    ("全年发放失业保险金及稳岗返还资金共计286.5万元，其中稳岗返还资金126.3万元。", "stable_employment_refund",
     Decimal("126.3")),
    ("开展职业技能培训和创业培训共4,200人次，其中创业培训600人。", "entrepreneurship_training", Decimal("600")),
    # not joined: the 和 is in another clause
    ("城镇新增就业和再就业工作成效明显，全年城镇新增就业3200人。", "urban_new_jobs", Decimal("3200")),
])
def test_figure_shared_by_joined_wordings(body, metric, want):
    assert metric_values(snippet(body))[metric][0] == want


def test_metric_row_named_with_a_count_suffix():
    # 「创业培训人数 | 1050 人 | 1142 人」 in a 年度指标值 / 实际完成值 table
    result = snippet("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n"
                     "产出指标\t数量指标\t创业培训人数\t1050 人\t1142 人")
    assert metric_values(result)["entrepreneurship_training"] == (Decimal("1142"), Decimal("1050"))


@pytest.mark.parametrize(("body", "want"), [
    # 「比预算数减少」 compares; the parts after it are actuals like the 决算数 before
    ("“三公”经费预算数为6.00万元，决算数为4.35万元，决算数比预算数减少1.65万元，其中：公务接待费1.15万元，"
     "公务用车运行维护费3.20万元。",
     {("three_public_total", "budget"): Decimal("6.00"), ("three_public_total", "actual"): Decimal("4.35"),
      ("three_public_reception", "actual"): Decimal("1.15"), ("three_public_vehicle_ops", "actual"): Decimal("3.20")}),
    ("一般公共预算财政拨款收入1,000.00万元，较上年增加50.00万元；政府性基金预算财政拨款收入0万元。",
     {("income_general_public", "actual"): Decimal("1000.00"), ("income_gov_fund", "actual"): Decimal("0")}),
])
def test_budget_comparisons_and_fund_income(body, want):
    assert budget(snippet("二、部门收支情况\n" + body)) == want


@pytest.mark.parametrize(("body", "score"), [
    # no score in the text: the total row of the scoring table, under its 得分 head
    ("三、自评表\n一级指标\t二级指标\t三级指标\t分值\t得分\n投入\t预算执行\t预算执行率\t10\t9.5\n"
     "合计\t\t\t100\t92.5", "92.5"),
    # the total row's trailing empty cells dropped: the last figure after the 分值 100
    ("三、自评表\n一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\n"
     "产出指标\t数量指标\t城镇新增就业人数\t10\t3000人\t3200人\t10\n总分\t100\t\t\t\t95.5", "95.5"),
    ("四、自评结论\n自评分值为88分，等级为“良”。", "88"),
])
def test_self_score_from_the_scoring_table(body, score):
    assert header(snippet(body))["self_score"] == score


def test_completion_rate_after_a_target_with_thousands_separator():
    # 「完成目标任务3,000万元的106.67%」: the comma of 3,000 does not cut the clause
    rows = [r for r in snippet("发放创业担保贷款3,200万元，完成目标任务3,000万元的106.67%。").employment_metrics
            if r["is_selected"]]
    assert [(r["actual_value"], r["target_value"], r["completion_rate_pct"]) for r in rows] == [
        (Decimal("3200"), Decimal("3000"), Decimal("106.67"))]
