"""Budget figures stated in prose: '2021年财政决算总支出120.50万元，其中基本支出100.50万元'.

Each money figure takes the nearest item wording before it in its sentence. Generic
words (实际支出, 合计) stand for the sentence's subject. The basis is the last
预算/决算 cue before the figure; 年初 marks an initial budget, which gives way
to a full-year one (全年预算, 调整后, 合计 after an adjustment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pipelines.parse.layout import Passage
from pipelines.parse.numbers import CN_CHARS, Quantity, find_quantities, to_wan_yuan
from pipelines.parse.prose import (
    Label,
    bracket_spans,
    find_labels,
    heading_org,
    heading_term,
    in_fund_section,
    inside,
    other_years,
    part_start_of,
    sentences,
)
from pipelines.parse.vocabulary import Term, Vocabulary

GENERIC = re.compile(r"(?:实际|决算|本年|当年|预算)支出(?:合计|总计|总额)?|支出(?!率|完成|进度)"
                     r"|决算数?|(?:全年|调整后|调整|年初)预算数?|(?:全年|实际)?执行(?:数|金额)?(?!率|情况|进度)")
TOTAL = re.compile(r"合计|总计")
BUDGET_CUE = re.compile(r"(?:全年预算|调整后预算|调整预算|预算|批复|年初|下达)(?!执行率|执行进度|完成率)")
ACTUAL_CUE = re.compile(r"决算|实际|执行(?!率|进度)")
# A label that ends in its basis (收入预算, 支出决算数) names it: its words stay a cue
BASIS_SUFFIX = re.compile(r"(?:预算|决算)数?$")
# 「决算数比预算数减少N万元」, 「支出占全年预算的97%」: what a figure is compared with is no cue of the figures
# after it.
COMPARED_WITH = re.compile(r"(?:比|较|与|对比|占)(?:年初|全年|调整后)?(?:预算|决算|批复)数?")
ADJUST_CUE = re.compile(r"调整|追加")
INITIAL_BUDGET_HEADING = re.compile(r"年初预算(?:安排|情况)?\s*$")  # a section about the initial budget only
CHANGE_BEFORE = re.compile(r"(?:追加|调增|调减|追减|核减|增拨)\s*$")
SKIP_CUE = re.compile(r"上年|去年|同比|减少|增加|下降|增长|节约|超支|增收|减收|占|比(?!例)|较|平均|人均|标准"
                      r"|[≤≥＜＞<>]|不超过|不高于|以内|目标"  # a cap or a goal (「控制：目标≤1.50万元」), not an amount
                      r"|^\s*结转|^\s*结余"  # 「基本支出结转150.00万元」: a carry-over, not the spending
                      r"|^\s*中[，,：:]")  # 「项目支出中，某项目年初安排80万元」: a part of it, not it
DATE_UNITS = {"年", "月", "日"}
# a sentence that may hold a figure: digits, or Chinese numerals
DIGIT = re.compile(rf"\d|[{CN_CHARS}]{{2,}}|[一二三四五六七八九]点")
MAX_GAP = 24
# What may stand between a generic word (支出, 合计) and its figure: 支出就业补贴资金 8291 is no total.
GENERIC_GAP = re.compile(r"^(?:控制在|预算|金额|决算|数|为|是|共|计|合计|总额|了|约|达|实际|全年|年初|同|亦|也|均"
                         r"|：|:|\s)*$")
SPENDING_FAMILIES = {"expenditure", "three_public"}
TOTAL_CODES = {"income_total", "expenditure_total", "three_public_total", "fixed_assets_total", "expenditure_basic"}


@dataclass
class ProseFigure:
    item_code: str
    basis: str
    budget_kind: str  # full / plain / initial (for basis budget)
    amount: Decimal
    unit_text: str
    amount_text: str
    passage: Passage
    start: int
    end: int
    org: str | None = None  # a sub-unit, from the heading of its section
    other_year: bool = False  # its clause names another year: it gives way to a figure of the year evaluated


def _labels(text: str, vocab: Vocabulary, asides: list[tuple[int, int]]) -> list[Label]:
    items = find_labels(text, vocab.budget_items)
    extra = [Label(m.start(), m.end(), None, "generic") for m in GENERIC.finditer(text)]
    extra += [Label(m.start(), m.end(), None, "total") for m in TOTAL.finditer(text)]
    merged = find_labels(text, (), items + extra)
    return [lb for lb in merged if not inside(lb.start, asides)]


def _cue_text(text: str, end: int, labels: list[Label], money_starts: tuple[int, ...] = ()) -> str:
    """The sentence up to `end` with label wordings blanked (so 一般公共预算拨款 is no 预算 cue), except
    those that name their basis (实际收入: the parts after it are actual too); and without the cues
    that an earlier figure right after them took (「全年预算1,000.00万元，收入合计…」: 预算 is that one's)."""
    chars = list(text[:end])
    spans = [(lb.start, lb.end) for lb in labels if lb.term is not None and not ACTUAL_CUE.search(
        text, lb.start, lb.end) and not BASIS_SUFFIX.search(text, lb.start, lb.end)]
    spans += [m.span() for m in COMPARED_WITH.finditer(text, 0, end)]
    if len(money_starts) > 1:  # (with one figure, no cue was taken by another)
        spans += [m.span() for m in BUDGET_CUE.finditer(text, 0, end)
                  if any(m.end() <= s <= m.end() + 2 and s < end - 1 for s in money_starts)
                  and not any(m.end() <= s <= m.end() + 2 for s in money_starts if s >= end - 1)]
    for a, b in spans:
        for k in range(a, min(b, end)):
            chars[k] = " "
    return "".join(chars)


# The words since the figure before decide first (「公务接待费预算5.00万元，支出3.10万元」: the second is spent)
LOCAL_ACTUAL_CUE = re.compile(r"决算|实际|执行(?!率)|(?<!预算)(?<!预算数)支出(?!预算|率|进度|数?[比较])")


def _basis(cues: str, after_adjust: bool, local_from: int = 0) -> tuple[str, str]:
    local = cues[local_from:]
    if BUDGET_CUE.search(local) or LOCAL_ACTUAL_CUE.search(local):
        last_budget = max((m.end() for m in BUDGET_CUE.finditer(local)), default=-1)
        last_actual = max((m.end() for m in LOCAL_ACTUAL_CUE.finditer(local)), default=-1)
        if last_actual > last_budget:
            return "actual", "plain"
    last_budget = max((m.end() for m in BUDGET_CUE.finditer(cues)), default=-1)
    last_actual = max((m.end() for m in ACTUAL_CUE.finditer(cues)), default=-1)
    if last_budget > last_actual:
        word = [m.group() for m in BUDGET_CUE.finditer(cues)][-1]
        if after_adjust or word in {"全年预算", "调整后预算", "调整预算"}:
            return "budget", "full"
        return "budget", "initial" if "年初" in cues[max(0, last_budget - 12):last_budget] else "plain"
    return "actual", "plain"


CLAUSE_BREAK = re.compile(r"[，；;。]|,(?!\d{3}(?!\d))")
PAST_WORD = re.compile(r"上年(?!结转)|去年|上一年度?|上年度|同期")


def _clause_start(sentence: str, pos: int) -> int:
    cut = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, pos)]
    return cut[-1] if cut else 0


