"""Employment metrics from sentences and table cells.

A metric's wording opens a statement that runs to the next wording in the sentence.
Each figure of a fitting unit in it is the result, the target (任务数, 目标, 控制在,
'…人的目标任务', or a figure in a target cell / a goal section without a verb of
achievement) or the completion rate ('完成…任务的N%'). A figure right before a
wording in the same clause belongs to it ('完成130人的职业技能认定').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.parse.layout import Passage
from pipelines.parse.numbers import Quantity, find_quantities
from pipelines.parse.prose import (
    Label,
    find_labels,
    heading_term,
    in_fund_section,
    in_goal_section,
    opens_with_goal,
    other_years,
    part_start_of,
    sentences,
)
from pipelines.parse.scan import Guarded, index_of
from pipelines.parse.vocabulary import Term, Vocabulary

TARGET_CUE = re.compile(r"任务数|任务|目标|计划|控制在|预期|省定|下达|指导性|指标值|不少于|不低于|不超过|不高于")
# A sentence that says its figures are someone else's (「作为对比，全区…，非本所工作量」)
_OURS = r"(?:单位|所|站|中心|局|部门|机关|院|队|厅|委|校)"
NOT_THE_UNITS = Guarded(re.compile(rf"作为对比|作为参照|仅供参考|以供参考|(?:非|不属于|不是)[本我]{_OURS}"
                           rf"|不计入[本我]{_OURS}的?绩效|不含在本报告|不计入本报告"
                           # (another body did it, the unit helped: 「…本中心只负责初审」)
                           rf"|[本我]{_OURS}(?:只|仅)(?:负责|承担|参与|配合|协助)"
                           # (「…均为全市人社系统汇总数」: figures of the whole city)
                           r"|(?:均|皆|都)?为全(?:省|市|区|县|州|盟)[^。；，]{0,12}(?:汇总|统计)数"))
# A sentence that says so of the sentences before it in its paragraph (「上述数据为全省汇总数，…不是本中心的…」)
NOT_THE_UNITS_ABOVE = re.compile(r"^\s*(?:上述|以上)(?:数据|数字|指标|情况)?[^。；]{0,30}?"
                                 rf"(?:全省|全市|全区|全县|全国|全州|汇总数|(?:非|不属于|不是)[本我]{_OURS}"
                                 r"|为?计划数|不属于本年度?)")  # (「以上为计划数，不属于本年度完成情况」: plans)
# Two figures of one unit joined by a slash after a goal word: the result, then the target
SLASH_PAIR_AFTER = re.compile(r"[^\d\s/，。；]{0,2}\s*/\s*[≥≤]?\d")
SLASH_PAIR_BEFORE = re.compile(r"\d[^\d\s/，。；]{0,2}\s*/\s*[≥≤]?$")
# A sign that makes the figure after it a bound, so a target (「创业培训人数 ≥300 人 341 人」)
BOUND_SIGN = re.compile(r"(?:[≥≤＞＜]|[<>]=?)\s*$")
# Words that make a figure a result even in a goal sentence (「年度目标：…，实际完成2315人」)
STRONG_ACTUAL = re.compile(r"实际|完成值|实现值|已完成|完成了|累计完成|全年完成|共完成|截至|截止")
RESULT_CUE = re.compile(r"完成|实际|实现|已|达到")
# 「目标任务是：」「绩效目标还包括：」「目标责任书确定：」「绩效目标，主要是：」
_GOAL_VERB = r"(?:目标|任务|计划)(?:任务|责任书)?(?:[，,]\s*)?(?:主要|还|也|具体)?(?:为|是|包括|如下|确定)"
# (「…如下（经批复）：」, 「确定了以下年度目标：」)
GOAL_LEAD_END = re.compile(_GOAL_VERB + r"\s*(?:[（(][^（）()]{0,30}[）)])?\s*[:：]\s*$"
                           r"|(?:以下|下列)(?:年度|绩效|工作|主要)*目标(?:任务)?\s*[:：]\s*$")
# A paragraph that opens a list of goals (「…主要目标为：A；B；」) and is cut at a semicolon: the list goes on
GOAL_LEAD_IN = re.compile(_GOAL_VERB + r"\s*[:：]")
# Inside a sentence, what follows 「目标任务是：」「主要目标为：」 is a list of goals
GOAL_INLINE = Guarded(re.compile(_GOAL_VERB + r"\s*[:：]?"
                         r"|(?:绩效|年度|工作)?(?:目标|任务)\s*[:：]"
                         r"|(?:重点|主要)?(?:做好|抓好|完成|推进)?[一二三四五六七八九十两\d]{1,2}项(?:重点|主要)?(?:工作|任务)\s*[:：]"))
# (not a bracketed aside: in 「N人（目标M人）」 the target is the figure in the brackets)
TARGET_AFTER = re.compile(r"^\s*的?\s*[^，。；,;\d（(]{0,4}(?:目标|任务|计划)")
# 「完成任务的N%」, 「完成全年目标任务（M人）的N%」, 「完成率为N%」
COMPLETION_CUE = re.compile(r"(?:任务|目标|计划|任务数)(?:[（(][^（）()]{0,12}[）)])?[^，；。]{0,10}的\s*$"
                            r"|完成率(?:为|达)?\s*$")
# Verbs of achievement: in a section about goals, a figure after one of them is a result
ACHIEVED = re.compile(r"完成|实现|已|达到|达|累计|共|截至|截止|开展|组织|举办|发放|开发|提供|促进|帮扶|吸纳"
                      r"|办结|受理|新增发放|培训了")
SKIP_CUE = re.compile(r"额度|最高|标准|由|提高至|提高到|上限|每人|每户|同比|增长|下降|减少|增加|占"
                      r"|比(?:目标|计划|任务)?[多少]"  # (比目标多6场: a difference)
                      r"|较(?:年度|全年)?(?:目标|计划|任务)数?(?:多|少|超)出?"  # (较年度目标多出N件: likewise)
                      r"|比上年|较上年|去年|上年|预算|决算|结转|结余")  # (a budget figure is no metric)
# (a comma between digit groups, 1,234, is a thousands separator, not a break)
CLAUSE_BREAK = re.compile(r"[，；;、。]|,(?!\d{3}(?!\d))")
PHRASE_BREAK = re.compile(r"[，；;。]|,(?!\d{3}(?!\d))")
RESPECTIVELY = "分别"
MAX_REACH = 30  # characters from a wording (or its last figure) to the next figure it can take
# 「公益性岗位补贴、社保补贴等由…安排，共拨付N万元」: the wording closes a list with 等, so N is the list's
LIST_CLOSED = re.compile(r"\s*等(?![\d级次])")


@dataclass
class Statement:
    term: Term
    passage: Passage
    start: int  # in passage text
    end: int
    context: str
    actual: Quantity | None = None
    actual_value: Decimal | None = None
    target: Quantity | None = None
    target_value: Decimal | None = None
    completion: Decimal | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    section_target: bool = False  # a target only because the section is about goals or follows a goal lead
    paired: bool = False  # the result is stated against the target in words (任务数300人，已完成312人)
    after_skip: bool = False  # the last figure read was not this metric's: a rate after it is not either
    offset: int = 0  # where the sentence starts in the passage text (the figures' positions are the sentence's)
    later: list[tuple[Quantity, Decimal]] = field(default_factory=list)  # results read after the first one


def rate_fits(actual: Decimal | None, target: Decimal | None, rate: Decimal | None) -> bool:
    """A stated completion rate agrees with actual ÷ target (to the rounding reports use)."""
    if actual is None or not target or rate is None:
        return False
    return abs(actual / target * 100 - rate) <= max(Decimal("0.6"), rate * Decimal("0.005"))


def _by_arithmetic(st: Statement) -> None:
    """「新认定就业困难人员301人，帮助其中286人实现就业（目标260人），完成率110.00%」: when the first
    result does not give the stated rate against the stated target and exactly one later figure of the
    same wording does, that one is the result."""
    if st.actual_value is None or st.completion is None or rate_fits(st.actual_value, st.target_value,
                                                                      st.completion):
        return
    fitting = [(q, v) for q, v in st.later if rate_fits(v, st.target_value, st.completion)]
    if len(fitting) == 1:
        st.actual, st.actual_value = fitting[0]
        st.spans.append((st.offset + st.actual.start, st.offset + st.actual.end))


def _value(term: Term, q: Quantity, vocab: Vocabulary) -> Decimal | None:
    factor = vocab.units[term.unit].get(q.unit)
    return None if factor is None else q.value * factor


def _clause_start(sentence: str, pos: int, breaks: re.Pattern[str] = CLAUSE_BREAK) -> int:
    cut = [m.end() for m in breaks.finditer(sentence, 0, pos)]
    return cut[-1] if cut else 0


# 「截至6月底…务工规模为9.84万人」, 「1-6月再就业6738人」, 「上半年…」: a figure for part of the year, no result
PART_OF_YEAR = re.compile(r"(?:截至|截止|到)\s*(?:[1-9]|[一二三四五六七八九]|十一?)\s*月(?![\d〇一二])"
                          r"|(?<![\d.])(?:1|一)\s*[-—–~至]\s*(?:[1-9]|1[01]|[二三四五六七八九]|十一?)\s*月"
                          r"|上半年|前三季度|第?[一二三]季度")


def _role(sentence: str, q: Quantity, window_start: int, context: str, goal: str,
          other: re.Pattern[str] | None = None) -> str:
    """actual / target / skip for a figure of a statement. goal: 'lead' for a first figure after a goal
    label (「年度目标：」, 「目标任务是：」), a target unless 实际/完成值 says otherwise; 'section' for one in a
    section about goals, a target unless a verb of achievement says otherwise. other: what names another
    year, whose plans and results are neither this year's result nor its goal."""
    window = sentence[window_start:q.start]
    clause = sentence[_clause_start(sentence, q.start, PHRASE_BREAK):q.start]
    if (SKIP_CUE.search(window) or (other is not None and _planned(sentence, q.start, other))
            or PART_OF_YEAR.search(sentence, part_start_of(sentence, q.start), q.start)):
        return "skip"
    if context == "target_cell":
        return "target"
    if SLASH_PAIR_AFTER.match(sentence, q.end):  # 「（18场/20场）」: done / planned
        return "actual"
    if SLASH_PAIR_BEFORE.search(sentence[max(0, q.start - 16):q.start]):
        return "target"
    if TARGET_CUE.search(window) or BOUND_SIGN.search(window) or TARGET_AFTER.match(sentence[q.end:]):
        return "target"
    if context == "prose" and (goal == "lead" and not STRONG_ACTUAL.search(clause)
                               or goal == "section" and not ACHIEVED.search(clause)):
        return "target"
    return "actual"


