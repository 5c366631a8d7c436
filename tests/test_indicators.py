"""Indicator rows as numbers (issue 19): operator, target, upper bound, result, unit, weight, score and
whether the target was met. Every expected value was read by hand from the row quoted beside it."""

from decimal import Decimal

import pytest
from facts import FIXTURES

from pipelines.parse import parse_document
from pipelines.parse.numbers import read_bound

D = Decimal


def rows_of(folder: str, name: str) -> dict[int, dict]:
    path = FIXTURES / folder / "raw" / name
    result = parse_document(name, path.read_text(encoding="utf-8"))
    return {r["source_line"]: r for r in result.performance_indicators}


@pytest.fixture(scope="module")
def c01():
    return rows_of("cold", "c01_tongchuan_form_pipe.txt")


@pytest.fixture(scope="module")
def c03():
    return rows_of("cold", "c03_yinan_project_prose.txt")


@pytest.fixture(scope="module")
def c04():
    return rows_of("cold", "c04_fuzhou_form_reversed.txt")


@pytest.fixture(scope="module")
def d10():
    return rows_of("cold2", "d10_putuo_appendix.txt")


def numbers(row: dict) -> tuple:
    return (row["target_operator"], row["target_value"], row["target_value_high"], row["actual_value"],
            row["value_unit"], row["weight"], row["score"], row["achieved"])


