"""The failure classes found on reports the parser had never seen (tests/fixtures/cold, written
before the parser was changed for them), one test each. Every expected value was read by hand from
the fixture's text; the quoted text is the line it comes from."""

from decimal import Decimal

import pytest
from facts import budget, header, metric_values, parse_fixtures


@pytest.fixture(scope="module")
def cold():
    return by_prefix("cold")


def by_prefix(folder):
    """The reports of a fixture folder parsed, by their prefix (c01, f05, …)."""
    return {stem.split("_")[0]: result for stem, result in parse_fixtures(folder).items()}


def metric(result, code):
    return metric_values(result).get(code, (None, None))


# 1. The target published as the actual


def test_goal_paragraph_then_results_paragraph(cold):
    r = cold["c13"]
    # goal 「2023年度绩效目标：…就业困难人员实现就业1800人…」,
    # result 「就业困难人员实现就业2046人，完成年度目标的113.7%」
    assert metric(r, "hard_to_employ_employed") == (Decimal("2046"), Decimal("1800"))
    # goal 「全市城镇新增就业2.3万人」, result 「城镇新增就业2.51万人，完成年度目标任务的109.1%」
    assert metric(r, "urban_new_jobs") == (Decimal("25100"), Decimal("23000"))
    # 「失业保险参保人数达到21万人」 is only a goal: no result is published
    assert metric(r, "ui_insured") == (None, Decimal("210000"))


def test_one_sentence_with_target_rate_last_year_and_next_year(cold):
    # 「全年城镇新增就业16,842人，完成年度目标13,000人的129.6%，较上年15,906人增加936人，
    #   2024年计划城镇新增就业14,000人」
    assert metric(cold["c14"], "urban_new_jobs") == (Decimal("16842"), Decimal("13000"))


def test_list_of_targets_after_mubiao_renwu_shi(cold):
    r = cold["c15"]
    # 「年度目标任务是：城镇新增就业2,600人；…开展职业技能培训4,000人次」; 「实际完成：…城镇新增就业2,742人…」
    assert metric(r, "urban_new_jobs") == (Decimal("2742"), Decimal("2600"))
    assert metric(r, "vocational_training") == (Decimal("4361"), Decimal("4000"))


def test_next_year_appendix_is_neither_result_nor_budget(cold):
    r = cold["c16"]
    # the 2019 appendix 「…2019年度部门整体支出预算安排4,850.00万元，其中基本支出2,420.00万元」 (a 2018 report)
    assert ("expenditure_basic", "budget") not in budget(r)
    assert budget(r)[("expenditure_basic", "actual")] == Decimal("2356.91")
    assert all(m["actual_value"] != Decimal("420000") for m in r.employment_metrics if m["is_selected"])


def test_one_figure_against_two_targets_keeps_the_first_named(cold):
    # 「全市城镇新增就业2,486人，完成省下达任务2,100人的118.4%、韶关市定目标2,300人的108.1%」
    assert metric(cold["c17"], "urban_new_jobs") == (Decimal("2486"), Decimal("2100"))


def test_indicators_as_numbered_paragraphs(cold):
    r = cold["c18"]
    # 「（1）城镇新增就业人数：年度指标值≥3.6万人，实际完成3.82万人，增长5.5%，得分10分。」
    assert metric(r, "urban_new_jobs") == (Decimal("38200"), Decimal("36000"))
    # 「（1）城镇登记失业率：年度指标值控制在4.5%以内，实际为3.26%，得分2分。」
    assert metric(r, "registered_unemployment_rate") == (Decimal("3.26"), Decimal("4.5"))


# 2. Whole reports lost for a missing header field


@pytest.mark.parametrize(("stem", "unit", "code"), [
    ("c01", "达州市通川区就业服务管理局", "511702"),  # 「部门（单位）名称 | 达州市通川区就业服务管理局」
    ("c02", "贵州省人力资源和社会保障厅", "520000"),  # 「单位（盖章）：贵州省人力资源和社会保障厅」
    ("c03", "沂南县公共就业和人才服务中心", "371321"),  # 「填报单位（盖章） 沂南县公共就业和人才服务中心」
    ("c06", "剑阁县人力资源和社会保障局", "510823"),  # 「填报单位：剑阁县人力资源和社会保障局（盖章）」 at the end
])
def test_unit_from_form_cells_and_seals(cold, stem, unit, code):
    h = header(cold[stem])
    assert (h["unit_name"], h["division_code"]) == (unit, code)


def test_a_project_form_gives_no_unit_budget(cold):
    # 「年度资金总额 | 1,850.00 | 2,316.48 | 2,208.73」 in a 项目支出绩效目标自评表 is the project's money
    assert budget(cold["c03"]) == {}
    # the same row of a whole-department form is its total: 「年度资金总额 | 612.40 | 845.76 | 823.15」
    b = budget(cold["c01"])
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (
        Decimal("845.76"), Decimal("823.15"))


# 3. Tables the parser did not see as tables


def test_pdf_rows_of_space_separated_cells(cold):
    # 「项目 年初预算数 全年预算数 决算数 执行率」 / 「支出合计 3,215.60 3,586.42 3,478.95 97.00%」
    b = budget(cold["c07"])
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (
        Decimal("3586.42"), Decimal("3478.95"))


def test_whole_table_on_one_line(cold):
    r = cold["c08"]
    # 「… 项目 全年预算数 决算数 执行率 … 支出合计 1,268.45 1,231.77 97.11% …」
    b = budget(r)
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (
        Decimal("1268.45"), Decimal("1231.77"))
    # 「… 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标 数量指标
    #   城镇新增就业人数 ≥6000人 6412人 10 10 …」
    assert metric(r, "urban_new_jobs") == (Decimal("6412"), Decimal("6000"))


def test_funds_table_one_cell_a_line_by_column_across_a_page_break(cold):
    # 项目 / 收入合计 … 项目支出, then 全年预算数 / 2,146.80 … (page 3 footer) … 1,026.45, then 全年执行数 / … 938.27
    b = budget(cold["c09"])
    assert b[("expenditure_project", "budget")] == Decimal("1026.45")
    assert b[("expenditure_project", "actual")] == Decimal("938.27")
    assert b[("expenditure_public", "budget")] == Decimal("107.88")  # the first cell after the page break


def test_spreadsheet_exported_as_comma_separated_rows(cold):
    r = cold["c10"]
    # 「支出合计,198.60,236.45,228.97,96.84%,」 under 「项目,年初预算数,全年预算数,全年执行数,执行率,备注」
    b = budget(r)
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (
        Decimal("236.45"), Decimal("228.97"))
    # 「产出指标,数量指标,城镇新增就业人数,≥980人,"1,046人",10,10」
    assert metric(r, "urban_new_jobs") == (Decimal("1046"), Decimal("980"))
    # 「填报单位：沭阳县钱集镇人力资源和社会保障服务所,,,,,」
    assert header(r)["unit_name"] == "沭阳县钱集镇人力资源和社会保障服务所"