RESPECTIVE = re.compile(r"分别(?:为|是|达到|达|完成了?|实现|有)?\s*")
LIST_GAP = re.compile(r"^\s*(?:[、和及与,，]|以及)?\s*$")


def _respective_lists(sentence: str, labels: list[Label], quantities: tuple[Quantity, ...]) -> dict[int, tuple]:
    """Figures of 「A、B、C分别为X、Y、Z」: start of each figure -> (its wording, where its role's words
    start). A list of figures after 分别 with no wordings of its own (「（目标任务分别为X、Y、Z）」) takes
    those of the list before it."""
    out: dict[int, tuple] = {}
    previous: list[Label] = []
    for m in RESPECTIVE.finditer(sentence):
        named = [lb for lb in labels if lb.end <= m.start()]
        run: list[Label] = []
        for lb in reversed(named):  # the wordings joined by 、/和 that end right before 分别
            end = run[0].start if run else m.start()
            if not LIST_GAP.match(sentence[lb.end:end]) and not (not run and sentence[lb.end:end].strip() in
                                                                   ("", "的")):
                break
            run.insert(0, lb)
        figures = []
        for q in quantities:
            if q.start < m.end() or q.unit in ("%", "个百分点") and not figures:
                continue
            gap = sentence[figures[-1].end if figures else m.end():q.start]
            if figures and not LIST_GAP.match(gap) or not figures and gap.strip():
                break
            figures.append(q)
        wordings = run if len(run) >= 2 else previous
        if len(wordings) >= 2 and len(figures) == len(wordings):
            window = _clause_start(sentence, m.start(), PHRASE_BREAK)
            out.update({q.start: (lb, window) for q, lb in zip(figures, wordings, strict=True)})
            previous = wordings
    return out


