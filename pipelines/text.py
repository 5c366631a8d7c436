"""Text normalisation, once, in one place.

`normalize` maps the decoded document text to the text the parser reads. It keeps
every line and every character position (one character in, one character out), so
a span found in the normalised text is also a span of the original line, and the
original characters can be kept as the evidence of a fact.
"""

from __future__ import annotations

import re

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
_TABLE: dict[int, int | str] = {**_FULLWIDTH, **_SPACES, **_EXTRA}
# Keep the Chinese comma, colon, semicolon and brackets as they are: the parser's
# clause splitting relies on them, and they carry meaning ASCII forms do not.
for _ch in "，：；（）！？":
    _TABLE.pop(ord(_ch), None)

_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&nbsp;|&[a-z]{2,6};")
_MARKDOWN = re.compile(r"\*\*|__")
_LATEX = re.compile(r"\\(?:mathrm|text|textbf|mathbf|rm|left|right|quad|,)\b|\\(?=[%$])|\$(?=[\d.]|\s)")


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def normalize(text: str) -> str:
    """Normalise `text` without changing its length or its line breaks."""
    out = text.translate(_TABLE)
    out = _HTML_TAG.sub(_blank, out)
    out = _MARKDOWN.sub(_blank, out)
    out = _LATEX.sub(_blank, out)
    out = out.replace("{", " ").replace("}", " ")
    return out


def split_lines(text: str) -> list[str]:
    """Lines as numbered by every fact's `source_line` (1-based index into this list)."""
    return text.split("\n")