def _subject(sentence: str, labels: list[Label], money: tuple[int, ...], default: Term | None) -> Term | None:
    """The item a sentence is about: the first it names before its first figure of money (at `money`),
    unless that one opens the parts of an unnamed whole (「全年预算数X万元，实际支出Y万元，其中基本支出Z万元」:
    the total)."""
    specific = [lb for lb in labels if lb.term is not None]
    named = [lb for lb in specific if not money or lb.start < money[0]]
    parts_only = bool(specific) and "其中" in sentence[max(0, specific[0].start - 3):specific[0].start]
    return named[0].term if named and not parts_only else default


def read_budget_prose(passages: list[Passage], vocab: Vocabulary, department: bool = True,
                      fiscal_year: int | None = None) -> list[ProseFigure]:
    """Budget figures of the passages; in a project's form (department False) a generic word (支出, 预算)
    is that project's money and names no item of the unit."""
    figures: list[ProseFigure] = []
    # a year other than the one evaluated, named before an item in its clause: its figure gives way to
    # any of the evaluated year (a report may also misname its own year, so it is not dropped)
    other_year = other_years(fiscal_year)
    undecided: list[ProseFigure] = []  # budget figures that may be the income's or the spending's
    for passage in passages:
        if "元" not in passage.text or in_fund_section(passage):
            continue  # (a figure of money names its unit: 元, 万元, 亿元)
        section_subject = heading_term(passage, vocab.budget_items)
        initial_budget_section = bool(passage.headings) and INITIAL_BUDGET_HEADING.search(passage.headings[-1].text)
        org = heading_org(passage)
        subject: Term | None = section_subject
        carried: str | None = None  # a sentence with figures, none of money: its subject, worked out if asked
        for offset, sentence in sentences(passage.text):
            if not DIGIT.search(sentence):
                subject, carried = section_subject, None  # a sentence with no figure gives none to the next
                continue
            parts = sentence.lstrip().startswith("其中")
            if "元" not in sentence:  # no figure of money (元, 万元, 亿元): it reads none, and only the item it
                carried = carried if parts else sentence  # names goes on, to a sentence of parts after it
                continue
            if carried is not None and parts:
                subject = _subject(carried, _labels(carried, vocab, bracket_spans(carried)), (), section_subject)
            carried = None
            asides = bracket_spans(sentence)
            labels = _labels(sentence, vocab, asides)
            dated_sentence: bool | None = None  # whether the sentence names another year: asked when needed
            money_starts: tuple[int, ...] | None = None  # where its money figures start: likewise
            specific = [lb for lb in labels if lb.term is not None]
            if not parts:
                subject = _subject(sentence, labels, tuple(q.start for q in find_quantities(sentence)
                                                            if to_wan_yuan(q) is not None), section_subject)
            previous_end = 0
            last: ProseFigure | None = None
            first_of_sentence = len(figures)


            for q in find_quantities(sentence):
                amount = to_wan_yuan(q)
                if amount is not None and inside(q.start, asides):
                    child = _bracketed_part(sentence, offset, q, amount, asides, last, passage, vocab)
                    if child is not None:
                        figures.append(child)
                if amount is None or inside(q.start, asides):
                    if q.unit not in DATE_UNITS:  # 「2023年末结转和结余」: the year leaves the label whole
                        previous_end = max(previous_end, q.end)
                    continue
                before = [lb for lb in labels if lb.end <= q.start and lb.start >= previous_end]
                figure_before, previous_end = previous_end, q.end
                if not before or q.start - before[-1].end > MAX_GAP:
                    continue
                label = before[-1]
                if "基金" in sentence[max(0, label.start - 4):label.start]:
                    continue  # a fund's balance, not the unit's
                if CHANGE_BEFORE.search(sentence, max(0, label.start - 4), label.start):
                    continue  # 「追加人员经费5.20万元」: what the year added, not the item's budget
                gap = sentence[label.end:q.start]
                if SKIP_CUE.search(gap) or (label.term is None and not GENERIC_GAP.match(gap)):
                    continue
                if PARTS_GAP.search(gap) and not SUM_GAP.search(gap):
                    continue  # 「商品和服务支出主要为考务劳务费186.40万元」: a part's figure, not the item's
                dated_other = False
                if dated_sentence is None:
                    dated_sentence = bool(PAST_WORD.search(sentence) or other_year.search(sentence))
                if dated_sentence:
                    before_label = sentence[_clause_start(sentence, label.start):label.start]
                    if PAST_WORD.search(before_label):
                        continue  # 「上年末固定资产原值为…」: last year's figure
                    part = sentence[part_start_of(sentence, label.start):label.start]
                    if fiscal_year and any(int(m.group("year")) > fiscal_year for m in other_year.finditer(part)):
                        continue  # a later year's plan, and its parts (「2019年度预算安排X万元，其中基本支出Y万元」)
                    dated_other = other_year.search(before_label) is not None  # 「与2021年支出合计…相比」
                if label.term is None:  # 「一般公共预算财政拨款调整预算6,000.00万元」: the item right before the word
                    named = next((lb for lb in specific if lb.end == label.start), None)
                    label = Label(named.start, label.end, named.term) if named is not None else label
                after_item = sentence[max([0, *[lb.end for lb in specific if lb.end <= label.start]]):label.start]
                if label.term is None and LISTED.search(after_item):
                    continue  # 「项目支出…主要包括：某专项经费，全年预算X万元」: the listed thing's, not the item's
                whole_term = _whole_named_by_parts(sentence, q, labels, vocab) if label.term is None else None
                term = whole_term or _resolve(label, labels, subject, vocab, department,
                                              part_start_of(sentence, label.start))
                if term is None:
                    if label.term is None and BUDGET_CUE.search(sentence, label.start, label.end):
                        full = re.search(r"全年|调整后", sentence[max(0, label.start - 4):q.start])
                        kind = "full" if full else "plain"
                        undecided.append(ProseFigure("expenditure_total", "budget", kind, amount, q.unit, q.text,
                                                     passage, offset + label.start, offset + q.end))
                        # (全年预算X万元: the income's or the spending's? the execution rate decides, below)
                    continue
                if whole_term is None:
                    term = _part_for_whole(term, label, specific, figures[first_of_sentence:])
                if money_starts is None:
                    money_starts = tuple(f.start for f in find_quantities(sentence) if to_wan_yuan(f) is not None)
                cues = _cue_text(sentence, q.start, labels, money_starts)
                after_adjust = label.kind == "total" and bool(ADJUST_CUE.search(sentence[:label.start]))
                basis, kind = _basis(cues, after_adjust, figure_before)
                if basis == "actual" and initial_budget_section and not ACTUAL_CUE.search(cues):
                    basis, kind = "budget", "initial"  # 「（1）：年初预算」 heads a figure with no word of its own
                local = cues[figure_before:]
                whole = None if BUDGET_CUE.search(local) or LOCAL_ACTUAL_CUE.search(local) else _whole_of_parts(
                    sentence, offset, label.start, figures[first_of_sentence:])
                if whole is not None and term.parent == whole.item_code:
                    basis, kind = whole.basis, whole.budget_kind  # parts after 其中 with no basis word: their whole's
                words = sentence[label.start:label.end]
                if label.term is not None and ACTUAL_CUE.search(words):
                    basis, kind = "actual", "plain"  # the wording names its basis (实际收入, 决算数)
                elif label.term is None and label.kind == "generic" and BUDGET_CUE.search(words):
                    # a budget word is its own figure's basis, even as the term of a comparison (较年初预算X)
                    basis = "budget"
                    kind = "initial" if "年初" in words else "full" if re.search(r"全年|调整", words) else "plain"
                elif (basis == "budget" and term.code == "expenditure_total" and "支出" in words
                      and "预算" not in words and not BUDGET_CUE.search(cues, figure_before)
                      and "其中" not in sentence[figure_before:label.start] and any(
                          f.item_code == "expenditure_total" and f.basis == "budget"
                          for f in figures[first_of_sentence:])):
                    basis, kind = "actual", "plain"  # 「全年预算数X万元，本年支出合计Y万元」: the spending itself
                last = ProseFigure(term.code, basis, kind, amount, q.unit, q.text, passage,
                                   offset + label.start, offset + q.end, org, dated_other)
                figures.append(last)
                whole_part = _whole_is_one_part(sentence, offset, q, last, labels)
                if whole_part is not None:
                    figures.append(whole_part)
            figures += _budget_as_comparison_term(sentence, offset, figures[first_of_sentence:])
            figures += _all_in_use(sentence, offset, figures[first_of_sentence:])
    if undecided:  # the execution rates the report states decide them
        rates = [Decimal(m.group("rate")) for p in passages for m in EXECUTION_RATE.finditer(p.text)]
        figures += _budget_by_execution_rate(undecided, figures, rates)
    return figures


