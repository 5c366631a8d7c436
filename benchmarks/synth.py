"""Synthetic 部门（单位）整体支出绩效自评报告, each with its ground truth.

    python -m benchmarks.synth --n 500 --seed 1 --out /tmp/synth

writes OUT/raw/synth_<seed>_<i>.txt and OUT/gold/synth_<seed>_<i>.json (the format of
/work/shared/gold/*.json). Report i depends only on (seed, i). A report is written for
a real county or prefecture (jionlp's division table), fiscal year 2018–2024, in one
of the layouts the parser reads:

- "tables" form, like raw/000 and raw/003: a cover, the basic-facts table, the income /
  expenditure / “三公” / fixed-asset tables (one row per sub-unit plus 汇总, or the
  unit's own row), sometimes a 三公 item-by-year or budget-execution table and the
  self-evaluation indicator table, then the narrative report. Tables are written one
  cell a line (000), tab-separated with 2–3 header rows (003) or as `|` tables;
- "prose" form, like raw/001 and raw/004: everything in sentences, sometimes with an
  item-by-year “三公” table.

Prose states the same figures with wordings varied per fact (万元 / 元 / 亿元, 万人,
余, spaces around figures as in text taken from PDF). Only what a careful reader can
extract without doubt is stated; everything stated that has a vocabulary code is in
the truth, once.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks import synth_bulk
from benchmarks.synth_facts import ZERO, ConflictError, OrgFigures, Sheet, Truth, cents, make_sheet
from benchmarks.synth_metrics import (
    GROUPS,
    SPECS,
    TABLE_NAMES,
    MetricFigures,
    Wording,
    cell_wordings,
    draw_metrics,
    table_values,
    usable,
    write_metric,
)
from benchmarks.synth_text import Style, Table, chinese_small, chinese_year, render
from benchmarks.synth_units import Unit, pick_unit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅兰志文斌海燕玲丹萍鹏辉卓晓"
NUMBERS_CN = "一二三四五六七八九十"
GRADE_WORDS = {"excellent": ["优", "优秀"], "good": ["良", "良好"], "fair": ["中", "一般"], "poor": ["差", "较差"]}

INCOME_COLUMNS = [
    ("income_total", ["收入合计", "本年收入合计"]),
    ("income_carryover", ["上年结转", "年初结转和结余"]),
    ("income_general_public", ["公共财政拨款", "一般公共预算财政拨款"]),
    ("income_gov_fund", ["政府基金拨款", "政府性基金收入"]),
    ("income_special_account", ["纳入专户管理的非税收入拨款", "财政专户核拨"]),
    ("income_other", ["其他收入", "其他收入"]),
]
EXPENDITURE_COLUMNS = [
    ("expenditure_total", ["支出合计", "本年支出合计"]),
    ("expenditure_basic", ["基本支出", "基本支出"]),
    ("expenditure_personnel", ["人员支出", "人员经费"]),
    ("expenditure_public", ["公用支出", "日常公用经费"]),
    ("expenditure_project", ["项目支出", "项目支出"]),
    ("balance_current", ["当年结余", "本年结余"]),
    ("balance_accumulated", ["累计结余", "年末结转和结余"]),
]
THREE_PUBLIC_COLUMNS = [
    ("three_public_total", ["三公经费合计", "“三公”经费合计"]),
    ("three_public_reception", ["公务接待费", "公务接待费"]),
    ("three_public_vehicle_ops", ["公务用车运行维护费", "公务用车运行维护费"]),
    ("three_public_vehicle_purchase", ["公务用车购置费", "公务用车购置费"]),
    ("three_public_overseas", ["因公出国(境)费用", "因公出国（境）费"]),
]
FIXED_ASSET_COLUMNS = [
    ("fixed_assets_total", ["固定资产合计", "固定资产合计"]),
    ("fixed_assets_in_use", ["在用固定资产", "在用固定资产"]),
    ("fixed_assets_leased", ["出租固定资产", "出租固定资产"]),
    ("fixed_assets_other", ["其他", "其他"]),  # no vocabulary code: never in the truth
]

FILLER = [
    "为加强部门整体支出管理，提高资金使用效益和财务精细化管理水平，{self}高度重视预算支出绩效评估工作，成立了预算支出绩效评估领导小组，强化预算管理意识。",
    "建立健全了整体支出管理方面的内控制度，完善了财务管理基本框架，规范了单位的财务行为。",
    "专项经费严格按指定用途专款专用，实行专项报告制度，并接受财政部门和上级部门的检查、验收。",
    "{self}在上级主管部门的正确领导下，以就业工作为中心，以规范管理为主线，以优化服务为重点，以群众满意为宗旨，较好地完成了各项任务指标。",
    "用广播电视、新闻媒体、网络、宣传栏、宣传册等方式对就业政策进行宣传，群众知晓度达100%。",
    "深入开展“人社服务快办行动”，推行一窗通办、一网通办，经办服务效率明显提升。",
    "严格执行中央八项规定精神，厉行节约，压减一般性支出，“三公”经费控制在预算以内。",
]
PROBLEMS = [
    "预算编制的前瞻性不够，预算调整金额较大，预算编制准确性有待提高。",
    "效益绩效目标设置不够明晰，指标可考核性不强，考核标准不够明确。",
    "预算绩效管理信息化建设程度不够，未能真正实现业财融合和各业务模块信息的互联互通。",
    "专项工作经费支付进度稍有迟缓，年底略有结余。",
    "基层公共就业服务平台工作人员力量薄弱，服务能力有待进一步提升。",
]
SUGGESTIONS = [
    "细化预算指标，提高预算科学性，在编制预算时结合上年决算及年度工作任务据实编制，提高预算控制水平。",
    "加强效益绩效目标管理，进一步完善绩效目标设置，提高绩效目标设定的科学性和约束力。",
    "继续争取政府及财政部门的支持，加大对经办机构的经费投入，确保就业工作正常开展。",
    "加强预算绩效管理信息化建设，真正实现业务融合和各业务模块信息的互联互通。",
]
REGION_FIELDS = {"admin_level", "province", "prefecture", "county", "division_code"}
BARE_NAMES = {  # the 三级指标 cell naming a metric whose target and actual cells hold bare figures
    "urban_new_jobs": "城镇新增就业人数", "unemployed_reemployed": "失业人员再就业人数",
    "hard_to_employ_employed": "就业困难人员再就业人数", "registered_unemployment_rate": "城镇登记失业率",
    "rural_labor_transfer_new": "新增农村劳动力转移就业人数", "vocational_training": "职业技能培训人数",
    "entrepreneurship_training": "创业培训人数", "guaranteed_loans_issued": "创业担保贷款发放金额",
    "ui_insured": "失业保险参保人数",
}
DISTRACTORS = [
    "群众满意度达100%。",
    "发放就业创业政策宣传资料{k}00余份，政策知晓率达9{d}%。",
    "开展“就业服务进社区”等主题活动{k}次。",
    "通过“311”就业服务，推荐岗位次数为{k}{d}2人，职业指导次数为{k}{d}人次。",
    "就业创业证办理{k}{d}本。",
]


class ReportWriter:
    """Writes one report and its truth. `rng` is the report's own random source."""

    def __init__(self, rng: random.Random, document: str) -> None:
        self.rng = rng
        self.unit: Unit = pick_unit(rng)
        self.year = rng.randint(2018, 2024)
        self.style = Style.draw(rng)
        self.truth = Truth(document)
        prefecture = self.unit.admin_level == "prefecture"
        if self.unit.sub_units:
            scale = rng.uniform(3000, 15000) if prefecture else rng.uniform(800, 4000)
        else:
            scale = rng.uniform(500, 4000) if prefecture else rng.uniform(120, 2500)
        self.sheet: Sheet = make_sheet(rng, scale, self.unit.sub_units, rounding=rng.random() < 0.35)
        self.metrics = draw_metrics(rng, prefecture, self.unit.kind == "人力资源和社会保障局")
        self.form = "prose" if rng.random() < 0.3 else "tables"
        self.layout = rng.choices(["cells", "tsv", "pipe"], [0.4, 0.4, 0.2])[0]
        self.yuan_prose = rng.random() < 0.08
        self.yuan_tables = self.form == "tables" and rng.random() < 0.05
        self.me = "我局" if self.unit.kind.endswith("局") else "我中心"
        self.area = "全" + self.unit.area_word
        self.out: list[str] = []
        self.header: dict[str, Any] = {}
        self.retirees_stated = False
        self.metrics_done = False
        self.tags: dict[str, str] = {}  # header field -> the construct that states it

    # ---- small helpers -------------------------------------------------------------------------
    def y(self, year: int | None = None) -> str:
        return self.style.year(self.year if year is None else year)

    def money(self, value: Decimal) -> str:
        if self.yuan_prose:
            return self.style.unit(f"{value * 10000:.2f}", "元")
        return self.style.wan(value, strip=self.rng.random() < 0.15 and value == value.to_integral_value())

    def emit(self, *lines: str) -> None:
        self.out.extend(lines)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))

    def phone(self) -> str:
        return f"0{self.rng.randint(310, 999)}-{self.rng.randint(2000000, 8999999)}"

    def heading(self, level: int, k: int, text: str) -> str:
        if level == 1:
            return f"{NUMBERS_CN[k]}、{text}"
        if level == 2:
            return f"（{NUMBERS_CN[k]}）{text}"
        return f"{k + 1}{self.rng.choice(['、', '．', '.'])}{text}"

    def table_cell(self, value: Decimal) -> str:
        """A money cell: 万元, or 元 in a report whose tables are in 元."""
        if self.yuan_tables:
            return self.style.num(value * 10000, thousands=self.style.thousands)
        return self.style.cell(value)

    def table_title(self, title: str) -> str:
        if not self.yuan_tables:
            return title
        return title.replace("（万元）", "（单位：元）").replace("单位：万元", "单位：元")

    def prose_fact(self, item: str, basis: str, value: Decimal, evidence: str) -> None:
        self.truth.fact(None, item, basis, value, evidence)

    # ---- header --------------------------------------------------------------------------------
    def _date(self) -> tuple[str, str | None, str]:
        """(text after the label, truth value, how it is written)."""
        rng = self.rng
        y, m, d = self.year + 1, rng.randint(1, 8), rng.randint(1, 28)
        mode = rng.choices(["full", "spaced", "month", "chinese"], [0.45, 0.3, 0.15, 0.1])[0]
        if mode == "full":
            return f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", mode
        if mode == "spaced":
            return f"{y} 年 {m} 月 {d} 日", f"{y}-{m:02d}-{d:02d}", mode
        if mode == "month":
            return f"{y} 年 {m} 月", f"{y}-{m:02d}", mode
        return f"{chinese_year(y)}年{chinese_small(m)}月{chinese_small(d)}日", f"{y}-{m:02d}-{d:02d}", mode

    def cover(self) -> None:
        rng, name = self.rng, self.unit.name
        code = str(rng.randint(100, 999999)) if rng.random() < 0.6 else None
        date_text, date, date_mode = self._date()
        variant = rng.choice(["000", "003", "004", "001"] if self.form == "prose" else ["000", "003", "003", "004"])
        region_word = name[: -len(self.unit.kind)]
        if variant == "000":
            title = region_word if rng.random() < 0.5 else name
            code_line = [f"预算编码    {code}" + " " * 20, ""] if code else []
            self.emit(f"{title}{self.y()}度部门（单位）整体支出", "", "绩效评价自评报告", "",
                      f"部门(单位)名称    {name}" + " " * 19, "", *code_line,
                      "评价方式：部门（单位）绩效自评", "评价机构：部门（单位）评价组   ",
                      f"报告日期：   {date_text}", "")
        elif variant == "003":
            code_line = [f"预算编码：{code}", ""] if code else []
            self.emit("", "", f"{name} {self.y()}度部门整体支出绩效自评报告", "", "部门（单位）名称（盖章）：", "",
                      *code_line, "评价方式：部门（单位）绩效自评", "", "评价机构：部门（单位）评价组", "",
                      f"报告时间：{date_text}", "")
        elif variant == "004":
            level = "县级" if self.unit.admin_level == "county" else "市级"
            code_line = [f"预算代码：{code}", ""] if code else []
            self.emit("", "", "整体绩效自评报告", "", f"评价年度：{self.y()}", "", f"评价单位：{name}", "",
                      f"{level}预算部门单位（公章）：", "", *code_line, f"填报日期：{date_text}", "")
        else:
            code, date = None, None
            self.emit(f"{self.year}年度整体支出", "绩效自评报告", "单位名称（盖章）：", name, "")
        self.header["budget_code"] = code
        self.header["report_date"] = date
        cover = f"cover like raw/{variant}"
        self.tags.update(unit_name=cover, fiscal_year=cover, budget_code=cover,
                         report_date=f"{cover}, date {date_mode}")

    # ---- staff ---------------------------------------------------------------------------------
    def draw_staff(self) -> tuple[int, int, int | None]:
        big = self.unit.admin_level == "prefecture" or bool(self.unit.sub_units)
        quota = self.rng.randint(40, 220) if big else self.rng.randint(6, 45)
        actual = max(1, quota - self.rng.randint(-3, max(1, quota // 6)))
        retirees = self.rng.randint(2, quota) if self.rng.random() < 0.7 else None
        return quota, actual, retirees

    def staff_prose(self, quota: int, actual: int, retirees: int | None) -> str:
        rng, me = self.rng, self.me
        retired = f"，退休人员{retirees}人" if retirees is not None else ""
        text = rng.choice([
            f"{me}在职人员编制数为{quota}人，实有人数为{actual}人{retired}。",
            f"{self.unit.name}核定编制{quota}人，截至{self.y()}底，实有在职人员{actual}人{retired}。",
            f"{me}现有编制{quota}人，实有在编在职人员{actual}人{retired}，聘用人员{rng.randint(1, 12)}人。",
            f"单位编制数{quota}人，年末实有人数{actual}人{retired}。",
            f"{me}核定编制{quota}名，实有在职人员{actual}名" + (f"，退休人员{retirees}名。" if retirees else "。"),
        ])
        for name in ("staffing_quota", "actual_headcount", "retirees"):
            self.tags.setdefault(name, "staff prose: " + text[:14].replace(str(quota), "{Q}"))
        return text

    # ---- tables --------------------------------------------------------------------------------
    def org_table(self, title: str, columns: list[tuple[str, list[str]]], org_header: str) -> None:
        """One row per organisation: the 汇总 row and the sub-units, or the unit alone."""
        rng = self.rng
        words = [w[rng.random() < 0.3] for _, w in columns]
        unit_heads = rng.random() < 0.1
        if unit_heads:  # the unit in every column head instead of the title
            title = title.replace("（万元）", "")
            words = [w + ("（元）" if self.yuan_tables else "（万元）") for w in words]
        header: list[list[str]]
        if rng.random() < 0.6 and len(columns) > 3:
            # merged header cells: '其中：' over the parts (and for 支出: 基本支出 over 人员/公用)
            if columns is EXPENDITURE_COLUMNS:
                header = [[org_header, words[0], "其中：", "", "", "", "结余", ""],
                          ["", "", words[1], "其中：", "", words[4], words[5], words[6]],
                          ["", "", "", words[2], words[3], "", "", ""]]
                if self.layout == "cells":  # Word drops the empty merged cells
                    header = [[org_header, words[0], "其中：", "结余"],
                              ["", "", words[1], "其中：", words[4], words[5], words[6]],
                              ["", "", "", words[2], words[3], "", "", ""]]
            else:
                first = words[0] if self.layout != "cells" or rng.random() < 0.5 else \
                    words[0].replace("合计", "\n\n合计")
                header = [[org_header, first, "其中："] + ([""] * (len(words) - 2) if self.layout != "cells" else []),
                          ["", "", *words[1:]]]
        else:
            header = [[org_header, *words]]
        zero_mark = rng.choice(["", None] if self.layout == "cells" else [None, None, "", "-", "—"])
        orgs = self.sheet.orgs
        template = not self.unit.sub_units and self.layout == "cells" and rng.random() < 0.3
        rows: list[list[str]] = []
        sources: list[OrgFigures | None] = []  # the figures of each row (None: an empty template row)
        if template:  # raw/000: a template whose only filled row is the unit's own
            rows += [["局机关及二级机构汇总"], ["1、局机关"]]
            sources += [None, None]
        summary_label = rng.choice(["局机关及二级机构汇总", "汇总", "合计"]) if self.unit.sub_units else \
            rng.choice([self.unit.name, "本部门", "合计"])
        for k, org in enumerate(orgs):
            if template:
                label = "2、二级机构1"
            elif org.name is None:
                label = summary_label
            else:
                name = org.name
                if columns is FIXED_ASSET_COLUMNS and self.layout == "tsv" and len(name) > 5 and rng.random() < 0.5:
                    cut = rng.randint(3, len(name) - 2)
                    name = name[:cut] + " " + name[cut:]  # broken by the PDF's narrow column, as in raw/003
                label = f"{k}、{name}" if rng.random() < 0.85 else name
            values = []
            for item, _ in columns:
                shown = org.shown(item)
                values.append(zero_mark if shown == 0 and zero_mark is not None else self.table_cell(shown))
            rows.append([label, *values])
            sources.append(org)
        if template:
            rows.append(["3、二级机构2"])
            sources.append(None)
        table = Table(self.table_title(title), header, rows)
        self.emit(render(table, self.layout))
        self.truth.construct = f"org table/{self.layout}" + (" in 元" if self.yuan_tables else "") + (
            f" zeros as '{zero_mark}'" if zero_mark else "") + (" template rows" if template else "") + (
            f" {len(header)}-row header" if len(header) > 1 else "") + (" unit in column heads" if unit_heads else "")
        for row, source, evidence in zip(rows, sources, table.evidence_rows, strict=True):
            if source is None:
                continue
            for (item, _), text in zip(columns, row[1:], strict=True):
                if any(ch.isdigit() for ch in text) and item != "fixed_assets_other":
                    self.truth.fact(source.name, item, "actual", source.shown(item),
                                    text if self.layout == "cells" else evidence)
        if template:
            self.truth.ambiguities.append(
                f"{title or org_header}: template rows (汇总, 局机关, 二级机构2) are empty; the figures sit in the "
                "placeholder row 「2、二级机构1」 and are the unit's own, recorded with org null.")

    def three_public_item_table(self) -> None:
        """“三公” by item, with this year's budget and actual and last year's actual (not recorded)."""
        rng, sheet = self.rng, self.sheet
        items = [("因公出国（境）费", "three_public_overseas"), ("公务用车购置费", "three_public_vehicle_purchase"),
                 ("公务用车运行维护费", "three_public_vehicle_ops"), ("公务接待费", "three_public_reception"),
                 ("合计", "three_public_total")]
        with_budget = rng.random() < 0.7
        spaced = " " if self.style.spaced else ""
        if with_budget:
            header = [["项目", f"{self.year}{spaced}年{spaced}预算数", f"{self.year}{spaced}年{spaced}决算数",
                       f"{self.year - 1}{spaced}年{spaced}决算数", "控制率"]]
        else:
            header = [["项目", "本年支出", "上年支出", "同比增减"]]
        last_year = {item: cents(sheet.total(item) * Decimal(str(rng.uniform(0.8, 1.4)))) for _, item in items[:-1]}
        last_year["three_public_total"] = sum(last_year.values(), ZERO)
        rows = []
        for label, item in items:
            actual, budget, last = sheet.total(item), sheet.unit["budget_" + item], last_year[item]
            cells = [self.table_cell(budget)] if with_budget else []
            cells += [self.table_cell(actual), self.table_cell(last)]
            if with_budget:
                cells.append(f"{(actual / budget * 100):.2f}%" if budget else "")
            else:
                cells.append(self.table_cell(actual - last))
            rows.append([label, *cells])
        table = Table(self.table_title("单位：万元"), header, rows)
        layout = self.layout if self.form == "tables" else rng.choice(["cells", "tsv", "pipe"])
        self.emit(render(table, layout))
        layout_cells = layout == "cells"
        self.truth.construct = f"三公 item table/{layout}" + (" in 元" if self.yuan_tables else "") + (
            "" if with_budget else " actual only")
        for (_, item), row, evidence in zip(items, rows, table.evidence_rows, strict=True):
            actual_text = row[2] if with_budget else row[1]
            self.truth.fact(None, item, "actual", sheet.total(item), actual_text if layout_cells else evidence)
            if with_budget:
                budget_text = row[1] if layout_cells else evidence
                self.truth.fact(None, item, "budget", sheet.unit["budget_" + item], budget_text)
        if any(sheet.unit["budget_" + i] and sheet.total(i) > sheet.unit["budget_" + i] for _, i in items):
            self.truth.ambiguities.append("三公: an item was spent beyond its budget (control rate over 100%).")

    def execution_table(self) -> None:
        """Budget execution by item: 年初预算 (not recorded: the budget is the full-year one), 全年预算, 决算."""
        sheet, u = self.sheet, self.sheet.unit
        full_total, full_basic, full_project = (u["budget_expenditure_total"], u["budget_expenditure_basic"],
                                                u["budget_expenditure_project"])
        initial_basic, initial_project = u["budget_initial_basic"], u["budget_initial_project"]
        lines = [("基本支出", "expenditure_basic", initial_basic, full_basic),
                 ("项目支出", "expenditure_project", initial_project, full_project),
                 ("合计", "expenditure_total", sheet.unit["budget_initial"], full_total)]
        rows = []
        for label, item, initial, full in lines:
            actual = sheet.total(item)
            rows.append([label, self.table_cell(initial), self.table_cell(full), self.table_cell(actual),
                         f"{actual / full * 100:.2f}%" if full else ""])
        header = [["项目", "年初预算数", "全年预算数", "决算数", "预算执行率"]]
        table = Table(self.table_title("预算执行情况（万元）"), header, rows)
        self.emit(render(table, self.layout))
        self.truth.construct = f"execution table 年初/全年/决算/{self.layout}" + (" in 元" if self.yuan_tables else "")
        for (_, item, _, full), row, evidence in zip(lines, rows, table.evidence_rows, strict=True):
            cells = self.layout == "cells"
            self.truth.fact(None, item, "budget", full, row[2] if cells else evidence)
            self.truth.fact(None, item, "actual", sheet.total(item), row[3] if cells else evidence)
        self.truth.ambiguities.append("Budget execution table: 年初预算数 is the initial budget; the budget basis "
                                      "records 全年预算数 (the full-year figure), per the vocabulary.")

    def indicator_table(self) -> None:
        rng, style = self.rng, self.style
        picked = [f for f in self.metrics if SPECS[f.code].cell is not None]
        rng.shuffle(picked)
        picked = picked[: rng.randint(2, 5)]
        bare = rng.random() < 0.25
        if bare:
            header = [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"]]
        else:
            header = rng.choice([[["评价内容", "", "绩效目标", "完成情况"]], [["一级指标", "二级指标", "年度目标",
                                                                             "实际完成"]]])
        rows: list[list[str]] = []
        stated: list[tuple[MetricFigures, Wording, Wording]] = []
        for k, fig in enumerate(picked):
            cells = cell_wordings(fig, style, self.area)
            if cells is None:
                continue
            target, actual = cells
            level1, level2 = ("产出指标", rng.choice(["数量指标", "质量指标"])) if k == 0 else ("", "")
            if bare:
                percent = SPECS[fig.code].unit == "percent"
                target = write_metric(fig, "{t}%" if percent else "{T}", style, self.area, "", 0)
                actual = write_metric(fig, "{a}%" if percent else "{A}", style, self.area, "", 0)
                rows.append([level1, level2, BARE_NAMES[fig.code], target.text, actual.text])
            else:
                rows.append([level1, level2, target.text, actual.text])
            stated.append((fig, target, actual))
        budget_row = rng.random() < 0.3
        total_budget, total_actual = self.sheet.unit["budget_expenditure_total"], self.sheet.total("expenditure_total")
        if budget_row:
            target_text = f"支出控制在预算金额{style.num(total_budget)}万元内"
            actual_text = f"实际支出{style.num(total_actual)}万元"
            rows.append(["", "成本指标", "", target_text, actual_text] if bare else ["", "成本指标", target_text,
                                                                                  actual_text])
        rows.append(["满意度指标", "服务对象满意度", "群众满意度", "≥90%", "100%"] if bare else
                    ["满意度指标", "服务对象满意度", "群众满意度≥90%", "群众满意度100%"])
        self.emit(render(Table("部门整体支出绩效定量目标完成情况", header, rows), self.layout))
        self.truth.construct = f"indicator table{' bare figures' if bare else ''}/{self.layout}"
        for fig, target, actual in stated:
            spec = SPECS[fig.code]
            self.truth.metric(fig.code, spec.unit, target.text, target=target.target)
            self.truth.metric(fig.code, spec.unit, actual.text, actual=actual.actual, rate=actual.rate)
        if budget_row:
            self.truth.construct = "indicator row 支出控制在预算金额…内"
            self.truth.fact(None, "expenditure_total", "budget", total_budget, target_text)
            self.truth.fact(None, "expenditure_total", "actual", total_actual, actual_text)
        if bare:
            self.truth.ambiguities.append("Indicator table: target and actual cells hold bare figures; the metric "
                                          "is named in the 三级指标 column.")

    def metric_table(self, layout: str) -> str | None:
        """A table of the year's main indicators: 指标名称 | (单位) | 目标 | 完成 | (完成率)."""
        rng = self.rng
        rows_of = [(f, v) for f in self.metrics if (v := table_values(f)) is not None]
        if len(rows_of) < 2:
            return None
        rng.shuffle(rows_of)
        rows_of = rows_of[:6]
        unit_column, with_rate = rng.random() < 0.5, rng.random() < 0.6
        target_word = rng.choice(["年度目标", "目标任务", "计划数"])
        actual_word = rng.choice(["实际完成", "完成数", "完成情况"])
        header = [["指标名称", *(["单位"] if unit_column else []), target_word, actual_word,
                   *(["完成率"] if with_rate else [])]]
        rows = []
        for fig, (unit, target, actual, rate) in rows_of:
            name = TABLE_NAMES[fig.code]
            rows.append([name, unit] if unit_column else [f"{name}（{unit}）"])
            rows[-1] += [target, actual, *([rate] if with_rate else [])]
        table = Table("主要业务指标完成情况", header, rows)
        text = render(table, layout)
        self.truth.construct = "metric table 指标名称" + ("|单位" if unit_column else "（单位）") + \
            "|目标|完成" + ("|完成率" if with_rate else "")
        for (fig, (_, _, _, rate)), row, evidence in zip(rows_of, rows, table.evidence_rows, strict=True):
            actual_text = row[3 if unit_column else 2]
            self.truth.metric(fig.code, SPECS[fig.code].unit, actual_text if layout == "cells" else evidence,
                              actual=fig.actual, target=fig.target,
                              rate=Decimal(rate.rstrip("%")) if with_rate else None)
        return text

    # ---- budget prose --------------------------------------------------------------------------
    def budget_prose(self) -> tuple[list[str], list[str]]:
        """(paragraphs on the unit's budget and spending, paragraphs on its basic spending)."""
        rng, s, u = self.rng, self.sheet, self.sheet.unit
        y, m = self.y(), self.money
        paras: list[str] = []
        budget_variant = rng.choice(["000", "plain", "adjusted", "bracket", "by_part"]) if rng.random() < 0.75 else ""
        et, eb, ep = u["budget_expenditure_total"], u["budget_expenditure_basic"], u["budget_expenditure_project"]
        split = f"其中：基本支出{m(eb)}，项目支出{m(ep)}" if ep else f"其中：基本支出{m(eb)}"
        facts: list[tuple[str, Decimal]] = [("expenditure_total", et), ("expenditure_basic", eb)]
        facts += [("expenditure_project", ep)] if ep else []
        if budget_variant == "000":
            it, ig, io = et, u["budget_income_general_public"], u["budget_income_other"]
            other = f"，其他收入{m(io)}" if io else ""
            text = f"{y}初预算总收入{m(it)}，其中一般公共财政预算拨款{m(ig)}{other}。{y}初预算总支出{m(et)}，{split}。"
            facts += [("income_total", it), ("income_general_public", ig)] + ([("income_other", io)] if io else [])
        elif budget_variant == "plain":
            text = f"{y}部门预算批复收入合计{m(et)}，支出合计{m(et)}，{split.replace('：', '')}。"
            facts.append(("income_total", et))
        elif budget_variant == "adjusted":
            text = (f"{y}年初批复部门预算支出{m(u['budget_initial'])}，年中追加预算{m(u['budget_adjustment'])}，"
                    f"调整后全年预算支出{m(et)}，{split}。")
            self.truth.ambiguities.append("Budget: the initial budget (年初批复) is not recorded; basis budget is "
                                          "the full-year figure after the 年中追加.")
        elif budget_variant == "bracket":
            inner = f"其中：基本支出{m(eb)}，项目支出{m(ep)}" if ep else f"全部为基本支出{m(eb)}"
            text = f"{y}全年支出预算数为{m(et)}（{inner}）。"
            self.truth.ambiguities.append("Budget: the split of the full-year budget is stated in brackets; it is "
                                          "the split of that budget, so it is recorded.")
        elif budget_variant == "by_part":  # raw/001: each part's full-year budget, then what it spent
            self.truth.construct = "prose budget+actual by part (raw/001)"
            texts = []
            for item, word, full in (("expenditure_basic", "基本支出", eb), ("expenditure_project", "项目支出", ep)):
                if not full:
                    continue
                added = full - u["budget_initial_" + item.split("_")[1]]
                texts.append(f"{y}财政批复的{word}全年预算{m(full)}（其中：年初预算{m(full - added)}，年中追加预算"
                             f"{m(added)}），本年实际支出{m(s.total(item))}。")
                self.prose_fact(item, "budget", full, texts[-1])
                self.prose_fact(item, "actual", s.total(item), texts[-1])
            paras += texts
            facts = []
        if budget_variant and budget_variant != "by_part":
            self.truth.construct = f"prose budget: {budget_variant}" + (" in 元" if self.yuan_prose else "")
            for item, value in facts:
                self.prose_fact(item, "budget", value, text)
            paras.append(text)
        if rng.random() < 0.9:  # the actuals
            it, ic, ig, io = (s.total(k) for k in ("income_total", "income_carryover", "income_general_public",
                                                   "income_other"))
            ifund, ispec = s.total("income_gov_fund"), s.total("income_special_account")
            et, eb, ep = (s.total(k) for k in ("expenditure_total", "expenditure_basic", "expenditure_project"))
            parts = [("income_general_public", "一般公共财政预算拨款收入", ig), ("income_carryover", "上年结转", ic),
                     ("income_gov_fund", "政府性基金收入", ifund),
                     ("income_special_account", "纳入专户管理的非税收入", ispec), ("income_other", "其他收入", io)]
            parts = [p for p in parts if p[2]]
            income_parts = "、".join(f"{w}{m(v)}" for _, w, v in parts)
            project = f"，项目支出{m(ep)}" if ep else ""
            variant = rng.choice(["000", "list", "004", "share", "execution"])
            facts = [("income_total", it), ("expenditure_total", et)]
            if variant == "000":
                text = (f"{y}财政决算总收入{m(it)}，其中{income_parts}；{y}财政决算总支出{m(et)}，其中基本支出{m(eb)}"
                        f"{project}。")
                facts += [(k, v) for k, _, v in parts] + [("expenditure_basic", eb)]
            elif variant == "list":
                more = cents(et * Decimal(str(rng.uniform(0.01, 0.2))))
                change = f"，较上年增加{m(more)}" if rng.random() < 0.4 else ""
                text = (f"{y}度本单位收入合计{m(it)}，其中：{income_parts}。本年支出合计{m(et)}{change}，其中："
                        f"基本支出{m(eb)}{project}。")
                facts += [(k, v) for k, _, v in parts] + [("expenditure_basic", eb)]
            elif variant == "share":  # each part with its share of the total
                share = f"{eb / et * 100:.2f}"
                text = f"{y}度收入总计{m(it)}，支出总计{m(et)}，其中：基本支出{m(eb)}，占{share}%"
                text += f"；项目支出{m(ep)}，占{ep / et * 100:.2f}%。" if ep else "。"
                facts += [("expenditure_basic", eb)]
            elif variant == "execution":
                full = u["budget_expenditure_total"]
                text = f"{y}度全年支出预算{m(full)}，实际支出{m(et)}，预算执行率{et / full * 100:.2f}%。"
                facts = [("expenditure_total", et)]
                self.truth.construct = "prose actual: execution" + (" in 元" if self.yuan_prose else "")
                self.prose_fact("expenditure_total", "budget", full, text)
            else:
                text = f"当年实际收入{m(it)}；实际支出{m(et)}，其中{self.econ_list()}。"
                facts += [(k, u[k]) for k in self.econ_items()]
            if ep and variant in {"000", "list", "share"}:
                facts.append(("expenditure_project", ep))
            self.truth.construct = f"prose actual: {variant}" + (" in 元" if self.yuan_prose else "")
            for item, value in facts:
                self.prose_fact(item, "actual", value, text)
            paras.append(text)
            if variant != "004" and rng.random() < 0.6:
                text = f"按经济科目分类，{self.econ_list()}。"
                self.truth.construct = "prose econ: 按经济科目分类"
                for k in self.econ_items():
                    self.prose_fact(k, "actual", u[k], text)
                paras.append(text)
        if rng.random() < 0.3:
            ba = s.total("balance_accumulated")
            text = f"年末结转和结余{m(ba)}。" if ba else "收支相抵，没有结余。"
            if ba:
                self.truth.construct = "prose balance: 年末结转和结余"
                self.prose_fact("balance_accumulated", "actual", ba, text)
            paras.append(text)
        basic: list[str] = []
        if rng.random() < 0.5:  # basic expenditure: personnel and public
            eb, p, q = (s.total(k) for k in ("expenditure_basic", "expenditure_personnel", "expenditure_public"))
            text = rng.choice([f"{y}度决算基本支出{m(eb)}，其中：人员经费{m(p)}、日常公用经费{m(q)}。",
                               f"基本支出{m(eb)}，其中人员支出{m(p)}，公用支出{m(q)}。"])
            self.truth.construct = "prose basic: " + text[text.index("其中"):][:8]
            for item, value in (("expenditure_basic", eb), ("expenditure_personnel", p), ("expenditure_public", q)):
                self.prose_fact(item, "actual", value, text)
            basic += ["基本支出用于为保障机构正常运转、完成日常工作任务而发生的支出，包括人员经费和公用经费。", text]
        return paras, basic

    def econ_items(self) -> list[str]:
        items = ["econ_wages", "econ_goods_services", "econ_household_subsidies"]
        return items + (["econ_capital"] if self.sheet.unit["econ_capital"] else [])

    def econ_list(self) -> str:
        words = {"econ_wages": "工资福利支出", "econ_goods_services": "商品和服务支出",
                 "econ_household_subsidies": self.rng.choice(["对个人和家庭的补助", "对个人和家庭补助支出"]),
                 "econ_capital": "资本性支出"}
        return "、".join(f"{words[k]}{self.money(self.sheet.unit[k])}" for k in self.econ_items())

    def three_public_prose(self) -> list[str]:
        rng, s, u, m, y = self.rng, self.sheet, self.sheet.unit, self.money, self.y()
        names = {"three_public_reception": "公务接待费", "three_public_vehicle_ops": "公务用车运行维护费",
                 "three_public_vehicle_purchase": "公务用车购置费", "three_public_overseas": "因公出国（境）费"}
        paras = []
        if rng.random() < 0.3:  # raw/004
            tb, ta = u["budget_three_public_total"], s.total("three_public_total")
            text = f"{y}度三公经费年初预算{m(tb)}，实际支出{m(ta)}。"
            self.truth.construct = "prose 三公: 年初预算…实际支出 (raw/004)"
            self.prose_fact("three_public_total", "budget", tb, text)
            self.prose_fact("three_public_total", "actual", ta, text)
            return [text]
        tb = u["budget_three_public_total"]
        parts = [(k, u["budget_" + k]) for k in names if u["budget_" + k]]
        text = f"{y}初批复预算的“三公”经费为{m(tb)}，其中" + "，".join(f"{names[k]}{m(v)}" for k, v in parts) + "。"
        self.truth.construct = "prose 三公 budget: 批复预算的“三公”经费为…其中"
        self.prose_fact("three_public_total", "budget", tb, text)
        for k, v in parts:
            self.prose_fact(k, "budget", v, text)
        paras.append(text)
        ta = s.total("three_public_total")
        spent = [(k, s.total(k)) for k in names if s.total(k)]
        zero_said = [k for k in names if not s.total(k) and rng.random() < 0.3]
        pieces = [f"{names[k]}支出{m(v)}" for k, v in spent] + [f"{names[k]}{m(ZERO)}" for k in zero_said]
        text = f"{y}决算支出“三公”经费{m(ta)}" + ("，其中" + "、".join(pieces) if pieces else "")
        if rng.random() < 0.5 and u["three_public_last_year"] > ta:
            text += f"，较上年减少{m(u['three_public_last_year'] - ta)}"
        text += "。"
        if not s.total("three_public_overseas") and "three_public_overseas" not in zero_said:
            text += "全年无因公出国（境）支出。"
        self.truth.construct = "prose 三公 actual: 决算支出“三公”经费…其中" + (
            " (with zero parts)" if zero_said else "")
        self.prose_fact("three_public_total", "actual", ta, text)
        for k, v in spent:
            self.prose_fact(k, "actual", v, text)
        for k in zero_said:
            self.prose_fact(k, "actual", ZERO, text)
        paras.append(text)
        return paras

    # ---- metrics prose -------------------------------------------------------------------------
    def metric_sentence(self, fig: MetricFigures) -> str:
        spec = SPECS[fig.code]
        templates = [t for t in spec.wordings if usable(fig, t)]
        template = self.rng.choice(templates)
        wording = write_metric(fig, template, self.style, self.area, self.y(), self.rng.randint(3, 60))
        self.truth.construct = f"metric: {template}" + (f" [{fig.display}]" if fig.display != "plain" else "")
        self.record(fig, wording)
        text = wording.text
        if fig.code == "urban_new_jobs" and self.rng.random() < 0.2:
            text += f"，比上年同期增加{self.rng.randint(10, 300)}人"
        return text

    def record(self, fig: MetricFigures, wording: Wording) -> None:
        self.truth.metric(fig.code, SPECS[fig.code].unit, wording.text, actual=wording.actual, target=wording.target,
                          rate=wording.rate, qualifier=wording.qualifier)

    def metrics_prose(self) -> list[str]:
        """Headed paragraphs of metric sentences, group by group."""
        rng = self.rng
        blocks: list[tuple[str, str]] = []  # (heading text, paragraph)
        by_group: dict[str, list[MetricFigures]] = {}
        for fig in self.metrics:
            by_group.setdefault(SPECS[fig.code].group, []).append(fig)
        for group, titles in GROUPS.items():
            figs = by_group.get(group, [])
            if not figs:
                continue
            sentences: list[str] = []
            core = {f.code: f for f in figs if f.code in ("urban_new_jobs", "unemployed_reemployed",
                                                           "hard_to_employ_employed")}
            if len(core) == 3 and rng.random() < 0.3:  # raw/004: 分别完成…的 a%、b%、c%
                sentences.append(self.respectively(list(core.values())))
                figs = [f for f in figs if f.code not in core]
            loans = next((f for f in figs if f.code == "guaranteed_loans_issued"), None)
            headed_loans = None
            if loans is not None and loans.target is not None and rng.random() < 0.25:
                # raw/000: '（三）创业担保贷款工作' then '2022年全年任务数为500万元，现已完成828万元'
                figs = [f for f in figs if f is not loans]
                wording = write_metric(loans, "{Y}全年任务数为{T}，现已完成{A}", self.style, self.area, self.y(), 0)
                self.truth.construct = "metric: heading 创业担保贷款工作 + {Y}全年任务数为{T}，现已完成{A}"
                self.record(loans, wording)
                headed_loans = ("创业担保贷款工作", wording.text + "。")
            fairs = next((f for f in figs if f.code == "job_fairs_held"), None)
            jobs = next((f for f in figs if f.code == "jobs_offered"), None)
            if fairs and jobs and rng.random() < 0.5:  # one sentence: fairs held, firms, jobs offered
                figs = [f for f in figs if f not in (fairs, jobs)]
                first = write_metric(fairs, "举办各类招聘会{a}场", self.style, self.area, self.y(), 0)
                second = write_metric(jobs, "提供就业岗位{A}", self.style, self.area, self.y(), 0)
                text = f"{first.text}，{rng.randint(2, 90)}0余家企业进场招聘，{second.text}"
                self.truth.construct = "metric: 举办各类招聘会{a}场，…，提供就业岗位{A}"
                self.truth.metric(fairs.code, "count", text, actual=first.actual)
                self.truth.metric(jobs.code, "count", text, actual=second.actual)
                sentences.append(text)
            sentences += [self.metric_sentence(f) for f in figs]
            if sentences and rng.random() < 0.3:
                sentences.append(rng.choice(DISTRACTORS).format(k=rng.randint(2, 9), d=rng.randint(0, 9)).rstrip("。"))
            if sentences:
                blocks.append((rng.choice(titles), rng.choice(["。", "。", "；"]).join(sentences) + "。"))
            if headed_loans:
                blocks.append(headed_loans)
        lines = []
        for k, (title, paragraph) in enumerate(blocks):
            lines += [self.heading(2, k, title), paragraph]
        return lines

    def respectively(self, figs: list[MetricFigures]) -> str:
        words = {"urban_new_jobs": "城镇新增就业", "unemployed_reemployed": "失业人员再实现就业",
                 "hard_to_employ_employed": "就业困难人员实现就业"}
        stated = [write_metric(f, "{A}|{r}", self.style, self.area, "", 0) for f in figs]
        heads = "、".join(f"{words[f.code]}{w.text.split('|')[0]}" for f, w in zip(figs, stated, strict=True))
        rates = "、".join(w.text.split("|")[1] + "%" for w in stated)
        text = f"{self.area}完成{heads}，分别完成省年度任务的{rates}"
        self.truth.construct = "metric: …、…、…，分别完成省年度任务的a%、b%、c% (raw/004)"
        for f, w in zip(figs, stated, strict=True):
            self.truth.metric(f.code, SPECS[f.code].unit, text, actual=w.actual, rate=w.rate)
        return text

    # ---- score ---------------------------------------------------------------------------------
    def score_prose(self) -> str | None:
        rng = self.rng
        score = Decimal(str(round(rng.triangular(68, 99.8, 94), rng.choice([0, 1]))))
        grade = "excellent" if score >= 90 else "good" if score >= 75 else "fair" if score >= 60 else "poor"
        word = rng.choice(GRADE_WORDS[grade])
        mode = rng.choices(["both", "score", "grade", "none"], [0.45, 0.2, 0.1, 0.25])[0]
        s = f"{score.normalize():f}"
        sp = " " if self.style.spaced else ""
        if mode == "both":
            loss = Decimal(100) - score  # split over the four parts of the score table
            l0 = min(loss, Decimal(str(round(rng.uniform(0, 1.5), 1))))
            l3 = min(loss - l0, Decimal(str(round(rng.uniform(0, 1), 1))))
            l2 = min(loss - l0 - l3, Decimal(str(round(rng.uniform(0, float(loss - l0 - l3) / 2), 1))))
            parts = [10 - l0, 50 - (loss - l0 - l2 - l3), 30 - l2, 10 - l3]
            p = [f"{sp}{x.normalize():f}{sp}" for x in parts]
            label, text = rng.choice([
                ("part scores, then 总绩效为N分。评价结果等次为“G” (raw/003)",
                 f"按照部门整体支出绩效自评表确定的评分细则，通过对各项指标逐一评价，本单位部门整体支出绩效评价得分是："
                 f"预算执行情况得分{p[0]}分，产出情况得分{p[1]}分，效益情况得分{p[2]}分，服务对象满意度得分{p[3]}分。"
                 f"总绩效为{sp}{s}{sp}分。评价结果等次为“{word}”。"),
                ("自评得分为N分，评价等级为“G”",
                 f"经综合评价，{self.unit.name}{self.y()}度部门整体支出绩效自评得分为{s}分，评价等级为“{word}”。"),
                ("自评综合得分N分，自评等级为G", f"根据评分标准，本次自评综合得分{s}分，自评等级为{word}。"),
                ("综合评分为N分，评价等次为“G”", f"本次绩效自评综合评分为{s}分，评价等次为“{word}”。"),
            ])
        elif mode == "score":
            label = "自评得分N分 (raw/004)"
            text = f"按照《整体绩效自评指标评分表》要求，我们认真进行了自评打分，自评得分{s}分。"
        elif mode == "grade":
            label = "评价结果等次为“G”, no score"
            text = f"对照评价指标体系逐项评价，{self.me}{self.y()}度部门整体支出绩效评价结果等次为“{word}”。"
        else:
            label, text = "none stated", None
        self.header["self_score"] = float(score) if mode in {"both", "score"} else None
        self.header["grade"] = grade if mode in {"both", "grade"} else None
        self.tags["self_score"] = self.tags["grade"] = f"score: {label}"
        return text

    # ---- the report ----------------------------------------------------------------------------
    def write(self) -> str:
        rng = self.rng
        self.cover()
        quota, actual, retirees = self.draw_staff()
        staff_in_table = self.form == "tables" and rng.random() < 0.8
        if self.form == "tables":
            self.tables_part(quota, actual, retirees, staff_in_table)
        narrative = self.narrative(quota, actual, retirees, staff_in_table)
        if self.form == "tables" and self.layout == "cells":
            title = f"{self.unit.name}{self.y()}度部门整体支出绩效评价报告"
            self.emit("", "\t" + title, *narrative)  # raw/000: the narrative runs on inside the last cell
        else:
            self.emit(*narrative)
        self.fill_header(quota, actual, retirees if self.retirees_stated else None)
        self.add_bulk()
        return "\n".join(self.out).rstrip("\n") + "\n"

    def add_bulk(self) -> None:
        """Make the report as long as a real one with text that states no kept fact (synth_bulk), drawn
        from a random source of its own, so the facts and their wordings are those of the shorter report."""
        rng = random.Random(f"{self.truth.document}:bulk")
        need = synth_bulk.target_bytes(rng) - len("\n".join(self.out).encode("utf-8"))
        if need <= 0:
            return
        management, problems, plans = synth_bulk.sections(rng, self.me, self.year, need)
        at = max(i for i, line in enumerate(self.out) if "存在的主要问题" in line)
        block = [self.heading(2, 5, rng.choice(synth_bulk.HEADINGS_MANAGEMENT)), ""]
        self.out[at:at] = block + [x for para in management for x in (para, "")]
        at = max(i for i, line in enumerate(self.out) if "改进措施和有关建议" in line)
        listed = sum(1 for line in self.out[:at] if re.match(r"^\d+、", line))
        self.out[at:at] = [f"{listed + k + 1}、{p}" for k, p in enumerate(problems)] + ([""] if problems else [])
        if plans:
            self.out += ["", self.heading(1, 6, rng.choice(synth_bulk.HEADINGS_NEXT)), ""]
            self.out += [x for para in plans for x in (para, "")]

    def section(self, k: int, text: str) -> None:
        """A numbered section title between tables (a cell of its own in the one-cell-a-line layout)."""
        self.emit(("\t" if self.layout == "cells" else "") + self.heading(1, k, text), "")

    def tables_part(self, quota: int, actual: int, retirees: int | None, staff_in_table: bool) -> None:
        rng = self.rng
        self.section(0, "部门（单位）基本概况")
        facts = [["联系人", self.person(), "联系电话", self.phone()]]
        if staff_in_table:
            facts.append(["人员编制", str(quota), "实有人数", str(actual)])
            self.tags.update(staffing_quota=f"staff table/{self.layout}", actual_headcount=f"staff table/{self.layout}")
            if retirees is not None and rng.random() < 0.3:
                facts[-1] += ["退休人员", str(retirees)]
                self.retirees_stated = True
                self.tags["retirees"] = f"staff table/{self.layout}"
        duties = ("单位的主要职责是：贯彻执行国家、省市有关就业工作的方针政策和法律法规，"
                  "承担组织落实促进就业、创业带动就业、职业技能培训和失业保险各项政策相关事务性工作。")
        if self.layout == "cells":
            self.emit(*["\n".join("\t" + c for c in row) + "\n" for row in facts + [["职能职责概述", duties]]])
            if rng.random() < 0.4:  # raw/000: the year's results as a cell whose text runs on over plain lines
                self.truth.where = " [in a table cell, raw/000]"
                first, *rest = self.metrics_prose()
                self.truth.where = ""
                self.emit("\t年度部门（单位）总体运行情况及取得的成绩", "\t" + first, *rest, "")
                self.metrics_done = True
        else:
            if self.layout == "tsv" and rng.random() < 0.5:
                duties = f"<p>{duties}</p>"  # raw/003: HTML left in a cell
            self.emit(render(Table(None, [], [*facts, ["职能职责概述", duties]]), self.layout))
        self.section(1, "部门（单位）收支情况")
        org_header = rng.choice(["机构名称", "机构名称", "单位名称"])
        self.org_table("年度收入情况（万元）", INCOME_COLUMNS, org_header)
        self.org_table("部门（单位）年度支出和结余情况（万元）", EXPENDITURE_COLUMNS, org_header)
        if rng.random() < 0.8:
            self.org_table("“三公”经费支出情况（万元）", THREE_PUBLIC_COLUMNS, org_header)
        if rng.random() < 0.7:
            self.org_table("固定资产情况（万元）", FIXED_ASSET_COLUMNS, org_header)
        if rng.random() < 0.25:
            self.three_public_item_table()
        if rng.random() < 0.2:
            self.execution_table()
        if rng.random() < 0.6:
            self.section(2, "部门（单位）整体支出绩效自评情况")
            self.indicator_table()
        if rng.random() < 0.3:
            table = self.metric_table(self.layout)
            if table:
                self.emit(table)

    def narrative(self, quota: int, actual: int, retirees: int | None, staff_in_table: bool) -> list[str]:
        rng, me = self.rng, self.me
        lines: list[str] = []
        if self.form == "tables" and self.layout != "cells":
            lines += [f"{self.unit.name}{self.y()}度部门整体支出绩效评价报告", ""]
        lines += [self.heading(1, 0, rng.choice(["基本概况", "基本情况", "单位基本情况"])), ""]
        lines += [self.heading(2, 0, "机构设置情况"),
                  f"{me}内设机构{rng.randint(3, 12)}个，分别负责综合、就业促进、职业能力建设、失业保险等工作。", ""]
        k = 1
        if not staff_in_table or rng.random() < 0.3:
            lines += [self.heading(2, k, "人员情况"), "", self.staff_prose(quota, actual, retirees), ""]
            self.retirees_stated = self.retirees_stated or retirees is not None
            k += 1
        lines += [self.heading(2, k, "主要工作职责"), "", rng.choice(FILLER).format(self=me), ""]
        budget, basic = self.budget_prose()
        three = self.three_public_prose() if rng.random() < 0.8 else []
        lines += [self.heading(1, 1, rng.choice(["部门整体支出管理及使用情况", "一般公共预算支出情况"])), ""]
        k = 0
        if budget:
            lines += [self.heading(2, k, "部门收支总体情况"), ""] + [x for para in budget for x in (para, "")]
            k += 1
        if basic:
            lines += [self.heading(2, k, "基本支出"), ""] + [x for para in basic for x in (para, "")]
            k += 1
        if three:
            lines += [self.heading(2, k, "“三公”经费使用情况"), ""] + [x for para in three for x in (para, "")]
        if self.form == "prose" and rng.random() < 0.4:
            self.three_public_item_table()
            lines += [self.out.pop(), ""]
        lines += [self.heading(1, 2, "部门整体支出绩效情况"), "", rng.choice(FILLER).format(self=me), ""]
        if self.form == "prose" and rng.random() < 0.25:
            table = self.metric_table(rng.choice(["cells", "tsv", "pipe"]))
            if table:
                lines += ["主要业务指标完成情况如下：", "", table]
        if not self.metrics_done:
            for line in self.metrics_prose():
                lines += [line, ""]
        score = self.score_prose()
        lines += [self.heading(1, 3, rng.choice(["综合评价情况及评价结论", "评价结论", "自评结果"])), ""]
        if score:
            lines += [score, ""]
        lines += [self.heading(1, 4, "存在的主要问题"), ""]
        lines += [f"{k + 1}、{p}" for k, p in enumerate(rng.sample(PROBLEMS, 2))] + [""]
        lines += [self.heading(1, 5, "改进措施和有关建议"), ""]
        lines += [f"{k + 1}、{p}" for k, p in enumerate(rng.sample(SUGGESTIONS, 2))]
        return lines

    def fill_header(self, quota: int, actual: int, retirees: int | None) -> None:
        place, unit = self.unit.place, self.unit
        header: dict[str, Any] = {"unit_name": unit.name}
        if unit.name_full != unit.name:
            header["unit_name_also"] = [unit.name_full]
        header.update({
            "fiscal_year": self.year, "admin_level": unit.admin_level, "province": place.province,
            "prefecture": place.prefecture, "county": place.county, "division_code": place.code,
            "budget_code": self.header["budget_code"], "report_date": self.header["report_date"],
            "staffing_quota": quota, "actual_headcount": actual, "retirees": retirees,
            "self_score": self.header.get("self_score"), "grade": self.header.get("grade")})
        self.truth.header = header
        for name in header:
            if name != "unit_name_also":
                tag = self.tags.get(name, f"region: {unit.style}" if name in REGION_FIELDS else "not stated")
                self.truth.sources[f"header|{name}"] = [tag]


def write_report(seed: int, index: int) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    """(file name, text, truth, how it was written) of report `index` of `seed`."""
    document = f"synth_{seed}_{index:04d}.txt"
    for attempt in range(20):
        rng = random.Random(f"{seed}:{index}:{attempt}")
        writer = ReportWriter(rng, document)
        try:
            text = writer.write()
        except ConflictError:
            continue  # two wordings of one fact disagreed; draw the report again
        layout = writer.layout if writer.form == "tables" else "prose"
        how = {"document": document, "layout": layout, "admin_level": writer.unit.admin_level,
               "sub_units": len(writer.unit.sub_units), "sources": writer.truth.sources}
        return document, text, writer.truth.to_json(), how
    raise RuntimeError(f"could not write {document}")


def generate(n: int, seed: int, out_dir: Path) -> list[Path]:
    """Write `n` reports to out_dir/raw and their truth to out_dir/gold; returns the report paths.

    out_dir/manifest.jsonl says how each report was written (layout: cells / tsv / pipe / prose)."""
    raw, gold = out_dir / "raw", out_dir / "gold"
    raw.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    paths = []
    with (out_dir / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(n):
            document, text, truth, how = write_report(seed, i)
            path = raw / document
            path.write_text(text, encoding="utf-8")
            (gold / document.replace(".txt", ".json")).write_text(
                json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            manifest.write(json.dumps(how, ensure_ascii=False) + "\n")
            paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    paths = generate(args.n, args.seed, args.out)
    print(f"{len(paths)} reports in {args.out / 'raw'}, truth in {args.out / 'gold'}")


if __name__ == "__main__":
    main()
