"""Reading the tables: budget tables (one row per sub-unit, or one row per item),
the self-evaluation indicator table, and label/value pairs of the cover form."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from pipelines.parse.layout import Cell, Row
from pipelines.parse.numbers import (
    TABLE_MONEY_FACTORS,
    cell_amount,
    cell_number,
    find_quantities,
    is_cell_value,
    years_in,
)
from pipelines.parse.scan import index_of
from pipelines.parse.vocabulary import Term, Vocabulary

ORG_HEADER = re.compile(r"^(?:机构|单位|部门|预算单位)(?:名称)?$")
ITEM_HEADER = re.compile(r"^(?:项目|科目|支出项目|收入项目|项目名称|经费项目|收支项目|科目名称|经费控制情况"
                         r"|经济分类|支出经济分类|经济分类科目|类别|指标|项目类别|收入类别|支出类别)$")
SUBTOTAL = re.compile(r"汇总|合计|总计|^本部门$|^全部$")
NUMBERING = re.compile(r"^\s*(?:\d{1,2}\s*[、.]|[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]+)\s*[）)]"
                       r"|[一二三四五六七八九十]+\s*[、.])\s*")
TARGET_HEADER = re.compile(r"绩效目标|预期目标|年度目标|目标值|指标值|计划目标")
ACTUAL_HEADER = re.compile(r"完成情况|实际完成|完成值|实际值|实际完成值")
REGION_END = re.compile(r"填报人|评价人员|签名|签字|姓\s*名|^(?:自评|评价|评定)等级")
LEVEL2 = re.compile(r"(?:指标|效益|满意度)$")
BUDGET_COLUMN = re.compile(r"预算|批复|年初|计划")
ACTUAL_COLUMN = re.compile(r"决算|实际|本年支出|本年|支出数|执行数|完成|年度?支出")  # (2023年支出: that year's)
# The label of a row that is a basis: 年初预算数 / 全年预算数 / 全年执行数 / 决算数 / 执行率.
BASIS_ROW = re.compile(r"^(?:\d{4}年)?(?:年初|全年|调整后)?(?:预算|决算|执行|实际支出|支出)(?:数|额|金额|率)?$")
SKIP_COLUMN = re.compile(r"上年|去年|同比|增减|变动|控制率|比率|比例|幅度|%|金额|执行率")


UNIT_NOTE = re.compile(r"[（(]\s*(?:单位\s*[：:])?\s*(?:万元|元|亿元)\s*[）)]")
EMPTY_CELL = re.compile(r"^\s*(?:[-—–/／]+|无)?\s*$")


QIZHONG = re.compile(r"^其中[：:]?")
SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def clean_label(text: str) -> str:
    """'3、县劳动 监察大队' -> '县劳动监察大队'; '其中：公务车运行维护费' -> '公务车运行维护费'."""
    text = UNIT_NOTE.sub("", NUMBERING.sub("", text.strip()))
    return SPACES.sub("", QIZHONG.sub("", text))


# Words around a wording that a row label may add without changing what it counts
# (who the figure is for - 农民工职业技能培训, 返乡创业培训 - leaves it the metric's)
LABEL_AFFIXES = re.compile(r"^(?:全年|年度|累计|新增|新|协助|组织|开展|完成|补贴性|审核|农民工|返乡|城乡劳动者)*"
                           r"(?:发放|举办)?"
                           r"|(?:资金)?(?:人数|人次|数量|总额|金额|发放额|额|规模|户数)$|资金$")


def match_term(text: str, terms: tuple[Term, ...]) -> Term | None:
    """The term whose wording is the whole label (or nearly all of it, apart from words such as
    新增/发放 before it and 人数/金额 after it)."""
    label = clean_label(text)
    if not label or label.startswith("其中"):
        return None
    best: tuple[int, Term] | None = None
    for term in index_of(terms).candidates(label) if terms else ():  # (only those whose anchors it holds)
        for m in term.pattern.finditer(label):
            covered = m.end() - m.start()
            if best is None or covered > best[0]:
                best = (covered, term)
    if best is None or best[0] < 0.7 * len(label) and best[0] < 0.7 * len(LABEL_AFFIXES.sub("", label)):
        return None
    return best[1]


@dataclass
class TableFigure:
    org: str | None
    item_code: str
    basis: str
    amount: Decimal
    cell: Cell
    row: Row
    budget_kind: str = "plain"  # full / plain / initial
    table: int = 0  # which table (figures of one table share it)
    unit_stated: bool = True  # its title or heads name its unit (else 万元 is assumed: see parse._budget)


@dataclass
class Indicator:
    seq: int
    level1: str | None
    level2: str | None
    indicator: str | None
    target: Cell | None
    actual: Cell | None
    row: Row
    weight: Cell | None = None  # 分值
    score: Cell | None = None  # 得分
    deviation: Cell | None = None  # 偏差原因
    kind: str = "indicator"  # indicator / funds (the form's budget execution row) / total (总分)
    metric: Term | None = None  # the employment metric the indicator is
    target_amount: Decimal | None = None  # a funds row's full-year budget and spending, in 万元
    actual_amount: Decimal | None = None


@dataclass
class MetricFigure:
    """A metric read from a table row: name | (unit) | target | result | (rate)."""

    term: Term
    label: Cell
    row: Row
    unit: str
    target: Cell | None = None
    target_value: Decimal | None = None
    actual: Cell | None = None
    actual_value: Decimal | None = None
    rate: Decimal | None = None


@dataclass
class TableReading:
    figures: list[TableFigure] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    cell_context: dict[tuple[int, int], str] = field(default_factory=dict)
    pairs: list[tuple[str, Cell]] = field(default_factory=list)  # (label, value cell)
    metrics: list[MetricFigure] = field(default_factory=list)
    issues: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, message)
    total_score: Cell | None = None  # the 得分 cell of a scoring table's 总分 / 合计 row
    department: bool = True  # a whole-department report, not a project's or a programme's form


def _is_data_row(row: Row) -> bool:
    values = row.texts()[1:]
    return any(cell_amount(v, Decimal(1)) is not None for v in values) or (
        bool(row.texts()[0]) and all(EMPTY_CELL.match(v) for v in values) and len(values) >= 2)


_MONEY_UNIT = "|".join(sorted(TABLE_MONEY_FACTORS, key=len, reverse=True))
TABLE_UNIT = re.compile(rf"单位\s*[：:]\s*(?P<u>{_MONEY_UNIT})|[（(]\s*(?P<b>{_MONEY_UNIT})\s*[）)]")


def _table_scale(texts: str) -> Decimal:
    """Tables are in 万元 unless their title or heads say another unit (单位：元, （千元）, 单位：亿元)."""
    found = [m.group("u") or m.group("b") for m in TABLE_UNIT.finditer(texts)]
    other = [u for u in found if u != "万元"]
    return TABLE_MONEY_FACTORS[other[0]] if other else Decimal(1)


def _unit_of(header: object, texts: str) -> tuple[Decimal, dict[str, object]]:
    """A table's scale to 万元 from its title and heads, and what its figures say of where they come from:
    which table, and whether it names its unit."""
    return _table_scale(texts), {"table": id(header), "unit_stated": bool(TABLE_UNIT.search(texts))}




def _first_text(row: Row) -> str:
    return next((t for t in row.texts() if t), "")


def _column_items(header: list[Row], width: int, vocab: Vocabulary) -> dict[int, Term]:
    """Map data columns (1..width-1) to budget items from header rows that may have merged cells."""
    mapping: dict[int, Term] = {}
    for row in reversed(header):
        texts = row.texts()
        aligned = len(texts) if len(texts) >= width else next(
            (i + 1 for i, t in enumerate(texts) if t.startswith("其中")), len(texts))
        for j in range(1, min(aligned, width)):
            if j not in mapping:
                term = match_term(texts[j], vocab.budget_items)
                if term:
                    mapping[j] = term
    if len(mapping) < width - 1:
        found: list[Term] = []
        for row in header:
            for text in row.texts()[1:]:
                term = match_term(text, vocab.budget_items)
                if term and term not in found:
                    found.append(term)
        order = {t.code: i for i, t in enumerate(vocab.budget_items)}
        found.sort(key=lambda t: order[t.code])
        if len(found) == width - 1 and len(found) > len(mapping):
            mapping = {j + 1: t for j, t in enumerate(found)}
    return mapping


def basis_of(words: str, fiscal_year: int | None) -> tuple[str, str] | None:
    """(basis, budget kind) a column head or row label names (全年预算数, 决算数, 全年执行数), or None."""
    years = [y for y, _, _ in years_in(words)]
    if not words or SKIP_COLUMN.search(words) or (fiscal_year and years and fiscal_year not in years):
        return None
    if BUDGET_COLUMN.search(words):
        kind = "full" if re.search(r"全年|调整后|调整预算", words) else "initial" if "年初" in words else "plain"
        return "budget", kind
    if ACTUAL_COLUMN.search(words):
        return "actual", "plain"
    return None


BASIS_WORD = re.compile(r"预算|决算|执行|实际|批复")


def _basis_head(texts: list[str], fiscal_year: int | None) -> bool:
    """A head row that names two bases or more (年初预算数 | 全年预算数 | 全年执行数): the head of a
    table of items by row, whatever its first cell says (年度预算申请, 资金投入情况)."""
    if sum(BASIS_WORD.search(t) is not None for t in texts[1:]) < 2:
        return False  # most rows name no basis at all
    return sum(basis_of(SPACES.sub("", t), fiscal_year) is not None for t in texts[1:]) >= 2


def _without_adjustments(bases: dict[int, tuple[str, str]], data: list[Row], scale: Decimal
                         ) -> dict[int, tuple[str, str]]:
    """Two full-year budget columns (调整预算 | 全年预算): the one that is the initial budget plus the other in
    every row is the full year; the other is the adjustment, not a budget of its own."""
    initial = next((j for j, b in bases.items() if b == ("budget", "initial")), None)
    full = [j for j, b in bases.items() if b == ("budget", "full")]
    if initial is None or len(full) != 2:
        return bases

    def value(row: Row, j: int) -> Decimal | None:
        return cell_amount(row.cells[j].text, scale) if j < len(row.cells) else None

    for total, part in (full, full[::-1]):
        sums = [(value(r, initial), value(r, part), value(r, total)) for r in data]
        sums = [s for s in sums if None not in s]
        if sums and all(abs(a + b - c) <= Decimal("0.011") for a, b, c in sums):
            return {j: b for j, b in bases.items() if j != part}
    return bases


def _column_heads(header: list[Row], width: int) -> list[str]:
    """Each column's head: its cells in the head rows, joined, without spaces."""
    return [SPACES.sub("", "".join(r.texts()[j] for r in header if j < len(r.cells))) for j in range(width)]