ALL_IN_USE = re.compile(r"(?:全部|均)(?:为|是)在用")


def _all_in_use(sentence: str, offset: int, stated: list[ProseFigure]) -> list[ProseFigure]:
    """「固定资产原值120.00万元，全部为在用资产」: the assets in use are the whole."""
    said = ALL_IN_USE.search(sentence)
    if said is None or any(f.item_code == "fixed_assets_in_use" for f in stated):
        return []
    total = next((f for f in reversed(stated) if f.item_code == "fixed_assets_total"
                  and f.end <= offset + said.start()), None)
    return [] if total is None else [replace(total, item_code="fixed_assets_in_use", end=offset + said.end())]


def _whole_named_by_parts(sentence: str, q: Quantity, labels: list[Label], vocab: Vocabulary) -> Term | None:
    """A generic figure (调整预算12.00万元) followed by 「其中」 and parts of one whole is that whole."""
    rest = sentence[q.end:q.end + 4]
    if "其中" not in rest:
        return None
    after = [lb.term for lb in labels if lb.start >= q.end and lb.term is not None][:3]
    parents = {t.parent for t in after}
    if len(after) < 1 or len(parents) != 1 or None in parents:
        return None
    return vocab.budget_item(parents.pop())


COMPARISON_CLAUSE = re.compile(r"[，,]\s*(?:比|较|同比|与)")


