"""Re-assembling a report's layout from its lines: table rows, cells, headings and passages.

Five table layouts are read into the same `Row`/`Cell` form:
- tab-separated rows: one line a row, cells split on TAB (header rows may span lines);
- one cell a line: lines that start with one TAB, a blank line ends the row; a line
  without the TAB continues the cell above (Word tables saved as text);
- one cell a line with no TAB at all (Word tables exported as plain text): a run of short lines
  whose figures come in rows of a fixed width; the width (the figures after the first row label,
  plus the label) also fixes how many lines above are the head;
- `|`-separated rows (Markdown), separator rows skipped;
- HTML rows (`<tr><td>…</td></tr>`, often a whole table on one line), merged cells expanded;
- comma-separated rows (a spreadsheet exported as CSV, quoted cells kept whole);
- rows of space-separated cells (text from a PDF): a label, then figures or short values; a
  label cut over two lines is joined again;
- a whole table flattened into one line of space-separated cells: its head, then rows of a
  label and as many figures as the head has columns after its first (or, when the head ends in
  分值 | 得分, rows that end in those two figures).
Prose is cut into passages: a paragraph broken over lines (page breaks) is joined
again; every character keeps its (line, column), so any span maps back to the
original lines for provenance.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial

from pipelines.parse.numbers import is_cell_figure, is_cell_value, unit_cut_at_break

HEADING_MARK = re.compile(
    r"^\s*(?:(?P<l1>[一二三四五六七八九十]+\s*[、.])|(?P<l2>[（(]\s*[一二三四五六七八九十]+\s*[）)])"
    r"|(?P<l3>\d{1,2}\s*[、.](?!\d))|(?P<l4>[（(]\s*\d{1,2}\s*[）)])|(?P<l0>第[一二三四五六七八九十]+[部章节]分?))"
)
SENTENCE_END = "。！？；：:"
# A title line ends its passage even without punctuation (the text after it is no continuation).
BULLET = re.compile(r"^\s*(?:[▸•◆◇■□▪►▶●○◎※★☆✅✔➤·]|[-*+]\s)")
# A line of a list with dot leaders (blanked): 「其他收入            326.40万元」 is a whole item
LEADER_ITEM = re.compile(r"\S\s{4,}[-\d,.]+\s*(?:万元|元|亿元|人|个|%)$")
TITLE_END = re.compile(r"(?:报告|自评表|评价表|情况表|数据表)$")
# Page furniture of text taken from a PDF: footers (第 2 页 共 5 页, - 2 -, 2/5) and a running header
# (a line repeated next to a footer). It is left out of passages, so a sentence cut by a page goes on.
PAGE_FOOTER = re.compile(r"^\s*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
                         r"|[-—－]\s*\d+\s*[-—－]|\d+\s*/\s*\d+)\s*$")
SPACED_PIPE = re.compile(r"\S\s+\|\s+\S")  # 「部门名称 | X局」: cells joined by spaced pipes, no leading pipe
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
HTML_ROW = re.compile(r"<tr\b[^>]*>(?P<body>.*?)(?:</tr\s*>|(?=<tr\b)|$)", re.I)
HTML_CELL = re.compile(r"<t[dh]\b(?P<attrs>[^>]*)>(?P<text>.*?)(?:</t[dh]\s*>|(?=<t[dh]\b)|$)", re.I)
HTML_SPAN = re.compile(r"(?P<kind>rowspan|colspan)\s*=\s*[\"']?(?P<n>\d+)", re.I)


@dataclass(slots=True)
class Cell:
    text: str
    line: int  # 1-based line of the first character
    col: int  # 0-based column of the first character in that line
    width: int = 0  # characters of the cell on its first line
    lines: list[int] = field(default_factory=list)  # continuation lines (one-cell-a-line layout)

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    kind: str  # tsv / cells / pipe / html / csv / spaces / flat
    _texts: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int:
        return self.cells[0].line

    @property
    def line_end(self) -> int:
        last = self.cells[-1]
        return max([last.line, *last.lines])

    def texts(self) -> list[str]:
        """The cells' stripped texts (kept: the table readers ask for them many times)."""
        if self._texts is None or len(self._texts) != len(self.cells):
            self._texts = [c.stripped for c in self.cells]
        return self._texts


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    line: int
    in_table: bool = False  # a table cell read as a heading (a numbered row label of a table)