# (line, operator, target, high, actual, unit, weight, score, achieved), each with its row
C01 = [
    # 「产出指标 | 数量指标 | 城镇新增就业人数 | ≥4600人 | 5119人 | 10 | 10 | 超额完成，完成率111.3%」
    (17, "ge", D(4600), None, D(5119), "person", D(10), D(10), True),
    # 「… | 创业担保贷款发放额 | ≥1500万元 | 1740万元 | 5 | 5 | 无偏差」
    (22, "ge", D(1500), None, D(1740), "wan_yuan", D(5), D(5), True),
    # 「… | 认定高校毕业生就业见习基地 | ≥6个 | 8个 | 4 | 4 | 无偏差」
    (23, "ge", D(6), None, D(8), "count", D(4), D(4), True),
    # 「… | 社会保险补贴审核准确率 | 100% | 100% | 4 | 4 | 无偏差」: a bare figure
    (24, "eq", D(100), None, D(100), "percent", D(4), D(4), True),
    # 「… | “三公”经费控制率 | ≤100% | 72.44% | 4 | 4 | 无偏差」
    (26, "le", D(100), None, D("72.44"), "percent", D(4), D(4), True),
    # 「… | 城镇登记失业率 | ≤4.2% | 4.0% | 8 | 8 | 控制在目标以内」
    (28, "le", D("4.2"), None, D("4.0"), "percent", D(8), D(8), True),
    # 「… | 全区就业局势 | 总体稳定 | 总体稳定 | 4 | 4 | 无偏差」: qualitative, met as the words say
    (30, "text", None, None, None, None, D(4), D(4), True),
    # 「满意度指标 | … | 服务对象满意度 | ≥95% | 93.5% | 10 | 8.5 | 高峰期窗口排队时间偏长…」
    (31, "ge", D(95), None, D("93.5"), "percent", D(10), D("8.5"), False),
]
C03 = [
    # 「产出指标 | 数量指标 | 职业技能培训人次 | ≥3000人次 | 3285人次 | 6 | 6 |」: 人次 counts persons
    (24, "ge", D(3000), None, D(3285), "person", D(6), D(6), True),
    # 「… | 城乡公益性岗位在岗人数 | ≥2400人 | 2516人 | 6 | 6 |」: the metric's unit, post
    (26, "ge", D(2400), None, D(2516), "post", D(6), D(6), True),
    # 「产出指标 | 时效指标 | 补贴资金拨付及时率 | ≥95% | 93% | 5 | 4 | 第四季度部分培训补贴待审核…」
    (29, "ge", D(95), None, D(93), "percent", D(5), D(4), False),
    # 「产出指标 | 成本指标 | 职业技能培训补贴标准 | 按规定标准执行 | 按规定标准执行 | 5 | 5 |」
    (30, "text", None, None, None, None, D(5), D(5), True),
    # 「效益指标 | 经济效益指标 | 社会保险补贴发放金额 | ≥300万元 | 356.8万元 | 5 | 5 |」
    (32, "ge", D(300), None, D("356.8"), "wan_yuan", D(5), D(5), True),
    # 「效益指标 | 社会效益指标 | 城镇登记失业率 | ≤4% | 2.36% | 8 | 8 |」
    (33, "le", D(4), None, D("2.36"), "percent", D(8), D(8), True),
    # 「满意度指标 | 服务对象满意度指标 | 补贴对象满意度 | ≥90% | 88.5% | 10 | 9 | …」
    (35, "ge", D(90), None, D("88.5"), "percent", D(10), D(9), False),
]
C04 = [  # 实际完成值 before 年度指标值
    # 「| 产出指标 | 数量指标 | 城镇新增就业 | 13.15万人 | 12.2万人 | 10 | 10 | 完成年度任务的107.8% |」
    (27, "eq", D(122000), None, D(131500), "person", D(10), D(10), True),
    # 「| 产出指标 | 质量指标 | 离校未就业高校毕业生实名登记就业率 | 94.7% | 92.4%以上 | 6 | 6 | 无 |」
    (33, "ge", D("92.4"), None, D("94.7"), "percent", D(6), D(6), True),
    # 「| 产出指标 | 成本指标 | “三公”经费控制 | 24.85万元 | 不超过32.60万元 | 4 | 4 | 无 |」
    (35, "le", D("32.60"), None, D("24.85"), "wan_yuan", D(4), D(4), True),
    # 「| 效益指标 | 社会效益指标 | 城镇登记失业率 | 3.12% | 控制在3.5%以内 | 8 | 8 | 无 |」
    (36, "le", D("3.5"), None, D("3.12"), "percent", D(8), D(8), True),
    # 「| 效益指标 | 社会效益指标 | 拖欠农民工工资案件结案率 | 98.6% | 100% | 5 | 4 | 个别案件… |」
    (38, "eq", D(100), None, D("98.6"), "percent", D(5), D(4), False),
    # 「| 效益指标 | 可持续影响指标 | 失业保险基金可支付月数 | 31个月 | ≥24个月 | 4 | 4 | 无 |」: months, no unit
    (39, "ge", None, None, None, None, D(4), D(4), None),
]
D10 = [  # the appendix form, its unit named in the indicator's brackets, money in 元
    # 「帮扶引领长期失业青年就业创业（人）	≥900	946	8	8」
    (75, "ge", D(900), None, D(946), "person", D(8), D(8), True),
    # 「职业技能培训（人次）	≥18000	19,352	8	8」
    (76, "ge", D(18000), None, D(19352), "person", D(8), D(8), True),
    # 「发放创业担保贷款（万元）	≥5000	4,620	6	5.54」
    (80, "ge", D(5000), None, D(4620), "wan_yuan", D(6), D("5.54"), False),
    # 「城镇登记失业人数（人）	≤12000	10,486	6	6」
    (81, "le", D(12000), None, D(10486), "person", D(6), D(6), True),
    # 「补贴资金按时拨付率	=100%	100%	5	5」
    (83, "eq", D(100), None, D(100), "percent", D(5), D(5), True),
    # 「人均培训补贴标准（元）	≤2000	1,860	5	5」: 元 read as 万元
    (84, "le", D("0.2"), None, D("0.186"), "wan_yuan", D(5), D(5), True),
    # 「社区就业服务站覆盖率	≥95%	93.5%	6	5.91」
    (87, "ge", D(95), None, D("93.5"), "percent", D(6), D("5.91"), False),
]


