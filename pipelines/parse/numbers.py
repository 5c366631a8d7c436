"""Every rule for reading a figure, once: digits, thousands separators, Chinese
numerals, 万/亿 multipliers, unit words, qualifiers (余/多/以上 -> at_least,
约/近/左右 -> approx). Values are exact Decimals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# The formal numerals of amounts and forms (肆拾伍名, 壹仟贰佰元), as the plain ones
CN_FORMAL = dict(zip("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千", strict=True))
CN_DIGITS.update({formal: CN_DIGITS[plain] for formal, plain in CN_FORMAL.items() if plain in CN_DIGITS})
CN_UNITS.update({formal: CN_UNITS[plain] for formal, plain in CN_FORMAL.items() if plain in CN_UNITS})
CN_BIG = {"万": 10_000, "亿": 100_000_000}

# Unit words, longest first so that 万元 wins over 元 and 人次 over 人.
UNIT_WORDS = ["个百分点", "个月", "万人次", "人次", "万元", "亿元", "元", "人", "名", "位", "户", "%", "个", "场",
              "次", "条", "件", "起", "宗", "家", "期", "笔", "本", "年", "月", "日", "分", "天", "项", "批", "所"]
_UNIT_ALT = "|".join(re.escape(u) for u in UNIT_WORDS if u not in {"万人次"})

# A figure cut from its unit word by a line break (PDF text: 「城镇新增就业1300」 / 「人，完成…」).
_ENDS_IN_FIGURE = re.compile(r"\d\s*(?:万|亿)?$")
_OPENS_WITH_UNIT = re.compile(rf"^\s*(?:万|亿)?\s*(?:{_UNIT_ALT})")


def unit_cut_at_break(line: str, next_line: str) -> bool:
    """True when `line` ends in a figure whose unit word opens `next_line`."""
    return bool(_ENDS_IN_FIGURE.search(line.rstrip())) and bool(_OPENS_WITH_UNIT.match(next_line))


# Thousands separators: ',' and, between digit groups only, the full-width '，' (１，３０８人).
_GROUP = r"(?:,|，(?=\d{3}(?!\d)))\d{3}"
_ARABIC = rf"\d{{1,3}}(?:{_GROUP})+(?:\.\d+)?|\d+(?:\.\d+)?"
CN_CHARS = "一二两三四五六七八九十百千〇零" + "".join(CN_FORMAL)
# 四百二十三, 五百三十四点二三, 四点五 (a single numeral only with a decimal part: 一人 is no figure)
_CHINESE = rf"[{CN_CHARS}]+点[一二三四五六七八九〇零]+|[{CN_CHARS}]{{2,}}"
# 百分之九十六点九四, 百分之百: a percentage in words
PERCENT_WORDS = re.compile(rf"百分之(?P<num>[{CN_CHARS}]+(?:点[一二三四五六七八九〇零]+)?)")
QUANTITY = re.compile(
    # (every figure opens with one of these characters: saying so first lets the search skip the rest fast)
    rf"(?=[大约近接超逾\-−\d{CN_CHARS}])"
    rf"(?:(?P<pre>大约|约|近|接近|超过|逾|超)\s*)?"
    # a minus sign kept as written (支出总计-523万元), not a dash between figures (1-12月, 90%-100%)
    rf"(?P<sign>(?<![\d%.,A-Za-z）)])[-−](?=\d))?"
    rf"(?P<num>(?<![\d.,]){_ARABIC}|{_CHINESE})"
    rf"\s*(?P<mult>万|亿)?\s*(?P<q1>余|多)?\s*(?P<unit>{_UNIT_ALT})?\s*(?P<q2>以上|左右|余|多)?"
)
CELL_NUMBER = re.compile(rf"^\s*(?P<num>[-−]?\s*(?:\d{{1,3}}(?:{_GROUP})+|\d+)(?:\.\d+)?)\s*(?P<pct>%)?\s*$")


class Quantity(NamedTuple):
    """A figure as read: `value` has 万/亿 applied, in units of `unit` (元, 人, %, ...). (A named tuple: a
    parse makes thousands, and a frozen dataclass sets each field through object.__setattr__.)"""

    value: Decimal
    unit: str
    qualifier: str  # exact / approx / at_least
    text: str
    start: int
    end: int  # end of the figure including its unit word
    num_start: int
    num_end: int


PLAIN_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")


def parse_decimal(text: str) -> Decimal | None:
    """'36,982.43' -> Decimal('36982.43'); '二〇二二' -> 2022; '三千五百' -> 3500."""
    if text.isascii() and text.isdigit():
        return Decimal(text)
    text = text.strip().replace(",", "").replace("，", "").replace("−", "-").replace(" ", "")
    if not text:
        return None
    if PLAIN_DECIMAL.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return chinese_numeral(text)


# A whole count in digits or Chinese numerals (编制四十五名, 实有人数42人).
COUNT = rf"\d+|[{CN_CHARS}]{{1,6}}"


def count_value(text: str) -> int | None:
    """'42' -> 42, '四十五' -> 45; None when `text` is not a whole count."""
    value = parse_decimal(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def chinese_numeral(text: str) -> Decimal | None:
    """Chinese numerals, positional (二〇二二) or with units (三千五百, 一万二千)."""
    if "点" in text:  # 五百三十四点二三: the whole part, then the digits after the point one by one
        whole, _, fraction = text.partition("点")
        head = chinese_numeral(whole)
        if head is None or not fraction or any(ch not in CN_DIGITS for ch in fraction):
            return None
        return head + Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS and ch not in CN_BIG for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text):
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * CN_BIG[ch]
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))


def _qualifier(pre: str | None, q1: str | None, q2: str | None) -> str:
    if q1 or q2 in {"以上", "余", "多"} or pre in {"超过", "逾", "超"}:
        return "at_least"
    if pre in {"大约", "约", "近", "接近"} or q2 == "左右":
        return "approx"
    return "exact"


@lru_cache(maxsize=4096)
def find_quantities(text: str) -> tuple[Quantity, ...]:
    """All figures in `text`, with their unit word (万/亿 folded into the value). Cached: the
    budget and the metric readers go over the same sentences."""
    found = []
    for m in QUANTITY.finditer(text):
        pre, sign, num, mult, q1, unit, q2 = m.group("pre", "sign", "num", "mult", "q1", "unit", "q2")
        if not unit and not num[0].isdigit():
            continue  # a Chinese numeral is a figure only with its unit word
        value = parse_decimal(num)
        if value is None:
            continue
        if sign:
            value = -value
        unit = unit or ""
        if mult and unit == "元":
            unit = mult + "元"
        elif mult:
            value *= CN_BIG[mult]
        end = m.end("unit") if unit else m.end("num") if not mult else m.end("mult")
        if q2:
            end = m.end("q2")
        if q1 and not unit:
            end = m.end("q1")
        start = m.start("pre") if pre else m.start("sign") if sign else m.start("num")
        found.append(Quantity(value, unit, _qualifier(pre, q1, q2), text[start:end], start, end,
                              m.start("num"), m.end("num")))
    if "百分之" not in text:
        return tuple(found)  # (found in order of their start)
    for m in PERCENT_WORDS.finditer(text):
        value = chinese_numeral(m.group("num"))
        found = [q for q in found if not m.start() <= q.start < m.end()]
        if value is not None:
            found.append(Quantity(value, "%", "exact", m.group(), m.start(), m.end(), m.start("num"), m.end("num")))
    return tuple(sorted(found, key=lambda q: q.start))


def to_wan_yuan(q: Quantity) -> Decimal | None:
    """A money figure in 万元, or None when `q` is not money."""
    factor = MONEY_FACTORS.get(q.unit)
    return None if factor is None else q.value * factor


MONEY_FACTORS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
# the units a table may state for all its figures (单位：千元 in a finance system's export)
TABLE_MONEY_FACTORS = {**MONEY_FACTORS, "千元": Decimal("0.1"), "百万元": Decimal(100)}
CELL_MONEY = re.compile(rf"^\s*(?P<num>[-−]?\s*(?:\d{{1,3}}(?:{_GROUP})+|\d+)(?:\.\d+)?)\s*(?P<unit>万元|亿元|元)\s*$")


def cell_amount(text: str, scale: Decimal) -> Decimal | None:
    """A table cell's amount in 万元: a bare number in the table's `scale`, or a number with its own
    unit word ('N万元', 'N元')."""
    value = cell_number(text)
    if value is not None:
        return value * scale
    m = CELL_MONEY.match(text)
    value = parse_decimal(m.group("num")) if m else None
    return None if value is None or m is None else value * MONEY_FACTORS[m.group("unit")]


def cell_number(text: str) -> Decimal | None:
    """A table cell that holds only a number ('1,024.50', '-37.10', '0')."""
    m = CELL_NUMBER.match(text)
    if not m or m.group("pct"):
        return None
    return parse_decimal(m.group("num"))


YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年|(?P<cn>[二一][〇零○O][一二三四五六七八九〇零○O]{2})\s*年")


def years_in(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) for every '2022年' / '二〇二二年' in `text`."""
    out = []
    for m in YEAR.finditer(text):
        raw = m.group(1) or m.group("cn")
        value = parse_decimal(raw)
        if value is not None:
            out.append((int(value), m.start(), m.end()))
    return out