def test_columns_in_another_order(cold):
    r = cold["c04"]
    # 「| 项目 | 年初预算数 | 全年执行数 | 全年预算数 |…」 / 「| 年度资金总额 | 9,864.20 | 11,037.58 | 11,452.96 |…」
    b = budget(r)
    assert (b[("expenditure_total", "budget")], b[("expenditure_total", "actual")]) == (
        Decimal("11452.96"), Decimal("11037.58"))
    # 「… | 实际完成值 | 年度指标值 | …」 / 「| 产出指标 | 数量指标 | 城镇新增就业 | 13.15万人 | 12.2万人 | 10 | 10 |…」
    assert metric(r, "urban_new_jobs") == (Decimal("131500"), Decimal("122000"))


def test_merged_cells_shift_columns(cold):
    r = cold["c05"]
    # 「失业人员再就业人数 | ≥900人 | 1012人 | 6 | 6 | 完成率112.4%」: the 一级/二级 cells are merged above
    assert metric(r, "unemployed_reemployed") == (Decimal("1012"), Decimal("900"))
    # 「其中 | 基本支出 | 708.30 | 726.45 | 726.45 |…」 and 「项目支出 | 528.50 | 676.10 | 628.65 |…」
    b = budget(r)
    assert (b[("expenditure_basic", "budget")], b[("expenditure_project", "actual")]) == (
        Decimal("726.45"), Decimal("628.65"))


def test_yuan_table_with_wan_prose(cold):
    # 「| 支出合计 | 6,834,215.60 | 6,593,478.27 | 96.48% |」 (金额单位：元) and 「实际支出659.35万元」
    b = budget(cold["c11"])
    assert b[("expenditure_total", "actual")] == Decimal("659.347827")
    assert b[("expenditure_total", "budget")] == Decimal("683.42156")


def test_chinese_numerals(cold):
    r = cold["c19"]
    # 「项目支出五百三十四点二三万元」
    assert budget(r)[("expenditure_project", "actual")] == Decimal("534.23")
    # 「二〇二三年“三公”经费全年预算四点五万元，实际支出三点一二万元」
    assert (budget(r)[("three_public_total", "budget")], budget(r)[("three_public_total", "actual")]) == (
        Decimal("4.5"), Decimal("3.12"))
    # 「离校未就业高校毕业生就业率达到百分之九十二点三」
    assert metric(r, "graduate_employment_rate")[0] == Decimal("92.3")
    assert header(r)["report_date"] == "2024-03-18"  # 「报告日期：二〇二四年三月十八日」


def test_full_width_digits_yi_and_wan_ren(cold):
    r = cold["c20"]
    # 「全市城镇新增就业２．３万人，完成省定任务２．１万人的１０９．５２％」
    assert metric(r, "urban_new_jobs") == (Decimal("23000"), Decimal("21000"))
    # 「２０２２年年初预算０．９８亿元，…，全年预算收入１．２６亿元」: 1.26亿元 is the income budget, no spending
    assert budget(r)[("income_total", "budget")] == Decimal("12600")
    assert ("expenditure_total", "budget") not in budget(r)


# 4. Budget lines missed


def test_three_public_parts_that_are_zero(cold):
    # 「（1）因公出国（境）费0万元，与预算持平」 and the table row 「因公出国（境）费|0.00|0.00|0.00」
    b = budget(cold["c21"])
    assert b[("three_public_overseas", "actual")] == Decimal("0")
    assert (b[("three_public_total", "budget")], b[("three_public_total", "actual")]) == (
        Decimal("3.30"), Decimal("2.36"))


def test_budget_basis_of_income_and_of_personnel_and_public_spending(cold):
    b = budget(cold["c22"])
    # 「年初预算收入1,236.80万元，调整后预算收入1,418.65万元，实际收入1,402.37万元，
    #   其中一般公共预算财政拨款1,386.57万元」
    assert (b[("income_total", "budget")], b[("income_total", "actual")]) == (Decimal("1418.65"), Decimal("1402.37"))
    assert b[("income_general_public", "actual")] == Decimal("1386.57")
    assert ("income_general_public", "budget") not in b
    # 「其中人员经费预算812.40万元，实际支出806.15万元；公用经费预算96.50万元，实际支出91.27万元」
    assert (b[("expenditure_personnel", "budget")], b[("expenditure_personnel", "actual")]) == (
        Decimal("812.40"), Decimal("806.15"))
    assert (b[("expenditure_public", "budget")], b[("expenditure_public", "actual")]) == (
        Decimal("96.50"), Decimal("91.27"))


def test_fixed_assets_in_prose(cold):
    b = budget(cold["c23"])
    # 「年末固定资产原值共计486.73万元，其中在用固定资产452.18万元，出租固定资产34.55万元」;
    # 「上年末固定资产原值为448.53万元」 is last year's
    assert (b[("fixed_assets_total", "actual")], b[("fixed_assets_in_use", "actual")],
            b[("fixed_assets_leased", "actual")]) == (Decimal("486.73"), Decimal("452.18"), Decimal("34.55"))


# Round 4 (tests/fixtures/cold4), each value read by hand from the quoted line.


@pytest.fixture(scope="module")
def cold4():
    return by_prefix("cold4")


def test_a_form_of_bracketed_labels_and_tick_boxes(cold4):
    h = header(cold4["f10"])
    # 「【单位名称】毕节市七星关区柏杨林街道便民服务中心」, 「【退休人数】0」,
    # 「评价等级：□优（90分以上）　■良（80～89分）　□中…」: the ticked box, not the first word
    assert h["unit_name"] == "毕节市七星关区柏杨林街道便民服务中心"
    assert (h["retirees"], h["grade"]) == ("0", "good")
    assert "contact_phone" not in h  # 「【联系电话】0857-83×××××」 is masked: no number to publish


def test_a_unit_under_two_names_is_named_by_the_first(cold4):
    # title 「龙岩市技工学校（龙岩市职业技能鉴定中心）」 / 「2024年度部门整体支出绩效自评报告」
    h = header(cold4["f05"])
    assert (h["unit_name"], h["fiscal_year"]) == ("龙岩市技工学校", "2024")


def test_html_rows_with_merged_cells_and_a_posting_date(cold4):
    r = cold4["f06"]
    # 「<td>拖欠农民工工资案件办结数</td><td>≥100件</td><td>124件</td>」 under a rowspan; the prose
    # 「（2021年受理156件、办结151件）」 is the year before
    assert metric(r, "wage_arrears_cases_closed") == (Decimal("124"), Decimal("100"))
    # 「发布日期：2023-04-10」 is the page's; the report is signed 「2023年3月28日」
    assert header(r)["report_date"] == "2023-03-28"