@pytest.mark.parametrize(("fixture", "expected"), [("c01", r) for r in C01] + [("c03", r) for r in C03]
                         + [("c04", r) for r in C04] + [("d10", r) for r in D10],
                         ids=lambda v: v if isinstance(v, str) else str(v[0]))
def test_indicator_row_as_numbers(request, fixture, expected):
    rows = request.getfixturevalue(fixture)
    line, *want = expected
    assert line in rows, sorted(rows)
    assert numbers(rows[line]) == tuple(want)


def test_the_forms_budget_execution_and_total_rows(c01, d10):
    # 「年度资金总额 | 612.40 | 845.76 | 823.15 | 10 | 97.33% | 9.73」
    funds = next(r for r in c01.values() if r["row_kind"] == "funds")
    assert (funds["target_value"], funds["actual_value"], funds["weight"], funds["score"], funds["item_code"]) == (
        D("845.76"), D("823.15"), D(10), D("9.73"), "expenditure_total")
    # in 元: 「年度资金总额	…	24,863,000.00	24,120,652.18	…」
    funds = next(r for r in d10.values() if r["row_kind"] == "funds")
    assert (funds["target_value"], funds["actual_value"]) == (D("2486.3"), D("2412.065218"))
    # 「总分 | | | | | 100 | 98.23 |」 (c01) and 「总分 … 100 99.15」 (d10)
    assert [(r["weight"], r["score"]) for r in c01.values() if r["row_kind"] == "total"] == [(D(100), D("98.23"))]
    assert [(r["weight"], r["score"]) for r in d10.values() if r["row_kind"] == "total"] == [(D(100), D("99.15"))]


def test_indicator_carries_its_metric_code(c01):
    # 「… | 城镇新增就业人数 | ≥4600人 | 5119人 | …」 is the employment metric urban_new_jobs
    assert c01[17]["metric_code"] == "urban_new_jobs"
    assert c01[23]["metric_code"] is None  # 见习基地 are no vocabulary metric


@pytest.mark.parametrize(("text", "bound"), [
    ("90%-100%", ("range", D(90), "%", D(100))),
    ("85%～95%", ("range", D(85), "%", D(95))),
    ("≥4600人", ("ge", D(4600), "人", None)),
    ("不低于3.6万人", ("ge", D(36000), "人", None)),
    ("2万人以上", ("ge", D(20000), "人", None)),
    ("控制在4.5%以内", ("le", D("4.5"), "%", None)),
    ("不超过32.60万元", ("le", D("32.60"), "万元", None)),
    ("高于90%", ("gt", D(90), "%", None)),
    ("超过100人", ("gt", D(100), "人", None)),
    ("<5天", ("lt", D(5), "天", None)),
    ("低于3%", ("lt", D(3), "%", None)),
    ("=100%", ("eq", D(100), "%", None)),
    ("1.5亿元", ("eq", D("1.5"), "亿元", None)),
])
def test_a_bound_as_written(text, bound):
    found = read_bound(text)
    assert (found.operator, found.value, found.unit, found.high) == bound


@pytest.mark.parametrize("text", ["健全", "按时完成", "总体稳定", "动态清零", ""])
def test_a_qualitative_target_has_no_bound(text):
    assert read_bound(text) is None


def test_a_range_target_in_a_table_is_met_only_inside_it():
    text = ("某县就业服务中心2023年度部门整体支出绩效自评报告\n"
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
            "产出指标\t质量指标\t培训合格率\t90%-95%\t97%\t5\t4\n"
            "产出指标\t质量指标\t资料归档率\t90%-95%\t93%\t5\t5\n")
    rows = {r["indicator"]: r for r in parse_document("r.txt", text).performance_indicators}
    assert numbers(rows["培训合格率"]) == ("range", D(90), D(95), D(97), "percent", D(5), D(4), False)
    assert numbers(rows["资料归档率"]) == ("range", D(90), D(95), D(93), "percent", D(5), D(5), True)
