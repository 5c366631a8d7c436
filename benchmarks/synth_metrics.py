"""Employment metrics of synthetic reports: value ranges, and several wordings per metric
taken from (or modelled on) the real reports.

Placeholders of a wording: {A} the result with its unit word (2141人, 2.33万人, 828万元,
2854742.88元, 2.8亿元), {a} the result without it (2141, 2.33万), {T}/{t} the task,
{r} the completion rate, {area} 全县/全州/全市, {Y} the fiscal year (2022年), and
helpers: {k} a small count, {n} persons or firms behind a sum, {p} a larger population ({A}'s unit),
{g}/{m} graduates and those employed, {b} cases closed. A wording states the target
only if it has {T}/{t} and the completion rate only if it has {r}; '{a}余' marks an
at-least figure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from benchmarks.synth_facts import MetricFigures, completion
from benchmarks.synth_text import Style


@dataclass(frozen=True)
class MetricSpec:
    unit: str  # person / household / percent / wan_yuan / post / count / case
    word: str  # default unit word
    low: float  # county-level range of the result
    high: float
    group: str
    wordings: tuple[str, ...]
    cell: tuple[str, str] | None = None  # (target cell, actual cell) wording for the self-evaluation table


GROUPS = {
    "urban": ["城镇就业工作", "城镇就业", "稳就业工作", "就业创业工作"],
    "rural": ["农村劳动力转移就业", "农村就业工作", "劳务输出与就业帮扶"],
    "startup": ["创业带动就业", "创业服务工作", "创业扶持工作"],
    "training": ["技能提升工作", "职业能力建设", "培训服务工作"],
    "service": ["公共就业服务", "人力资源市场服务", "就业服务活动"],
    "insurance": ["失业保险工作", "失业保险经办", "援企稳岗工作"],
    "labour": ["劳动关系", "劳动保障监察与争议调处", "劳动关系和谐稳定"],
}

SPECS: dict[str, MetricSpec] = {
    "urban_new_jobs": MetricSpec("person", "人", 500, 6000, "urban", (
        "城镇新增就业任务数{T}，截止12月已完成{A}",
        "{area}城镇新增就业{A}，完成年度目标任务{T}的{r}%",
        "{area}城镇新增就业{A}，完成省定年度任务的{r}%",
        "全年新增城镇就业{A}，为年度任务数的{r}%",
        "截至12月底，{area}城镇新增就业{A}",
        "实现城镇新增就业{A}，超额完成{T}的年度目标任务",
        "城镇新增就业目标任务{T}，实际完成{A}，完成率{r}%",
        "{area}城镇新增就业人数达到{A}，同比增长{c}%，完成全年目标任务的{r}%",
    ), ("{area}新增城镇就业{T}", "{area}新增城镇就业{A}，完成任务数的{r}%")),
    "unemployed_reemployed": MetricSpec("person", "人", 200, 3000, "urban", (
        "失业人员再就业任务数{T}，截止12月已完成{A}",
        "促进失业人员再就业{A}，完成年度任务的{r}%",
        "{area}失业人员实现再就业{A}",
        "失业人员再就业{A}，完成目标任务{T}的{r}%",
        "帮助{a}名失业人员实现再就业",
    ), ("失业人员再就业{T}", "失业人员再就业{A}")),
    "hard_to_employ_employed": MetricSpec("person", "人", 50, 900, "urban", (
        "就业困难人员再就业任务数{T}，截止12月已完成{A}",
        "帮助就业困难人员实现就业{A}",
        "就业困难人员实现就业{A}，完成年度任务的{r}%",
        "通过公益性岗位托底安置等方式，帮助{a}名就业困难人员实现就业",
    ), ("就业困难人员再就业{T}", "就业困难人员再就业{A}")),
    "zero_employment_households_cleared": MetricSpec("household", "户", 3, 120, "urban", (
        "消除零就业家庭户数{A}",
        "帮扶{A}零就业家庭每户至少1人就业，保持动态清零",
        "全年共认定并消除零就业家庭{A}",
    )),
    "registered_unemployment_rate": MetricSpec("percent", "%", 2.0, 4.3, "urban", (
        "城镇登记失业率{a}%，控制在规定的{t}%之内",
        "年末城镇登记失业率为{a}%，低于{t}%的控制目标",
        "城镇登记失业率{a}%",
        "年末城镇登记失业率为{a}%，城镇调查失业率保持在合理区间",
    ), ("城镇登记失业率控制在{t}%以内", "城镇登记失业率{a}%")),
    "graduate_employment_rate": MetricSpec("percent", "%", 90, 99.9, "urban", (
        "{Y}离校未就业高校毕业生总人数{g}人；跟踪回访率100%，就业服务率100%，就业率达{a}%",
        "{area}离校未就业高校毕业生已实现就业{m}人，就业率{a}%",
        "离校未就业高校毕业生就业率达到{a}%，高于{t}%的目标",
        "离校未就业高校毕业生实名登记{g}人，已就业{m}人，就业率{a}%",
    )),
    "public_welfare_posts": MetricSpec("post", "个", 50, 1200, "urban", (
        "{Y}12月公益性岗位在岗人员{a}人",
        "开发在用公益性岗位在岗数量{a}个",
        "{area}公益性岗位在岗{a}人",
    )),
    "internship_participants": MetricSpec("person", "人", 20, 800, "urban", (
        "今年新发展见习基地{k}个，新吸纳见习人员{A}",
        "组织就业见习{A}",
        "组织{a}名青年参加就业见习",
    )),
    "rural_labor_transfer_new": MetricSpec("person", "人", 800, 20000, "rural", (
        "{area}共完成新增农村劳动力转移就业{A}，完成了全年任务{T}的{r}%",
        "农村劳动力转移就业新增{A}，完成年度目标任务{T}的{r}%",
        "新增农村劳动力转移就业{A}",
        "新增农村劳动力转移就业{A}，完成年度任务的{r}%",
    ), ("新增农村劳动力转移就业{T}", "新增农村劳动力转移就业{A}，完成任务数的{r}%")),
    "poverty_labor_employed": MetricSpec("person", "人", 3000, 60000, "rural", (
        "{area}共脱贫劳动力{p}，转移就业{A}",
        "脱贫劳动力转移就业{A}，超额完成省定任务",
        "{area}脱贫劳动力务工就业{A}",
    )),
    "vocational_training": MetricSpec("person", "人", 500, 12000, "training", (
        "全年职业技能培训指导性任务数{T}，完成{A}，为任务数的{r}%",
        "开展职业技能培训{a}人次",
        "完成各类职业培训{A}，完成年度目标任务{T}的{r}%",
        "开展补贴性职业技能培训{a}人次，完成年度目标任务的{r}%",
    ), ("完成职业技能培训{T}", "完成职业技能培训{A}，为全年目标任务的{r}%")),
    "entrepreneurship_training": MetricSpec("person", "人", 100, 1500, "startup", (
        "创业培训任务{T}，完成{A}，为任务数的{r}%",
        "{area}开展创业培训{A}，完成省定年度任务的{r}%",
        "举办创业培训{k}期，创业培训{A}",
    ), ("开展创业培训{T}", "开展创业培训{A}")),
    "skill_certifications": MetricSpec("person", "人", 100, 5000, "training", (
        "完成{A}的职业技能认定",
        "职业技能等级认定{A}",
        "开展职业技能鉴定{A}，完成年任务的{r}%",
    )),
    "guaranteed_loans_issued": MetricSpec("wan_yuan", "万元", 200, 8000, "startup", (
        "发放创业担保贷款{A}",
        "创业担保贷款全年任务数为{T}，现已完成{A}",
        "{area}新增发放创业担保贷款{A}，扶持{k}人自主创业",
        "发放创业担保贷款{k}笔，金额{A}",
    ), ("发放创业担保贷款{T}", "发放创业担保贷款{A}")),
    "job_fairs_held": MetricSpec("count", "场", 10, 200, "service", (
        "精心开展了“春风行动”、“民营企业招聘月”等{a}余场专场招聘会",
        "举办各类线上线下招聘活动{a}场",
        "组织“春风行动”“就业援助月”等专场招聘会{a}场",
    )),
    "jobs_offered": MetricSpec("count", "个", 2000, 60000, "service", (
        "{k}0余家单位参加招聘，提供就业岗位{a}余个",
        "提供岗位数{A}",
    )),
    "ui_insured": MetricSpec("person", "人", 5000, 90000, "insurance", (
        "失业保险参保人数共计{A}",
        "失业保险参保职工{A}，完成年度扩面任务{T}的{r}%",
    ), ("失业保险参保人数达到{T}", "失业保险参保人数{A}")),
    "ui_premiums_collected": MetricSpec("wan_yuan", "万元", 150, 9000, "insurance", (
        "失业保险费征缴共计{A}",
        "失业保险费收入{A}，完成年度征缴任务{T}的{r}%",
    )),
    "stable_employment_refund": MetricSpec("wan_yuan", "万元", 30, 3000, "insurance", (
        "{Y}为{area}{n}家企业发放稳岗补贴资金{A}",
        "发放稳岗返还资金{A}，惠及企业{n}家",
        "落实失业保险稳岗返还政策，为{n}家企业返还{A}",
    )),
    "social_insurance_subsidy": MetricSpec("wan_yuan", "万元", 20, 800, "urban", (
        "共办理{n}人的社会保险补贴，发放金额{A}",
        "为灵活就业的就业困难人员发放社会保险补贴{A}",
    )),
    "labor_dispute_cases": MetricSpec("case", "件", 30, 900, "labour", (
        "{area}共受理劳动争议案件{a}件，已办结{b}件",
        "受理劳动人事争议案件{a}件，仲裁结案率98%",
        "{area}各级劳动人事争议仲裁院共受理案件{a}件",
    )),
    "wage_arrears_cases_closed": MetricSpec("case", "件", 10, 500, "labour", (
        "{area}共办结拖欠农民工工资案件{a}件，办结率100%",
        "办结欠薪案件{a}件，为农民工追回工资{k}0万元",
    )),
}

EMPLOYMENT_CORE = ["urban_new_jobs", "unemployed_reemployed", "hard_to_employ_employed"]
BUREAU_ONLY = ["labor_dispute_cases", "wage_arrears_cases_closed"]
NO_SCALE = {"registered_unemployment_rate", "graduate_employment_rate"}


def _nice(value: float) -> Decimal:
    """A task figure as set by a plan: 2130 -> 2100 (two or three significant digits)."""
    step = 1 if value < 100 else 10 if value < 3000 else 100 if value < 100_000 else 1000
    return Decimal(max(step, round(value / step) * step))


def _round_to(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _draw_one(rng: random.Random, code: str, factor: float) -> MetricFigures:
    spec = SPECS[code]
    extra: dict[str, str] = {}
    if code == "registered_unemployment_rate":
        target = Decimal(rng.choice(["4.5", "5", "5.5", "4"]))
        actual = Decimal(str(round(rng.uniform(2.0, float(target) - 0.2), 2)))
    elif code == "graduate_employment_rate":
        target = Decimal(rng.choice(["90", "92", "95", "96"]))
        graduates = rng.randint(200, 3000 if factor == 1 else 20000)
        employed = int(graduates * rng.uniform(float(target) / 100 + 0.005, 0.998))
        actual = (Decimal(employed) / graduates * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        extra.update(g=str(graduates), m=str(employed))
    else:
        target = _nice(rng.uniform(spec.low, spec.high) * factor)
        actual = Decimal(int(float(target) * rng.uniform(1.0, 1.4)))
        if spec.unit == "wan_yuan" and rng.random() < 0.5:
            actual = Decimal(str(round(float(target) * rng.uniform(1.0, 1.4), 2)))
    display = "plain"
    if spec.unit in {"person", "count"} and actual >= 10000 and rng.random() < 0.65:
        display = "wan"
        actual, target = _round_to(actual, 100), _round_to(target, 100)
    elif spec.unit == "count" and rng.random() < 0.5:  # a round figure, as in '40余场'
        actual = max(Decimal(10), _round_to(actual, 100 if actual >= 1000 else 10))
    if spec.unit == "wan_yuan":
        if actual >= 10000 and rng.random() < 0.6:
            display = "yi"
            actual, target = _round_to(actual, 100), _round_to(target, 100)
        elif (code == "social_insurance_subsidy" and rng.random() < 0.6) or rng.random() < 0.08:
            display = "yuan"
            actual = (actual.quantize(Decimal(1)) + Decimal(rng.randint(0, 999_999)) / 1_000_000)
    if code == "poverty_labor_employed":
        extra["p"] = str(_round_to(actual * Decimal(str(rng.uniform(1.05, 1.3))), 100 if display == "wan" else 1))
    if code == "social_insurance_subsidy":  # persons helped, at 2000–6000 元 each
        extra["n"] = str(max(1, int(actual * 10000 / Decimal(rng.randint(2000, 6000)))))
    if code == "stable_employment_refund":  # firms refunded, at 0.5–8 万元 each
        extra["n"] = str(max(1, int(actual / Decimal(str(rng.uniform(0.5, 8))))))
    if code == "labor_dispute_cases":
        extra["b"] = str(int(actual) - rng.randint(0, max(1, int(actual) // 20)))
    return MetricFigures(code, actual, target, rng.choice([0, 1, 1, 2]), display, extra)


def draw_metrics(rng: random.Random, prefecture: bool, bureau: bool) -> list[MetricFigures]:
    pool = [c for c in SPECS if c not in EMPLOYMENT_CORE and (bureau or c not in BUREAU_ONLY)]
    codes = [c for c in EMPLOYMENT_CORE if rng.random() < 0.85]
    codes += rng.sample(pool, rng.randint(3, min(11, len(pool))))
    factor = rng.uniform(4, 12) if prefecture else 1.0
    return [_draw_one(rng, code, factor) for code in codes]


@dataclass
class Wording:
    """A metric sentence as written, and what it states."""

    text: str
    actual: Decimal | None
    target: Decimal | None
    rate: Decimal | None
    qualifier: str


def usable(fig: MetricFigures, template: str) -> bool:
    """Whether `template` can state `fig` as it stands ('{a}余' needs a round figure)."""
    if "{a}余" in template:
        step = 100 if fig.actual >= 1000 else 10
        return fig.display == "plain" and fig.actual % step == 0
    return True


def _number(fig: MetricFigures, value: Decimal, style: Style | None = None) -> str:
    if fig.display == "wan":
        return f"{(value / 10000).normalize():f}万"
    if style is not None and style.thousands_prose and value >= 1000 and SPECS[fig.code].unit != "percent":
        return f"{value.normalize():,f}"  # '12,345人' as some reports write it
    return f"{value.normalize():f}"


def _with_unit(fig: MetricFigures, value: Decimal, style: Style) -> str:
    spec = SPECS[fig.code]
    if spec.unit == "percent":
        return _number(fig, value) + "%"
    if spec.unit != "wan_yuan":
        if fig.display == "wan":  # '2.33万人', spaced as ' 2.33 万人'
            return style.unit(f"{(value / 10000).normalize():f}", "万" + spec.word)
        return style.unit(_number(fig, value, style), spec.word)
    if fig.display == "yi":
        return style.unit(f"{(value / 10000).normalize():f}", "亿元")
    if fig.display == "yuan":
        return style.unit(f"{value * 10000:.2f}", "元")
    return style.unit(f"{value.normalize():f}" if value == value.to_integral_value() else
                      style.num(value), "万元")


def write_metric(fig: MetricFigures, template: str, style: Style, area: str, year: str, k: int) -> Wording:
    """`template` filled with `fig`; the wording says which figures it states."""
    values: dict[str, str] = {"area": area, "Y": year, "k": str(k), "c": f"{k / 10 + 1.5:.1f}", **fig.extra}
    rate = None
    if fig.target is not None:
        rate = completion(fig.actual, fig.target, fig.rate_places)
        values.update(T=_with_unit(fig, fig.target, style), t=_number(fig, fig.target, style), r=f"{rate:f}")
    values.update(A=_with_unit(fig, fig.actual, style), a=_number(fig, fig.actual, style))
    if "p" in fig.extra:
        values["p"] = _with_unit(fig, Decimal(fig.extra["p"]), style)
    text = template.format_map(values)
    states_actual = "{A}" in template or "{a}" in template
    states_target = "{T}" in template or "{t}" in template
    return Wording(text, fig.actual if states_actual else None, fig.target if states_target else None,
                   rate if "{r}" in template else None, "at_least" if "{a}余" in template else "exact")


TABLE_NAMES = {  # a metric as named in a table of the year's main indicators (指标名称)
    "urban_new_jobs": "城镇新增就业", "unemployed_reemployed": "失业人员再就业",
    "hard_to_employ_employed": "就业困难人员就业",
    "rural_labor_transfer_new": "新增农村劳动力转移就业", "vocational_training": "职业技能培训",
    "entrepreneurship_training": "创业培训", "guaranteed_loans_issued": "创业担保贷款发放",
    "ui_insured": "失业保险参保人数", "ui_premiums_collected": "失业保险费征缴",
    "skill_certifications": "职业技能等级认定", "internship_participants": "就业见习人数",
}


def table_values(fig: MetricFigures) -> tuple[str, str, str, str] | None:
    """(unit word, target, actual, completion %) of a metric in a table of main indicators, or None."""
    spec = SPECS[fig.code]
    if fig.code not in TABLE_NAMES or fig.target is None or fig.display == "yuan":
        return None
    rate = f"{completion(fig.actual, fig.target, fig.rate_places):f}%"
    if fig.display == "wan":
        return "万" + spec.word, _number_plain(fig.target / 10000), _number_plain(fig.actual / 10000), rate
    if fig.display == "yi":
        return "万元", _number_plain(fig.target), _number_plain(fig.actual), rate
    return spec.word, _number_plain(fig.target), _number_plain(fig.actual), rate


def _number_plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def cell_wordings(fig: MetricFigures, style: Style, area: str) -> tuple[Wording, Wording] | None:
    """(target cell, actual cell) of the self-evaluation table, for a metric with a task."""
    spec = SPECS[fig.code]
    if spec.cell is None or fig.target is None:
        return None
    target_text, actual_text = spec.cell
    return (write_metric(fig, target_text, style, area, "", 0), write_metric(fig, actual_text, style, area, "", 0))