def _column_bases(header: list[Row], width: int, fiscal_year: int | None) -> dict[int, tuple[str, str]]:
    """(basis, budget kind) of each data column of an item-by-column table."""
    heads = _column_heads(header, width)
    return {j: found for j in range(1, width) if (found := basis_of(heads[j], fiscal_year))}


# A column headed by a body (「中心本级」, 「某某服务站」) in a table of items by sub-unit; 合计 heads the whole unit's
ORG_HEAD = re.compile(r"^[^\d（(]{2,30}(?:本级|站|中心|局|所|院|队|处|办|馆|校|会|大队|支队)$")
TABLE_BASIS = re.compile(r"决算|预算")


def _org_heads(header: list[Row], width: int) -> dict[int, str | None]:
    """Column -> the sub-unit it holds (None: the whole unit's 合计) of a table of items by sub-unit
    (项目 | 部门合计 | 中心本级 | 某服务站), whose basis only its title names; {} for any other table."""
    heads = _column_heads(header, width)
    out: dict[int, str | None] = {}
    for j in range(1, width):
        if not heads[j]:
            continue
        if basis_of(heads[j], None) or not (SUBTOTAL.search(heads[j]) or ORG_HEAD.match(heads[j])):
            return {}
        out[j] = None if SUBTOTAL.search(heads[j]) else heads[j]
    return out if any(org is not None for org in out.values()) else {}