CELL_FIGURE = re.compile(rf"^\s*(?:[-−]?\s*(?:\d{{1,3}}(?:{_GROUP})+|\d+)(?:\.\d+)?\s*%?|[-—/])\s*$")


# A cell that is a value of an indicator table: a figure with an operator, a multiplier and a unit word
# (≥3.0万人, 8.00亿元, 100.00%), or a mark of nothing (—).
CELL_VALUE = re.compile(rf"^(?:[≥≤><=＞＜]|不低于|不少于|不超过|不高于)?\s*[-−+]?"
                        rf"(?:\d{{1,3}}(?:{_GROUP})+|\d+)(?:\.\d+)?"
                        r"\s*(?:万|亿)?\s*(?:元|人次|人|户|个|场|次|名|家|天|日|分|项|期|%)?$|^[-—–/]+$")


def is_cell_value(text: str) -> bool:
    return bool(CELL_VALUE.match(text.strip()))


def is_cell_figure(text: str) -> bool:
    """A table cell that holds a figure and nothing else ('1,234.50', '98.5%', '0', '-')."""
    return bool(CELL_FIGURE.match(text))


@dataclass(frozen=True, slots=True)
class Bound:
    """A target or a result as an indicator table states it: an operator, a figure (and the upper
    figure of a range), with the unit word of the figure (万 and 亿 applied, as in find_quantities)."""

    operator: str  # ge / le / gt / lt / eq / range
    value: Decimal
    unit: str
    high: Decimal | None = None
    high_unit: str = ""


