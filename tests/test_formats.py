"""Spreadsheets and Word files read as cells: a report written into an .xlsx workbook or a .docx
with tables gives the same facts as its text. The workbooks and documents are made here from
fixture reports, the way an office suite would hold them (numbers as number cells, tables as
tables)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from facts import FIXTURES

from pipelines import ingest
from pipelines.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
REPORTS = [ROOT / "raw" / "003_fe78408465235910.txt", FIXTURES / "variants" / "raw" / "v3_eshan_tsv.txt",
           FIXTURES / "variants2" / "raw" / "w6_xinhua_basic_table.txt"]


def facts(text: str, name: str) -> tuple[set, set, dict]:
    """The selected budget figures and metrics and the header of a parse, without positions."""
    result = parse_document(name, text)
    budget = {(b["org"], b["item_code"], b["basis"], Decimal(b["amount_wan"]).normalize())
              for b in result.budget_facts if b["is_selected"]}
    metrics = {(m["metric_code"], m["actual_value"] and Decimal(m["actual_value"]).normalize(),
                m["target_value"] and Decimal(m["target_value"]).normalize())
               for m in result.employment_metrics if m["is_selected"]}
    head = {f["field"]: f["value"] for f in result.report_fields}
    return budget, metrics, head


def write_xlsx(text: str, path: Path) -> None:
    """One row a line, one cell a TAB-separated field; plain decimals as number cells."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("自评报告")
    book.add_worksheet("Sheet2")  # an empty sheet is skipped
    for r, line in enumerate(text.split("\n")):
        for c, cell in enumerate(line.split("\t")):
            if PLAIN_NUMBER.fullmatch(cell.strip()):
                sheet.write_number(r, c, float(cell))
            elif cell:
                sheet.write_string(r, c, cell)
    book.close()


def write_docx(text: str, path: Path) -> None:
    """Paragraphs as paragraphs; each run of TAB-separated lines as one Word table."""
    import docx

    document = docx.Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        block = []
        while i < len(lines) and "\t" in lines[i]:
            block.append(lines[i].split("\t"))
            i += 1
        table = document.add_table(rows=len(block), cols=max(map(len, block)))
        for row, cells in zip(table.rows, block, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
    document.save(str(path))


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_office_file_gives_the_facts_of_its_text(report, suffix, tmp_path):
    text = report.read_text(encoding="utf-8")
    path = tmp_path / (report.stem + suffix)
    (write_xlsx if suffix == ".xlsx" else write_docx)(text, path)
    doc = ingest.read_file(path)
    assert isinstance(doc, ingest.DocumentRecord), doc
    want_budget, want_metrics, want_head = facts(text, report.name)
    got_budget, got_metrics, got_head = facts(doc.text, path.name)
    assert want_budget and want_metrics  # the report has facts to compare
    assert got_budget == want_budget
    assert got_metrics == want_metrics
    assert got_head == want_head


def test_number_cells_keep_the_figure_the_sheet_shows(tmp_path):
    import xlsxwriter

    path = tmp_path / "cells.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("经费")
    for c, value in enumerate([1234.56, 63488.0, 0.1 + 0.2, 9840.04]):
        sheet.write_number(0, c, value)
    sheet.write_string(1, 0, "合计")
    sheet.write_string(1, 3, "")
    book.close()
    lines = ingest.read_file(path).text.split("\n")
    # xlsxwriter stores 0.1 + 0.2 as the text "0.3" in the sheet's XML: the reader gives back that figure,
    # not a float's 17 digits; a whole number loses its ".0"; the empty cell at the row's end is dropped
    assert lines[:3] == ["经费", "1234.56\t63488\t0.3\t9840.04", "合计"]