AMOUNT_HEAD = re.compile(r"^(?:金额|数额|金额数)(?:[（(][^（）()]{1,4}[）)])?$")


def _caption(above: str, before: list[str]) -> str:
    """A table's caption: the short lines just above it (表1 …, 单位：万元), not the prose."""
    return " ".join(ln for ln in [above, *before] if len(ln) - ln.count(" ") <= 40 and "。" not in ln)


def _caption_bases(header: list[Row], width: int, caption: str) -> dict[int, tuple[str, str]]:
    """Columns headed 金额 only take their basis from the table's caption: a 决算 table's are actuals,
    a 预算 table's (without 决算) budgets; a caption that names neither leaves them unread."""
    basis = "actual" if "决算" in caption else "budget" if "预算" in caption else None
    if basis is None:
        return {}
    heads = _column_heads(header, width)
    return {j: (basis, "plain") for j in range(1, width) if AMOUNT_HEAD.match(heads[j])}


TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计)$")


def _items_over_figures(rows: list[Row], i: int, vocab: Vocabulary) -> bool:
    """rows[i] names items in every cell (or 合计) and the row below holds figures only, as many."""
    if i + 1 >= len(rows):
        return False
    head, below = rows[i].texts(), rows[i + 1].texts()
    return (len(head) >= 3 and len(head) == len(below) and all(cell_amount(t, Decimal(1)) is not None for t in below)
            and all(TOTAL_LABEL.match(clean_label(t)) or match_term(t, vocab.budget_items) for t in head))


def _single_row_figures(title: str, header: Row, data: Row, vocab: Vocabulary) -> list[TableFigure]:
    """Figures of a table whose columns are items over one row of figures; the basis is the title's
    (预算 without 决算: budget, else actual), a 合计 column the items' common whole."""
    scale, where = _unit_of(header, title + " " + " ".join(header.texts()))
    basis = "budget" if BUDGET_COLUMN.search(title) and "决算" not in title else "actual"
    terms = [match_term(t, vocab.budget_items) for t in header.texts()]
    parents = {t.parent for t in terms if t}
    families = {t.family for t in terms if t}
    whole = (vocab.budget_item(next(iter(parents))) if len(parents) == 1 and None not in parents else
             next((t for t in vocab.budget_items if t.family in families and t.parent is None
                   and t.code.endswith("_total")), None) if len(families) == 1 else None)
    figures = []
    for term, cell in zip(terms, data.cells, strict=False):
        term = term or whole
        value = cell_amount(cell.text, scale)
        if term is not None and value is not None:
            figures.append(TableFigure(None, term.code, basis, value, cell, data, **where))
    return figures


def _basis_rows_table(rows: list[Row], i: int, vocab: Vocabulary, fiscal_year: int | None) -> int:
    """How many rows after `rows[i]` are basis rows of a table with the items as its columns and one
    row a basis (年初预算数 | 全年预算数 | 全年执行数 …): 0 when `rows[i]` heads no such table."""
    if i + 1 >= len(rows) or not BASIS_ROW.search(clean_label(rows[i + 1].texts()[0])):
        return 0
    items = [match_term(t, vocab.budget_items) for t in rows[i].texts()[1:]]
    if sum(t is not None for t in items) < 2:
        return 0
    n = 0
    while i + 1 + n < len(rows) and _is_data_row(rows[i + 1 + n]) and BASIS_ROW.search(
            clean_label(rows[i + 1 + n].texts()[0])):
        n += 1
    return n if n and any(basis_of(clean_label(r.texts()[0]), fiscal_year)
                          for r in rows[i + 1:i + 1 + n]) else 0


def _main_family(terms: Iterable[Term]) -> str | None:
    """The family most of a table's items are of, whose total its 合计/总计 row or column is; None when two
    families tie (a 总表's 支出 half, whose 总计 is spending and balance together, is neither's total)."""
    ranked = Counter(t.family for t in terms).most_common(2)
    return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None


def _basis_row_figures(title: str, header: Row, data: list[Row], vocab: Vocabulary,
                       fiscal_year: int | None) -> list[TableFigure]:
    """Figures of a table whose columns are items and whose rows are bases; a 合计 column is the
    total of the columns' family (as a 合计 row is in an item-by-row table)."""
    scale, where = _unit_of(header, title + " " + " ".join(header.texts()))
    heads = header.texts()
    columns = {j: match_term(t, vocab.budget_items) for j, t in enumerate(heads) if j}
    family = _main_family(t for t in columns.values() if t)
    totals = {t.family: t for t in vocab.budget_items if t.parent is None and t.code.endswith("_total")}
    for j, term in list(columns.items()):
        if term is None and family and clean_label(heads[j]) in {"合计", "总计", "小计"}:
            columns[j] = totals.get(family)
    figures = []
    for row in data:
        found = basis_of(clean_label(row.texts()[0]), fiscal_year)
        if found is None:
            continue
        for j, term in columns.items():
            value = cell_amount(row.cells[j].text, scale) if term and j < len(row.cells) else None
            if value is not None and term is not None:
                figures.append(TableFigure(None, term.code, found[0], value, row.cells[j], row, found[1], **where))
    return figures


SPENDING_TITLE = re.compile(r"^(?!.*收入).*支出(?:情况|明细|决算)?表")


