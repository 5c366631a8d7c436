"""What budget figures and employment metrics read from sentences share: sentences,
labels found by the vocabulary's wordings (longest match wins), bracketed asides,
and the section a passage sits in."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pipelines.parse.layout import Passage
from pipelines.parse.scan import index_of
from pipelines.parse.vocabulary import Term

SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)")
FUND_SECTION = re.compile(r"基金")


class Label(NamedTuple):
    """A wording found in a text (a named tuple, for the speed of making thousands)."""

    start: int
    end: int
    term: Term | None  # None for a generic word (实际支出, 合计)
    kind: str = "item"  # item / generic / total


def other_years(fiscal_year: int | None, back: int = 3, later_words: bool = False) -> re.Pattern[str]:
    """What names a year other than the one evaluated (`back` years before it, two after; its group
    `year`), not as a date (2021年3月); with `later_words`, also 下年/明年."""
    words = r"|下一?年度?|明年" if later_words else ""
    if fiscal_year is None:
        return re.compile(r"(?P<year>(?!))" + words)
    years = "|".join(str(y) for y in range(fiscal_year - back, fiscal_year + 3) if y != fiscal_year)
    return re.compile(rf"(?P<year>{years})\s*年(?!\s*\d{{1,2}}\s*月)" + words)


def part_start_of(sentence: str, pos: int) -> int:
    """Where the part of the sentence that holds `pos` starts (after the last semicolon before it)."""
    return max(sentence.rfind("；", 0, pos), sentence.rfind(";", 0, pos)) + 1


def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, sentence) of each sentence of a passage's text; kept, as both readers ask for them."""
    return _sentences(text)


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    return tuple((m.start(), m.group()) for m in SENTENCE.finditer(text))


def bracket_spans(text: str) -> list[tuple[int, int]]:
    """Bracketed asides that hold a figure (breakdowns, notes) - their figures are not read."""
    return [(m.start(), m.end()) for m in BRACKETS.finditer(text) if re.search(r"\d", m.group())]


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def find_labels(text: str, terms: tuple[Term, ...], extra: list[Label] | None = None) -> list[Label]:
    """Non-overlapping labels, longest first. Only the terms whose anchors occur in the text run
    (scan.py), which finds the same labels as running them all."""
    found = list(extra or [])
    for term in index_of(terms).candidates(text) if terms else ():
        found += [Label(m.start(), m.end(), term) for m in term.pattern.finditer(text) if m.end() > m.start()]
        for context, pattern in term.also:
            ctx = context.search(text)
            if ctx:
                found += [Label(m.start(), m.end(), term) for m in pattern.finditer(text, ctx.end())]
    found.sort(key=lambda lb: (-(lb.end - lb.start), lb.start))
    taken: list[Label] = []
    for lb in found:
        if all(lb.end <= t.start or lb.start >= t.end for t in taken):
            taken.append(lb)
    return sorted(taken, key=lambda lb: lb.start)


def in_fund_section(passage: Passage) -> bool:
    """Under a heading about a fund (失业保险基金): its figures are the fund's, not the unit's."""
    return any(FUND_SECTION.search(h.text) and "专项资金" not in h.text for h in passage.headings)


# A heading that names a sub-unit (「（一）X局本级」「（二）X服务中心」) inside a section about the
# budget: the figures under it are that sub-unit's.
SUBUNIT_HEADING = re.compile(r"^[\u4e00-\u9fa5]{1,20}?(?:本级|机关|局|中心|院|所|站|队|馆|办公室)$")
NOT_SUBUNIT = re.compile(r"情况|工作|管理|分析|建议|问题|目标|绩效|支出|收入|预算|资金|项目|经费|结余|措施|成效")
BUDGET_SECTION = re.compile(r"支出|预算|收支|财务|资金")


# A paragraph that opens with its own numbered sub-unit label: 「（一）局机关：全年支出1,400.00万元…」
INLINE_SUBUNIT = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[、.．])\s*"
                            r"(?P<name>[\u4e00-\u9fa5]{1,20}?(?:本级|机关|局|中心|院|所|站|队|馆|办公室))\s*[：:]")


def heading_org(passage: Passage) -> str | None:
    """The sub-unit the innermost heading names (or the paragraph's own numbered label), when it sits
    under a budget section."""
    if passage.headings and passage.headings[-1].in_table:
        return None
    inline = INLINE_SUBUNIT.match(passage.text)
    if inline is not None and not NOT_SUBUNIT.search(inline.group("name")):
        return inline.group("name") if any(BUDGET_SECTION.search(h.text) for h in passage.headings) else None
    if len(passage.headings) < 2:
        return None
    name = passage.headings[-1].text.strip().rstrip("。：:")
    if not SUBUNIT_HEADING.match(name) or NOT_SUBUNIT.search(name):
        return None
    return name if any(BUDGET_SECTION.search(h.text) for h in passage.headings[:-1]) else None


GOAL_SECTION = re.compile(r"目标|计划")
RESULT_SECTION = re.compile(r"完成|实现|执行|落实|成效|达成")  # 绩效目标完成情况 reports results


# A sentence that opens with its own goal label (「年度目标：城镇新增就业N人，…」) states targets.
GOAL_LEAD = re.compile(r"^\s*(?:\d{4}\s*年度?)?(?:年度|全年|本年度?)?(?:绩效|工作)?目标(?:任务)?\s*[:：]")


def opens_with_goal(sentence: str) -> bool:
    return GOAL_LEAD.match(sentence) is not None


def in_result_section(passage: Passage) -> bool:
    """Under a heading about results (绩效目标完成情况, 工作成效), not a goals-only one."""
    return any(RESULT_SECTION.search(h.text) and not h.in_table for h in passage.headings)


def in_goal_section(passage: Passage) -> bool:
    return any(GOAL_SECTION.search(h.text) and not RESULT_SECTION.search(h.text) for h in passage.headings)


def heading_term(passage: Passage, terms: tuple[Term, ...]) -> Term | None:
    """The item or metric the innermost heading is about, if it names one."""
    return _first_term(passage.headings[-1].text, terms) if passage.headings else None


@lru_cache(maxsize=4096)
def _first_term(text: str, terms: tuple[Term, ...]) -> Term | None:
    labels = find_labels(text, terms)
    return labels[0].term if labels else None
