"""A self-evaluation table's indicator rows as numbers: the target's operator, value and upper bound,
the result, one unit both are stated in, the weight (分值) and score (得分), and whether the target was
met. Figures are read by numbers.read_bound; units and their factors come from the vocabulary."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pipelines.parse.numbers import Bound, cell_number, read_bound
from pipelines.parse.tables import Indicator, match_term
from pipelines.parse.vocabulary import Vocabulary

# The unit an indicator's figures are read in when it is no vocabulary metric: the first unit whose
# words include the figure's unit word (人 -> person, 个 -> count, 万元 -> wan_yuan …).
GENERIC_UNITS = ("person", "household", "percent", "wan_yuan", "count", "case", "day", "score")
# Indicators where less is better (a rate or a cost kept under a ceiling): a bare target is a ceiling.
LOWER_IS_BETTER = re.compile(r"失业率|成本|费用|经费控制|投诉|事故|差错|超支|逾期|时长|周期")
# What a qualitative result says: 已达到 / 健全 / 按时完成 … or 未完成 / 滞后 …
MET_WORDS = re.compile(r"达到|达成|完成|实现|健全|已|按时|按期|及时|合格|满足|符合|有效|良好|规范|稳定|提升|提高"
                       r"|落实|到位|全覆盖|清零|无|100%")
UNMET_WORDS = re.compile(r"未|没有|尚未|不足|滞后|偏低|偏慢|差距|不到位|不合格|下降")


BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>人次|人|户|个|场|次|万元|元|亿元|%|天|件)\s*[）)]\s*$")
LONG_TEXT = 40  # a target or result cell longer than this is a paragraph (the year's overall goal), no figure


def _unit(bound: Bound, unit: str, metric_unit: str | None, vocab: Vocabulary) -> tuple[str, Decimal] | None:
    """(unit code, factor) for a figure's unit word: the metric's unit when the indicator is a metric."""
    for code in ([metric_unit] if metric_unit else []) + list(GENERIC_UNITS):
        factors = vocab.units.get(code, {})
        if unit in factors:
            return code, factors[unit]
    return None


def _achieved(operator: str, target: Decimal, high: Decimal | None, actual: Decimal, lower_better: bool) -> bool:
    if operator == "range":
        return target <= actual <= (high if high is not None else target)
    if operator == "eq":  # a bare target: reached (or, for a ceiling, kept under)
        operator = "le" if lower_better else "ge"
    return {"ge": actual >= target, "gt": actual > target, "le": actual <= target, "lt": actual < target}[operator]


def _qualitative(target_text: str, actual_text: str) -> bool | None:
    """Met or not by what the result's words say; None when they say neither."""
    if not actual_text:
        return None
    if UNMET_WORDS.search(actual_text):
        return False
    if actual_text == target_text or MET_WORDS.search(actual_text):
        return True
    return None


def indicator_values(ind: Indicator, vocab: Vocabulary) -> dict[str, Any]:
    """The numeric columns of one indicator row (raw.performance_indicators)."""
    target_text = ind.target.stripped if ind.target else ""
    actual_text = ind.actual.stripped if ind.actual else ""
    out: dict[str, Any] = {
        "row_kind": ind.kind, "target_operator": None, "target_value": None, "target_value_high": None,
        "actual_value": None, "value_unit": None, "achieved": None,
        "weight": cell_number(ind.weight.text) if ind.weight else None,
        "score": cell_number(ind.score.text) if ind.score else None,
        "deviation_text": ind.deviation.stripped or None if ind.deviation else None,
        "metric_code": ind.metric.code if ind.metric else None, "item_code": None,
    }
    if ind.kind == "total":
        return out
    if len(target_text) > LONG_TEXT or len(actual_text) > LONG_TEXT:  # 年度总体目标 | 预期目标 | 实际完成情况
        out["row_kind"] = "overall"
        return out
    target, actual = read_bound(target_text), read_bound(actual_text)
    metric_unit = ind.metric.unit if ind.metric else None
    named = BRACKET_UNIT.search(ind.indicator or "")  # 职业技能培训（人次） | ≥15000 | 16,010
    label_unit = named.group("unit") if named else ""
    if ind.kind == "funds" and ind.target is None:  # 预算执行得分: a score row of the funds part
        return out
    if ind.kind == "funds":  # amounts of the funds block, in the table's own scale (万元 unless it says 元)
        out.update(target_operator="le", value_unit="wan_yuan", item_code="expenditure_total")
        budget, spent = ind.target_amount, ind.actual_amount
        out.update(target_value=budget, actual_value=spent)
        out["achieved"] = None if budget is None or spent is None else spent <= budget
        return out
    if target is None:
        out["target_operator"] = "text" if target_text else None
        out["achieved"] = _qualitative(target_text, actual_text)
        return out
    unit = _unit(target, target.unit or (actual.unit if actual else "") or label_unit, metric_unit, vocab)
    if unit is None and not target.unit and not (actual and actual.unit):
        unit = (metric_unit, Decimal(1)) if metric_unit else None  # a bare figure is in the metric's own unit
    out["target_operator"] = target.operator
    if unit is None:
        return out
    code, factor = unit
    out.update(value_unit=code, target_value=target.value * factor)
    if target.high is not None:
        high = _unit(target, target.high_unit, metric_unit, vocab)
        out["target_value_high"] = target.high * (high[1] if high else factor)
    if actual is not None:
        actual_unit = _unit(actual, actual.unit or target.unit or label_unit, metric_unit, vocab)
        if actual_unit is not None and actual_unit[0] == code:
            out["actual_value"] = actual.value * actual_unit[1]
    if code == "wan_yuan" and not ind.metric:
        term = match_term(ind.indicator or "", vocab.budget_items)
        out["item_code"] = term.code if term else None
    if out["actual_value"] is not None:
        lower = bool(LOWER_IS_BETTER.search(ind.indicator or "")) or code == "percent" and bool(
            LOWER_IS_BETTER.search(target_text))
        out["achieved"] = _achieved(target.operator, out["target_value"], out["target_value_high"],
                                    out["actual_value"], lower)
    return out
