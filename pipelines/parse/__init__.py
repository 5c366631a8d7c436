"""Report text -> records for the raw tables.

    layout.py    lines -> table rows, cells, headings, passages (with line/column of every character)
    numbers.py   every rule for reading a figure
    tables.py    budget tables, the indicator table, cover-form label/value pairs
    header.py    unit, year, date, staff, score, grade, region (region.py)
    budget.py    budget figures in prose
    metrics.py   employment metrics in prose and cells
    vocabulary.yaml  codes and wordings
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pipelines.parse import header as header_mod
from pipelines.parse import numbers as numbers_mod
from pipelines.parse import prose as prose_mod
from pipelines.parse import scan as scan_mod
from pipelines.parse import tables as tables_mod
from pipelines.parse import vocabulary
from pipelines.parse.budget import read_budget_prose
from pipelines.parse.indicators import indicator_values
from pipelines.parse.layout import Cell, Layout, Passage, build_passages, read_layout
from pipelines.parse.metrics import Statement, rate_fits, read_metrics
from pipelines.parse.numbers import find_quantities
from pipelines.parse.prose import in_result_section
from pipelines.parse.tables import TableReading, read_tables
from pipelines.text import normalize, split_lines


@dataclass
class ParseResult:
    source_file: str
    report_fields: list[dict[str, Any]] = field(default_factory=list)
    budget_facts: list[dict[str, Any]] = field(default_factory=list)
    employment_metrics: list[dict[str, Any]] = field(default_factory=list)
    performance_indicators: list[dict[str, Any]] = field(default_factory=list)
    parse_issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_report(self) -> bool:
        names = {f["field"] for f in self.report_fields}
        return "unit_name" in names and "fiscal_year" in names

    @property
    def has_figures(self) -> bool:
        """Something worth keeping even without a unit or year: a figure or an indicator row."""
        return bool(self.budget_facts or self.employment_metrics or self.performance_indicators)

    def issue(self, line: int | None, severity: str, code: str, message: str, text: str | None = None) -> None:
        self.parse_issues.append({"source_file": self.source_file, "line": line, "severity": severity,
                                  "code": code, "message": message, "text": text})


def _provenance(layout: Layout, passage: Passage, start: int, end: int) -> dict[str, Any]:
    line, line_end, c1, c2 = passage.locate(start, end)
    return {"source_line": line, "line_end": line_end, "span_start": c1, "span_end": c2,
            "evidence": layout.evidence(line, line_end, c1, c2)}


def _cell_provenance(layout: Layout, line: int, start: int, end: int, whole_line: bool) -> dict[str, Any]:
    evidence = layout.original[line - 1].strip() if whole_line else layout.original[line - 1][start:end]
    return {"source_line": line, "line_end": line, "span_start": start, "span_end": end, "evidence": evidence}


def _budget_rank(basis: str, kind: str) -> int:
    """A full-year budget beats an unqualified one, which beats an initial (年初) one."""
    return {"full": 0, "plain": 1, "initial": 2}[kind] if basis == "budget" else 0


YUAN = Decimal(10000)


def _tables_in_yuan(tables, prose) -> set[int]:
    """Tables that name no unit but whose figures are the prose's 万元 figures written in 元: at least two of
    their figures are 10,000 times a figure the prose states for the same item (within the prose's
    rounding) and none equals one. The report's own arithmetic decides, as no word of the table does."""
    stated = defaultdict(list)
    for fig in prose:
        stated[(fig.org, fig.item_code, fig.basis)].append(fig.amount)
    as_yuan: dict[int, int] = defaultdict(int)
    as_wan: dict[int, int] = defaultdict(int)
    for fig in tables.figures:
        found = stated.get((fig.org, fig.item_code, fig.basis))
        if fig.unit_stated or not found or not fig.amount:
            continue
        as_yuan[fig.table] += any(abs(fig.amount / YUAN - p) <= Decimal("0.006") for p in found)
        as_wan[fig.table] += any(abs(fig.amount - p) <= Decimal("0.006") for p in found)
    return {table for table, n in as_yuan.items() if n >= 2 and not as_wan[table]}