def _whole_of_parts(sentence: str, offset: int, pos: int, stated: list[ProseFigure]) -> ProseFigure | None:
    """The figure whose parts a list after 其中 gives, when `pos` is in that list (up to a semicolon)."""
    part = sentence[part_start_of(sentence, pos):pos]
    k = part.rfind("其中")
    if k < 0:
        return None
    at = offset + part_start_of(sentence, pos) + k
    before = [f for f in stated if f.end <= at]
    if len(before) < 2:
        return before[-1] if before else None
    # the report's arithmetic: of the figures before 其中 (「支出5.80万元，年初预算7.00万元，其中A4.30万元，
    # B1.50万元」), the whole is the one the listed parts add up to; else the nearest
    start = part_start_of(sentence, pos) + k
    end = min([i for i in (sentence.find("；", start), sentence.find(";", start)) if i >= 0], default=len(sentence))
    compared = COMPARISON_CLAUSE.search(sentence, start, end)  # 「…，比预算减少0.24万元」 is no part
    end = compared.start() if compared else end
    parts = [a for q in find_quantities(sentence[start:end]) if (a := to_wan_yuan(q)) is not None]
    total = sum(parts, Decimal(0))
    adding_up = [f for f in before if len(parts) >= 2 and abs(f.amount - total) <= Decimal("0.006")]
    return adding_up[-1] if adding_up else before[-1]