# After a semicolon a wording reaches on only into its own value fields (「指标值8000人；完成值8746人」)
VALUE_FIELD = re.compile(r"^\s*(?:完成值|实际完成|实际|实现值|完成|指标值|目标值|年度指标值|全年)")


def _past_semicolon(gap: str) -> bool:
    """A figure after a semicolon that does not open a value field of the wording (「招聘活动；指导7个…」)."""
    return "；" in gap and not VALUE_FIELD.match(gap.rsplit("；", 1)[1])


JOINED_BEFORE = re.compile(r"[及和与]\s*$")
JOINED_AFTER = re.compile(r"^[^，,；;。\d]{0,3}[及和与][^，,；;。\d]{2,}")


def _joined(sentence: str, label: Label, q: Quantity) -> bool:
    """The wording is one of two things joined by 及/和/与 before a shared figure (「失业保险金及稳岗返还
    资金共计N万元」): the figure is their sum, not this metric's."""
    gap = sentence[label.end:q.start]
    if RESPECTIVELY in gap or PHRASE_BREAK.search(gap):
        return False
    return bool(JOINED_BEFORE.search(sentence[:label.start]) or JOINED_AFTER.match(gap))


# Counts of different things (5场 of job fairs, 3,000个 posts): one is not the other's target
COUNT_WORDS = frozenset("场个次条家件起宗户期笔项批所")