@dataclass(slots=True)
class Passage:
    """A run of text read as prose, and where each of its characters stands: `segments` are
    (offset in text, line, column) of each run of characters taken from one line."""

    text: str
    segments: list[tuple[int, int, int]]
    context: str = "prose"  # prose / target_cell / actual_cell
    headings: tuple[Heading, ...] = ()

    def position(self, k: int) -> tuple[int, int]:
        """(line, column) of the character at offset `k` of the text."""
        j = bisect_right(self.segments, (k, math.inf, math.inf)) - 1
        offset, line, col = self.segments[j]
        return line, col + k - offset

    def locate(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(first line, last line, start column in first line, end column in last line)."""
        (l1, c1), (l2, c2) = self.position(start), self.position(max(start, end - 1))
        return l1, l2, c1, c2 + 1


@dataclass
class Layout:
    lines: list[str]  # normalised lines
    original: list[str]
    rows: list[Row]
    passages: list[Passage]
    headings: list[Heading]

    def evidence(self, line: int, line_end: int, start: int, end: int) -> str:
        """The original text from (line, start) to (line_end, end), line breaks kept."""
        if line == line_end:
            return self.original[line - 1][start:end]
        parts = [self.original[line - 1][start:]]
        parts += self.original[line: line_end - 1]
        parts.append(self.original[line_end - 1][:end])
        return "\n".join(parts)


LETTER_SPACED = re.compile(r"(?:\S )+\S")
TITLE_WITH_STOP = re.compile(r"[^，。；：:,;\d]{2,20}。")  # 「（二）绩效目标完成情况。」: a title, not a sentence


def heading_of(text: str) -> Heading | None:
    m = HEADING_MARK.match(text)
    if not m:
        return None
    rest = text[m.end():].strip()
    if LETTER_SPACED.fullmatch(rest):  # 「三、 部 门 整 体 支 出 绩 效」 (a cover's or a scan's heading)
        rest = rest.replace(" ", "")
    if (not rest or len(rest) > 40 or rest.endswith("。") and not TITLE_WITH_STOP.fullmatch(rest)
            or re.search(r"\d+(?:\.\d+)?\s*(?:万元|元|人|%|户)", rest)):
        return None
    level = next(int(k[1]) for k, v in m.groupdict().items() if v)
    return Heading(max(level, 1), rest, 0)


def _split_cells(line: str, line_no: int, sep: str) -> list[Cell]:
    cells, col = [], 0
    for part in line.split(sep):
        cells.append(Cell(part, line_no, col, len(part)))
        col += len(part) + 1
    return cells


def _line_kind(line: str) -> str:
    if not line.strip() and "\t" not in line:
        return "blank"
    if "|" in line and (line.lstrip().startswith("|") and line.count("|") >= 2 or line.count("|") >= 3
                        or SPACED_PIPE.search(line)):
        return "pipe"
    body = line.lstrip("\t")
    if "\t" in body.rstrip("\t") or (line.startswith("\t\t") and body.strip()):
        return "tsv"
    if line.startswith("\t"):
        return "cell"
    if "\t" in line:
        return "tsv"
    return "plain"


def _html_rows(original: str, line: str, line_no: int, spans: dict[int, int]) -> list[Row]:
    """Rows of an HTML table written on one line (as PDF converters do), merged cells expanded:
    a cell with colspan=n is followed by n-1 empty cells, one with rowspan=n leaves an empty cell
    in its columns of the n-1 rows below (`spans`: column -> rows still covered)."""
    rows = []
    for tr in HTML_ROW.finditer(original):
        cells: list[Cell] = []
        base = tr.start("body")
        for td in HTML_CELL.finditer(tr.group("body")):
            _cover(cells, spans, line_no, base + td.start())
            a, b = base + td.start("text"), base + td.end("text")
            widths = {m.group("kind").lower(): int(m.group("n")) for m in HTML_SPAN.finditer(td.group("attrs"))}
            first = len(cells)
            cells.append(Cell(line[a:b], line_no, a, b - a))
            cells += [Cell("", line_no, b, 0) for _ in range(widths.get("colspan", 1) - 1)]
            for k in range(first, len(cells)):
                if widths.get("rowspan", 1) > 1:
                    spans[k] = widths["rowspan"] - 1
        _cover(cells, spans, line_no, tr.end())
        if cells:
            rows.append(Row(cells, "html"))
    return rows


TR_OPEN = re.compile(r"<tr\b", re.I)
TR_CLOSE = re.compile(r"</tr\s*>", re.I)
TABLE_OPEN = re.compile(r"<table\b", re.I)


def _html_block_rows(lines: list[str], original: list[str]) -> tuple[dict[int, list[Row]], set[int]]:
    """Rows of HTML tables written over several lines (a Word file saved as a web page: 「<tr>」, then a
    「<td><p class=MsoNormal>…</p></td>」 a line, then 「</tr>」): first line of each row -> the row, its
    cells at their places in the lines, merged cells expanded as in one-line tables; and the lines they
    take, from 「<tr>」 to 「</tr>」."""
    found: dict[int, list[Row]] = {}
    taken: set[int] = set()
    spans: dict[int, int] = {}
    k = 0
    while k < len(original):
        text = original[k]
        if TABLE_OPEN.search(text):
            spans = {}
        opened = TR_OPEN.search(text)
        if not opened or TR_CLOSE.search(text, opened.end()):
            k += 1
            continue
        end = next((j for j in range(k + 1, min(len(original), k + 200)) if TR_CLOSE.search(original[j])
                    or TR_OPEN.search(original[j])), None)
        if end is None:
            k += 1
            continue
        cells: list[Cell] = []
        for j in range(k, end + 1):
            start = opened.end() if j == k else 0
            for td in HTML_CELL.finditer(original[j], start):
                _cover(cells, spans, j + 1, td.start())
                a, b = td.start("text"), td.end("text")
                widths = {m.group("kind").lower(): int(m.group("n")) for m in HTML_SPAN.finditer(td.group("attrs"))}
                first = len(cells)
                cells.append(Cell(lines[j][a:b], j + 1, a, b - a))
                cells += [Cell("", j + 1, b, 0) for _ in range(widths.get("colspan", 1) - 1)]
                for c in range(first, len(cells)):
                    if widths.get("rowspan", 1) > 1:
                        spans[c] = widths["rowspan"] - 1
        _cover(cells, spans, end + 1, 0)
        if cells:
            found[k + 1] = [Row(cells, "html")]
            taken |= set(range(k + 1, end + 2))
        k = end if TR_OPEN.search(original[end]) and not TR_CLOSE.search(original[end]) else end + 1
    return found, taken


def _cover(cells: list[Cell], spans: dict[int, int], line_no: int, at: int) -> None:
    """Empty cells for the columns that a cell of a row above still covers (rowspan)."""
    while len(cells) in spans:
        k = len(cells)
        spans[k] -= 1
        if not spans[k]:
            del spans[k]
        cells.append(Cell("", line_no, at, 0))


# A line that can be a cell of a table written one cell a line without TABs: short, no sentence.
BARE_CELL = re.compile(r"^(?:其中[：:])?[^\t。；，：:]{1,24}$")  # (其中：人员经费)
MIN_BARE_COLUMNS, MIN_BARE_ROWS = 3, 2
SEQ_HEAD = re.compile(r"^(?:序号|编号)$")


def _bare_cell_rows(lines: list[str]) -> dict[int, list[Row]]:
    """Tables written one cell a line without TABs (a blank line after every cell, or none): first line
    of the table -> its rows. A page break (a footer, a running header, the blank lines around them)
    between two cells does not end the run of cells."""
    found: dict[int, list[Row]] = {}
    furniture = page_furniture(lines)
    page_break = {k - 1 + d for k in furniture for d in (-1, 0, 1)
                  if 0 <= k - 1 + d < len(lines) and (d == 0 or not lines[k - 1 + d].strip())}
    cells = [BARE_CELL.match(line.strip()) is not None for line in lines]
    for run in _cell_runs(lines, cells, 1, page_break) + _cell_runs(lines, cells, 2):
        texts = [lines[k].strip() for k in run]
        line_of = [k + 1 for k in run]
        start = 0
        while start < len(run):  # a run may hold more than one table (no blank line between them)
            rows = _bare_table(texts[start:], line_of[start:])
            if not rows or rows[0].line in found:
                break
            found[rows[0].line] = rows
            start = line_of.index(rows[-1].line) + 1
    return found


def _cell_runs(lines: list[str], cells: list[bool], step: int,
               skipped: set[int] | frozenset[int] = frozenset()) -> list[list[int]]:
    """Runs of short cell lines (`cells`: which lines are), one after another (step 1) or each followed by
    one blank line (step 2); the `skipped` lines (0-based: a page break) are passed over inside a run."""
    runs: list[list[int]] = []
    i, n = 0, len(lines)
    while i < n:
        j, run = i, []
        while j < n:
            if run and j in skipped:
                j += 1
                continue
            if not (cells[j] and (step == 1 or j + 1 >= n or not lines[j + 1].strip())):
                break
            run.append(j)
            j += step
        while run and run[-1] in skipped:
            run.pop()
        if len(run) >= 2:
            runs.append(run)
        i = j + 1 if j == i else j
    return runs


# 「单位名称：X　支出合计：1,200.00　基本支出：800.00」: a table row written as labelled fields
FIELD = re.compile(r"([^\s：:，。；|]{2,12})[：:]\s*([^\s：:，。；|]+)")
# a record's field: key=value, fields ended by semicolons (the value may hold a colon: 支出项目=其中：人员经费)
RECORD_FIELD = re.compile(r"([^\s=;；]{1,12})\s*=\s*([^;；=]*?)\s*(?=[;；]|$)")
ROW_NUMBER_LABELS = frozenset({"row", "Row", "ROW", "序号", "行号", "编号", "No", "no"})
# A level name between such rows (「二级指标：数量指标」): it neither ends the table nor is a row of it
LEVEL_FIELD = re.compile(r"^\s*[一二]级指标[：:]\s*\S+\s*$")


@dataclass(frozen=True)
class FieldForm:
    """How a table written as fields spells a field: its pattern, and the marks that separate label
    and value (a line with three of them may be a row)."""

    field: re.Pattern[str]
    marks: tuple[str, ...]

    @property
    def three_marks(self) -> re.Pattern[str]:
        """Matches a line with three marks or more."""
        return _three_of("".join(self.marks))


@cache
def _three_of(marks: str) -> re.Pattern[str]:
    either = re.escape(marks)
    return re.compile(f"(?:[^{either}]*[{either}]){{3}}")


FIELD_FORMS = (
    FieldForm(FIELD, ("：", ":")),  # 城镇新增就业人数：年度指标值：≥3000人｜实际完成值：3150人
    FieldForm(RECORD_FIELD, ("=",)),  # row=03; 支出项目=其中：公用经费; 年初预算数=120,000.00
)


def _fields(line: str, form: FieldForm) -> list[re.Match[str]]:
    """The fields of a line, without a leading row number (row=02, 序号：3)."""
    matches = list(form.field.finditer(line))
    return matches[1:] if matches and matches[0].group(1) in ROW_NUMBER_LABELS else matches


def _field_rows_of(lines: list[str], form: FieldForm) -> dict[int, list[Row]]:
    """Tables written one row a line as 「label：value」 fields (three or more, after spaces or |), on two
    lines or more whose labels agree (one may add fields at its end, 偏差原因): a head of the labels,
    then a row a line. Either every value after the first is a figure, or the labels name a target
    and a result (an indicator table: 年度指标值：≥3000个｜实际完成值：3100余个)."""
    found: dict[int, list[Row]] = {}
    run: list[tuple[int, list[re.Match[str]]]] = []
    three = form.three_marks
    candidates = [k for k, line in enumerate(lines) if three.match(line)]  # (few lines)
    for k in [*candidates, len(lines) + 1]:
        found_fields = _fields(lines[k], form) if k < len(lines) else []
        fields = [(m.group(1), m.group(2)) for m in found_fields]
        matches = found_fields if len(fields) >= 3 and (
            all(is_cell_value(v) for _, v in fields[1:]) or _names_target_and_result(fields)) else []
        if matches and run and all(LEVEL_FIELD.match(lines[j]) for j in range(run[-1][0] + 1, k)):
            labels = [m.group(1) for m in matches]
            head = max(([m.group(1) for m in ms] for _, ms in run), key=len)
            if labels[:len(head)] == head[:len(labels)]:
                run.append((k, matches))
                continue
        if len(run) >= 2:
            widest = max((ms for _, ms in run), key=len)  # the head: its labels, on the table's first line
            rows = [Row([Cell(m.group(1), run[0][0] + 1, m.start(1), len(m.group(1))) for m in widest], "fields")]
            rows += [Row([Cell(m.group(2), i + 1, m.start(2), len(m.group(2))) for m in ms]
                         + [Cell("", i + 1, ms[-1].end(), 0) for _ in range(len(widest) - len(ms))], "fields")
                     for i, ms in run]  # (a row without the last fields has them empty)
            found[run[0][0] + 1] = rows
        run = [(k, matches)] if matches else []
    return found


CELL_ADDRESS = re.compile(r"^\s*(?P<col>[A-Z]{1,3})(?P<row>\d{1,5})\s*=\s?(?P<value>.*)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def _cell_address_rows(lines: list[str]) -> dict[int, list[Row]]:
    """A spreadsheet written out a cell a line (「C7 = 1250000.00」, empty cells left out): each run of
    such lines is a sheet, its cells put back in rows and columns (a left-out cell is an empty one)."""
    found: dict[int, list[Row]] = {}
    run: list[tuple[int, re.Match[str]]] = []
    for k, line in enumerate([*lines, ""]):
        m = CELL_ADDRESS.match(line) if k < len(lines) else None
        if m:
            run.append((k + 1, m))
            continue
        if line.strip() and k < len(lines) or k == len(lines):
            if len(run) >= 4:
                found[run[0][0]] = _sheet_rows(run)
            run = []
    return found


def _sheet_rows(run: list[tuple[int, re.Match[str]]]) -> list[Row]:
    by_row: dict[int, dict[int, Cell]] = {}
    for line_no, m in run:
        by_row.setdefault(int(m.group("row")), {})[_column_number(m.group("col"))] = Cell(
            m.group("value"), line_no, m.start("value"), len(m.group("value")))
    rows = []
    for number in sorted(by_row):
        cells = by_row[number]
        first = min(cells.values(), key=lambda c: c.line)
        rows.append(Row([cells.get(i) or Cell("", first.line, 0, 0) for i in range(max(cells) + 1)], "sheet"))
    return rows


# A table whose columns a line of dash groups marks out (pandoc's simple and multiline tables):
# 「---------- ------- -------」 under the heads; a multiline table also has a whole rule above its heads
# and below its last row, and a blank line after each row, whose cells may wrap onto more lines.
COLUMN_RULE = re.compile(r"^\s*-{3,}(?:[ \t]+-{3,})+\s*$")
WHOLE_RULE = re.compile(r"^\s*-{10,}\s*$")
DASH_GROUP = re.compile(r"-{3,}")


def _ruled_column_rows(lines: list[str]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {}
    for k, line in enumerate(lines):
        if not COLUMN_RULE.match(line):
            continue
        groups = [m.span() for m in DASH_GROUP.finditer(line)]
        bounds = [(a_end + b_start) // 2 + 1 for (_, a_end), (b_start, _) in zip(groups, groups[1:], strict=False)]
        top = k
        while top > 0 and lines[top - 1].strip() and not WHOLE_RULE.match(lines[top - 1]):
            top -= 1
        multiline = top > 0 and WHOLE_RULE.match(lines[top - 1]) is not None
        groups_of_lines = [list(range(top, k))] if top < k else []
        body: list[int] = []
        j = k + 1
        while j < len(lines) and not WHOLE_RULE.match(lines[j]) and not COLUMN_RULE.match(lines[j]):
            if not lines[j].strip():
                if not multiline:
                    break
                if body:
                    groups_of_lines.append(body)
                    body = []
            else:
                body.append(j) if multiline else groups_of_lines.append([j])
            j += 1
        if body:
            groups_of_lines.append(body)
        edges = [0, *bounds, 1 << 30]
        rows = [_ruled_row(g, lines, list(zip(edges, edges[1:], strict=False))) for g in groups_of_lines]
        if len(rows) >= 2:
            found[rows[0].line] = rows
    return found


# A grid table (reStructuredText, some converters): 「+------+-----+」 borders, cells between 「|」, a cell's
# text wrapping onto the lines down to the next border.
GRID_BORDER = re.compile(r"^\s*\+(?:[-=]{2,}\+){2,}\s*$")


def _grid_rows(lines: list[str]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {}
    k = 0
    while k < len(lines):
        if not GRID_BORDER.match(lines[k]):
            k += 1
            continue
        pluses = [i for i, ch in enumerate(lines[k]) if ch == "+"]  # (a border is ASCII: index = column)
        spans = [(a + 1, b) for a, b in zip(pluses, pluses[1:], strict=False)]
        rows, group, j = [], [], k + 1
        while j < len(lines) and (GRID_BORDER.match(lines[j]) or lines[j].lstrip().startswith("|")):
            if GRID_BORDER.match(lines[j]):
                if group:
                    rows.append(_ruled_row(group, lines, spans))
                group = []
            else:
                group.append(j)
            j += 1
        if len(rows) >= 2:
            found[rows[0].line] = rows
        k = j
    return found


def _ruled_row(group: list[int], lines: list[str], spans: list[tuple[int, int]]) -> Row:
    """One row of a ruled table: each column's slices of the row's lines, joined (a wrapped cell).
    Columns are counted as the table was drawn: a Chinese character takes two."""
    cells = []
    for a, b in spans:
        parts = [(n, *_display_slice(lines[n], a, b)) for n in group]
        parts = [p for p in parts if p[1].strip()]
        first_line, first, start = parts[0] if parts else (group[0], "", 0)
        col = start + len(first) - len(first.lstrip())
        text = "".join(p.strip() for _, p, _ in parts)
        cells.append(Cell(text, first_line + 1, col, len(first.strip()), [n + 1 for n, _, _ in parts[1:]]))
    return Row(cells, "ruled")


def _display_slice(line: str, a: int, b: int) -> tuple[str, int]:
    """The characters of `line` drawn in display columns a..b-1, and the index of the first."""
    shown, start, end = 0, None, len(line)
    for i, ch in enumerate(line):
        if start is None and shown >= a:
            start = i
        if shown >= b:
            end = i
            break
        shown += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    start = len(line) if start is None else start
    return line[start:max(start, end)], start


def _names_target_and_result(fields: list[tuple[str, str]]) -> bool:
    labels = "".join(label for label, _ in fields)
    return bool(re.search(r"指标值|目标值|计划值", labels) and re.search(r"实际|完成值|实现值", labels))


MIN_COLUMN_CELLS = 8
COLUMN_CELL = re.compile(r"^(?:其中[：:])?[^\t。；，：:]{1,24}$")


def _column_major_rows(lines: list[str], taken: set[int] | frozenset[int] = frozenset()) -> dict[int, list[Row]]:
    """Tables written one cell a line column by column (a PDF converter's order): the head of the
    first column and its labels, then for each further column its head and one figure per label.
    A page break (blank lines, a footer, a running header) may fall anywhere in the cells."""
    run = longest = 0
    for k, line in enumerate(lines, start=1):
        run = run + 1 if 0 < len(line) <= 24 and "。" not in line and k not in taken and line[0] != "\t" else 0
        longest = max(longest, run)
    if longest < MIN_COLUMN_CELLS:
        return {}  # no run of short lines long enough to hold such a table
    furniture = page_furniture(lines)
    footers = [k for k, line in enumerate(lines) if PAGE_FOOTER.match(line)]
    furniture |= {k + 1 + d for k in footers for d in (-2, -1, 1, 2)  # a running header beside a footer
                  if 0 <= k + d < len(lines) and not COLUMN_CELL.match(lines[k + d].strip())}
    found: dict[int, list[Row]] = {}
    i, n = 0, len(lines)
    while i < n:
        run, j = [], i
        while j < n:
            text = lines[j].strip()
            if (text and COLUMN_CELL.match(text) and j + 1 not in furniture and j + 1 not in taken
                    and not lines[j].startswith("\t")):  # (a TAB-led line is a cell of a Word table)
                run.append(j)
            elif run and text and j + 1 not in furniture or not run and text:
                break
            j += 1
        for skip in range(min(3, max(0, len(run) - MIN_COLUMN_CELLS + 1))):  # title lines before the head
            rows = _column_major(run[skip:], lines)
            if rows:
                found[rows[0].line] = rows
                break
        i = max(j, i + 1)
    return found


def _column_major(run: list[int], lines: list[str]) -> list[Row]:
    texts = [lines[k].strip() for k in run]
    figure = [is_cell_figure(t) for t in texts]
    first_block = next((p for p in range(2, len(texts) - 1) if not figure[p] and figure[p + 1]), None)
    if first_block is None or figure[0] or any(figure[:first_block]):
        return []
    labels = first_block - 1
    blocks, p = [], first_block
    while p + labels < len(texts) and not figure[p] and all(figure[p + 1:p + 1 + labels]):
        blocks.append(p)
        p += 1 + labels
    if labels < 2 or len(blocks) < 2:
        return []
    columns = [0, *blocks]
    rows = []
    for r in range(labels + 1):
        cells = [Cell(texts[c + r], run[c + r] + 1, lines[run[c + r]].index(texts[c + r]), len(texts[c + r]))
                 for c in columns]
        rows.append(Row(cells, "cells"))
    return rows


def _bare_table(run: list[str], line_of: list[int]) -> list[Row]:
    """The first table in `run`: a head of `width` lines, then rows of a label and figures, or of a
    序号 figure, a label and figures when the head opens with 序号."""
    figure = [is_cell_figure(t) for t in run]
    seq = next((k for k, t in enumerate(run) if SEQ_HEAD.match(t)), None)
    if seq is not None:
        width = next((k for k in range(seq, len(run)) if figure[k]), len(run)) - seq
        rows = _bare_rows(run, figure, line_of, seq, width, 1)
        if rows:
            return rows
    for first in range(1, len(run)):  # the first figure after a row label
        if not figure[first] or figure[first - 1]:
            continue
        width = 1
        while first + width - 1 < len(run) and figure[first + width - 1]:
            width += 1
        rows = _bare_rows(run, figure, line_of, first - 1 - width, width, 0)
        if rows:
            return rows
    return []


def _bare_rows(run: list[str], figure: list[bool], line_of: list[int], head: int, width: int, lead: int) -> list[Row]:
    """Rows of `width` lines from `head`: the head (no figures), then `lead` figures (序号), a label and
    figures, as long as rows keep that shape."""
    if width - lead < MIN_BARE_COLUMNS or head < 0 or any(figure[head:head + width]):
        return []
    rows = []
    for start in range(head, len(run) - width + 1, width):
        chunk = figure[start:start + width]
        if start > head and (not all(chunk[:lead]) or chunk[lead] or not all(chunk[lead + 1:])):
            break
        rows.append(Row([Cell(run[k], line_of[k], 0, len(run[k])) for k in range(start, start + width)], "cells"))
    return rows if len(rows) > MIN_BARE_ROWS else []


# ---- flattened tables: comma-separated, space-separated, and a whole table on one line ----

CSV_SENTENCE = re.compile(r"[。；！？]|，(?!\d{3})")
CJK_TOKEN = re.compile(r"[\u4e00-\u9fff]")
MAX_HEAD_CELL, MAX_FLAT_TITLE = 14, 40


def _csv_cells(line: str, line_no: int, sep: str = ",") -> list[Cell] | None:
    """The cells of a row separated by `sep` (quoted cells may hold it), or None if the line is no
    such row: fewer than three cells, or a cell that is a sentence."""
    cells: list[Cell] = []
    k, n = 0, len(line)
    while k <= n:
        if line.startswith('"', k):
            end = line.find('"', k + 1)
            while end != -1 and line.startswith('""', end):
                end = line.find('"', end + 2)
            if end == -1 or (end + 1 < n and line[end + 1] != sep):
                return None
            cells.append(Cell(line[k + 1:end], line_no, k + 1, end - k - 1))
            k = end + 2
            continue
        end = line.find(sep, k)
        end = n if end == -1 else end
        cells.append(Cell(line[k:end], line_no, k, end - k))
        k = end + 1
    if len(cells) < 3 or any(CSV_SENTENCE.search(c.text) for c in cells):
        return None
    if any(re.match(r"\d{3}(?!\d)", b.text) and re.search(r"(?:^|[^\d.])\d{1,3}$", a.text)
           for a, b in zip(cells, cells[1:], strict=False)):
        return None  # 「支出合计 3,100.00 3,400.00」: thousands separators, not cell breaks
    return cells


def _csv_rows(lines: list[str]) -> dict[int, Row]:
    """Comma-separated rows (1-based line -> row) of a text that is a CSV export: read only when a
    run of three lines or more are such rows, so a sentence with a figure like 1,234 is never cut.
    Rows separated by the Chinese comma (a Word table turned into text: 「项目，本年决算数，上年决算数」)
    count only as a run of rows of one width that holds figures."""
    found: dict[int, Row] = {}
    for sep in (",", "，"):
        run: list[tuple[int, list[Cell]]] = []
        for i, line in enumerate([*lines, ""], start=1):
            cells = _csv_cells(line, i, sep) if sep in line and "\t" not in line and "。" not in line else None
            if cells is not None:
                run.append((i, cells))
                continue
            if len(run) >= 3 and (sep == "," or _one_width_with_figures(run)):
                found.update({k: Row(c, "csv") for k, c in run if k not in found})
            run = []
    return found


def _one_width_with_figures(run: list[tuple[int, list[Cell]]]) -> bool:
    return len({len(cells) for _, cells in run}) == 1 and sum(
        any(is_cell_figure(c.text.strip()) for c in cells[1:]) for _, cells in run) >= 2


# A token; single characters spaced out to fill a column (「项  目」「合  计」) are one token
TOKEN = re.compile(r"[\u4e00-\u9fff](?:[ ]{1,6}[\u4e00-\u9fff](?![^\s]))+(?=\s|$)|\S+")
RULE_LINE = re.compile(r"^\s*[-=─━_]{6,}\s*$")  # a table's rule, drawn with dashes


def _tokens(line: str, line_no: int) -> list[Cell]:
    return [Cell(m.group().replace(" ", ""), line_no, m.start(), len(m.group())) for m in TOKEN.finditer(line)]


def _is_value(text: str) -> bool:
    return is_cell_value(text)


def _space_row_kind(tokens: list[Cell]) -> str | None:
    """'row' for a line of space-separated cells that opens with a label and holds two figures or
    more; 'text' for a line of short labels only (a head, or part of a label cut by the page)."""
    texts = [t.text for t in tokens]
    if not texts or CSV_SENTENCE.search(" ".join(texts)) or not CJK_TOKEN.search(texts[0]):
        return None
    values = sum(_is_value(t) for t in texts[1:])
    if len(texts) >= 3 and values >= 2 and all(len(t) <= MAX_HEAD_CELL or _is_value(t) for t in texts):
        return "row"
    if len(texts) == 2 and values == 1 and len(texts[0]) <= MAX_HEAD_CELL:
        return "pair"  # a label and one figure: a row of a two-column table, if enough of them follow
    if all(len(t) <= MAX_HEAD_CELL and not _is_value(t) for t in texts):
        return "text"
    return None


SPACED_FIGURE = re.compile(r"\s[≥≤><]?\d")


def _may_be_space_row(line: str) -> bool:
    """A quick test most lines fail: a short label line, or a line of spaced cells."""
    text = line.strip()
    if not text or "\t" in line or "|" in line or "<" in line:
        return False
    return len(text) <= MAX_HEAD_CELL or " " in text


def _head_over_values(lines: list[str]) -> dict[int, Row]:
    """A line of three or more labels over a line of as many figures and nothing else (a table with the
    items as its columns and one row of figures: 工资福利支出 商品和服务支出 … 合计 / 500.00 200.00 … 800.00)."""
    found: dict[int, Row] = {}
    for k in range(len(lines) - 1):
        if " " not in lines[k + 1].strip() or not SPACED_FIGURE.search(lines[k + 1]):
            continue  # (most lines are no row of figures)
        below = lines[k + 1].split()
        if len(below) < 3 or not all(_is_value(t) for t in below) or not CJK_TOKEN.search(lines[k]):
            continue
        head = _tokens(lines[k], k + 1)
        if len(head) == len(below) and not any(_is_value(c.text) for c in head) and all(
                len(c.text) <= MAX_HEAD_CELL for c in head):
            found[k + 1], found[k + 2] = Row(head, "spaces"), Row(_tokens(lines[k + 1], k + 2), "spaces")
    return found


def _two_column_rows(lines: list[str], candidates: list[int]) -> list[int]:
    """Lines of a label and one figure that make a two-column table: three or more in a row, under a
    head of two labels (经济分类 决算数)."""
    pairs = [k for k in candidates if _space_row_kind(_tokens(lines[k], k + 1)) == "pair"]
    out, run = [], []
    for k in pairs + [-2]:
        if run and k == run[-1] + 1:
            run.append(k)
            continue
        head = lines[run[0] - 1].split() if run and run[0] else []
        if len(run) >= 3 and len(head) == 2 and not any(_is_value(t) for t in head):
            out += run
        run = [k]
    return out


def _space_rows(lines: list[str]) -> dict[int, Row]:
    """Rows of tables written one row a line with cells separated by spaces (PDF text). A line of
    labels only just before the first row is the head; inside the table, a line of one label is
    the first part of the next row's label when that row follows, else the end of the row above."""
    found: dict[int, Row] = _head_over_values(lines)
    n = len(lines)
    kinds: list[str | None] = [None] * n
    row_kinds = {k: _space_row_kind(_tokens(line, k + 1)) for k, line in enumerate(lines)
                 if SPACED_FIGURE.search(line) and _may_be_space_row(line)}
    rows_at = [k for k, kind in row_kinds.items() if kind in ("row", "pair")]
    if len(rows_at) < 2:
        return found  # a table needs two rows of spaced cells with figures
    for k in _two_column_rows(lines, rows_at) + [k for k in rows_at if row_kinds[k] == "row"]:
        kinds[k] = "row"
    for k in {j for r in rows_at for j in (r - 2, r - 1, r + 1, r + 2) if 0 <= j < n} - set(rows_at):
        kinds[k] = "rule" if RULE_LINE.match(lines[k]) else (
            _space_row_kind(_tokens(lines[k], k + 1)) if _may_be_space_row(lines[k]) else None)
    half_of: dict[int, int] = {}  # a half row -> the full row above it, whose columns it shares
    for k in rows_at:  # 「        公用经费   12.00」 under a wider row: the right half of a two-sided table
        if kinds[k] is None and k and kinds[k - 1] in ("row", "half"):
            full = half_of.get(k - 1, k - 1)
            if _right_half(lines[k], lines[full]):
                kinds[k], half_of[k] = "half", full
    for k in range(n - 1):  # the head over a rule: 「项目 年初预算 …」 / 「------」 / rows
        if kinds[k] == "rule" and kinds[k + 1] == "row" and k and kinds[k - 1] is None and _may_be_space_row(
                lines[k - 1]):
            kinds[k - 1] = _space_row_kind(_tokens(lines[k - 1], k))
    i = 0
    while i < n:
        if kinds[i] != "row":
            i += 1
            continue
        start, end = i, i
        while end + 1 < n and (kinds[end + 1] in ("row", "half") or kinds[end + 1] in ("text", "rule")
                               and end + 2 < n and kinds[end + 2] in ("row", "text")):
            end += 1
        rows = [k for k in range(start, end + 1) if kinds[k] == "row"]
        if len(rows) >= 2:
            above = start - 1 - (start > 1 and kinds[start - 1] == "rule")
            head = above if above >= 0 and kinds[above] == "text" and len(_tokens(lines[above], 0)) >= 2 else None
            if head is not None:
                found[head + 1] = Row(_tokens(lines[head], head + 1), "spaces")
            for k in rows:
                found[k + 1] = Row(_tokens(lines[k], k + 1), "spaces")
            for k in range(start, end + 1):  # a half row: empty cells stand for the left half
                if kinds[k] == "half":
                    cells = _tokens(lines[k], k + 1)
                    left = sum(c.col < cells[0].col for c in found[half_of[k] + 1].cells)
                    found[k + 1] = Row([Cell("", k + 1, 0, 0) for _ in range(left)] + cells, "spaces")
            for k in range(start, end + 1):
                if kinds[k] != "text" or len(lines[k].split()) != 1:
                    continue
                piece = Cell(lines[k].strip(), k + 1, lines[k].index(lines[k].strip()), len(lines[k].strip()))
                owner = found.get(k + 2) if k + 1 <= end and kinds[k + 1] == "row" else found.get(k)
                if owner is not None:
                    label = owner.cells[0]
                    label.text = piece.text + label.text if owner is found.get(k + 2) else label.text + piece.text
                    label.lines.append(piece.line)
        i = end + 1
    return found


def _right_half(line: str, above: str) -> bool:
    """A label and one figure indented past the first figure of the row above: that row's right half
    (a two-sided table's line with nothing on its left)."""
    first = len(line) - len(line.lstrip())
    figures = [m.start() for m in TOKEN.finditer(above) if _is_value(m.group())]
    return bool(figures) and first > figures[0]


def _flat_rows(line: str, line_no: int) -> list[Row]:
    """A whole table written on one line: title words, the head, then the rows. Rows are a label and
    as many figures as the head has columns after its first; when the head ends in 分值 | 得分 (an
    indicator table with merged cells), a row ends at its two score figures."""
    tokens = _tokens(line, line_no)
    texts = [t.text for t in tokens]
    figures = [_is_value(t) for t in texts]
    first = next((k for k in range(1, len(texts)) if figures[k] and not figures[k - 1]), None)
    if first is None or sum(figures) < 4:
        return []
    if any(re.fullmatch(r"(?:自评)?得分", t) for t in texts[:first]):
        return _flat_scored_rows(tokens, figures)
    width = 1
    while first + width - 1 < len(texts) and figures[first + width - 1]:
        width += 1
    head = first - 1 - width
    if width < 3 or head < 0 or any(figures[head:head + width]):
        return []
    rows = []
    for k in range(head, len(texts) - width + 1, width):
        chunk = figures[k:k + width]
        if k > head and (chunk[0] or not all(chunk[1:])):
            break
        rows.append(Row(tokens[k:k + width], "flat"))
    return rows if len(rows) >= 3 else []


def _flat_scored_rows(tokens: list[Cell], figures: list[bool]) -> list[Row]:
    """An indicator table on one line: the head ends at 得分; each row ends with two plain numbers."""
    texts = [t.text for t in tokens]
    end_head = next(k for k, t in enumerate(texts) if re.fullmatch(r"(?:自评)?得分", t)) + 1
    start_head = end_head
    while start_head > 0 and not figures[start_head - 1] and end_head - start_head < 10 and (
            CJK_TOKEN.search(texts[start_head - 1]) and len(texts[start_head - 1]) <= 6):
        start_head -= 1
    rows, k = [Row(tokens[start_head:end_head], "flat")], end_head
    plain = [bool(re.fullmatch(r"\d+(?:\.\d+)?", t)) for t in texts]
    while k < len(tokens):
        end = next((j + 1 for j in range(k + 1, len(tokens)) if plain[j] and plain[j - 1]), None)
        if end is None or end - k > end_head - start_head:
            break
        rows.append(Row(tokens[k:end], "flat"))
        k = end
    return rows if len(rows) >= 3 else []


# Readers of tables written one row a line, each with the marks one of which its tables cannot lack
MARKED_READERS: tuple[tuple[Callable[[list[str]], dict[int, list[Row]]], tuple[str, ...]], ...] = (
    *((partial(_field_rows_of, form=form), form.marks) for form in FIELD_FORMS),
    (_cell_address_rows, ("=",)),
    (_ruled_column_rows, ("---",)),
    (_grid_rows, ("+",)),
)


def read_layout(lines: list[str], original: list[str]) -> Layout:
    """Rows (for tables) and passages (for prose) of a normalised document."""
    rows: list[Row] = []
    owner: dict[int, Cell] = {}  # continuation line -> the cell it continues
    current: list[Cell] = []
    open_cell: Cell | None = None
    blank_run = False
    html_spans: dict[int, int] = {}
    bare = _bare_cell_rows(lines)
    bare_lines = {c.line for table in bare.values() for r in table for c in r.cells}
    by_column = _column_major_rows(lines, bare_lines)
    bare.update(by_column)
    bare_lines |= {c.line for table in by_column.values() for r in table for c in r.cells}
    whole = "\n".join(lines)
    for reader, marks in MARKED_READERS:
        if not any(mark in whole for mark in marks):
            continue  # (one C-speed search of the text: a reader whose mark the document lacks skips its lines)
        by_field = reader(lines)
        bare.update(by_field)
        bare_lines |= {c.line for table in by_field.values() for r in table for c in r.cells}
    if any("<td" in ln or "<TD" in ln for ln in original):
        by_html, html_lines = _html_block_rows(lines, original)
        bare.update(by_html)
        bare_lines |= html_lines
    single = {**_space_rows(lines), **_csv_rows(lines)}  # rows of one line each, by line
    single_lines = {ln for row in single.values() for c in row.cells for ln in (c.line, *c.lines)}
    for i, line in enumerate(lines, start=1):
        if i in single_lines and i not in bare_lines and "<t" not in original[i - 1]:  # <td>: merged cells
            if current:
                rows.append(Row(current, "cells"))
                current, open_cell = [], None
            if i in single:
                rows.append(single[i])
            continue
        if i in bare_lines:
            if current:
                rows.append(Row(current, "cells"))
                current, open_cell = [], None
            rows += bare.get(i, [])
            continue
        kind = "html" if HTML_CELL.search(original[i - 1]) else _line_kind(line)
        if kind != "html" or re.search(r"<table\b", original[i - 1], re.I):
            html_spans = {}
        if kind == "cell":
            if blank_run and current:
                rows.append(Row(current, "cells"))
                current = []
            open_cell = Cell(line[1:], i, 1, len(line) - 1)
            current.append(open_cell)
            blank_run = False
            continue
        if kind == "blank":
            blank_run = True
            continue
        if kind == "plain" and open_cell is not None:
            open_cell.text += line.strip()
            open_cell.lines.append(i)
            owner[i] = open_cell
            blank_run = False
            continue
        if current:
            rows.append(Row(current, "cells"))
            current, open_cell = [], None
        blank_run = False
        if kind == "html":
            rows += _html_rows(original[i - 1], line, i, html_spans)
        elif kind == "tsv":
            rows.append(Row(_split_cells(line, i, "\t"), "tsv"))
        elif kind == "plain" and len(line) > 60 and line.count(" ") >= 8:
            rows += _flat_rows(line, i)
        elif kind == "pipe" and not PIPE_SEPARATOR.match(line):
            stripped = line.strip()
            # 「| a | b |」: both pipes are borders; 「a | b |」 (no leading pipe): the last cell is empty
            leading = stripped.startswith("|")
            offset = line.index(stripped) + int(leading)
            cells = _split_cells(stripped.strip("|") if leading else stripped, i, "|")
            for c in cells:
                c.col += offset
            rows.append(Row(cells, "pipe"))
    if current:
        rows.append(Row(current, "cells"))
    return Layout(lines, original, rows, [], [])


def page_furniture(lines: list[str]) -> set[int]:
    """Line numbers (1-based) of page footers and of running headers: a line that occurs more than
    once and stands next to a footer each time it does."""
    footers = {i for i, line in enumerate(lines, start=1) if PAGE_FOOTER.match(line)}
    if not footers:
        return footers
    seen: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines, start=1):
        if line.strip():
            seen[line.strip()].append(i)
    furniture = set(footers)
    for where in seen.values():
        if len(where) > 1 and all(i - 1 in footers or i + 1 in footers for i in where):
            furniture.update(where)
    return furniture


# Spaces between two Chinese characters: a PDF converter's or an HTML entity's gap inside a word or a
# phrase (「项目 支出」, 「“      三公”      经费」), which no wording of the vocabulary expects; and a
# run of them between a word and a figure (where tags stood: 「就业</w:t>…<w:t>3,215</w:t>…人」)
_CJK = "\u4e00-\u9fff“”‘’（）"
IN_WORD_GAP = re.compile(rf"(?=[ \t\u3000])(?:(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])"
                         rf"|(?<=[{_CJK}])[ \t\u3000]{{2,}}(?=\d)|(?<=[\d%])[ \t\u3000]{{2,}}(?=[{_CJK}]))")


def _squeezed(line: str) -> list[tuple[str, int]]:
    """A prose line without its indent, its trailing blanks and its in-word gaps, as (piece, column of the
    piece in the line): a line a PDF wrapped joins the next one where the text goes on (「…的补助1,」 /
    「870.13万元」, 「工」 / 「资福利支出」)."""
    end = len(line.rstrip())
    pieces, at = [], len(line) - len(line.lstrip())
    for gap in IN_WORD_GAP.finditer(line, at, end):
        pieces.append((line[at:gap.start()], at))
        at = gap.end()
    pieces.append((line[at:end], at))
    return [(piece, col) for piece, col in pieces if piece]


TWO_UP_MIN_LINES, TWO_UP_MIN_PAGE = 20, 40


def reading_order(lines: list[str], table_lines: set[int]) -> list[tuple[int, int, str]]:
    """(line, column, text) in the order a reader reads them. A print of two pages a sheet converted
    with its layout (pdftotext -layout) puts both pages side by side on each line: the left page is read
    down to the sheet's end (a form feed), then the right page. Any other text is read line by line."""
    whole = [(i, 0, line) for i, line in enumerate(lines, start=1)]
    gutter = _two_up_gutter(lines, table_lines)
    if gutter is None:
        return whole
    out: list[tuple[int, int, str]] = []
    left: list[tuple[int, int, str]] = []
    right: list[tuple[int, int, str]] = []
    for i, line in enumerate(lines, start=1):
        k = None if i in table_lines else _split_index(line, gutter)
        if k is None:
            left.append((i, 0, line))
        else:
            left.append((i, 0, line[:k]))
            right.append((i, k, line[k:]))
        if "\f" in line or i == len(lines):
            out += left + right
            left, right = [], []
    return out


def _display_index(line: str, column: int) -> int | None:
    """The index of the character drawn at display column `column` (a Chinese character is two wide)."""
    shown = 0
    for k, ch in enumerate(line):
        if shown == column:
            return k
        if shown > column:
            return None
        shown += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return None


def _split_index(line: str, gutter: int) -> int | None:
    k = _display_index(line, gutter)
    if k is None or not line[k:].strip() or line[k] == " " or line[max(0, k - 2):k].strip():
        return None
    return k


def _two_up_gutter(lines: list[str], table_lines: set[int]) -> int | None:
    """The display column where the right page starts, when at least TWO_UP_MIN_LINES lines and a
    third of the lines with text hold Chinese text on both sides of it after a gap, TWO_UP_MIN_PAGE
    columns or more from the left edge; else None."""
    seen: dict[int, int] = defaultdict(int)
    texts = 0
    for i, line in enumerate(lines, start=1):
        if not line.strip() or i in table_lines:
            continue
        texts += 1
        if "   " not in line:
            continue
        for m in re.finditer(r"\S {3,}(?=[\u4e00-\u9fff（(“0-9])", line):
            if re.search(r"[\u4e00-\u9fff]", line[:m.start() + 1]):
                seen[sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:m.end()])] += 1
    if not seen:
        return None
    column, count = max(seen.items(), key=lambda kv: kv[1])
    wide_enough = column >= TWO_UP_MIN_PAGE  # a page on each side, not a narrow label column
    return column if wide_enough and count >= TWO_UP_MIN_LINES and count * 3 >= texts else None