def _org_columns(header: list[Row], width: int, vocab: Vocabulary, table_basis: str,
                 fiscal_year: int | None, title: str = "") -> dict[int, tuple[Term, str, str]]:
    """Column -> (item, basis, budget kind) of a table of sub-units. A column that names a basis and no
    item (全年预算数, 实际支出数) is the spending total on that basis when the other columns are
    spending items, or the title says the table is about spending (分单位支出情况表); a 「其中：」 column
    is a part of the column before it and shares its basis."""
    items = _column_items(header, width, vocab)
    heads = _column_heads(header, width)
    spending = (all(t.family == "expenditure" for t in items.values())
                and (bool(items) or SPENDING_TITLE.search(title) is not None))
    out: dict[int, tuple[Term, str, str]] = {}
    previous: tuple[str, str] | None = None
    for j in range(1, width):
        term = items.get(j)  # (an item's wording may hold 预算: 一般公共预算拨款 names no basis)
        named = basis_of(heads[j], fiscal_year) if term is None and not heads[j].startswith("其中") else None
        if term is None and named is not None and spending and named[0] in ("budget", "actual"):
            term = vocab.budget_item("expenditure_total")
        if term is None:
            continue
        basis = named or (previous if heads[j].startswith("其中") and previous else (table_basis, "plain"))
        out[j] = (term, *basis)
        previous = basis if named else previous
    return out


def _org_figures(title: str, header: list[Row], data: list[Row], vocab: Vocabulary,
                 fiscal_year: int | None = None) -> list[TableFigure]:
    width = max(len(r.cells) for r in data)
    basis = "budget" if BUDGET_COLUMN.search(title) and "决算" not in title else "actual"
    columns = _org_columns(header, width, vocab, basis, fiscal_year, title)
    scale, where = _unit_of(header, title + " ".join(" ".join(r.texts()) for r in header))
    per_row: list[tuple[Row, str | None, list[TableFigure]]] = []
    for row in data:
        label = clean_label(row.texts()[0])
        org = None if SUBTOTAL.search(label) else label
        figures = []
        for j, (term, column_basis, kind) in columns.items():
            if j < len(row.cells):
                value = cell_amount(row.cells[j].text, scale)
                if value is not None:
                    figures.append(TableFigure(org, term.code, column_basis, value, row.cells[j], row, kind, **where))
        per_row.append((row, org, figures))
    filled = [(row, org, figs) for row, org, figs in per_row if figs]
    if len(filled) == 1 and not any(org is None for _, org, _ in filled):
        for fig in filled[0][2]:
            fig.org = None  # the only filled row of a template is the unit's own figures
    return [fig for _, _, figs in filled for fig in figs]


MERGED_LABEL = re.compile(r"^其中[：:]?$")


def _right_aligned(row: Row, width: int) -> Row:
    """A row with fewer cells than its table's head lost leading cells to a merged label above or
    beside it (年度预算资金 spanning the block, 其中 spanning two rows): its cells stand under the
    head's last columns."""
    if len(row.cells) >= width:
        return row
    return Row([Cell("", row.line, 0, 0) for _ in range(width - len(row.cells))] + row.cells, row.kind)


# A column that says where a row's money comes from (项目名称 | 资金来源 | 预算 | …): its 一般公共预算 names the
# source of a project's money, not the row
SOURCE_HEAD = re.compile(r"^(?:资金|经费)?来源$|^资金(?:性质|渠道)$")


def _row_label(row: Row, skip: frozenset[int] = frozenset()) -> str:
    """The row's label: its last text cell before its first figure, not a merged 其中 (「按收入性质分 |
    一般公共预算 | 4,000.00」: the item is the second), nor one in the columns `skip`."""
    label = ""
    for k, text in enumerate(row.texts()):
        if cell_amount(text, Decimal(1)) is not None:
            break
        if text and k not in skip and not MERGED_LABEL.match(text) and not EMPTY_CELL.match(text):
            label = text
    return label


def _item_figures(title: str, header: list[Row], data: list[Row], vocab: Vocabulary,
                  fiscal_year: int | None, department: bool = True, caption: str = "") -> list[TableFigure]:
    width = max(len(r.cells) for r in [*header, *data])
    scale, where = _unit_of(header, title + " ".join(" ".join(r.texts()) for r in header))
    if all(len(r.cells) < width for r in header):  # rows wider than the whole head (「其中: | 人员经费 | …」
        header = [_right_aligned(r, width) for r in header]  # in two cells): the head is over the last columns
    bases = _column_bases(header, width, fiscal_year) or _caption_bases(header, width, caption)
    data = [_right_aligned(row, width) if bases else row for row in data]
    bases = _without_adjustments(bases, data, scale)
    orgs = _org_heads(header, width) if not bases else {}
    named = TABLE_BASIS.findall(title + caption)
    if orgs and named:  # 「分单位收入支出决算表」: every column on the basis the title names
        bases = {j: ("actual" if "决算" in named else "budget", "plain") for j in orgs}
    terms = vocab.budget_items + (vocab.department_form_items if department else ())
    sources = frozenset(k for r in header for k, t in enumerate(r.texts()) if SOURCE_HEAD.match(clean_label(t) or "-"))
    labelled = [(row, match_term(_row_label(row, sources), terms)) for row in data]
    funds = next((k for k, (_, t) in enumerate(labelled) if t is not None and t in vocab.department_form_items), None)
    # the form's 年度资金总额, then its sources (其中：财政拨款 / 上年结转资金 / 其他资金): a source's budget is the
    # income budgeted from it, but its executed figure is money spent from it, not the year's income
    spent_from = {id(row) for k, (row, t) in enumerate(labelled)
                  if funds is not None and k > funds and t is not None and t.family == "income"}
    family = _main_family(t for _, t in labelled if t)
    totals = {t.family: t for t in vocab.budget_items if t.parent is None and t.code.endswith("_total")}
    parents = {t.parent for _, t in labelled if t}
    if len(parents) == 1 and None not in parents:  # rows that are all parts of one item: 合计 is that item
        totals = {family: vocab.budget_item(next(iter(parents)))}
    figures = []
    for row, term in labelled:
        if term is None and family and clean_label(_row_label(row, sources)) in {"合计", "总计", "小计"}:
            term = totals.get(family)
        if term is None:
            continue
        for j, (basis, kind) in bases.items():
            if j < len(row.cells) and not (basis == "actual" and id(row) in spent_from):
                value = cell_amount(row.cells[j].text, scale)
                if value is not None:
                    figures.append(TableFigure(orgs.get(j), term.code, basis, value, row.cells[j], row, kind,
                                               **where))
    return figures


