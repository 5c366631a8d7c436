"""Text normalisation, once, in one place.

`normalize` maps the decoded document text to the text the parser reads. It keeps
every line and every character position (one character in, one character out), so
a span found in the normalised text is also a span of the original line, and the
original characters can be kept as the evidence of a fact.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Callable

# Full-width ASCII block (！..～) -> ASCII; ideographic and odd spaces -> space.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                                 "\u202f\u205f\u3000\ufeff\u200b"), " ")
# Characters that must stay as they are because the parser reads them as Chinese
# punctuation (（）：，；) - they are still folded to the ASCII forms in the table
# above, and the parser's patterns accept both.
_EXTRA = {
    ord("〇"): "〇",
    ord("﹪"): "%",
    ord("％"): "%",
    ord("．"): ".",
    ord("，"): "，",
    ord("、"): "、",
}
# Traditional forms of the characters the parser's wordings use -> simplified, one for one.
_TRADITIONAL = dict(zip(
    "財況預決經費萬億業職訓練農貸險計劃實際報評價額結餘轉資產購維護運務車國門單編員數會場個崗創鎮勞動爭議權證補貼發參繳徵穩還戶區縣級廳總體績標準開進與為對從時當難幫脫貧鑒認見習畢離統層項幣區專災養醫療傷殘齡舊節興稅費執撥擔規組滿審類佔關號織據採導較記續現舉線網無機構領調優應請辦達歸並壓樣絡紀錄貫徹學態範傳條聯繫電話獲選擇獎懲環麼爲佈啓羣",
    "财况预决经费万亿业职训练农贷险计划实际报评价额结余转资产购维护运务车国门单编员数会场个岗创镇劳动争议权证补贴发参缴征稳还户区县级厅总体绩标准开进与为对从时当难帮脱贫鉴认见习毕离统层项币区专灾养医疗伤残龄旧节兴税费执拨担规组满审类占关号织据采导较记续现举线网无机构领调优应请办达归并压样络纪录贯彻学态范传条联系电话获选择奖惩环么为布启群",
    strict=True))
# Characters OCR reads for the common ones they look like, never meant in a report: 旳 (的), 巳 (已), 曰 (日)
_OCR = {ord("旳"): "的", ord("巳"): "已", ord("曰"): "日"}
# Box-drawing tables (┌─┬─┐ │a│b│ ├─┼─┤) read as pipe tables: a vertical line or a junction is a |, a
# horizontal line a - (so a border reads as a pipe table's rule)
_BOX = {**{ord(c): "|" for c in "│┃┌┬┐├┼┤└┴┘╞╪╡╔╦╗╠╬╣╚╩╝╒╤╕╘╧╛┏┳┓┣╋┫┗┻┛"}, **{ord(c): "-" for c in "─━═"}}
_TABLE: dict[int, int | str] = {**_FULLWIDTH, **_SPACES, **_EXTRA, **_BOX, **_OCR,
                                **{ord(k): v for k, v in _TRADITIONAL.items()}}
# Keep the Chinese comma, colon, semicolon and brackets as they are: the parser's
# clause splitting relies on them, and they carry meaning ASCII forms do not.
for _ch in "，：；（）！？":
    _TABLE.pop(ord(_ch), None)
_MAPPED = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _TABLE.items()}
# The characters to map are few in a report: finding them is cheaper than `str.translate`'s lookup of every one
_TO_MAP = re.compile("[" + "".join(re.escape(c) for c in sorted(_MAPPED)) + "]")

# tags of HTML and of XML (a Word file's document.xml: <w:p>, <w:t xml:space="preserve">), declarations, comments
_HTML_TAG = re.compile(r"</?[A-Za-z][\w.-]*(?::[\w.-]+)?(?:\s[^<>]*)?/?>|<\?[^<>\n]*\?>|<!--.*?-->")
# An HTML entity left in the text (&ldquo; &mdash; &#8805;): its character, then blanks to its length
_ENTITY = re.compile(r"&(?:#(?P<num>\d{2,7})|(?P<name>[A-Za-z]{2,8}));")
# Markdown emphasis, and the # marks of a heading line (「## 一、部门概况」 reads as 「一、部门概况」).
_MARKDOWN = re.compile(r"\*\*|__|^[ \t]*#{1,6}(?=[ \t])|^[ \t]*h[1-6]\.(?=[ \t])", re.M)  # (h2. in Confluence)
# LaTeX from converters: \textbf{…}, \%, and the $ of inline maths around a figure ($2.36$, 140.5$\%$).
_LATEX = re.compile(r"\\(?:mathrm|text|textbf|mathbf|rm|left|right|quad|,)\b|\\(?=[%$])|\$(?=[\d.\\]|\s)"
                    r"|(?<=[\d%])\$")

# A document exported with its revisions shown: deleted text and reviewers' comments are no part of it;
# inserted text is, without its marks (〔删除：3856.79万元〕〔插入：3854.29万元〕, 【批注A1（…）：…】)
_REVISION_GONE = re.compile(r"〔删除[：:][^〔〕\n]*〕|【批注[^【】\n]*】")
_REVISION_KEPT = re.compile(r"(〔插入[：:])([^〔〕\n]*)(〕)")

# Dot leaders between a label and its figure (「公务接待费…………7.18万元」, a table of contents)
_LEADER = re.compile(r"…{2,}|\.{4,}|·{4,}|．{3,}|⋯{2,}")

_BRACES = re.compile(r"[{}]")  # left by converters around LaTeX and templates

# A field of a printed form, 「【编制人数】9」: read as 「 编制人数：9」 (same length).
_BRACKET_LABEL = re.compile(r"【([^【】\n]{2,12})】(?=[ \t]*\S)")


# A MediaWiki table ({| … |}): 「! 项目 !! 决算数」 heads, 「| style="…" | 收入合计 || 548.00」 rows, 「|-」 between
# rows. Read as a pipe table: !! and || are cell borders, a cell's attributes and the row marks are blanks.
_WIKI_TABLE = re.compile(r"^\{\|.*?^\|\}[ \t]*$", re.M | re.S)
_WIKI_ROW = re.compile(r"^[!|](?![-}+])(?P<body>.*)$", re.M)
_WIKI_ATTRIBUTES = re.compile(r'(?<=\|)[ \t]*(?:[a-z-]+="[^"\n]*"[ \t]*)+\|(?!\|)')
_WIKI_STRONG = re.compile("'{3}")  # bold outside a table too (「'''预算单位代码：'''301122」)
_WIKI_BOLD = re.compile(r"'''|''")  # bold, italic


def _wiki_row(match: re.Match[str]) -> str:
    row = "|" + match.group("body").replace("!!", " |").replace("||", " |")
    return _WIKI_BOLD.sub(_blank, _WIKI_ATTRIBUTES.sub(_blank, row))


def _wiki_table(match: re.Match[str]) -> str:
    lines = match.group().split("\n")
    out = [_WIKI_ROW.sub(_wiki_row, line) if line[:1] in "!|" and line[:2] not in ("|-", "|}", "|+")
           else "  " + line[2:] if line.startswith("|+") else " " * len(line) for line in lines]
    return "\n".join(out)


# A table printed as a Python list of rows (a PDF library's table extraction): 「[['项目', '人数', '备注'],」
# 「 ['核定编制', '12', None],」. Read as a pipe table: each element a cell, None an empty one, a \\n in a
# cell a blank.
_PY_ELEMENT = r"""(?:'[^'\n]*'|"[^"\n]*"|None)"""
_PY_ROW = re.compile(rf"^[ \t]*\[?(?P<open>\[)(?P<cells>{_PY_ELEMENT}(?:,[ \t]*{_PY_ELEMENT})*)\]\]?,?[ \t]*$", re.M)
_PY_PART = re.compile(rf"(?P<element>{_PY_ELEMENT})|(?P<comma>,)")