# Words around a figure that say which side of it is met; the first that matches decides.
OPERATOR_BEFORE = (("ge", re.compile(r"(?:≥|>=|不低于|不少于|不小于|至少|大于等于|达到)\s*$")),
                   ("le", re.compile(r"(?:≤|<=|不超过|不高于|不大于|小于等于|控制在|低于等于)\s*$")),
                   ("gt", re.compile(r"(?:>|高于|大于|超过|多于)\s*$")),
                   ("lt", re.compile(r"(?:<|低于|小于|少于)\s*$")),
                   ("eq", re.compile(r"(?:=|等于)\s*$")))
OPERATOR_AFTER = (("ge", re.compile(r"^\s*(?:及以上|以上)")), ("le", re.compile(r"^\s*(?:以内|之内|以下|及以下)")))
RANGE_JOIN = re.compile(r"^\s*(?:[-—–~～至到])\s*$")


def read_bound(text: str) -> Bound | None:
    """'≥5000人', '控制在4.0%以内', '90%-100%', '不低于3.0万人', '100%' -> a Bound; None when the text
    holds no figure (a qualitative target such as 健全 or 按时完成)."""
    text = text.strip()
    found = [q for q in find_quantities(text) if q.unit not in ("年", "月", "日") or len(find_quantities(text)) == 1]
    if not found:
        return None
    first = found[0]
    if len(found) >= 2 and RANGE_JOIN.match(text[first.end:found[1].start]):
        second = found[1]
        return Bound("range", first.value, first.unit or second.unit, second.value, second.unit or first.unit)
    before, after = text[:first.num_start], text[first.end:]
    for operator, pattern in OPERATOR_BEFORE:
        if pattern.search(before):
            return Bound(operator, first.value, first.unit)
    for operator, pattern in OPERATOR_AFTER:
        if pattern.match(after):
            return Bound(operator, first.value, first.unit)
    if first.qualifier == "at_least":
        return Bound("ge", first.value, first.unit)
    return Bound("eq", first.value, first.unit)