METRIC_HEADER = re.compile(r"^(?:主要)?(?:指标|项目|绩效指标)(?:名称)?")
TARGET_COLUMN = re.compile(r"目标|任务|计划|预期")
RESULT_COLUMN = re.compile(r"完成(?!率)|实际|实现")
RATE_COLUMN = re.compile(r"完成率|完成比例|完成进度")
UNIT_COLUMN = re.compile(r"^(?:计量)?单位$")
BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^（）()]{1,4})\s*[）)]\s*$")


GOALS_HEADER = re.compile(r"^(?:主要)?(?:绩效)?指标(?:名称)?$")


def _is_metric_header(texts: list[str]) -> bool:
    """The head of a table of metrics: name | (unit) | target | result | (rate); or of a table of the
    year's goals only, whose first cell says 指标 (指标 | 目标值)."""
    first = clean_label(texts[0]) or "-"
    if not METRIC_HEADER.match(first) or len(texts) > 8 or not any(TARGET_COLUMN.search(t) for t in texts[1:]):
        return False
    return any(RESULT_COLUMN.search(t) for t in texts[1:]) or bool(GOALS_HEADER.match(first))


OPERATOR_WORDS = re.compile(r"^\s*(?:[≥≤><=＞＜]|不低于|不少于|不高于|不超过|控制在|达到|大于|小于)\s*")
# A note in brackets after a cell's figure (「4,800件（全市9,600件，不作为本单位完成值）」): not the cell's value
ASIDE_AFTER = re.compile(r"(?<=\S)\s*(?:（[^（）]*）|\([^()]*\))")


def _metric_value(text: str, unit_word: str, term: Term, vocab: Vocabulary) -> Decimal | None:
    """A bare figure of a metric cell ('450', '≥450人', '1.1万人', '控制在3.0%以内'), in the metric's unit."""
    found = find_quantities(ASIDE_AFTER.sub("", OPERATOR_WORDS.sub("", text.strip())))
    if len(found) != 1 or found[0].start > 1:
        return None
    value, unit = found[0].value, found[0].unit or unit_word
    if unit.startswith("万") and unit != "万元":  # a head that says (万人)
        value, unit = value * 10000, unit[1:]
    if not unit:
        return value  # a bare figure is in the metric's own unit
    factor = vocab.units.get(term.unit or "", {}).get(unit)
    return None if factor is None else value * factor


def metric_row(row: Row, label: Cell, target: Cell | None, actual: Cell | None, rate: Cell | None,
               unit_word: str, vocab: Vocabulary) -> MetricFigure | None:
    """A metric from a row whose figures stand alone in their cells."""
    name = label.stripped
    m = BRACKET_UNIT.search(name)
    if m:
        unit_word, name = unit_word or m.group("unit"), name[:m.start()]
    term = match_term(name, vocab.metrics)
    if term is None:
        return None
    fig = MetricFigure(term, label, row, unit_word)
    if target is not None:
        fig.target, fig.target_value = target, _metric_value(target.text, unit_word, term, vocab)
    if actual is not None:
        fig.actual, fig.actual_value = actual, _metric_value(actual.text, unit_word, term, vocab)
    if rate is not None:
        found = find_quantities(rate.text)
        fig.rate = found[0].value if found and found[0].unit == "%" else None
    return fig if fig.actual_value is not None or fig.target_value is not None else None


def _metric_table(rows: list[Row], start: int, header: Row, reading: TableReading, vocab: Vocabulary,
                  fiscal_year: int | None = None) -> int:
    """Rows of a 主要指标 table: name (unit) | unit | target | result | rate. A column headed with another
    year (2019年目标值 in a 2018 report) is not read."""
    texts = header.texts()
    col = {}
    for k, t in enumerate(texts[1:], start=1):
        if fiscal_year and any(y != fiscal_year for y, _, _ in years_in(t)):
            continue
        if RATE_COLUMN.search(t):
            col.setdefault("rate", k)
        elif RESULT_COLUMN.search(t):
            col.setdefault("actual", k)
        elif TARGET_COLUMN.search(t):
            col.setdefault("target", k)
        elif UNIT_COLUMN.match(t):
            col.setdefault("unit", k)
    i = start
    while i < len(rows) and len(rows[i].cells) >= 2 and rows[i].texts()[0]:
        row = rows[i]
        if row.line - rows[i - 1].line_end > 2 or _is_indicator_header(row.texts()) or _is_metric_header(row.texts()):
            break  # the next table (the rows list holds every table's rows one after another)

        def cell(name: str, row: Row = row) -> Cell | None:
            k = col.get(name)
            return row.cells[k] if k is not None and k < len(row.cells) else None

        unit_cell = cell("unit")
        fig = metric_row(row, row.cells[0], cell("target"), cell("actual"), cell("rate"),
                         unit_cell.stripped if unit_cell else "", vocab)
        if fig is not None:
            reading.metrics.append(fig)
        i += 1
    return i


INDICATOR_COLUMNS = (("actual", ACTUAL_HEADER), ("target", TARGET_HEADER),
                     ("level1", re.compile(r"^一级指标")), ("level2", re.compile(r"^二级指标")),
                     ("indicator", re.compile(r"^(?:三级指标|指标名称|绩效指标)$")),
                     ("weight", re.compile(r"^(?:分值|权重|标准分值?|满分)")), ("score", re.compile(r"^(?:自评)?得分")),
                     ("deviation", re.compile(r"偏差|原因|改进措施|备注")))


def _is_indicator_header(texts: list[str]) -> bool:
    return any(TARGET_HEADER.search(t) for t in texts) and any(ACTUAL_HEADER.search(t) for t in texts)


def _indicator_columns(header: Row) -> dict[str, int]:
    """Columns the indicator table's head names (年度指标值, 实际完成值, 一级指标 …), first match each."""
    cols: dict[str, int] = {}
    for k, text in enumerate(header.texts()):
        name = next((n for n, pattern in INDICATOR_COLUMNS if pattern.search(clean_label(text))), None)
        if name == "actual" and "target" not in cols and TARGET_HEADER.search(clean_label(text)):
            continue  # a title cell (…目标完成情况) before the target column names no result column
        if name:
            cols.setdefault(name, k)
    return cols