def _closes_list(sentence: str, label: Label) -> bool:
    """The wording is the last of a list that 等 closes (「A、B等共计N」): a figure after it is the list's."""
    return (LIST_CLOSED.match(sentence, label.end) is not None
            and "、" in sentence[_clause_start(sentence, label.start, PHRASE_BREAK):label.start])


def _other_kind(actual: Quantity | None, q: Quantity) -> bool:
    """`q` counts another kind of thing than the statement's result (「提供岗位3,280个，完成不少于5场、3,000个
    的目标」: 5场 is the fairs' target, not the posts')."""
    return (actual is not None and actual.unit != q.unit and actual.unit in COUNT_WORDS
            and q.unit in COUNT_WORDS)


def _kept_within(sentence: str, q: Quantity | None) -> bool:
    """A figure read as a target only because it follows 控制在 (a ceiling kept or a result)."""
    return q is not None and sentence[max(0, q.start - 4):q.start].rstrip().endswith("控制在")


ANY_YEAR = re.compile(r"(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)")
PLAN_WORD = re.compile(r"[^，,；;。]{0,6}?(?:计划|目标|力争|预计|拟|将|工作安排|任务)")


def _planned(sentence: str, pos: int, other: re.Pattern[str]) -> bool:
    """A figure at `pos` belongs to another year: a later year's plan or an earlier year's result. Another
    year names its clause, opens the part of the sentence it is in (「2024年计划…」, up to a semicolon),
    or opens the bracket it stands in (「（2021年受理156件、办结151件）」)."""
    part = sentence[:pos].rsplit("；", 1)[-1].rsplit(";", 1)[-1]
    clause = part[_clause_start(part, len(part), PHRASE_BREAK):]
    if other.search(clause):
        return True
    opening = other.match(part.lstrip())
    if opening and not ANY_YEAR.search(part.lstrip(), opening.end()):
        return True  # 「2023年，中心将…开展职业技能培训8500人次」: the sentence is about that year, up to another
    aside = max(part.rfind("（"), part.rfind("("))
    if aside > max(part.rfind("）"), part.rfind(")")) and other.match(part, aside + 1):
        return True
    return any(PLAN_WORD.match(part, m.end()) for m in other.finditer(part))


def future_years(fiscal_year: int | None) -> re.Pattern[str]:
    """What names a year after the one evaluated: its plans are no result and no goal of this year."""
    later = "|".join(str(y) for y in (fiscal_year + 1, fiscal_year + 2)) if fiscal_year else ""
    return re.compile(rf"(?:{later})\s*年|下一?年度?|明年" if later else r"下一?年度?|明年")


def read_metrics(passages: list[Passage], vocab: Vocabulary, fiscal_year: int | None = None) -> list[Statement]:
    statements: list[Statement] = []
    future = future_years(fiscal_year)
    innermost = {id(h): h for p in passages for h in p.headings[-1:]}  # (a heading is over many passages)
    later = {key for key, h in innermost.items() if future.search(h.text)}  # headings of a later year
    other = other_years(fiscal_year, back=5, later_words=True)
    led = False  # the passage before ended in a goal label (「2022年主要目标为：」): this one lists goals
    disowned_up_to = _disowned(passages)
    for passage in passages:
        after_lead = led
        # a goal label (「目标如下：」) leads the passage after it, and a list of goals goes on while its items
        # end in semicolons (「1. 城镇新增就业1,200人；」 a passage each)
        led = (passage.text.rstrip().endswith(("：", ":")) and GOAL_LEAD_END.search(passage.text) is not None
               or (after_lead or GOAL_LEAD_IN.search(passage.text) is not None)
               and passage.text.rstrip().endswith(("；", ";")))
        if in_fund_section(passage) or later and any(id(h) in later for h in passage.headings):
            continue
        # (a paragraph with its own numbered title is about what that title names, not the heading above)
        section_metric = (_run_in_term(passage.text, vocab) if RUN_IN_TITLE.match(passage.text)
                          else heading_term(passage, vocab.metrics))
        if section_metric is None and not index_of(vocab.metrics).candidates(passage.text):
            continue  # no wording of a metric, in the passage or its heading
        section = "lead" if after_lead else "section" if in_goal_section(passage) else ""
        found = sentences(passage.text)
        disowned = disowned_up_to.get(id(passage), -1)
        for k, (offset, sentence) in enumerate(found):
            if k <= disowned or NOT_THE_UNITS.search(sentence):
                continue  # figures given for comparison or as background: another body's, not this unit's
            goal = "lead" if opens_with_goal(sentence) else section
            statements += _read_sentence(sentence, offset, passage, vocab, goal, section_metric, other)
    return statements