def test_goals_after_mubiao_hai_baokuo(cold4):
    # 「本局的部门整体支出绩效目标还包括：…离校未就业高校毕业生就业率达到90%以上」; 「就业率为93.6%」
    assert metric(cold4["f07"], "graduate_employment_rate") == (Decimal("93.6"), Decimal("90"))


def test_pdf_table_with_rules_spaced_labels_and_split_qizhong_cells(cold4):
    b = budget(cold4["f04"])
    # 「基本支出  1,028,600.00  1,066,300.00  1,061,845.27」 under 「项  目 年初预算(元) 调整预算(元) 实际支出(元)」
    assert (b[("expenditure_basic", "budget")], b[("expenditure_basic", "actual")]) == (
        Decimal("106.63"), Decimal("106.184527"))
    # 「  其中: 人员经费  952,400.00  987,100.00  985,210.43」: the row is one cell wider than the head
    assert b[("expenditure_personnel", "actual")] == Decimal("98.521043")


def test_amount_columns_of_a_final_accounts_table_and_a_part_after_zhuyao_wei(cold4):
    b = budget(cold4["f08"])
    # 「表一 收入支出决算总表（简表）」: 「一般公共预算财政拨款收入  612.38  基本支出  286.91」 under 金额 | 金额
    assert (b[("income_general_public", "actual")], b[("expenditure_basic", "actual")]) == (
        Decimal("612.38"), Decimal("286.91"))
    # 「商品和服务支出  352.68」; 「商品和服务支出主要为考务劳务费…186.40万元」 is a part
    assert b[("econ_goods_services", "actual")] == Decimal("352.68")


def test_an_org_table_takes_its_basis_from_its_caption_not_the_prose_above(cold4):
    r = cold4["f09"]
    # 「表1 分单位收支情况表」 below a sentence with 「全年预算数728.50万元」: 「园区管委会本级 486.20 472.35 …」
    assert budget(r, "园区管委会本级")[("expenditure_total", "actual")] == Decimal("472.35")
    assert not any(b["org"] and b["basis"] == "budget" for b in r.budget_facts)


def test_a_budget_given_only_as_the_term_of_a_comparison(cold, cold4):
    # 「“三公”经费支出1.86万元，全部为公务用车运行维护费，比预算2.50万元节约0.64万元」: 1.86 + 0.64 = 2.50
    assert budget(cold["c23"])[("three_public_total", "budget")] == Decimal("2.50")
    # 「2021年“三公”经费支出48,625.00元，比预算数60,000.00元减少11,375.00元」
    assert budget(cold4["f03"])[("three_public_total", "budget")] == Decimal("6")


def test_sub_units_as_lines_of_labelled_fields(cold4):
    # 「单位名称：学校本级　　支出合计：4,031.62　基本支出：2,985.07　项目支出：1,046.55」 under
    # 「（四）所属单位支出情况（万元）」
    b = budget(cold4["f05"], "学校本级")
    assert (b[("expenditure_total", "actual")], b[("expenditure_basic", "actual")],
            b[("expenditure_project", "actual")]) == (Decimal("4031.62"), Decimal("2985.07"), Decimal("1046.55"))


def test_indicator_rows_written_as_labelled_fields(cold4):
    # 「三级指标：校企合作企业数量｜年度指标值：≥60家｜实际完成值：58家｜分值：5｜得分：4｜偏差原因：…」, between
    # 「二级指标：可持续影响指标」 lines; the other rows have no 偏差原因 field
    rows = {i["indicator"]: i for i in cold4["f05"].performance_indicators}
    row = rows["校企合作企业数量"]
    assert (row["target_value"], row["actual_value"], row["weight"], row["score"], row["achieved"]) == (
        Decimal("60"), Decimal("58"), Decimal("5"), Decimal("4"), False)
    assert rows["职业技能培训人次"]["metric_code"] == "vocational_training"  # 「≥10000人次｜…12486人次」
    assert (rows["职业技能培训人次"]["target_value"], rows["职业技能培训人次"]["actual_value"]) == (
        Decimal("10000"), Decimal("12486"))


def test_right_half_rows_of_a_two_sided_pdf_table(cold4):
    b = budget(cold4["f08"])
    # 「    其他收入    4.16    人员经费    250.48」 then 「(48 spaces)公用经费    36.43」 and
    # 「(44 spaces)项目支出    331.47」: spending rows with nothing on the income side
    assert (b[("expenditure_public", "actual")], b[("expenditure_project", "actual")]) == (
        Decimal("36.43"), Decimal("331.47"))


# Round 5 (tests/fixtures/cold5): real-size reports


@pytest.fixture(scope="module")
def cold5():
    return by_prefix("cold5")


def test_a_title_below_a_web_pages_masthead_names_the_unit(cold5):
    # line 12, after 11 lines of site furniture and 发布机构/发布日期 bullets:
    # 「红河州人力资源和社会保障局2023年度部门整体支出绩效自评报告」
    assert header(cold5["g02"])["unit_name"] == "红河州人力资源和社会保障局"


def test_table_rows_written_as_key_value_records(cold5):
    # 「row=02; 支出项目=  其中：人员经费; 年初预算数=1,868,000.00; 全年预算数=1,902,600.00; 决算数=1,896,214.50」
    # (a table in 元): 190.26 and 189.62145 万元
    facts = budget(cold5["g07"])
    assert facts[("expenditure_personnel", "budget")] == Decimal("190.26")
    assert facts[("expenditure_personnel", "actual")] == Decimal("189.62145")
    # 「追加人员经费34,600.00元」 is what the year added, not the personnel budget


def test_a_spreadsheet_written_out_a_cell_a_line(cold5):
    # 「A6 = 项目支出」「B6 = 2600000」「C6 = 3090118.36」 under 「B2 = 年初预算数」「C2 = 全年预算数」, 单位：元
    facts = budget(cold5["g09"])
    assert facts[("expenditure_project", "budget")] == Decimal("309.011836")
    # 「C8 = 本年支出合计」「D8 = 8598008.6」
    assert facts[("expenditure_total", "actual")] == Decimal("859.80086")


def test_a_figure_after_a_bound_sign_is_a_target(cold5):
    # a flattened indicator row: 「产出指标 数量指标 就业困难人员就业人数 ≥120 人 138 人 8 8」
    assert metric(cold5["g03"], "hard_to_employ_employed") == (Decimal("138"), Decimal("120"))