def _python_row(match: re.Match[str]) -> str:
    out = [" "] * (match.end() - match.start())
    base = match.start()
    out[match.start("open") - base] = "|"
    for part in _PY_PART.finditer(match.string, match.start("cells"), match.end("cells")):
        if part.group("comma"):
            out[part.start() - base] = "|"
        elif part.group() != "None":
            text = part.group()[1:-1].replace("\\n", "  ")
            out[part.start() + 1 - base:part.end() - 1 - base] = text
    out[match.end("cells") - base] = "|"
    return "".join(out)


# A Confluence or Jira table: header cells between double bars (「||项目||决算数||」, 「||合计|2,360.00|」), data
# cells between single ones. Read as a pipe table: each || a border.
_DOUBLE_BAR_ROW = re.compile(r"^[ \t]*\|\|.*$", re.M)


def _double_bars(match: re.Match[str]) -> str:
    return match.group().replace("||", " |")


# A forum post's BBCode ([b]…[/b], [size=2], [list=1][*]…): the marks are blanks; a table's [td] opens a cell
# and [/tr] ends a row, so [tr][td]a[/td][td]b[/td][/tr] reads as the pipe row 「|a |b |」
_BBCODE = re.compile(r"\[(?P<tag>/?(?:b|i|u|s|color|size|font|url|img|quote|code|list|\*|center|right|left|align|hr|"
                     r"table|tr|td|th))(?:=[^\]\n]{0,40})?\]", re.I)