def _named_columns(row: Row, header: Row, cols: dict[str, int]) -> tuple[int, int] | None:
    """(target, result) columns of a row aligned with a head that names both: the cells that
    follow them (分值, 得分, 偏差原因) are not the result."""
    kt, ka = cols.get("target"), cols.get("actual")
    if kt is None or ka is None or kt == ka or len(row.cells) != len(header.cells):
        return None
    texts, heads = row.texts(), header.texts()
    if ka < kt:  # 实际完成值 before 年度指标值: the head says which is which
        return (kt, ka) if texts[kt] and texts[ka] else None
    trailing = [k for k, t in enumerate(texts) if t and k > ka]
    if not trailing or not all(heads[k] for k in trailing) or not texts[kt] or not texts[ka]:
        return None  # no named column after the result: the last two cells are target and result
    return kt, ka


def _indicator_rows(rows: list[Row], start: int, header: Row, reading: TableReading, vocab: Vocabulary) -> int:
    """Read indicator rows after `header`; return the index after the region."""
    level1 = level2 = None
    cols = _indicator_columns(header)
    i = start
    while i < len(rows):
        row = rows[i]
        texts = row.texts()
        if REGION_END.search(" ".join(texts[:2])) or ORG_HEADER.match(_first_text(row)) or _is_metric_header(texts):
            break
        if i > start and row.line - rows[i - 1].line_end > 12:
            break
        if _is_indicator_header(texts):  # the head of the next part of the table
            header, cols = row, _indicator_columns(row)
            i += 1
            continue
        row = _aligned_to_head(row, header, cols)
        texts = row.texts()
        filled = [(k, t) for k, t in enumerate(texts) if t]
        first_label = SPACES.sub("", filled[0][1]) if filled else ""
        if TOTAL_ROW.match(first_label) or PART_SCORE_ROW.match(first_label):
            _total_indicator(row, cols, reading)  # 总分 | … | 100 | 95.50: a sum, no indicator
            i += 1
            continue
        named = _named_columns(row, header, cols)
        if named is not None:
            kt, ka = named
            actual, target, target_text = row.cells[ka], row.cells[kt], texts[kt]
            leading = [(k, t) for k, t in filled if k < min(kt, ka)]
            level1 = texts[cols["level1"]] or level1 if "level1" in cols else level1
            level2 = texts[cols["level2"]] or level2 if "level2" in cols else level2
            label = texts[cols["indicator"]] or None if "indicator" in cols else None
            if "level1" not in cols and "level2" not in cols and label is None:
                level1, level2, label = _levels([t for _, t in leading], level1, level2)
        elif len(filled) >= 2:
            (ka, _), (kt, target_text) = filled[-1], filled[-2]
            actual, target = row.cells[ka], row.cells[kt]
            leading = filled[:-2]
            level1, level2, label = _levels([t for _, t in leading], level1, level2)
        else:
            i += 1
            continue
        reading.cell_context[(target.line, target.col)] = "target_cell"
        reading.cell_context[(actual.line, actual.col)] = "actual_cell"
        indicator = label or target_text.split("：")[0].split(":")[0][:60]
        named_cells = {name: row.cells[k] for name, k in cols.items() if k < len(row.cells) and named is not None}
        found = Indicator(len(reading.indicators) + 1, level1, level2, indicator, target, actual, row,
                          named_cells.get("weight"), named_cells.get("score"), named_cells.get("deviation"))
        reading.indicators.append(found)
        name_cell = next((row.cells[k] for k, t in reversed(leading)  # not 指标1, not the 分值 cell
                          if not re.match(r"^(?:指标|目标)\s*\d*[:：]?$", t) and cell_number(t) is None), None)
        if name_cell is not None:
            fig = metric_row(row, name_cell, target, actual, None, "", vocab)
            if fig is not None:
                reading.metrics.append(fig)
                found.metric = fig.term
        i += 1
    return i


def _funds_indicator(head: Row, figures: list[TableFigure], reading: TableReading) -> None:
    """The budget execution row of a self-evaluation form (年度资金总额 | 年初 | 全年预算数 | 全年执行数 | 分值 |
    执行率 | 得分) as an indicator row of kind funds: target the full-year budget, result the spending."""
    heads = [SPACES.sub("", t) for t in head.texts()]
    kw = next((k for k, t in enumerate(heads) if re.match(r"^(?:分值|权重)", t)), None)
    ks = next((k for k, t in enumerate(heads) if SCORE_HEAD.match(t)), None)
    total = [f for f in figures if f.item_code == "expenditure_total" and f.org is None]
    budget = next((f for f in total if f.basis == "budget" and f.budget_kind != "initial"), None)
    actual = next((f for f in total if f.basis == "actual"), None)
    if kw is None or ks is None or budget is None or actual is None or budget.row is not actual.row:
        return
    row = _right_aligned(budget.row, len(heads))
    if max(kw, ks) >= len(row.cells):
        return
    reading.indicators.append(Indicator(len(reading.indicators) + 1, "预算执行", None, _row_label(row), budget.cell,
                                        actual.cell, row, row.cells[kw], row.cells[ks], None, "funds", None,
                                        budget.amount, actual.amount))


def _total_indicator(row: Row, cols: dict[str, int], reading: TableReading) -> None:
    """The 总分 row of an indicator table as a row of kind total: its 分值 and 得分 (by their columns,
    else the last two figures of the row)."""
    cells = {name: row.cells[k] for name, k in cols.items() if k < len(row.cells)}
    weight, score = cells.get("weight"), cells.get("score")
    if weight is None or score is None or cell_number(score.text) is None:
        figures = [c for c in row.cells if cell_number(c.text) is not None]
        weight, score = (figures[-2], figures[-1]) if len(figures) >= 2 else (None, figures[-1] if figures else None)
    label = next((t for t in row.texts() if t), "总分")
    kind = "total" if TOTAL_ROW.match(SPACES.sub("", label)) else "funds"  # 预算执行得分: the funds' part
    if score is not None:
        reading.indicators.append(Indicator(len(reading.indicators) + 1, None, None, label, None,
                                            None, row, weight, score, None, kind))