# A budget stated only as the term of a comparison: 「比预算2.50万元节约0.64万元」「完成预算4.10万元的79.51%」
COMPARED_BUDGET = re.compile(r"(?:比|较)(?:年初|全年|调整后)?预算(?:数)?\s*(?P<budget>\d)[^，。；、]*?"
                             r"(?P<verb>节约|节省|减少|少|超支|增加|多)了?\s*(?P<diff>\d)")
COMPLETED_BUDGET = re.compile(r"完成(?:年度|全年)?预算(?:数)?\s*(?P<budget>\d)[^，。；、]*?的\s*"
                              r"(?P<rate>\d+(?:\.\d+)?)\s*%")


def _budget_as_comparison_term(sentence: str, offset: int, stated: list[ProseFigure]) -> list[ProseFigure]:
    """The budget a sentence gives only as the term of a comparison with an actual figure it states
    before: kept only when the sentence's own arithmetic (actual ± difference, actual ÷ rate) gives it."""
    out: list[ProseFigure] = []
    if "预算" not in sentence or not stated:
        return out
    money = [(q, a) for q in find_quantities(sentence) if (a := to_wan_yuan(q)) is not None]

    def figure_at(pos: int) -> tuple[Quantity, Decimal] | None:  # (a figure may open with 约)
        return next(((q, a) for q, a in money if q.start <= pos < q.end), None)

    for m in [*COMPARED_BUDGET.finditer(sentence), *COMPLETED_BUDGET.finditer(sentence)]:
        budget = figure_at(m.start("budget"))
        diff = figure_at(m.start("diff")) if "diff" in m.groupdict() else None
        if budget is None or ("diff" in m.groupdict() and diff is None):
            continue
        q, amount = budget
        actual = next((f for f in stated if f.basis == "actual" and f.end <= offset + m.start()
                       and not f.other_year and _comparison_holds(m, f.amount, amount, diff)), None)
        if actual is not None:
            out.append(ProseFigure(actual.item_code, "budget", "plain", amount, q.unit, q.text, actual.passage,
                                   offset + m.start(), offset + q.end, actual.org))
    return out