def _budget(result: ParseResult, layout: Layout, tables, prose) -> None:
    rows: list[tuple[tuple, dict[str, Any]]] = []
    in_yuan = _tables_in_yuan(tables, prose)
    for fig in tables.figures:
        if fig.table in in_yuan:
            fig = replace(fig, amount=fig.amount / YUAN)
        text = fig.cell.stripped
        start = fig.cell.col + fig.cell.text.index(text)
        row = {"org": fig.org, "item_code": fig.item_code, "basis": fig.basis, "amount_wan": fig.amount,
               "amount_text": text, "unit_text": "", "source_kind": "table",
               **_cell_provenance(layout, fig.cell.line, start, start + len(text), fig.row.kind in ("tsv", "pipe"))}
        rows.append(((_budget_rank(fig.basis, fig.budget_kind), 0, 0, fig.cell.line), row))
    for fig in prose:
        unit_rank = 1 if fig.unit_text == "元" else 0
        prov = _provenance(layout, fig.passage, fig.start, fig.end)
        row = {"org": fig.org, "item_code": fig.item_code, "basis": fig.basis, "amount_wan": fig.amount,
               "amount_text": fig.amount_text, "unit_text": fig.unit_text, "source_kind": "prose", **prov}
        grand = int("总计" in fig.passage.text[fig.start:fig.end])  # 收入总计 holds the carry-over too
        rank = (_budget_rank(fig.basis, fig.budget_kind) + 3 * fig.other_year + grand, 1, unit_rank,
                prov["source_line"])
        rows.append((rank, row))
    for _, row in [r for r in rows if abs(r[1]["amount_wan"]) >= LIMITS["amount_wan"]]:
        result.issue(row["source_line"], "warning", "figure_too_large",
                     f"{row['item_code']} {row['amount_text']} is beyond what the warehouse stores: left out")
    rows = sorted((r for r in rows if abs(r[1]["amount_wan"]) < LIMITS["amount_wan"]), key=lambda r: r[0])
    seen: set[tuple] = set()
    for _, row in rows:
        key = (row["org"], row["item_code"], row["basis"])
        row["is_selected"] = key not in seen
        seen.add(key)
        result.budget_facts.append({"source_file": result.source_file, **row})


def _metric_row(layout: Layout, st: Statement, selected: bool, target_from: Statement | None) -> dict[str, Any]:
    start = min([st.start, *[a for a, _ in st.spans]])
    end = max([st.end, *[b for _, b in st.spans]])
    q = st.actual
    target_st = target_from or st
    row = {"metric_code": st.term.code, "actual_value": st.actual_value,
           "target_value": target_st.target_value, "completion_rate_pct": st.completion,
           "unit": st.term.unit, "qualifier": q.qualifier if q else (st.target.qualifier if st.target else "exact"),
           "context": st.context, "is_selected": selected, **_provenance(layout, st.passage, start, end),
           "target_source_line": None, "target_evidence": None}
    if target_from is not None and target_from.target is not None:
        t = target_from
        a, b = t.start, max(b for _, b in t.spans)
        prov = _provenance(layout, t.passage, a, b)
        row["target_source_line"], row["target_evidence"] = prov["source_line"], prov["evidence"]
    return row


def _cells_passage(cells: list[Cell]) -> tuple[Passage, list[tuple[int, int]]]:
    """One passage over a row's cells (their first lines), and each cell's span in it."""
    text, segments, spans = "", [], []
    for cell in cells:
        segment = cell.text[:cell.width] if cell.width else cell.text
        spans.append((len(text), len(text) + len(segment)))
        segments.append((len(text), cell.line, cell.col))  # the TAB after it stands just after the cell
        text += segment + "\t"
    return Passage(text, segments, "table"), spans


def _table_statements(tables: TableReading) -> list[Statement]:
    """Metrics read from table rows, as statements like those of prose."""
    out = []
    for fig in tables.metrics:
        cells = [c for c in (fig.label, fig.target, fig.actual) if c is not None]
        passage, spans = _cells_passage(cells)
        st = Statement(fig.term, passage, spans[0][0], spans[0][1], "table", completion=fig.rate)
        for cell, span in zip(cells[1:], spans[1:], strict=True):
            found = find_quantities(cell.text.strip())
            inner = cell.text.index(cell.stripped)
            q = found[0] if found else None
            if cell is fig.actual and fig.actual_value is not None:
                st.actual, st.actual_value = q, fig.actual_value
            elif cell is fig.target and fig.target_value is not None:
                st.target, st.target_value = q, fig.target_value
            else:
                continue
            st.spans.append((span[0] + inner, span[0] + inner + len(cell.stripped)))
        st.paired = st.actual is not None and st.target is not None  # a result in its column, beside its target
        out.append(st)
    return out