def _aligned_to_head(row: Row, header: Row, cols: dict[str, int]) -> Row:
    """A row with fewer cells than the head: merged level cells dropped at its start (then its cells
    stand under the head's last columns) or empty cells dropped at its end. The alignment kept is the
    one that puts text under the indicator column and values under the target and result columns."""
    missing = len(header.cells) - len(row.cells)
    kt, ka = cols.get("target"), cols.get("actual")
    if missing <= 0 or kt is None or ka is None:
        return row
    blank = [Cell("", row.line, 0, 0) for _ in range(missing)]
    best, fit = row, 0
    for cells in (blank + row.cells, row.cells + blank):
        texts = [c.stripped for c in cells]
        name = texts[cols["indicator"]] if "indicator" in cols else texts[kt - 1]
        if not (texts[kt] and texts[ka] and name and not is_cell_value(name)):
            continue
        # a target and a result that are figures beat ones that are labels (产出指标 | 数量指标 …)
        score = 1 + sum(bool(re.search(r"\d", texts[k])) for k in (kt, ka))
        if score > fit:
            best, fit = Row(cells, row.kind), score
    return best


def _levels(before: list[str], level1: str | None, level2: str | None) -> tuple[str | None, str | None, str | None]:
    """(一级, 二级, indicator label) from the cells before the target, carrying merged cells down."""
    before = list(before)
    label = None
    if before and len(before[-1]) <= 8 and re.match(r"^(?:指标|目标)\s*\d*", before[-1]):
        label = before.pop()
    for text in before:
        if LEVEL2.search(clean_label(text)) and not re.search(r"目标", text[:4]):
            level2 = text
        else:
            level1, level2 = text, None if len(before) == 1 else level2
    return level1, level2, label


HEADER_LABELS = {
    "unit_name": re.compile(
        r"^(?:部门\s*[（(]\s*单位\s*[）)]|评价单位|预算单位|部门|单位)\s*名称(?:[（(](?:盖章|公章)[）)])?[：:]?$"),
    "contact_person": re.compile(r"^联系人[：:]?$"),
    "contact_phone": re.compile(r"^(?:联系|联络)电话[：:]?$"),
    "staffing_quota": re.compile(r"^(?:核定|人员)?编制(?:人数|数)?[：:]?$"),
    "actual_headcount": re.compile(
        r"^(?:(?:年末|期末)?实有(?:在编|在职|在岗)?(?:人数|人员)|(?:\d{4}年)?实际在职(?:人数|人员))[：:]?$"),
    "retirees": re.compile(r"^退休人员(?:数)?[：:]?$"),
    "budget_code": re.compile(r"^预算(?:单位)?(?:编码|代码)[：:]?$"),
    "grade_text": re.compile(r"^(?:自评|评价|绩效)等级[：:]?$"),
    "self_score": re.compile(r"^自评(?:总)?得分[：:]?$"),
}


RATE_HEAD = re.compile(r"(?:率|比例)$")


UNIT_SUFFIX = re.compile(r"\s*[（(]\s*(?:人|名|个|万元|元)\s*[）)]\s*$")  # 人员编制（人）


# every label's wording in one expression: the first that matches the whole cell names it
ANY_HEADER_LABEL = re.compile("^(?:" + "|".join(f"(?P<{name}>{p.pattern.removeprefix('^').removesuffix('$')})"
                                                for name, p in HEADER_LABELS.items()) + ")$")


def _label_of(text: str) -> str | None:
    if len(text) > 16:
        return None  # (no form label is longer)
    m = ANY_HEADER_LABEL.match(UNIT_SUFFIX.sub("", text))
    return m.lastgroup if m else None


def _label_pairs(row: Row, below: Row | None, names: list[str | None],
                 names_below: list[str | None], after: Row | None = None) -> list[tuple[str, Cell]]:
    """Label/value pairs of a form: each label followed by its value in the next cell, or a row of
    labels (人员编制 | 实有人数 | 退休人员) with their values in the same columns of the row below.
    `names`: the label each cell of `row` is (None for no label), `names_below` those of `below`."""
    texts = row.texts()
    labels = [(k, name) for k, name in enumerate(names) if name]
    # a row of labels may open with a caption (财政供养人员情况) and hold a rate column (控制率)
    others = [t for k, t in enumerate(texts) if t and not names[k] and k and not RATE_HEAD.search(t)]
    counts_below = below is not None and len(below.cells) == len(row.cells) and all(
        below.texts()[k].isdigit() for k, _ in labels)
    if counts_below and after is not None and below.texts()[0] and len(after.cells) == len(row.cells) and all(
            after.texts()[k].isdigit() for k, _ in labels):
        return []  # a row of counts a sub-unit (局机关 | 16 | 15), then another's: none is the unit's own
    if (below is not None and len(labels) >= 2 and (not others or counts_below)
            and len(below.cells) == len(row.cells) and below.line - row.line_end <= 2 and not any(names_below)):
        return [(name, below.cells[k]) for k, name in labels if below.texts()[k]]
    return [(name, row.cells[k + 1]) for k, name in enumerate(names[:-1]) if name and texts[k + 1]]


SCORE_HEAD = re.compile(r"^(?:自评)?得分$")
TOTAL_ROW = re.compile(r"^(?:总分|总计|合计|得分合计|合计得分|综合得分|自评总分|总得分)$")
PART_SCORE_ROW = re.compile(r"^(?:预算执行|资金管理|预算管理|绩效指标)[^，。]{0,4}得分$")  # 预算执行得分 | … | 20 | 17