def test_a_table_one_cell_a_line_with_a_blank_line_after_each_cell(cold5):
    # 表1, heads 「项目」「年初预算数」「全年预算数」「全年执行数」「执行率」「上年执行数」, each cell followed by a
    # blank line; the row 「项目支出」「16972.44」「16218.56」「15836.31」: the full-year budget, not the initial one
    facts = budget(cold5["g02"])
    assert facts[("expenditure_project", "budget")] == Decimal("16218.56")
    assert facts[("expenditure_personnel", "actual")] == Decimal("1288.47")  # the row 「其中：人员经费」


def test_done_and_planned_joined_by_a_slash(cold5):
    # 「扣分项：招聘会场次未达到目标（57场/60场）」, and the sheet row 「C6 = 举办招聘会」「D6 = ≥60场」「E6 = 57场」
    assert metric(cold5["g09"], "job_fairs_held") == (Decimal("57"), Decimal("60"))


def test_figures_given_for_comparison_are_not_the_units(cold5):
    # 「作为对比，新吴区全区2022年城镇新增就业3.12万人、城镇登记失业率1.86%，以上为区人社局公布的全区数据，
    #   非本所工作量」: the street office states no unemployment rate of its own
    assert metric(cold5["g07"], "registered_unemployment_rate") == (None, None)


def test_a_run_in_heading_reads_on_into_the_next_line(cold5):
    # 「3．城乡公益性岗位扩容提质。全年开发城乡公益性岗位8540个，完成年度计」 /
    # 「划的100.47%，安置上岗8126人，年末在岗8126人，上岗率95.2%。」: posts filled, not posts created,
    # and the 100.47% belongs to the posts created
    r = cold5["g10"]
    assert metric(r, "public_welfare_posts")[0] == Decimal("8126")
    chosen = [m for m in r.employment_metrics if m["metric_code"] == "public_welfare_posts" and m["is_selected"]]
    assert chosen[0]["completion_rate_pct"] is None


def test_a_report_in_traditional_characters(cold5):
    # 「其中：一般公共預算財政撥款收入4198.37萬元，佔97.95%」, 「評價等級爲“優”」
    r = cold5["g01"]
    assert budget(r)[("income_general_public", "actual")] == Decimal("4198.37")
    assert header(r)["grade"] == "excellent"


def test_a_pandoc_multiline_table_with_wrapped_cells(cold5):
    # heads 「支出项目 | 年初预算（元） | 全年预算（元） | 决算数（元） | 执行率」 over a rule of dash groups;
    # the row 「其中：人员」/「经费」 wraps: 3,486,900.00 and 3,471,285.44 元
    facts = budget(cold5["g08"])
    assert facts[("expenditure_personnel", "budget")] == Decimal("348.69")
    assert facts[("expenditure_personnel", "actual")] == Decimal("347.128544")


def test_a_grid_table_with_wrapped_cells(cold5):
    # 「|   其中：人员 | 5,136.70 |  5,236.70 |  5,204.16 | 99.38% |」 / 「|   经费       | …」 under
    # 「| 项目 | 年初预算 | 调整后 / 预算 | 实际支出 | 执行率 |」 (万元)
    facts = budget(cold5["g06"])
    assert facts[("expenditure_personnel", "budget")] == Decimal("5236.70")
    assert facts[("expenditure_personnel", "actual")] == Decimal("5204.16")


def test_header_and_income_wordings_of_round_five(cold5):
    r = cold5["g04"]
    # 「中心编制数38名，年末实际在职人数35人」; 「自评结论为&ldquo;优秀&rdquo;」
    assert header(r)["actual_headcount"] == "35" and header(r)["grade"] == "excellent"
    # 「纳入财政专户管理的非税收入拨款18.60万元（职业技能培训考务收入）」
    assert budget(r)[("income_special_account", "actual")] == Decimal("18.60")


def test_bracketed_parts_after_the_wholes_share(cold5):
    # 「其中基本支出1018.46万元，占41.35%（人员经费902.37万元，公用经费116.09万元）」: 902.37 + 116.09 = 1018.46
    facts = budget(cold5["g05"])
    assert facts[("expenditure_personnel", "actual")] == Decimal("902.37")
    assert facts[("expenditure_public", "actual")] == Decimal("116.09")


# Round 6 (tests/fixtures/cold6)


@pytest.fixture(scope="module")
def cold6():
    return by_prefix("cold6")


def test_a_wechat_title_and_the_region_from_the_name_written_in_full(cold6):
    h = header(cold6["h08"])
    # 「📣 政务公开 | 小溪塔街道劳动就业和社会保障服务中心2023年度部门整体支出绩效自评报告」, and below it
    # 「宜昌市夷陵区小溪塔街道劳动就业和社会保障服务中心」; the first line's 「… 17:42 湖北」 is the post's
    # location, no region of the unit
    assert h["unit_name"] == "小溪塔街道劳动就业和社会保障服务中心"
    assert (h["county"], h["division_code"]) == ("夷陵区", "420506")


def test_goals_after_mubiao_comma_zhuyao_shi(cold6):
    # 「…同步申报了整体支出绩效目标，主要是：城镇新增就业650人以上，…」 then 「全年辖区城镇新增就业702人，
    #   完成目标的108.00%」
    assert metric(cold6["h08"], "urban_new_jobs") == (Decimal("702"), Decimal("650"))


def test_a_word_document_xml(cold6):
    # 「<w:t>青海省就业服务局2021年度部门整体支出绩效自评报告</w:t>」
    assert header(cold6["h09"])["unit_name"] == "青海省就业服务局"


def test_tracked_changes_keep_the_accepted_text(cold6):
    # 「2022年度本年支出合计〔删除：3856.79万元〕〔插入：3854.29万元〕」
    assert budget(cold6["h01"])[("expenditure_total", "actual")] == Decimal("3854.29")


def test_a_cap_is_no_amount_and_dot_leaders_join_label_and_figure(cold6):
    # 「“三公”经费控制：目标≤1.50万元」 is a goal; the spending is 「“三公”经费支出1.18万元」
    assert budget(cold6["h05"]).get(("three_public_total", "actual")) != Decimal("1.50")
    facts = budget(cold6["h07"])
    # 「  公务接待费…………7.18万元」, not 「与2021年实际支出41.35万元相比」
    assert facts[("three_public_reception", "actual")] == Decimal("7.18")
    # 「  其他收入………326.40万元」 under 「本年收入构成如下：」 is income, not a budget
    assert facts[("income_other", "actual")] == Decimal("326.40")


def test_a_bullet_line_is_an_item_of_its_own(cold6):
    # 「▸ 为吸纳就业困难人员的企业…发放社会保险补贴186.42万元，惠及412人」 / 「▸ 年末公益性岗位在岗168人，…」:
    # the 412 people of the line before are no public-welfare posts
    assert metric(cold6["h05"], "public_welfare_posts")[0] == Decimal("168")