def _choose_actual(found: list[Statement]) -> tuple[Statement, str | None]:
    """The statement whose figure is the metric's result, and why the others lost. The report's own
    arithmetic decides first (a stated completion rate equal to actual ÷ a stated target); a figure that
    is also stated as the target loses to one that is not; then the order of the text."""
    with_actual = [s for s in found if s.actual is not None and s.context != "target_cell"]
    if not with_actual:
        return found[0], None
    values = {s.actual_value for s in with_actual}
    if len(values) == 1:
        return with_actual[0], None  # every statement gives the same figure
    targets = [s.target_value for s in found if s.target_value is not None]
    # a self-evaluation table may repeat the result in its target column: such a figure echoes nothing
    tabled = {s.actual_value for s in with_actual if s.context == "actual_cell"}

    def rank(k_st: tuple[int, Statement]) -> tuple[int, int, int, int, int]:
        k, st = k_st
        fits = any(rate_fits(st.actual_value, t, st.completion) for t in [st.target_value, *targets])
        echoes = len(values) > 1 and st.actual_value in targets and st.actual_value not in tabled
        # a result stated against its own target (任务数300人，已完成312人), in a table's result column,
        # or in the section on results
        # (a form's row, result beside target, first: a result the form states as its own)
        stated_as_result = 0 if st.paired and st.context == "table" else 1 if (
            st.paired or st.context == "actual_cell" or in_result_section(st.passage)) else 2
        return (0 if fits else 1, 1 if echoes else 0, stated_as_result, 0 if _in_own_words(st) else 1, k)

    chosen = min(enumerate(with_actual), key=rank)[1]
    chosen = _most_precise(chosen, with_actual)
    fits, echoes, outside, _, _ = rank((0, chosen))
    why = ("its completion rate equals actual ÷ target" if not fits else
           "the other figures are also stated as the target" if any(rank((0, s))[1] for s in with_actual) else
           "it is stated as the result (in a form's result column, beside its target or in the section on results)"
           if any(rank((0, s))[2] > outside for s in with_actual) else
           "it comes first")
    return chosen, why


def _in_own_words(st: Statement) -> bool:
    """The statement uses the wording that names its metric exactly (the vocabulary's `prefer`)."""
    prefer = st.term.prefer
    return prefer is not None and st.actual is not None and prefer.search(
        st.passage.text, st.start, st.offset + st.actual.start) is not None


def _most_precise(chosen: Statement, others: list[Statement]) -> Statement:
    """The same figure stated more exactly elsewhere (285.47 万元 in a table, 2854742.88 元 in prose):
    the exact one, when it rounds to the chosen one."""
    value = chosen.actual_value
    if value is None:
        return chosen
    places = -value.as_tuple().exponent if isinstance(value.as_tuple().exponent, int) else 0
    finer = [s for s in others if s.actual_value is not None and s.actual_value != value
             and round(s.actual_value, max(places, 0)) == value]
    return max(finer, key=lambda s: -s.actual_value.as_tuple().exponent) if finer else chosen


def _choose_target(chosen: Statement, found: list[Statement]) -> Statement | None:
    """Where the chosen statement states no target: another statement's, the one that fits the chosen
    completion rate if one is stated (none when no stated target fits it)."""
    if chosen.target is not None:
        return None
    others = sorted((s for s in found if s.target is not None and s is not chosen),
                    key=lambda s: (s.passage is not chosen.passage, s.context != "target_cell"))
    if chosen.completion is not None and chosen.actual_value is not None and others:
        return next((s for s in others if rate_fits(chosen.actual_value, s.target_value, chosen.completion)), None)
    return next((s for s in others if s.context == "target_cell"), others[0] if others else None)


def _metrics(result: ParseResult, layout: Layout, statements: list[Statement]) -> None:
    by_metric: dict[str, list[Statement]] = defaultdict(list)
    for st in statements:
        by_metric[st.term.code].append(st)
    for code, found in by_metric.items():
        chosen, why = _choose_actual(found)
        target_from = _choose_target(chosen, found)
        if why is not None:
            lost = sorted({str(s.actual_value) for s in found if s.actual is not None
                           and s.actual_value != chosen.actual_value and s.context != "target_cell"})
            line = _provenance(layout, chosen.passage, chosen.start, chosen.end)["source_line"]
            result.issue(line, "info", "metric_reading_dropped",
                         f"{code}: kept {chosen.actual_value}, dropped {', '.join(lost)}: {why}")
        for st in found:
            selected = st is chosen
            row = _metric_row(layout, st, selected, target_from if selected else None)
            result.employment_metrics.append({"source_file": result.source_file, **row})