def _total_score(rows: list[Row]) -> Cell | None:
    """The score of a scoring table's total row: the cell under its 得分 head (分值 | 得分 … 合计 | 100 | N)."""
    for i, row in enumerate(rows):
        heads = [SPACES.sub("", t) for t in row.texts()]
        k = next((k for k, t in enumerate(heads) if SCORE_HEAD.match(t)), None)
        if k is None:
            continue
        for below in rows[i + 1:i + 80]:
            texts = below.texts()
            first = next((SPACES.sub("", t) for t in texts if t), "")
            if not TOTAL_ROW.match(first):
                continue
            if len(texts) != len(heads):  # cells dropped at the end: the score is the last figure after 分值
                figures = [c for c in below.cells if cell_number(c.text) is not None]
                k, below = (len(figures) - 1, Row(figures, below.kind)) if len(figures) >= 2 else (-1, below)
            value = cell_number(below.cells[k].text) if 0 <= k < len(below.cells) else None
            if value is not None and 0 < value <= 100:
                return below.cells[k]
            break
    return None


def read_tables(rows: list[Row], vocab: Vocabulary, fiscal_year: int | None,
                lines: list[str] | None = None) -> TableReading:
    reading = TableReading()
    lines = lines or []
    opening = " ".join(ln for ln in lines[:12] if ln.strip())
    department = not (vocab.project_form and vocab.project_form.search(opening))
    reading.department = department
    rows = _without_seq_column(rows)
    lines_before = {r.line: [ln for ln in lines[max(0, r.line - 4):r.line - 1] if ln.strip()] for r in rows}
    reading.total_score = _total_score(rows)
    names = [[_label_of(t) if t else None for t in row.texts()] for row in rows]
    for n, row in enumerate(rows):
        below = rows[n + 1] if n + 1 < len(rows) else None
        reading.pairs += _label_pairs(row, below, names[n], names[n + 1] if below else [],
                                      rows[n + 2] if n + 2 < len(rows) else None)
    i = 0
    while i < len(rows):
        row = rows[i]
        texts = row.texts()
        if _is_metric_header(texts):
            i = _metric_table(rows, i + 1, row, reading, vocab, fiscal_year)
            continue
        if _is_indicator_header(texts):
            i = _indicator_rows(rows, i + 1, row, reading, vocab)
            continue
        above = " ".join(rows[i - 1].texts()) if i and row.line - rows[i - 1].line_end <= 3 else ""
        if _items_over_figures(rows, i, vocab):
            title = _caption(above, lines_before.get(row.line, []))
            reading.figures += _single_row_figures(title, row, rows[i + 1], vocab)
            i += 2
            continue
        basis_rows = _basis_rows_table(rows, i, vocab, fiscal_year)
        if basis_rows:
            title = " ".join([above, *lines_before.get(row.line, [])])
            reading.figures += _basis_row_figures(title, row, rows[i + 1:i + 1 + basis_rows], vocab, fiscal_year)
            i += 1 + basis_rows
            continue
        side = _second_side(texts)
        org_table = bool(ORG_HEADER.match(clean_label(texts[0]) or "-")) and any(
            BASIS_WORD.search(t) or match_term(t, vocab.budget_items) for t in texts[1:] if t)  # not 部门名称 | X局
        item_table = (bool(ITEM_HEADER.match(clean_label(texts[0]) or "-")) or side is not None
                      or _basis_head(texts, fiscal_year))
        if not (org_table or item_table):
            i += 1
            continue
        title = " ".join([above, *lines_before.get(row.line, [])])
        caption = _caption(above, lines_before.get(row.line, []))
        header, j = [row], i + 1
        while j < len(rows) and not _is_data_row(rows[j]) and len(header) < 4:
            header.append(rows[j])
            j += 1
        data = []
        while j < len(rows) and _is_data_row(rows[j]) and (rows[j].texts()[0] != "" or side is not None
                                                            or item_table and bool(_row_label(rows[j]))):
            data.append(rows[j])
            j += 1
        if data and org_table:  # its caption: the short lines just above, not the prose
            reading.figures += _org_figures(caption, header, data, vocab, fiscal_year)
        elif data and (department or ITEM_HEADER.match(clean_label(texts[0]) or "-")):
            # (the funds block of a project's or programme's form is that programme's money: not read)
            for part in ((slice(0, side), slice(side, None)) if side else (slice(None),)):
                halves = [Row(r.cells[part], r.kind) for r in data]
                halves = [h for h in halves if h.cells and (h.texts()[0] or _row_label(h))]
                if halves:
                    found = _item_figures(title, [Row(r.cells[part], r.kind) for r in header],
                                          halves, vocab, fiscal_year, department, caption)
                    reading.figures += found
                    _funds_indicator(header[0], found, reading)
        i = max(j, i + 1)
    return reading


SEQ_HEAD = re.compile(r"^(?:序号|编号)$")
SEQ_CELL = re.compile(r"^\d{1,3}$|^$")


def _without_seq_column(rows: list[Row]) -> list[Row]:
    """A budget table's leading 序号 column dropped (from its head and the rows of 1, 2, 3 … below), so
    that the first cell is the row's label; the indicator and metric tables keep theirs."""
    out, k = [], 0
    while k < len(rows):
        texts = rows[k].texts()
        if (len(texts) < 3 or not SEQ_HEAD.match(clean_label(texts[0])) or _is_indicator_header(texts)
                or _is_metric_header(texts)):
            out.append(rows[k])
            k += 1
            continue
        out.append(Row(rows[k].cells[1:], rows[k].kind))
        k += 1
        while k < len(rows) and len(rows[k].cells) == len(texts) and SEQ_CELL.match(rows[k].texts()[0]):
            out.append(Row(rows[k].cells[1:], rows[k].kind))
            k += 1
    return out


SIDE_HEADER = re.compile(r"^(?:收入|支出)(?:项目)?$|^(?:项目|科目)(?:名称)?$")


def _second_side(texts: list[str]) -> int | None:
    """The column where the right half of a two-sided table starts (收入 | 决算数 | 支出 | 决算数:
    income items on the left, expenditure items on the right), or None."""
    heads = [clean_label(t) for t in texts]
    if len(heads) < 4 or not SIDE_HEADER.match(heads[0]):
        return None
    side = next((k for k in range(2, len(heads) - 1) if SIDE_HEADER.match(heads[k])), None)
    if side is None or heads[1:side] != heads[side + 1:side + side]:
        return None  # both halves have the same value columns
    return side