def test_a_section_headed_by_the_initial_budget(cold6):
    # slide 「二、预算收支情况（1）：年初预算」: 「• 收入：一般公共预算拨款收入3150万元，…其他收入25万元」 is the
    # initial budget; the income itself is the table's 「一般公共预算财政拨款收入	3186.42」
    facts = budget(cold6["h02"])
    assert facts[("income_general_public", "actual")] == Decimal("3186.42")
    assert facts[("income_general_public", "budget")] == Decimal("3150")


def test_a_box_drawing_table_whose_borders_do_not_line_up(cold6):
    # 「│一般公共预算财政拨款收入│  2,951.07│  3,189.25│  3,126.48│」 under
    # 「│项      目              │ 2022年决算│ 2023年预算│ 2023年决算│」 (the borders drift: 汉字 are two wide)
    facts = budget(cold6["h06"])
    assert facts[("income_general_public", "actual")] == Decimal("3126.48")
    assert facts[("income_general_public", "budget")] == Decimal("3189.25")


def test_a_table_headed_shou_ru_xiang_mu(cold6):
    # 「收入项目	决算数（万元）	占本年收入比重」 / 「本年收入合计	3656.40	100.00%」 / 「上年结转和结余	1517.60	—」; the
    # slide's 「收入总计5174.00万元」 (3656.40 + 1517.60) gives way to it
    facts = budget(cold6["h02"])
    assert facts[("income_total", "actual")] == Decimal("3656.40")
    assert facts[("income_carryover", "actual")] == Decimal("1517.60")


def test_a_sentence_opened_by_a_later_year_and_training_with_tisheng(cold6):
    # 「全年组织职业技能提升培训9317人次，完成年度目标8000人次的116.46%」 (fiscal year 2022), and not
    # 「2023年，中心将继续…开展职业技能培训8500人次…」
    assert metric(cold6["h01"], "vocational_training") == (Decimal("9317"), Decimal("8000"))


def test_posts_filled_win_over_people_placed(cold6):
    # 「公益性岗位托底安置就业困难人员1,934人，年末全省公益性岗位在岗人员1.12万人」
    assert metric(cold6["h09"], "public_welfare_posts")[0] == Decimal("11200")


# Round 7 (tests/fixtures/cold7)


@pytest.fixture(scope="module")
def cold7():
    return by_prefix("cold7")


def test_another_units_cases_are_not_the_arbitration_courts(cold7):
    # 「受理的案件中涉及拖欠农民工工资的61件，已全部审结…。全年县劳动保障监察大队立案查处并办结拖欠农民工工资
    #   案件142件，该数据由监察大队统计，不属于本院仲裁案件。」
    assert metric(cold7["i05"], "wage_arrears_cases_closed")[0] != Decimal("142")


def test_sheets_in_yuan_under_a_cover_that_says_so(cold7):
    # sheet 「本年收入合计,,,"18,426,350.00"」 and the prose 「2021年本年收入合计1842.64万元」
    assert budget(cold7["i04"])[("income_total", "actual")] == Decimal("1842.635")


def test_last_years_score_and_a_web_pages_issue_date_are_not_the_reports(cold7):
    h = header(cold7["i06"])
    # 「2020年度部门整体支出自评得分91.0分」 is last year's; 「…2021年度部门整体支出绩效自评得分93.5分」 this one's
    assert h["self_score"] == "93.5"
    # 「发文日期：2022-09-19」 is when the page went up; the report is signed 「2022年5月26日」
    assert h["report_date"] == "2022-05-26"
    assert h["budget_code"] == "304001"  # 「单位编码：304001」


def test_a_wrapped_pdf_line_joins_the_next_and_the_car_running_cost(cold7):
    facts = budget(cold7["i07"])
    # 「…按经济分类分，工」 / 「    资福利支出1,702.36万元，…对个人和家庭的补助1,」 / 「    870.13万元，…」
    assert facts[("econ_wages", "actual")] == Decimal("1702.36")
    assert facts[("econ_household_subsidies", "actual")] == Decimal("1870.13")
    # 「        公务用车运行费       150,000.00       128,744.00        139,620.00」 (单位：元)
    assert facts[("three_public_vehicle_ops", "actual")] == Decimal("12.8744")


def test_a_projects_score_is_not_the_departments(cold6):
    # 「…贴息资金拨付及时率100%，项目自评得分98分。」 is a project's; 「✅ 自评总分：95.2分」 the department's
    assert header(cold6["h05"])["self_score"] == "95.2"


def test_two_pages_a_sheet_are_read_left_page_first(cold6):
    # pdftotext -layout of a two-up print: 「“三公”经费预算8.00万元，…实际支出5.37万」 / 「元，为预算的67.13%…」
    # (5.37 ÷ 8.00 = 67.13%) runs down the left page while the right page's lines stand beside it; read in
    # order, the 2024 figure is whole, and 「2023年“三公”经费支出为6.12万元」 (last year's) no longer stands in
    # for it; the right page's 「开展补贴性职业技能培训3,210人次，完成目标的」 / 「107.00%」 is read whole too
    assert budget(cold6["h10"])[("three_public_total", "actual")] == Decimal("5.37")
    assert metric(cold6["h10"], "vocational_training")[0] == Decimal("3210")


def test_background_figures_disowned_in_the_next_sentence_of_their_paragraph(cold7):
    # 「> > 2024年全省城镇新增就业47.03万人，城镇失业人员再就业18.57万人，…；」 then 「…上述数据为全省汇总数，
    #   由各级人社部门共同完成，> > 不是本中心的绩效指标完成数，此处仅作为工作背景引用。」
    assert metric(cold7["i03"], "urban_new_jobs")[0] != Decimal("470300")


def test_other_wages_are_one_part_of_wages(cold_round8):
    # 「其他工资福利支出　　5.62　　公务接待费　　0.44」 is a part; 「工资福利支出２６２．１４万元」 the item
    assert budget(cold_round8["j05"])[("econ_wages", "actual")] == Decimal("262.14")


@pytest.fixture(scope="module")
def cold_round8():
    return by_prefix("cold8")


def test_a_figure_past_a_semicolon_is_not_the_wordings(cold_round8):
    # 「…招聘活动；指导7个…」: the 7 after the semicolon is no job fair; 「招聘活动146场」 is
    assert metric(cold_round8["j10"], "job_fairs_held")[0] == Decimal("146")


def test_a_difference_from_the_target_and_the_units_own_welfare_staff(cold_round8):
    # 「…线上线下招聘活动26场，比目标多6场」: 6 is a difference; the target is 「招聘活动20场」
    assert metric(cold_round8["j01"], "job_fairs_held") == (Decimal("26"), Decimal("20"))
    # 「另有公益性岗位人员9人」 in the centre's staffing is no count of public-welfare posts
    assert metric(cold_round8["j07"], "public_welfare_posts")[0] != Decimal("9")


