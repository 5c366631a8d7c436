"""The report's identity: unit, fiscal year, date, budget code, staff, score, grade, region."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.parse import region
from pipelines.parse.layout import Layout
from pipelines.parse.numbers import COUNT, chinese_numeral, count_value, years_in
from pipelines.parse.scan import AnchorIndex, Guarded
from pipelines.parse.tables import TableReading
from pipelines.parse.vocabulary import Vocabulary

_SUFFIX = r"(?:局|中心|院|所|站|办|委|厅|会|队|馆|处|部|室|校|司|社|政府|办公室)"
# 「…局（本级）」: the unit's own accounts
NAME_SUFFIX = re.compile(_SUFFIX + r"(?:[（(](?:本级|机关|本部|汇总)[）)])?$")
# One body under two names (一个机构、两块牌子): 「X学校（Y中心）」 is named by the first
SECOND_NAME = re.compile(r"^(?P<first>.+" + _SUFFIX + r")[（(][^（）()]{2,30}" + _SUFFIX + r"[）)]$")
UNIT_LABEL = re.compile(
    r"^\s*(?:部门\s*[（(]\s*单位\s*[）)]|评价单位|预算单位|填报单位|报送单位|申报单位|部门|单位)\s*(?:名称)?"
    r"\s*(?:[（(](?:盖章|公章)[）)])?\s*[：:]?\s*(?P<value>.*)$")
# What ends a unit label: a colon, or two spaces after 名称, or any space after the seal (填报单位（盖章） X局)
UNIT_LABEL_END = re.compile(r"[：:]|名称\s{2,}|[（(](?:盖章|公章)[）)]\s")
# Labels that name the reporting unit wherever they stand (the seal line is often at the end of a form)
SIGNED_LABEL = re.compile(r"^\s*(?:填报|报送|申报)单位|^\s*单位\s*[（(](?:盖章|公章)[）)]")
CELL_BREAK = re.compile(r"\s{2,}|[\t,|]")  # what ends a value written in a line of cells
SEAL = re.compile(r"\s*[（(]\s*(?:盖章|公章|签章)\s*[）)]\s*$")  # 单位名称：X局（盖章）
TITLE = re.compile(r"(?P<name>\S.*?)\s*(?:(?:20\d{2}|[二一][〇零○][一二三四五六七八九〇零○]{2})\s*年度?)")
TITLE_LEAD = re.compile(r"^(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]{2,8}\s*[|｜]\s*)?[^\u4e00-\u9fff（(“]*")
YEAR_FIRST_TITLE = re.compile(r"^\s*(?:20\d{2}|[二一][〇零○][一二三四五六七八九〇零○]{2})\s*年度?\s*"
                              r"(?P<name>[^\s，。：:（(]{2,40}?" + _SUFFIX + r")\s*(?:[（(][^（）()]{2,30}[）)])?\s*"
                              r"(?:部门|单位)?(?:整体)?(?:支出)?(?:绩效)?(?:自评|评价)")
WHOLE_TITLE_END = re.compile(r"(?:报告|自评表|评价表)\s*$")
TITLE_REST = re.compile(r"^(?:20\d{2}|[二一][〇零○][一二三四五六七八九〇零○]{2})\s*年度?.*(?:报告|评价|自评|决算)")
CN_OR_DIGITS = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# (a web page's 发布日期 is when it was posted, not when the report was signed)
DATE_LABEL = (r"(?<!发布)(?<!印发)(?<!公开)(?<!更新)(?<!发文)(?<!发帖)(?<!回帖)(?<!编辑)(?<!修改)"
              r"(?:报告|填报|评价|编制|报送|填表|编报)?(?:日期|时间)"
              r"\s*(?:[：:]|\s*[,\t|]\s*)\s*")  # or a cell break
# YYYY年M月D日 / 二〇二X年M月 / YYYY-MM-DD / YYYY.MM.DD / YYYY/M/D
DATE_VALUE = (rf"(?P<y>20\d{{2}}|[二一][〇零○][一二三四五六七八九〇零○]{{2}})\s*(?:年\s*(?P<m>{CN_OR_DIGITS})\s*月"
              rf"(?:\s*(?P<d>{CN_OR_DIGITS})\s*日)?|(?P<sep>[-./])(?P<m2>\d{{1,2}})(?:(?P=sep)(?P<d2>\d{{1,2}}))?(?![\d.]))")
DATE = Guarded(re.compile(DATE_LABEL + DATE_VALUE))  # (most lines hold no year: the expression runs on few)
# A sign-off line that is a date and nothing else (after the unit's name at the end of the report).
DATE_LINE = re.compile(rf"^\s*{DATE_VALUE}\s*$")
PROSE_FIELDS = {
    "budget_code": re.compile(r"(?:预算(?:编码|代码|单位编码|单位代码)\s*[：:]?\s*"
                              r"|(?:部门|单位)编码\s*[：:]\s*(?=\d{6}(?!\d)))"  # (a 6-digit code only)
                              r"(?P<v>[0-9A-Za-z][0-9A-Za-z-]+)"),
    "staffing_quota": re.compile(
        rf"(?<!行政)(?<!事业)(?<!参公)编制(?:人数|数)?\s*(?:为|共|是|[：:])?\s*(?P<v>{COUNT})\s*(?:人|名)"),
    # the total after the kinds (核定编制：行政编制18名、事业编制46名，共64名)
    "staffing_quota_total": re.compile(rf"编制\s*[：:][^。；]{{0,30}}?共\s*(?P<v>{COUNT})\s*(?:人|名)"),
    # a quota of one kind only (核定事业编制28人): the quota when no total is stated and no other kind is
    "staffing_quota_of_kind": re.compile(
        rf"(?:行政|事业|参公)编制(?:人数|数)?\s*(?:为|共|是|[：:])?\s*(?P<v>{COUNT})\s*(?:人|名)"),
    "actual_headcount": re.compile(
        rf"(?:实有(?:在编)?(?:在职|在岗)?(?:教职工|干部职工|职工|工作人员)?(?:人数|人员)?|在职在编(?:人数|人员)|实际在(?:职|岗|编)(?:人数|人员)?)"
        rf"\s*(?:为|共|是|[：:])?\s*(?P<v>{COUNT})\s*(?:人|名)"),
    "retirees": re.compile(rf"(?<!离)退休(?:人员)?(?:数)?\s*(?:为|共|是|[：:])?\s*(?P<v>{COUNT})\s*(?:人|名)"),
    "retirees_field": re.compile(r"(?<!离)退休(?:人员)?(?:人数|数)\s*[：:]\s*(?P<v>\d+)(?![\d.%])"),  # 退休人数：0
    "self_score": re.compile(
        r"(?<!项目)(?<!项目的)(?:自评(?:总)?得分|自评分数|总得分|综合得分|综合评分|最终得分|总分|总绩效|总体得分|评价得分|自评结果"
        r"|合计得分|自评分值|自评分|评定得分)"
        r"(?:为|是|：|:|\s|得分)*(?P<v>\d{1,3}(?:\.\d+)?)\s*(?:分|(?=[，,。；;]|\s*$))(?!\s*[，,]\s*(?:自评|实际|最终)?得分)"
        r"(?!\s*(?:[（(]含[）)])?\s*(?:及?以上|以下|至|[-－~～]))"),  # (「总分90分（含）以上为优」: a grade's band)
    # a form's tick boxes: 「评价等级：□优（90分以上）■良（80～89分）□中…」
    "grade_ticked": re.compile(r"(?:评价|自评|绩效)(?:等级|结果)\s*[：:]?[^■☑✔✓√☒\n]{0,40}[■☑✔✓√☒]\s*"
                               r"(?P<v>优秀|良好|一般|较差|优|良|中|差)"),
    "grade_text": re.compile(
        r"(?:评价结果|评价结论|评价等级|自评等级|自评结果|自评结论|绩效等级|等次|等级|评级|评定为)(?:为|是|：|:|\s)*[“\"「『]?"
        r"(?P<v>优秀|良好|一般|较差|优|良|中|差)(?![a-z\u4e00-\u9fa5]{2})"),
    "contact_person": re.compile(r"联系人\s*[：:]?\s*(?P<v>[\u4e00-\u9fa5]{2,4})(?![\u4e00-\u9fa5])"),
    "contact_phone": re.compile(r"(?:联系|联络)电话\s*[：:]?\s*(?P<v>[\d-]{7,})(?![\d×*xX＊])"),  # not masked
}


STAFF_FIELDS = {"staffing_quota", "actual_headcount", "retirees"}
# Second wordings of a field, tried after the first (PROSE_FIELDS order)
ALIASES = {"staffing_quota_total": "staffing_quota", "retirees_field": "retirees", "grade_ticked": "grade_text"}


@dataclass
class Field:
    name: str
    value: str
    line: int
    line_end: int
    start: int
    end: int


def _number_text(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = chinese_numeral(text)
    return int(value) if value is not None else None


# A converter or a web page may give the file's name as a line of its own (「…自评报告.pdf」): its title
FILE_EXTENSION = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|ofd|html?)\s*$", re.I)


def _first_lines(layout: Layout, limit: int = 25) -> list[tuple[int, str]]:
    """The first `limit` lines with text (a file name's extension blanked)."""
    out = []
    for i, line in enumerate(layout.lines, start=1):
        if line.strip():
            out.append((i, FILE_EXTENSION.sub(lambda m: " " * len(m.group()), line)))
        if len(out) >= limit:
            break
    return out


def fiscal_year(layout: Layout) -> Field | None:
    """The evaluated year: a 评价年度 label, else the title, else the most frequent 'YYYY年度'."""
    for i, line in _first_lines(layout):
        m = re.search(r"评价年度\s*[：:]?\s*", line)
        if m:
            ys = years_in(line[m.end():])
            if ys:
                y, s, e = ys[0]
                return Field("fiscal_year", str(y), i, i, m.end() + s, m.end() + e)
    for i, line in _first_lines(layout, 12):
        if re.search(r"年度|年\s*(?:部门|整体|单位)", line) and re.search(r"报告|自评|绩效|支出|评价", line + "报告"):
            ys = years_in(line)
            if ys and not re.search(r"报告(?:日期|时间)|填报", line):
                y, s, e = ys[0]
                return Field("fiscal_year", str(y), i, i, s, e)
    counts: Counter[int] = Counter()
    where: dict[int, tuple[int, int, int]] = {}
    for i, line in enumerate(layout.lines, start=1):
        for y, s, e in years_in(line):
            if line[e:e + 1] == "度":
                counts[y] += 1
                where.setdefault(y, (i, s, e))
    if counts:
        y = counts.most_common(1)[0][0]
        i, s, e = where[y]
        return Field("fiscal_year", str(y), i, i, s, e)
    return None


# A report's own title line: 「X局2021年度部门整体支出绩效自评报告」 (the unit, then the year)
REPORT_TITLE = re.compile(r"^\s*(?P<unit>[^\s（(【\[:：]{2,40}?" + _SUFFIX + r")\s*"
                          r"(?:20\d{2}|[二一][〇零○][一二三四五六七八九〇零○]{2})\s*年度?[^\s。，]{0,30}?"
                          r"(?:自评报告|评价报告|自评表)\s*$")
ANNEX = re.compile(r"^\s*附(?:件|表)")


def report_span(lines: list[str]) -> tuple[int, int]:
    """(first, last) line, 1-based, of the report when its text holds other units' articles too (a
    gazette's pages): the longest article that opens with a report title; the lines before its title up
    to the last sign-off of another unit (a line naming that unit, then a date) are the end of the article
    before; a title naming another unit after the report's own sign-off opens the next. Else the whole."""
    titles = [(i, m.group("unit")) for i, line in enumerate(lines, start=1)
              if len(line.strip()) <= 60 and (m := REPORT_TITLE.match(line))]
    opens: list[tuple[int, str]] = []  # the titles that open an article: another unit's, not an annex
    for i, unit in titles:
        annex = ANNEX.match(lines[i - 1]) or (i > 1 and ANNEX.match(lines[i - 2]))
        if not opens or (not annex and unit not in opens[-1][1] and opens[-1][1] not in unit):
            opens.append((i, unit))
    if not opens:
        return 1, len(lines)
    ends = [i - 1 for i, _ in opens[1:]] + [len(lines)]
    k = max(range(len(opens)), key=lambda n: sum(len(ln.strip()) for ln in lines[opens[n][0] - 1:ends[n]]))
    title, own = opens[k]
    # (a cover that names the unit in full and a date is no article: an article has sentences)
    signed = [n for n in range(1, title) if _signs_off(lines, n, exclude=own)
              and any("。" in line for line in lines[:n - 1])]
    first = signed[-1] + 2 if signed else 1
    last = ends[k] if k + 1 < len(opens) and any(_signs_off(lines, n) for n in range(title, ends[k] + 1)) \
        else len(lines)
    return first, last


def _signs_off(lines: list[str], k: int, exclude: str | None = None) -> bool:
    """Line k (1-based) names a unit and the line after it is a date: a sign-off (of a unit other than
    `exclude`)."""
    name = SEAL.sub("", lines[k - 1].strip())
    if not name or not NAME_SUFFIX.search(name) or len(name) > 40 or k >= len(lines):
        return False
    return DATE_LINE.match(lines[k]) is not None and (exclude is None or re.sub(r"\s+", "", name) not in exclude)


def unit_name(layout: Layout, tables: TableReading) -> Field | None:
    for name, cell in tables.pairs:
        value = SEAL.sub("", cell.stripped)
        if name == "unit_name" and NAME_SUFFIX.search(value):
            start = cell.col + cell.text.index(cell.stripped)
            return Field("unit_name", re.sub(r"\s+", "", value), cell.line, cell.line, start, start + len(value))
    lines = layout.lines
    signed = [(i, line) for i, line in enumerate(lines, start=1) if "单位" in line and SIGNED_LABEL.match(line)]
    for i, line in _first_lines(layout, 30) + signed:
        m = UNIT_LABEL.match(line)
        if not m or not UNIT_LABEL_END.search(line[:m.start("value") + 1]):
            continue
        value = m.group("value").strip()
        start = m.start("value") + (len(m.group("value")) - len(m.group("value").lstrip()))
        line_no = i
        if not value:
            nxt = next(((k, ln) for k, ln in enumerate(lines[i:i + 3], start=i + 1) if ln.strip()), None)
            if nxt is None:
                continue
            line_no, line_text = nxt
            value = line_text.strip()
            start = line_text.index(value)
        value = SEAL.sub("", CELL_BREAK.split(value.strip())[0].strip())
        if value and NAME_SUFFIX.search(value) and len(value) <= 40:
            return Field("unit_name", re.sub(r"\s+", "", value), line_no, line_no, start, start + len(value))
    for i, line in _first_lines(layout, 12):
        m = YEAR_FIRST_TITLE.match(line)  # 「2021 年X学校整体支出绩效自评报告」: the year before the unit
        if m and WHOLE_TITLE_END.search(line) and len(m.group("name")) <= 40:
            return Field("unit_name", re.sub(r"\s+", "", m.group("name")), i, i, m.start("name"), m.end("name"))
    for n, (i, line) in enumerate(_first_lines(layout, 30)):
        m = TITLE.match(line.strip())
        # below a web page's masthead and metadata, only a line that is a whole title
        if m and (n < 8 or (len(line.strip()) <= 60 and WHOLE_TITLE_END.search(line))):
            lead = TITLE_LEAD.match(m.group("name"))  # 「📣 政务公开 | 」: a page's marks and column name
            name = SECOND_NAME.sub(r"\g<first>", m.group("name")[lead.end():].strip())
            offset = line.index(line.strip()) + lead.end()
            if NAME_SUFFIX.search(name) and len(name) <= 40:
                return Field("unit_name", re.sub(r"\s+", "", name), i, i, offset, offset + len(name))
    # (a line that is wholly in brackets - the unit's second name - may stand between them)
    first = [(i, line) for i, line in _first_lines(layout, 8) if not re.fullmatch(r"\s*[（(][^（）()]+[）)]\s*", line)]
    for (i, line), (_, nxt) in zip(first, first[1:], strict=False):
        # a title broken after the unit's name: 「X局」 / 「YYYY年度…报告」
        name = SECOND_NAME.sub(r"\g<first>", line.strip())
        if (NAME_SUFFIX.search(name) and len(name) <= 40 and not years_in(name)
                and TITLE_REST.match(nxt.strip())):
            offset = line.index(name)
            return Field("unit_name", re.sub(r"\s+", "", name), i, i, offset, offset + len(name))
    return None


def from_file_name(file_name: str) -> list[Field]:
    """Unit name and fiscal year from a file named like its title (「X局2023年度部门整体支出绩效自评报告.pdf」):
    the last resort when the text names neither. Such a field has no line (its evidence is the file name)."""
    stem = re.split(r"[\\/]", file_name)[-1].rsplit(".", 1)[0].strip()
    fields = []
    m = TITLE.search(stem)
    name = re.sub(r"^[\d_\-\s.、]+", "", m.group("name")) if m else ""
    if NAME_SUFFIX.search(name) and len(name) <= 40:
        fields.append(Field("unit_name", re.sub(r"\s+", "", name), 0, 0, 0, 0))
    for y, _, e in years_in(stem):
        if stem[e:e + 1] == "度":
            fields.append(Field("fiscal_year", str(y), 0, 0, 0, 0))
            break
    return fields


# Characters a passage must hold for a field's pattern to be tried on it, besides its wording (scan.py)
NEEDS = {"grade_ticked": re.compile(r"[■☑✔✓√☒]")}


PROSE_INDEX = AnchorIndex(PROSE_FIELDS.items())


def _first_match(layout: Layout, name: str, key: str, maybe: list[int], year: int | None = None) -> Field | None:
    """The first statement of a field; of the score and the grade, the first not said of another year
    (「2020年度部门整体支出自评得分91.0分」 in the report on 2021 is last year's). `maybe`: the keys of
    PROSE_FIELDS whose wordings may match in each passage, as a mask (one scan of each, for all fields)."""
    pattern, needs, bit = PROSE_FIELDS[key], NEEDS.get(key), PROSE_INDEX.bit[key]
    for p, keys in zip(layout.passages, maybe, strict=True):
        if not keys & bit or needs is not None and not needs.search(p.text):
            continue
        for m in pattern.finditer(p.text):
            if year and name in OF_THE_YEAR and _of_another_year(p.text[max(0, m.start() - 30):m.start()], year):
                continue
            line, line_end, start, end = p.locate(m.start("v"), m.end("v"))
            return Field(name, m.group("v"), line, line_end, start, end)
    return None


OF_THE_YEAR = {"self_score", "grade_text", "staffing_quota", "actual_headcount", "retirees"}
YEAR_BEFORE = re.compile(r"(20\d{2})\s*年度?(?![^。；]*?(?:20\d{2}))[^。；]*$")  # (in the same sentence)


def _of_another_year(before: str, year: int) -> bool:
    m = YEAR_BEFORE.search(before)
    return m is not None and int(m.group(1)) != year


def _date_field(m: re.Match[str], line: int) -> Field | None:
    y = _number_text(m.group("y")) or 0
    if len(m.group("y")) == 4 and not m.group("y").isdigit():
        y = int(chinese_numeral(m.group("y")) or 0)
    mo = _number_text(m.group("m") or m.group("m2")) or 0
    day = m.group("d") or m.group("d2")
    if not 1 <= mo <= 12:
        return None
    value = f"{y:04d}-{mo:02d}"
    if day:
        value += f"-{_number_text(day) or 1:02d}"
    return Field("report_date", value, line, line, m.start("y"), m.end())


def report_date(layout: Layout) -> Field | None:
    """A labelled date (报告日期：…), else a line holding only a date on the cover or in the sign-off; a
    labelled month (评价时间：2024年4月) gives way to the day of that month the report is signed."""
    for i, line in enumerate(layout.lines, start=1):
        m = DATE.search(line)
        found = _date_field(m, i) if m else None
        if found:
            signed = _signed_date(layout) if len(found.value) == 7 else None
            return signed if signed is not None and signed.value.startswith(found.value) else found
    return _signed_date(layout)


PAGE_DATE_LABEL = re.compile(r"(?:成文|发布|印发|公开|更新|生成|发文|发帖|编辑|修改)(?:日期|时间)\s*[：:]?\s*$")


def _signed_date(layout: Layout) -> Field | None:
    filled = [(i, line) for i, line in enumerate(layout.lines, start=1) if line.strip()]
    signed = [(i, line) for (_, above), (i, line) in zip(filled, filled[1:], strict=False)  # the date under the
              if DATE_LINE.match(line) and NAME_SUFFIX.search(SEAL.sub("", above.strip()))]  # unit's name
    after = {i: above for (_, above), (i, _) in zip(filled, filled[1:], strict=False)}
    dates = []
    for i, line in filled[:25] + filled[-8:] + signed:
        if PAGE_DATE_LABEL.search(after.get(i, "")):
            continue  # 「成文日期:」 / 「2025-09-12」 in a portal's page details: when the page was made
        m = DATE_LINE.match(line)
        found = _date_field(m, i) if m else None
        if found:
            dates.append(found)
    if not dates:
        return None
    # a cover's month (「2022年3月」) gives way to the day of that month the report is signed on
    return next((d for d in dates[1:] if len(dates[0].value) == 7 and d.value.startswith(dates[0].value + "-")),
                dates[0])


def _quota_kinds(layout: Layout) -> set[str]:
    """The kinds of staffing quota the report names (行政编制, 事业编制 …)."""
    return {m.group(1) for p in layout.passages for m in QUOTA_KIND.finditer(p.text)}


QUOTA_KIND = re.compile(r"(行政|事业|参公)编制")


# A school or a hospital bears its own name (江城高级技工学校): the place in it is not written out in full
PROPER_NAME = re.compile(r"(?:学校|学院|大学|技校|医院)$")


def read_header(layout: Layout, tables: TableReading, vocab: Vocabulary, file_name: str = "") -> list[Field]:
    """Every header field found, in the order: tables' label/value pairs, then prose; the unit's name and
    the year from the file name when the text gives neither."""
    fields: dict[str, Field] = {}
    for f in (unit_name(layout, tables), fiscal_year(layout), report_date(layout)):
        if f:
            fields[f.name] = f
    for f in from_file_name(file_name):
        fields.setdefault(f.name, f)
    for name, cell in tables.pairs:
        if name != "unit_name" and name not in fields:
            value = cell.stripped
            if name in {"staffing_quota", "actual_headcount", "retirees"} and not value.isdigit():
                continue
            if name == "self_score" and not re.fullmatch(r"\d{1,3}(?:\.\d+)?", value):
                continue
            if name == "grade_text" and vocab.grade_of(value) is None:
                continue
            offset = cell.col + cell.text.index(value)
            fields[name] = Field(name, value, cell.line, cell.line, offset, offset + len(value))
    maybe = [PROSE_INDEX.mask(p.text) for p in layout.passages]
    for key in PROSE_FIELDS:
        name = ALIASES.get(key, key)
        if name == "staffing_quota_of_kind":
            if "staffing_quota" in fields or len(_quota_kinds(layout)) != 1:
                continue
            name = "staffing_quota"
        if name not in fields:
            year = fields.get("fiscal_year")
            found = _first_match(layout, name, key, maybe, int(year.value) if year and year.value.isdigit() else None)
            if found and name in STAFF_FIELDS:
                count = count_value(found.value)
                found = None if count is None else Field(name, str(count), found.line, found.line_end,
                                                         found.start, found.end)
            if found:
                fields[name] = found
    score = tables.total_score
    if "self_score" not in fields and score is not None:  # no score in the text: the scoring table's total
        offset = score.col + score.text.index(score.stripped)
        fields["self_score"] = Field("self_score", score.stripped, score.line, score.line, offset,
                                     offset + len(score.stripped))
    if "grade_text" in fields:
        g = fields["grade_text"]
        code = vocab.grade_of(g.value)
        if code:
            fields["grade"] = Field("grade", code, g.line, g.line_end, g.start, g.end)
    name = fields.get("unit_name")
    found = region.resolve(name.value) if name else None
    named_in_full = found is not None
    if found is None:
        # the region from the title block: first a line that writes the unit's name with its region
        # (「宜昌市夷陵区小溪塔街道…中心」 above a title that names it without), then any
        lines = _first_lines(layout, 20)
        with_name = [(i, ln) for i, ln in lines if name and re.sub(r"\s+", "", name.value) in re.sub(r"\s+", "", ln)]
        for i, line in with_name + [(i, ln) for i, ln in lines[:10] if (i, ln) not in with_name]:
            found = region.resolve(line.strip()[:60])
            if found:
                named_in_full = (i, line) in with_name
                name = name or Field("unit_name", line.strip(), i, i, 0, len(line))
                break
    if found and name:
        for attr in ("province", "prefecture", "county", "division_code", "admin_level"):
            value = getattr(found, attr)
            if value and (attr != "admin_level" or named_in_full):  # a place named elsewhere says no level
                fields[attr] = Field(attr, value, name.line, name.line_end, name.start, name.end)
        if fields.get("unit_name") and found.full_name and named_in_full and not PROPER_NAME.search(name.value):
            fields["unit_name_full"] = Field("unit_name_full", found.full_name, name.line, name.line_end,
                                             name.start, name.end)
    return list(fields.values())