# The largest magnitude each numeric column of the raw tables holds (DECIMAL(24, 6) and (12, 4)).
# The narrowest column each figure passes through on its way to the marts (sql/staging casts):
# decimal(20, 6) holds less than 1e14, decimal(12, 4) less than 1e8, decimal(8, 2) less than 1e6.
LIMITS = {"amount_wan": Decimal("1e14"), "actual_value": Decimal("1e14"), "target_value": Decimal("1e14"),
          "target_value_high": Decimal("1e14"), "completion_rate_pct": Decimal("1e8"), "weight": Decimal("1e6"),
          "score": Decimal("1e6")}


def _drop_unstorable(result: ParseResult) -> None:
    """A metric's or an indicator's figure too large for its column (a 50-digit count) is left empty, with
    a parse issue naming the line (a budget figure that large is left out when the figures are chosen)."""
    def too_large(row: dict[str, Any]) -> list[str]:
        return [k for k, limit in LIMITS.items() if row.get(k) is not None and abs(row[k]) >= limit]

    for row in result.employment_metrics + result.performance_indicators:
        for key in too_large(row):
            result.issue(row.get("source_line"), "warning", "figure_too_large",
                         f"{row.get('metric_code') or row.get('indicator')}: {key} {row[key]} is beyond what the "
                         "warehouse stores: left empty")
            row[key] = None


TEXT_CACHES = (prose_mod._sentences, prose_mod._first_term, numbers_mod.find_quantities, scan_mod._mask,
               tables_mod.clean_label)
"""The readers' caches keyed by text: they spare work within a document (both prose readers go over the
same sentences) and a little across documents."""


def forget_texts() -> None:
    """Empty the caches keyed by text. A process that parses many documents calls this between batches:
    though bounded, the caches fill with longer and rarer texts the more documents go by (some 30 MB more
    after 6,000 reports than after 600), and so would the process."""
    for cached in TEXT_CACHES:
        cached.cache_clear()


def parse_document(source_file: str, text: str) -> ParseResult:
    """Parse one report. Never raises on bad text: what cannot be read becomes a parse issue."""
    result = ParseResult(source_file)
    vocab = vocabulary.load()
    original = split_lines(text)
    lines = split_lines(normalize(text))
    first, last = header_mod.report_span(lines)
    if (first, last) != (1, len(lines)):  # other units' articles around the report: read as blank lines
        lines = [line if first <= n <= last else "" for n, line in enumerate(lines, start=1)]
        result.issue(first, "info", "other_articles", f"only lines {first}-{last} are the report; the rest "
                     "belongs to other units' articles")
    layout = read_layout(lines, original)
    year = header_mod.fiscal_year(layout)
    tables = read_tables(layout.rows, vocab, int(year.value) if year else None, lines)
    build_passages(layout, tables.cell_context)
    for f in header_mod.read_header(layout, tables, vocab, source_file):
        in_text = f.line > 0  # else read from the file name
        result.report_fields.append({"source_file": source_file, "field": f.name, "value": f.value,
                                     "source_line": f.line if in_text else None, "span_start": f.start,
                                     "span_end": f.end,
                                     "evidence": layout.evidence(f.line, f.line_end, f.start, f.end) if in_text
                                     else source_file})
        if not in_text and f.name in ("unit_name", "fiscal_year"):
            result.issue(None, "info", f"{f.name}_from_file_name", f"{f.name} read from the file name", f.value)
    fiscal = int(year.value) if year else None
    _budget(result, layout, tables, read_budget_prose(layout.passages, vocab, tables.department, fiscal))
    _metrics(result, layout, read_metrics(layout.passages, vocab, fiscal) + _table_statements(tables))
    for ind in tables.indicators:
        result.performance_indicators.append({
            "source_file": source_file, "seq": ind.seq, "level1": ind.level1, "level2": ind.level2,
            "indicator": ind.indicator, "target_text": ind.target.stripped if ind.target else None,
            "actual_text": ind.actual.stripped if ind.actual else None, "source_line": ind.row.line,
            "line_end": ind.row.line_end, **indicator_values(ind, vocab)})
    for line, code, message in tables.issues:
        result.issue(line, "warning", code, message)
    _drop_unstorable(result)
    names = {f["field"] for f in result.report_fields}
    for needed in ("unit_name", "fiscal_year"):
        if needed not in names:
            result.issue(None, "error", f"missing_{needed}", f"no {needed} found in the report")
    if "division_code" not in names and "unit_name" in names:
        result.issue(None, "warning", "region_unresolved", "the unit's region could not be resolved")
    return result