def test_last_years_score_in_a_sentence_the_year_opens(cold_round9):
    # 「2023年度自评中，中心自评得分89.60分，等级为良。」 (the report is on 2024) and 「…自评总分92.15分，等级为优。」
    h = header(cold_round9["k05"])
    assert (h["self_score"], h["grade"]) == ("92.15", "excellent")


@pytest.fixture(scope="module")
def cold_round9():
    return by_prefix("cold9")


def test_cases_filed_are_not_cases_closed_unless_all_were(cold_round8, cold_round9):
    # 「全年立案查处拖欠农民工工资案件52件，办结47件」: 47 closed
    assert metric(cold_round9["k07"], "wage_arrears_cases_closed")[0] == Decimal("47")
    # 「劳动保障监察立案查处拖欠农民工工资案件118件，全部按期办结」: all 118 closed
    assert metric(cold_round8["j06"], "wage_arrears_cases_closed")[0] == Decimal("118")


@pytest.fixture(scope="module")
def cold_round10():
    return by_prefix("cold10")


def test_a_mediawiki_table_is_a_table(cold_round10):
    r = cold_round10["l03"]
    # 「| style="text-align:left" | 　其中：人员经费 || 251.60 || 264.50 || 262.14 || 99.11%」 under
    # 「! 项目 !! 年初预算 !! 全年预算 !! 决算数 !! 执行率」; the prose's 「人员经费12.90万元」 is part of a mid-year
    # increase and loses to the table's full-year budget
    assert budget(r)[("expenditure_personnel", "budget")] == Decimal("264.50")
    assert budget(r)[("expenditure_personnel", "actual")] == Decimal("262.14")
    # 「| 核定编制 || 18 || …」「| 实有在编人员 || 15 || …」 and 「'''预算单位代码：'''208014<br />」
    h = header(r)
    assert (h["staffing_quota"], h["actual_headcount"], h["budget_code"]) == ("18", "15", "208014")


def test_a_table_printed_as_python_lists(cold_round10):
    r = cold_round10["l04"]
    # 「 ['支出合计', '352.00', '392.30', '381.07', '97.14%'],」 under 「[['项目', '年初预算\n（万元）', '全年预算…」
    assert budget(r)[("expenditure_total", "budget")] == Decimal("392.30")
    # 「 [None, '公用经费', '28.20', '27.53', '97.62%'],」: a merged cell left the label one cell to the right
    assert budget(r)[("expenditure_public", "budget")] == Decimal("28.20")
    # 「 ['年末实有人数', '12', …]」; 「注：2023年末实有人数为13人。」 is last year's
    assert header(r)["actual_headcount"] == "12"


def test_the_wording_that_names_the_metric_wins_in_any_sentence(cold_round10):
    # 「…其中通过公益性岗位安置418人。年末全区公益性岗位在岗1,342人，…」: the posts filled (在岗), though its
    # sentence is not the first of the paragraph
    assert metric(cold_round10["m02"], "public_welfare_posts")[0] == Decimal("1342")


def test_a_forms_result_column_beats_a_wider_figure_in_prose(cold_round10):
    # form row 「受理劳动人事争议案件数 | ≥4000件 | 4862件<br>（全市9731件，不作为本院完成值） | …」 against the prose
    # 「全市各级仲裁机构共受理劳动人事争议案件9,731件，其中市仲裁院…受理4,862件」: the note in brackets is no value
    assert metric(cold_round10["m03"], "labor_dispute_cases") == (Decimal("4862"), Decimal("4000"))


def test_a_sentence_that_opens_with_next_year_is_a_plan(cold_round10):
    # 「2025年区仲裁院部门预算419.80万元（…），计划受理案件不少于1,200件、…办结欠薪争议案件不少于200件。」 (the report
    # is on 2024); the form's 「|办结拖欠农民工工资争议案件数 |≥150件 |214件 |…」 has the year's target
    assert metric(cold_round10["l01"], "wage_arrears_cases_closed") == (Decimal("214"), Decimal("150"))


def test_a_table_of_sub_units_staff_gives_no_unit_headcount(cold_round8):
    # 「单位 | 核定编制（名） | … | 实有人数（名） | …」 then 「局机关 | 16 | 16 | 0 | 15 | 9」: a sub-unit's row; the
    # prose 「部门共核定编制46名，年末实有在职人员43名」 gives the department's
    h = header(cold_round8["j01"])
    assert (h["staffing_quota"], h["actual_headcount"]) == ("46", "43")


def test_a_gazette_excerpt_reads_only_its_own_article(cold_round10):
    r = cold_round10["m04"]
    h = header(r)
    # above the title, the end of another unit's article: 「…自评得分９１．２分，等级为优。」
    # signed 「海东市农业农村局」 「２０２２年３月２８日」; the report's own:
    # 「我校２０２１年度自评得分８６．５分，…自评等级为“良”。」, signed 「２０２２年３月３０日」
    assert (h["self_score"], h["grade"], h["report_date"]) == ("86.5", "good", "2022-03-30")
    # below its sign-off, the next unit's article: 「２０２１年全市城镇新增就业９８６０人…发放创业担保贷款１．４２亿元」
    assert "urban_new_jobs" not in metric_values(r) and "guaranteed_loans_issued" not in metric_values(r)


@pytest.fixture(scope="module")
def cold_round11():
    return by_prefix("cold11")


def test_a_table_in_thousands_of_yuan(cold_round11):
    r = cold_round11["o04"]
    # 「#+CAPTION: 表1 2020年度收支预算执行表（单位：千元）」,
    # 「| 本年支出合计 | 84,200.0 | 90,500.0 | 87,021.6 | 96.16% |」: 87,021.6 千元 is 8,702.16 万元,
    # as the prose says (「2020年度支出合计8,702.16万元」)
    assert budget(r)[("expenditure_total", "actual")] == Decimal("8702.16")
    assert budget(r)[("expenditure_total", "budget")] == Decimal("9050.00")


def test_a_confluence_table_and_a_list_of_goals(cold_round11):
    r = cold_round11["o05"]
    # 「||项目||年初预算||调整后预算||决算数||执行率||」 over 「|支出合计|1,180.00|1,560.00|1,493.08|95.71%|」
    assert budget(r)[("expenditure_total", "actual")] == Decimal("1493.08")
    assert budget(r)[("expenditure_total", "budget")] == Decimal("1560.00")
    # 「2024年度中心绩效目标如下（由县财政局批复）：」 then 「# 开展农民工职业技能培训5,000人次，返乡创业培训600人；」
    # (goals), and the form row 「| | |农民工职业技能培训|5000人次|5318人次|10|10| |」 after a table of
    # three years' figures
    assert metric(r, "vocational_training") == (Decimal("5318"), Decimal("5000"))
    assert metric(r, "entrepreneurship_training") == (Decimal("620"), Decimal("600"))