def _comparison_holds(m: re.Match[str], actual: Decimal, budget: Decimal,
                      diff: tuple[Quantity, Decimal] | None) -> bool:
    if diff is not None:  # 节约/减少 X: actual + X is the budget; 超支/增加 X: actual - X
        sign = -1 if m.group("verb") in ("超支", "增加", "多") else 1
        return actual + sign * diff[1] == budget
    rate = Decimal(m.group("rate"))  # 完成预算B的R%: actual / B is R% to the last digit written
    step = Decimal(1).scaleb(rate.as_tuple().exponent)
    return budget != 0 and abs(actual / budget * 100 - rate) <= step


LISTED = re.compile(r"包括[：:]|主要有[：:]|分别是[：:]|^中[，,：:]")
# Between an item and a figure: a part named (主要为X…), unless a sum follows it (…等，共计)
PARTS_GAP = re.compile(r"主要(?:为|是|包括|用于|有)|包括|其中")
SUM_GAP = re.compile(r"共计|合计|总计|累计|共$|总额")
EXECUTION_RATE = re.compile(r"(?:预算)?执行率(?:为|达到?|是)?\s*(?P<rate>\d+(?:\.\d+)?)\s*%")


def _budget_by_execution_rate(undecided: list[ProseFigure], stated: list[ProseFigure],
                              rates: list[Decimal]) -> list[ProseFigure]:
    """A budget figure with no item of its own (「全年预算50.00万元，资金全部为一般公共预算财政拨款」) is the
    spending's budget when a budget execution rate the report states equals its actual total spending
    divided by it: the report's own arithmetic decides; otherwise it is left out."""
    spent = {f.amount for f in stated if f.item_code == "expenditure_total" and f.basis == "actual" and f.org is None}
    return [f for f in undecided if f.amount and any(
        abs(a / f.amount * 100 - r) <= Decimal("0.05") for a in spent for r in rates)]


WHOLE_IS_PART = re.compile(r"\s*[，,]?\s*(?:全部|均|全)(?:为|是|系|用于)\s*")