def build_passages(layout: Layout, cell_context: dict[tuple[int, int], str]) -> None:
    """Cut the document into passages; `cell_context` maps (line, col) of a table cell to its context."""
    lines = layout.lines
    stack: list[Heading] = []
    passages: list[Passage] = []
    headings: list[Heading] = []
    cell_lines: dict[int, str] = {}
    for row in layout.rows:
        for cell in row.cells:
            ctx = cell_context.get((cell.line, cell.col), "prose")
            for ln in cell.lines:
                cell_lines[ln] = ctx

    def push_heading(text: str, line_no: int, in_table: bool = False) -> None:
        h = heading_of(text)
        if h is None:
            return
        h.line, h.in_table = line_no, in_table
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        headings.append(h)

    pending: Passage | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None and pending.text.strip():
            passages.append(pending)
        pending = None

    cells_of_line: dict[int, dict[int, Cell]] = defaultdict(dict)
    for r in layout.rows:
        for c in r.cells:
            if c.width:
                cells_of_line[c.line][c.col] = c
    furniture = page_furniture(lines)
    order = reading_order(lines, set(cells_of_line))
    for n, (i, col0, line) in enumerate(order):
        nxt = order[n + 1][2] if n + 1 < len(order) else None
        if i in furniture and i not in cells_of_line:
            continue
        if i in cells_of_line and i not in cell_lines:
            flush()
            for col, cell in sorted(cells_of_line[i].items()):
                seg = lines[i - 1][col: col + cell.width]
                if seg.strip():
                    ctx = cell_context.get((i, col), "prose")
                    push_heading(seg.strip(), i, in_table=True)
                    passages.append(Passage(seg, [(0, i, col)], ctx, tuple(stack)))
            continue
        if not line.strip():
            continue
        ctx = cell_lines.get(i, "prose")
        stripped = line.strip()
        h = heading_of(stripped)
        if h is not None:
            flush()
            push_heading(stripped, i)
            if not ("。" in stripped[:-1] and stripped[-1] not in SENTENCE_END):
                passages.append(Passage(line, [(0, i, col0)], ctx, tuple(stack)))
                continue
            # a run-in heading whose text goes on to the next line (「3．标题。正文……」): read on
        if pending is None or pending.context != ctx:
            flush()
            pending = Passage("", [], ctx, tuple(stack))
        for piece, col in _squeezed(line):
            pending.segments.append((len(pending.text), i, col0 + col))
            pending.text += piece
        if nxt is not None and BULLET.match(nxt):
            flush()  # the next line is an item of its own (「▸ 年末公益性岗位在岗…」)
            continue
        if nxt is not None and unit_cut_at_break(stripped, nxt):
            continue  # a figure whose unit word is on the next line (text from a PDF)
        if (stripped[-1] in SENTENCE_END or len(stripped) < 20 or TITLE_END.search(stripped)
                or LEADER_ITEM.search(stripped)
                or stripped[-1] == "." and "\u4e00" <= stripped[-2] <= "\u9fff"):  # 「…43人.」: ASCII full stop
            flush()
    flush()
    layout.passages = passages
    layout.headings = headings