def _bbcode(match: re.Match[str]) -> str:
    tag = match.group("tag").lower()
    mark = "|" if tag in ("td", "th", "/tr") else " "
    return mark + " " * (match.end() - match.start() - 1)


def _label(match: re.Match[str]) -> str:
    return " " + match.group(1) + "："


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    """Blanks for the match, keeping its line breaks (a tag's attributes may run over lines)."""
    text = match.group()
    return _NOT_NEWLINE.sub(" ", text) if "\n" in text else " " * len(text)


def _entity(match: re.Match[str]) -> str:
    number, name = match.group("num"), match.group("name")
    code = int(number) if number else html.entities.name2codepoint.get(name)
    char = chr(code).translate(_TABLE) if code is not None and code < 0x110000 else " "
    if not char.strip() or len(char) != 1:
        char = " "
    return char + " " * (match.end() - match.start() - 1)


def _mapped(match: re.Match[str]) -> str:
    return _MAPPED[match.group()]


# Each rewrite, with the literal text it needs: a document without that text skips its pattern
_REWRITES: tuple[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (("&",), _ENTITY, _entity),
    (("<",), _HTML_TAG, _blank),
    (("**", "__", "#", "h1.", "h2.", "h3.", "h4.", "h5.", "h6."), _MARKDOWN, _blank),
    (("\\", "$"), _LATEX, _blank),
    (("〔删除", "【批注"), _REVISION_GONE, _blank),
    (("……", "....", "····", "．．．", "⋯⋯"), _LEADER, _blank),
    (("〔插入",), _REVISION_KEPT, lambda m: " " * len(m.group(1)) + m.group(2) + " "),
    (("\n{|",), _WIKI_TABLE, _wiki_table),
    (("'''",), _WIKI_STRONG, _blank),
    (("['", '["', "[None"), _PY_ROW, _python_row),
    (("\n||",), _DOUBLE_BAR_ROW, _double_bars),
    (("[/b]", "[/td]", "[/size]", "[/color]", "[/url]", "[/list]", "[/quote]"), _BBCODE, _bbcode),
    (("{", "}"), _BRACES, _blank),
    (("【",), _BRACKET_LABEL, _label),
)


def normalize(text: str) -> str:
    """Normalise `text` without changing its length or its line breaks."""
    out = _TO_MAP.sub(_mapped, text)
    for needles, pattern, replacement in _REWRITES:
        if any(n in out for n in needles):
            out = pattern.sub(replacement, out)
    return out


def split_lines(text: str) -> list[str]:
    """Lines as numbered by every fact's `source_line` (1-based index into this list)."""
    return text.split("\n")
