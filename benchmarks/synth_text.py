"""Writing figures and tables the way the reports do.

A `Style` is drawn once per report (spaces around figures as in text extracted from
PDF, thousands separators, trailing zeros dropped in tables). `Table` is a layout-free
table (title, header rows that may be ragged like merged Word cells, data rows);
`render` writes it one cell a line (Word tables saved as text: every cell on a line
that starts with a TAB, a blank line after each row, a cell may run on to lines
without the TAB), tab-separated, or as a `|` table.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

CN_DIGIT = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Style:
    spaced: bool  # "2022 年", "299.83 万元"
    thousands: bool  # tables: "3,265.82"
    thousands_prose: bool
    strip_zeros: bool  # tables: "14" for 14.00, "109.8" for 109.80

    @classmethod
    def draw(cls, rng: random.Random) -> Style:
        return cls(spaced=rng.random() < 0.3, thousands=rng.random() < 0.35, thousands_prose=rng.random() < 0.1,
                   strip_zeros=rng.random() < 0.4)

    def num(self, value: Decimal, places: int = 2, thousands: bool | None = None, strip: bool = False) -> str:
        sep = self.thousands_prose if thousands is None else thousands
        text = f"{value:,.{places}f}" if sep else f"{value:.{places}f}"
        if strip and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    def cell(self, value: Decimal | None) -> str:
        """A money cell of a table in 万元."""
        if value is None:
            return ""
        return self.num(value, thousands=self.thousands and abs(value) >= 1000, strip=self.strip_zeros)

    def wan(self, value: Decimal, strip: bool = False) -> str:
        """A money figure in prose: '299.83万元'."""
        return self.unit(self.num(value, strip=strip), "万元")

    def unit(self, number: str, unit: str) -> str:
        return f" {number} {unit}" if self.spaced else f"{number}{unit}"

    def year(self, year: int, suffix: str = "年") -> str:
        return f"{year} {suffix}" if self.spaced else f"{year}{suffix}"


def chinese_year(year: int) -> str:
    return "".join(CN_DIGIT[int(d)] for d in str(year))


def chinese_small(n: int) -> str:
    """1..31 -> 一 .. 三十一."""
    tens, ones = divmod(n, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else CN_DIGIT[tens] + "十"))
    return text + (CN_DIGIT[ones] if ones else "") if n else "〇"


@dataclass
class Table:
    title: str | None
    header: list[list[str]]
    rows: list[list[str]]
    evidence_rows: list[str] = field(default_factory=list)  # filled by render: the text of each data row


def render(table: Table, layout: str) -> str:
    """The table as text in `layout` (cells / tsv / pipe), ending with a blank line."""
    width = max(len(r) for r in table.header + table.rows)
    out: list[str] = []
    table.evidence_rows = []
    if layout == "cells":
        if table.title:
            out += ["\t" + table.title, ""]
        for k, row in enumerate(table.header + table.rows):
            is_header = k < len(table.header)
            cells = row if is_header else row + [""] * (width - len(row))
            for cell in cells:
                first, *rest = cell.split("\n")
                out.append("\t" + first)
                out += rest  # continuation lines, without the TAB
            out.append("")
            if not is_header:
                table.evidence_rows.append(row[0].split("\n")[0])
        return "\n".join(out) + "\n"
    if layout == "tsv":
        if table.title:
            out.append(table.title + "\t" * (width - 1))
            out.append("")
        for k, row in enumerate(table.header + table.rows):
            line = "\t".join(c.replace("\n", " ") for c in row + [""] * (width - len(row)))
            out.append(line)
            if k >= len(table.header):
                table.evidence_rows.append(line.rstrip("\t"))
        return "\n".join(out) + "\n\n"
    if layout == "pipe":
        if table.title:
            out += [table.title, ""]
        for k, row in enumerate(table.header + table.rows):
            cells = [c.replace("\n", "") for c in row + [""] * (width - len(row))]
            line = "| " + " | ".join(cells) + " |"
            out.append(line)
            if k == 0:
                out.append("|" + "|".join([" --- "] * width) + "|")
            if k >= len(table.header):
                table.evidence_rows.append(line)
        return "\n".join(out) + "\n\n"
    raise ValueError(layout)