def _whole_is_one_part(sentence: str, offset: int, q: Quantity, whole: ProseFigure,
                       labels: list[Label]) -> ProseFigure | None:
    """「“三公”经费支出2.00万元，全部为公务用车运行维护费」: the one part named right after a whole, with
    no figure of its own, has the whole's amount."""
    m = WHOLE_IS_PART.match(sentence, q.end)
    part = next((lb for lb in labels if m and lb.start == m.end()), None)
    if part is None or part.term is None or part.term.parent != whole.item_code:
        return None
    after = sentence[part.end:part.end + 3]
    if DIGIT.match(after.lstrip("：:")):
        return None  # 「全部为基本支出2443.99万元」 states its own figure
    return ProseFigure(part.term.code, whole.basis, whole.budget_kind, whole.amount, whole.unit_text,
                       whole.amount_text, whole.passage, offset + part.start, offset + part.end, whole.org,
                       whole.other_year)


# What may stand between a whole and the bracket of its parts: nothing, or its share (「，占41.35%」)
BEFORE_PARTS = re.compile(r"^.{0,2}$|^\s*[，,]\s*占[^（(，,。；]{0,14}$")


def _bracketed_part(sentence: str, offset: int, q: Quantity, amount: Decimal, asides: list[tuple[int, int]],
                    parent: ProseFigure | None, passage: Passage, vocab: Vocabulary) -> ProseFigure | None:
    """A figure in brackets right after its whole ('预算2443.99万元（全部为基本支出2443.99万元）')
    is read when its wording names a part of that whole; other bracketed figures are asides."""
    if parent is None:
        return None
    start, _ = next(span for span in asides if span[0] <= q.start < span[1])
    if not BEFORE_PARTS.match(sentence[parent.end - offset:start]):
        return None
    labels = find_labels(sentence[start:q.start], vocab.budget_items)
    if not labels or q.start - (start + labels[-1].end) > MAX_GAP:
        return None
    term = labels[-1].term
    if term is None or term.parent != parent.item_code:
        return None
    return ProseFigure(term.code, parent.basis, parent.budget_kind, amount, q.unit, q.text, passage,
                       offset + start + labels[-1].start, offset + q.end, parent.org)


def _part_for_whole(term: Term, label: Label, specific: list[Label], stated: list[ProseFigure]) -> Term:
    """A whole's wording (基本支出) in a sentence whose subject is one part of it, named alone and
    with no figure of its own, stands for that part: 「公用经费基本支出主要用于日常运行支出，基本
    支出 X 万元」 is the 公用经费."""
    parts = {lb.term.code: lb.term for lb in specific
             if lb.end <= label.start and lb.term is not None and lb.term.parent == term.code}
    subject = specific[0].term if specific else None
    if len(parts) != 1 or subject is None or subject.code not in parts:
        return term
    if any(f.item_code == subject.code for f in stated):
        return term
    return subject


def _resolve(label: Label, labels: list[Label], subject: Term | None, vocab: Vocabulary,
             department: bool = True, part_start: int = 0) -> Term | None:
    """The item a label stands for; generic words take the sentence's subject."""
    if label.term is not None:
        return label.term
    earlier = [lb.term for lb in labels if lb.term is not None and lb.end <= label.start]
    if label.kind == "total":
        return earlier[0] if earlier and earlier[0].code in TOTAL_CODES else None
    # within the part of the sentence the word is in (after a semicolon), the item named last;
    # a part that names none speaks of the sentence's subject
    in_part = [lb.term for lb in labels if lb.term is not None and part_start <= lb.start and lb.end <= label.start]
    spending = [t for t in in_part if t.family in SPENDING_FAMILIES]
    if spending:
        return spending[-1]
    if not in_part and subject is not None and subject.family in SPENDING_FAMILIES:
        return subject
    spending = [t for t in earlier if t.family in SPENDING_FAMILIES]
    if spending:
        return spending[-1]
    if subject is not None and subject.family in SPENDING_FAMILIES:
        return subject
    if any(t.family != "income" for t in earlier) or not department:
        return None
    if any(lb.term is not None and lb.term.family == "income" for lb in labels if lb.start > label.start):
        return None  # 「年初预算0.90亿元，…，全年预算收入1.20亿元」: the sentence may be about income
    return vocab.budget_item("expenditure_total")