# A paragraph that opens with its own short numbered title (「2. 职业技能等级认定。全年组织认定N人…」): what the
# title names is what the paragraph's figures are about, as under a heading
RUN_IN_TITLE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
                          r"(?P<title>[^。，；：:\d]{2,16})[。：:]")


def _run_in_term(text: str, vocab: Vocabulary) -> Term | None:
    """The one metric a paragraph's numbered title names."""
    m = RUN_IN_TITLE.match(text)
    labels = find_labels(m.group("title"), vocab.metrics) if m else []
    return labels[0].term if len(labels) == 1 else None


def _disowned(passages: list[Passage]) -> dict[int, int]:
    """id(passage) -> the last of its sentences whose figures a disclaimer gives to another body: the
    disclaimer's own (「上述数据为全省汇总数，…不是本中心的…」), those before it in the passage, and the
    passage before when the paragraph was cut there at a semicolon."""
    out: dict[int, int] = {}
    for i, passage in enumerate(passages):
        if "上述" not in passage.text and "以上" not in passage.text:
            continue  # (the disclaimer opens with one of them)
        found = sentences(passage.text)
        last = max((k for k, (_, sentence) in enumerate(found) if NOT_THE_UNITS_ABOVE.match(sentence)), default=-1)
        if last < 0:
            continue
        out[id(passage)] = last
        before = passages[i - 1] if i else None
        if before is not None and before.text.rstrip().endswith("；") and before.headings == passage.headings:
            out[id(before)] = len(sentences(before.text))  # the same paragraph, cut at a semicolon
    return out