def test_a_forum_posts_bbcode_and_a_grades_band_is_no_score(cold_round11):
    h = header(cold_round11["n03"])
    # 「[b]自评得分：[/b]94.20分」; 「总分90分（含）以上为“优”」 is the band of a grade, not a score
    assert (h["self_score"], h["grade"]) == ("94.20", "excellent")
    # 「发帖时间：2025-04-02 09:41」 is when the post went up; 「[b]报告日期：[/b]2025年3月26日」
    assert h["report_date"] == "2025-03-26"


def test_a_paragraph_titled_with_its_metric(cold_round11):
    r = cold_round11["n04"]
    # 「1. **职业技能培训。** 面向农村转移劳动力…等培训，全年4,286人次，完成年度目标的107.15%；…」
    assert metric(r, "vocational_training")[0] == Decimal("4286")
    # 「2. **职业技能等级认定。** 全年组织认定2,135人，年度目标2,000人，完成106.75%，…」
    assert metric(r, "skill_certifications") == (Decimal("2135"), Decimal("2000"))


def test_parts_after_qizhong_take_the_basis_of_the_figure_they_add_up_to(cold_round11):
    r = cold_round11["o02"]
    # 「“三公”经费支出2.36万元，年初预算3.00万元，其中公务用车运行维护费1.94万元，」「公务接待费0.42万元，…」:
    # 1.94 + 0.42 = 2.36, the spending, not the budget
    assert budget(r)[("three_public_vehicle_ops", "actual")] == Decimal("1.94")
    assert budget(r)[("three_public_reception", "actual")] == Decimal("0.42")
    assert ("three_public_vehicle_ops", "budget") not in budget(r)


def test_a_school_keeps_its_own_name(cold_round11):
    # 「单位名称 | 益阳高级技工学校」: no 市 written into a school's name
    assert "unit_name_full" not in header(cold_round11["o03"])


def test_a_word_web_pages_tables_a_cell_a_line(cold_round10):
    r = cold_round10["m05"]
    # 「 <tr>」, 「  <td><p class=MsoNormal>工资福利支出</p></td>」,
    # 「  <td><p class=MsoNormal>1,724,000.00</p></td>」, …: one row over several lines, in 元 (172.40 万元)
    assert budget(r)[("econ_wages", "actual")] == Decimal("172.40")


@pytest.fixture(scope="module")
def cold_round12():
    return by_prefix("cold12")


def test_a_title_with_the_year_before_the_unit(cold_round12):
    # 「2021 年茂名市高级技工学校整体支出绩效自评报告」: without the unit the report was left out of the marts
    assert header(cold_round12["q02"])["unit_name"] == "茂名市高级技工学校"


def test_city_totals_in_a_schools_report_and_counts_of_other_things(cold_round12):
    r = cold_round12["q02"]
    # 「茂名市全年城镇新增就业5.82万人、培训各类人员12.6万人次，均为全市人社系统汇总数，…」:
    # the city's, not the school's
    assert "urban_new_jobs" not in metric_values(r)
    # 「提供就业岗位3,280个，完成不少于5场、3,000个的目标」: 5场 is the fairs' target, 3,000个 the posts'
    assert metric(r, "jobs_offered") == (Decimal("3280"), Decimal("3000"))


def test_a_project_tables_source_column_and_a_portals_page_date(cold_round12):
    r = cold_round12["q01"]
    # 「项目名称	资金来源	调整后预算	实际支出	主要用途」, 「合计		99.20	93.62	」: projects, not income;
    # 「2024年度收入合计489.70万元，其中：一般公共预算财政拨款收入486.52万元」
    assert budget(r)[("income_total", "actual")] == Decimal("489.70")
    assert budget(r)[("income_general_public", "actual")] == Decimal("486.52")
    # 「成文日期:」 / 「2025-09-12」 in the page's details; signed 「2025年3月18日」
    assert header(r)["report_date"] == "2025-03-18"


def test_staff_counts_in_formal_numerals_and_a_covers_month(cold_round12):
    # 「核定事业编制肆拾伍名（45名），2024年末实有人员肆拾壹人（41人），…退休人员贰拾叁人（23人）」
    h = header(cold_round12["q04"])
    assert (h["staffing_quota"], h["actual_headcount"], h["retirees"]) == ("45", "41", "23")
    # the cover's 「2022年3月」 gives way to the sign-off's 「2022年3月10日」
    assert header(cold_round12["q05"])["report_date"] == "2022-03-10"


def test_the_forms_funding_rows_give_no_income_actual(cold_round12):
    r = cold_round12["p01"]
    # form rows 「上年结转资金」 「0.00」 「146.20」 「98.35」 under 「年度资金总额」: 98.35 was spent from
    # the carry-over; the carry-over itself is 「年初结转和结余」 「146.20万元」
    assert budget(r)[("income_carryover", "actual")] == Decimal("146.20")


def test_the_years_tasks_are_goals(cold_round12):
    # 「2024年中心重点做好五项工作：一是…；三是开展农民工职业技能培训1,200人次以上；…」
    assert metric(cold_round12["p03"], "vocational_training")[0] != Decimal("1200")


@pytest.fixture(scope="module")
def cold_round13():
    return by_prefix("cold13")


def test_a_difference_from_the_years_target_is_no_target(cold_round13):
    r = cold_round13["r01"]
    # 「全年受理劳动人事争议案件1286件，较年度目标多出186件，完成目标任务的116.91%」: 186 is a difference;
    # the target is the goal's 「全年受理劳动人事争议仲裁案件不少于1100件」 (1286 / 1100 = 116.91 %)
    assert metric(r, "labor_dispute_cases") == (Decimal("1286"), Decimal("1100"))


def test_a_goal_list_cut_at_a_semicolon_and_money_another_body_paid(cold_round13):
    r = cold_round13["r03"]
    # 「…中心2020年主要目标为：城镇新增就业2,200人，…；」 then, a paragraph of its own after the semicolon,
    # 「开展职业技能培训4,500人次、创业培训400人；…」: still goals; the result 「全年组织开展各类职业技能培训4,860人次，
    # 完成目标的108%」
    assert metric(r, "vocational_training") == (Decimal("4860"), Decimal("4500"))
    # 「…发放失业保险稳岗返还资金1,026.80万元，该项资金由县社会保险中心从失业保险基金中支付，…本中心只负责政策宣传
    # 和企业名单初审」: another body's
    assert "stable_employment_refund" not in metric_values(r)


@pytest.fixture(scope="module")
def cold_round14():
    return by_prefix("cold14")