def _read_sentence(sentence: str, offset: int, passage: Passage, vocab: Vocabulary, goal: str,
                   section_metric: Term | None, other: re.Pattern[str] | None = None) -> list[Statement]:
    quantities = find_quantities(sentence)  # (first: cached, and shared with the budget reader)
    if not quantities:
        return []
    labels = find_labels(sentence, vocab.metrics)
    if not labels and section_metric is None:
        return []
    if other is not None and not other.search(sentence):
        other = None  # most sentences name no other year
    inline = None if goal == "lead" else GOAL_INLINE.search(sentence)
    lead_from = inline.end() if inline else len(sentence) + 1  # figures after 「目标任务是：」 are goals
    # goals of another year (「中心将在2023年重点推进三项工作：一是…」): neither this year's result nor its goal
    later_goals = inline is not None and other is not None and other.search(sentence, 0, inline.start()) is not None
    out: list[Statement] = []
    by_label: dict[int, Statement] = {}

    def statement_for(label: Label) -> Statement:
        if label.start not in by_label:
            assert label.term is not None
            st = Statement(label.term, passage, offset + label.start, offset + label.end, passage.context,
                           offset=offset)
            by_label[label.start] = st
            out.append(st)
        return by_label[label.start]

    heading_statement: Statement | None = None
    if section_metric is not None and (not labels or quantities and quantities[0].start < labels[0].start):
        heading_statement = Statement(section_metric, passage, offset, offset, passage.context, offset=offset)
    previous_end = 0
    pending_percent: list[Decimal] = []
    listed = _respective_lists(sentence, labels, quantities)
    for q in quantities:
        following = next((lb for lb in labels if lb.start >= q.end), None)
        preceding = [lb for lb in labels if lb.end <= q.start]
        st: Statement | None = None
        window_start = previous_end
        if q.start in listed:  # 「A、B、C分别为X、Y、Z」: the i-th figure is the i-th wording's
            label, window_start = listed[q.start]
            st = statement_for(label)
        elif (following and following.start - q.end <= 15 and not CLAUSE_BREAK.search(sentence[q.end:following.start])
                and following.term and _value(following.term, q, vocab) is not None
                and (not preceding or CLAUSE_BREAK.search(sentence[preceding[-1].end:q.start]))):
            st = statement_for(following)
            window_start = _clause_start(sentence, q.start)
        elif preceding and q.start - max([preceding[-1].end, *[b - offset for _, b in
                                               by_label.get(preceding[-1].start, Statement(
                                                   preceding[-1].term, passage, 0, 0, "")).spans]]) <= MAX_REACH \
                and not _past_semicolon(sentence[preceding[-1].end:q.start]):
            if _joined(sentence, preceding[-1], q) or _closes_list(sentence, preceding[-1]):
                previous_end = q.end
                continue
            st = statement_for(preceding[-1])
            window_start = max(previous_end, preceding[-1].end)
        elif heading_statement is not None and not ("；" in sentence[:q.start] and labels):
            # (past a semicolon, after a wording of its own, a figure is no longer the heading's:
            # 「…稳岗返还N万元，…；按月…发放失业保险金M万元」)
            st = heading_statement
            if st not in out:
                out.append(st)
        previous_end = q.end
        if st is None or q.unit == "个百分点":
            continue
        term = st.term
        if q.unit == "%" and term.unit != "percent":
            if pending_percent:
                pending_percent.append(q.value)
            elif COMPLETION_CUE.search(sentence[_clause_start(sentence, q.start):q.start]):
                if RESPECTIVELY in sentence[max(0, _clause_start(sentence, q.start) - 12):q.start]:
                    pending_percent.append(q.value)
                elif st.completion is None and not st.after_skip:
                    st.completion = q.value
                    st.spans.append((offset + q.start, offset + q.end))
            continue
        value = _value(term, q, vocab)
        if value is None:
            continue
        skipped = term.skip.search(sentence, _clause_start(sentence, q.start)) if term.skip is not None else None
        if skipped is not None and skipped.start() < q.start:
            st.after_skip = True  # 「开发公益性岗位X个，完成年度计划的Y%」: Y is the rate of what was skipped
            continue
        st.after_skip = False
        first_in_clause = not st.spans and not CLAUSE_BREAK.search(sentence[max(0, st.end - offset):q.start])
        if later_goals and q.start >= lead_from:
            continue
        kind = "lead" if q.start >= lead_from else goal
        role = _role(sentence, q, window_start, passage.context, kind if first_in_clause else "", other)
        if role == "actual" and st.actual is not None:
            st.later.append((q, value))
        if role == "actual" and st.actual is None:
            st.actual, st.actual_value = q, value
            st.paired = st.target is not None and RESULT_CUE.search(sentence, window_start, q.start) is not None
        elif role == "target" and st.target is None and not _other_kind(st.actual, q):
            st.target, st.target_value = q, value
            st.paired = st.actual is not None and TARGET_CUE.search(sentence, window_start, q.start) is not None
            st.section_target = (kind in ("section", "lead")
                                 and _role(sentence, q, window_start, passage.context, "") == "actual")
        elif role == "target" and st.actual is None and st.section_target:
            # 「（一）就业目标」/「城镇新增就业1,700人，目标任务1,600人」: a named target makes the first one the result
            st.actual, st.actual_value, st.target, st.target_value = st.target, st.target_value, q, value
            st.section_target = False
        elif role == "target" and st.actual is None and _kept_within(sentence, st.target) and TARGET_AFTER.match(
                sentence[q.end:]):
            # 「失业率控制在3.0%，低于4.0%的控制目标」: the named goal is the target, the first figure the result
            st.actual, st.actual_value, st.target, st.target_value = st.target, st.target_value, q, value
        else:
            continue
        st.spans.append((offset + q.start, offset + q.end))
    if pending_percent:
        waiting = [s for s in out if s.completion is None and s.actual is not None]
        for st, pct in zip(waiting, pending_percent, strict=False):
            st.completion = pct
    for st in out:
        _by_arithmetic(st)
        if st.section_target and st.actual is None and st.completion is not None:
            # a figure with its completion rate is a result, whatever the section's heading says
            st.actual, st.actual_value, st.target, st.target_value = st.target, st.target_value, None, None
    return [s for s in out if s.actual is not None or s.target is not None]