def test_a_completion_rate_picks_the_figure_it_was_computed_from(cold_round14):
    # 「全年新认定就业困难人员301人，帮助其中286人实现就业（目标260人），完成率110.00%」: 286 / 260 = 110.00 %,
    # 301 / 260 = 115.77 %: 301 are the people newly identified, 286 those placed
    assert metric(cold_round14["t01"], "hard_to_employ_employed") == (Decimal("286"), Decimal("260"))


def test_a_share_of_the_budget_lends_its_budget_word_to_no_later_figure(cold_round14):
    r = cold_round14["u02"]
    # 「全年支出占全年预算的97.09%，超过95%的目标；“三公”经费支出26.84万元，未超预算」: 26.84 was spent;
    # the budget is the table's 「合计  32.00  26.84  29.17」 under 「2021年预算  2021年决算  2020年决算」
    assert budget(r)[("three_public_total", "budget")] == Decimal("32.00")
    assert budget(r)[("three_public_total", "actual")] == Decimal("26.84")


def test_a_table_of_items_by_sub_unit_in_yuan(cold_round14):
    r = cold_round14["t02"]
    # 「表2  2023年度分单位收入支出决算表（单位：元）」, 「项目	部门合计	中心本级	白山市人力资源市场服务站」,
    # 「本年支出合计	10,524,700.00	8,123,500.00	2,401,200.00」
    assert budget(r, "中心本级")[("expenditure_total", "actual")] == Decimal("812.35")
    assert budget(r, "白山市人力资源市场服务站")[("expenditure_total", "actual")] == Decimal("240.12")
    # 「一般公共预算财政拨款收入	10,183,600.00	7,992,000.00	2,191,600.00」
    assert budget(r, "中心本级")[("income_general_public", "actual")] == Decimal("799.20")


def test_a_scans_title_line_ends_the_goals_section(cold_round14):
    r = cold_round14["w02"]
    # 「（二）绩效目标完成情况。」 on its own line after the goals of 「（一）年度绩效目标。」: results follow;
    # 「年末全市公益性岗位在岗2314人」, not the centre's own 「另有12名公益性岗位人员在中心服务大厅从事辅助工怍」
    assert metric(r, "public_welfare_posts") == (Decimal("2314"), None)


@pytest.fixture(scope="module")
def cold_round15():
    return by_prefix("cold15")


def test_a_figure_for_part_of_the_year_is_no_result(cold_round14):
    # 「截至6月底，全市脱贫劳动力（含防返贫监测对象）务工就业规模为9.84万人，完成年度目标任务的103.50%；截至12月底
    #  务工就业规模达到9.93万人，为目标9.51万人的104.42%」: both rates fit, only the second is the year's
    assert metric(cold_round14["w02"], "poverty_labor_employed") == (Decimal("99300"), Decimal("95100"))


def test_a_result_with_its_rate_after_a_stated_target(cold_round15):
    # 「县政府下达的目标任务为2900人，全年全县城镇新增就业3126人，完成目标的107.79％」: 3126 is the result
    # (3126 / 2900 = 107.79 %), not a second goal; 「上饶市全年城镇新增就业6.12万人」 is the city's
    assert metric(cold_round15["y01"], "urban_new_jobs") == (Decimal("3126"), Decimal("2900"))


def test_goals_listed_after_a_line_that_ends_in_mubiao(cold_round15):
    # 「…中心确定了以下年度目标：」 then 「2．城镇失业人员再就业2,100人，就业困难人员实现就业1,000人；」: goals;
    # the result 「就业困难人员实现就业1,126人，完成率112.60%」
    assert metric(cold_round15["aa03"], "hard_to_employ_employed") == (Decimal("1126"), Decimal("1000"))


def test_sub_units_spending_by_title_and_assets_in_use(cold_round15):
    r = cold_round15["y02"]
    # 「表2 2023年度分单位支出情况表」 「单位：元」, a cell a line:
    # 「酒泉市人才交流中心」 「6,720,000.00」 「6,483,200.00」
    assert budget(r, "酒泉市人才交流中心") == {("expenditure_total", "budget"): Decimal("672.00"),
                                        ("expenditure_total", "actual"): Decimal("648.32")}
    # 「中心固定资产总额2,864.20万元，其中在用2,791.45万元」; 「固定资产原值186.54万元，全部为在用资产」
    assert budget(cold_round15["y03"])[("fixed_assets_in_use", "actual")] == Decimal("2791.45")
    assert budget(cold_round15["aa03"])[("fixed_assets_in_use", "actual")] == Decimal("186.54")


def test_a_page_break_inside_a_table_of_a_cell_a_line(cold_round15):
    # 「公务接待费」 「8,000」 「4,464」, a blank line, 「第 4 页 共 9 页」, the running title, then 「5,220」
    # (单位：元)
    r = cold_round15["aa01"]
    assert budget(r)[("three_public_reception", "actual")] == Decimal("0.4464")
    assert budget(r)[("three_public_reception", "budget")] == Decimal("0.8000")


def test_parts_after_qizhong_are_their_nearest_wholes_not_a_comparison(cold_round15):
    r = cold_round15["x03"]
    # 「“三公”经费预算1.50万元（…），实际支出1.26万元，其中公务接待费0.38万元、公务用车运行维护费0.88万元，
    #  比预算减少0.24万元」: 0.38 + 0.88 = 1.26 (spent); the difference 0.24 is no part
    assert budget(r)[("three_public_reception", "actual")] == Decimal("0.38")
    assert budget(r)[("three_public_vehicle_ops", "actual")] == Decimal("0.88")


def test_a_sum_over_a_list_closed_by_deng_is_no_items_figure(cold6):
    # 「公益性岗位人员工资补贴、就业困难人员社保补贴等由省、县就业补助资金安排，2024年全县共拨付3,826.40万元」:
    # the whole list's money, paid by others, not the 社保补贴's
    assert "social_insurance_subsidy" not in metric_values(cold6["h10"])


def test_a_grand_total_under_two_families_is_neither_total(cold_round15):
    # z02 line 69, the 支出 half of 表1 收入支出决算总表 (单位：元): 「总计 398,505,700.00」 is 本年支出合计
    # 389,172,600.00 plus 年末结转和结余 9,333,100.00, so it is no 支出 figure. The half's rows are one
    # 支出 item and one 结余 item: a tie, which was broken by the order of a set (so by the process's
    # hash seed) and read 总计 as 支出合计 in one process of two.
    rows = [(b["item_code"], b["basis"], b["amount_wan"]) for b in cold_round15["z02"].budget_facts
            if b["source_line"] == 69]
    assert ("expenditure_total", "actual", Decimal("39850.57")) not in rows
    assert budget(cold_round15["z02"])[("expenditure_total", "actual")] == Decimal("38917.26")
