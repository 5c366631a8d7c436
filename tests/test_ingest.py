"""Real-world files: encodings, HTML, Word, PDF, and every kind of bad input."""

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import ingest
from pipelines.parse import parse_document
from pipelines.text import normalize

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "raw" / "004_52c6ee96ad68c98b.txt"  # prose only
TABLES = ROOT / "raw" / "003_fe78408465235910.txt"  # tab-separated tables


def facts(text: str) -> tuple[set, set, dict]:
    result = parse_document("x", text)
    budget = {(b["org"], b["item_code"], b["basis"], b["amount_wan"]) for b in result.budget_facts if b["is_selected"]}
    metrics = {(m["metric_code"], m["actual_value"], m["target_value"]) for m in result.employment_metrics
               if m["is_selected"]}
    header = {f["field"]: f["value"] for f in result.report_fields}
    return budget, metrics, header


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_other_encodings_read_as_the_utf8_file(tmp_path, encoding):
    text = REPORT.read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(text.encode(encoding))
    doc = ingest.read_file(copy)
    assert isinstance(doc, ingest.DocumentRecord)
    assert doc.text == text
    assert doc.encoding.startswith(encoding.split("-sig")[0][:6])


def test_docx_yields_the_facts_of_the_txt(tmp_path):
    import docx

    document = docx.Document()
    for line in TABLES.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:  # table rows become a one-row Word table
            cells = line.split("\t")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, value in zip(table.rows[0].cells, cells, strict=True):
                cell.text = value
        else:
            document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(str(path))
    doc = ingest.read_file(path)
    assert doc.format == "docx"
    assert facts(doc.text) == facts(TABLES.read_text(encoding="utf-8"))


def make_pdf(path: Path, lines: list[str]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    for line in lines:
        for start in range(0, max(len(line), 1), 48):  # long paragraphs wrap as in a real PDF
            if y < 40:
                pdf.showPage()
                y = 800
            pdf.setFont("STSong-Light", 9)
            pdf.drawString(30, y, line[start:start + 48])
            y -= 12
    pdf.save()


def test_pdf_yields_the_facts_of_the_txt(tmp_path):
    text = REPORT.read_text(encoding="utf-8")
    path = tmp_path / "report.pdf"
    make_pdf(path, [ln for ln in text.split("\n") if ln.strip()])
    doc = ingest.read_file(path)
    assert doc.format == "pdf"
    budget, metrics, header = facts(doc.text)
    want_budget, want_metrics, want_header = facts(text)
    assert metrics == want_metrics
    assert budget == want_budget
    assert {k: header.get(k) for k in ("unit_name", "fiscal_year", "report_date")} == {
        k: want_header.get(k) for k in ("unit_name", "fiscal_year", "report_date")}


def test_html_tables_become_tab_rows(tmp_path):
    html = ("<html><body><h1>湘西自治州人力资源和社会保障局 2022 年度部门整体支出绩效自评报告</h1>"
            "<p>年度收入情况（万元）</p>"
            "<table><tr><th>机构名称</th><th>收入合计</th><th>上年结转</th><th>公共财政拨款</th></tr>"
            "<tr><td>局机关及二级机构汇总</td><td>9840.04</td><td>1707.13</td><td>7968.17</td></tr></table>"
            "<script>var x = 1;</script></body></html>")
    path = tmp_path / "r.html"
    path.write_text(html, encoding="utf-8")
    doc = ingest.read_file(path)
    assert "局机关及二级机构汇总\t9840.04\t1707.13\t7968.17" in doc.text.split("\n")
    assert "var x" not in doc.text
    budget, _, _ = facts(doc.text)
    assert (None, "income_carryover", "actual", __import__("decimal").Decimal("1707.13")) in budget


def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": ("empty.txt", b""),
        "binary": ("garbage.txt", os.urandom(4096) + b"\x00\x00"),
        "undecodable": ("broken.txt", b"\xff\xfe\xfe\xff" + bytes([0xd8, 0x00, 0x00, 0x00] * 3)[:11]),
        "unsupported": ("old.doc", b"\xd0\xcf\x11\xe0 a Word 97 file"),
        "unreadable": ("corrupt.docx", b"PK\x03\x04 this is no zip"),
    }
    out = {}
    for code, (name, data) in files.items():
        (tmp_path / name).write_bytes(data)
        out[code] = tmp_path / name
    from reportlab.pdfgen import canvas

    scan = canvas.Canvas(str(tmp_path / "scan.pdf"))
    scan.rect(50, 50, 200, 200, fill=1)  # a page with no text layer
    scan.save()
    out["no_text_layer"] = tmp_path / "scan.pdf"
    return out


def test_every_bad_file_is_quarantined_and_the_rest_loads(tmp_path, monkeypatch):
    for code, path in bad_files(tmp_path).items():
        result = ingest.read_file(path)
        assert isinstance(result, ingest.QuarantineRecord), code
        assert result.reason_code == code, (code, result)
        assert result.sha256 and result.message
    assert "convert it to .docx" in ingest.read_file(tmp_path / "old.doc").message
    good = REPORT.read_bytes()
    (tmp_path / "a.txt").write_bytes(good)
    (tmp_path / "b_copy.txt").write_bytes(good)
    batch = ingest.read_folder(tmp_path)
    assert [d.file_name for d in batch.documents] == ["a.txt"]
    codes = {q.file_name: q.reason_code for q in batch.quarantined}
    assert codes["b_copy.txt"] == "duplicate"
    monkeypatch.setenv("WAREHOUSE_MAX_FILE_BYTES", "1000")
    assert ingest.read_file(tmp_path / "a.txt").reason_code == "too_large"



def test_a_file_with_the_same_size_and_mtime_is_not_read_again(tmp_path):
    good = REPORT.read_bytes()
    (tmp_path / "a.txt").write_bytes(good)
    (tmp_path / "b.txt").write_bytes(good + "\n附：已复核。".encode())
    first = ingest.read_folder(tmp_path)
    known = {d.file_name: ingest.Known(d.size_bytes, d.mtime_ns, d.sha256) for d in first.documents}
    assert first.unchanged == [] and all(k.mtime_ns for k in known.values())
    (tmp_path / "b.txt").write_bytes(good + "\n附：已复核两次。".encode())
    (tmp_path / "c_copy.txt").write_bytes(good)
    second = ingest.read_folder(tmp_path, known)
    assert second.unchanged == ["a.txt"]
    assert [d.file_name for d in second.documents] == ["b.txt"]
    assert second.documents[0].sha256 != known["b.txt"].sha256
    assert {q.file_name: q.reason_code for q in second.quarantined} == {"c_copy.txt": "duplicate"}

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000),
       suffix=st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf", ".xls", ".xlsx"]))
def test_reader_never_raises(tmp_path, data, suffix):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    result = ingest.read_file(path)
    assert isinstance(result, ingest.DocumentRecord | ingest.QuarantineRecord)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2000)
       | st.text(alphabet="\t\n |（）()：:，。；、%万亿元人户场0123456789.-,二〇年度汇总合计其中机构名称项目"
                 "预算决算支出收入基本城镇新增就业任务完成", max_size=2000))
def test_parser_never_raises_and_normalize_keeps_length(text):
    assert len(normalize(text)) == len(text)
    result = parse_document("f.txt", text)
    assert isinstance(result.is_report, bool)


def test_sub_folders_are_read_and_links_out_of_raw_are_not(tmp_path):
    raw = tmp_path / "raw"
    (raw / "湖南省" / "2022").mkdir(parents=True)
    (raw / "湖南省" / "2022" / "a.txt").write_bytes(REPORT.read_bytes())
    (raw / "b.txt").write_bytes(REPORT.read_bytes() + "\n附：已复核。".encode())
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root", encoding="utf-8")
    (raw / "passwd.txt").symlink_to(secret)
    (raw / "inside.txt").symlink_to(raw / "b.txt")  # a link that stays inside raw/: read (a duplicate)
    batch = ingest.read_folder(raw)
    assert [d.file_name for d in batch.documents] == ["b.txt", "湖南省/2022/a.txt"]
    codes = {q.file_name: q.reason_code for q in batch.quarantined}
    assert codes == {"passwd.txt": "outside_raw", "inside.txt": "duplicate"}
    assert all("root:x" not in d.text for d in batch.documents)


def test_an_edit_that_keeps_size_and_mtime_is_read_again(tmp_path):
    """Size and mtime only short-cut to 'unchanged' when the bytes' hash agrees."""
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / "r.txt"
    path.write_text("实际支出 1371.57 万元", encoding="utf-8")
    first = ingest.read_folder(raw)
    doc = first.documents[0]
    known = {"r.txt": ingest.Known(doc.size_bytes, doc.mtime_ns, doc.sha256)}
    assert ingest.read_folder(raw, known).unchanged == ["r.txt"]
    stat = path.stat()
    path.write_text("实际支出 1371.58 万元", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
    again = ingest.read_folder(raw, known)
    assert again.unchanged == [] and "1371.58" in again.documents[0].text


def test_per_file_limits_quarantine_only_that_file(tmp_path, monkeypatch):
    """Too many lines, too many characters, a packed document that unpacks too far: each is a
    quarantine row naming the limit, and the other files load."""
    import docx

    raw = tmp_path / "raw"
    raw.mkdir()
    report = (Path(__file__).resolve().parent.parent / "raw" / "004_52c6ee96ad68c98b.txt").read_text(encoding="utf-8")
    (raw / "report.txt").write_text(report, encoding="utf-8")
    (raw / "lines.txt").write_text("城镇新增就业1人\n" * 60_000, encoding="utf-8")
    (raw / "chars.txt").write_text("城镇新增就业" * 200_000, encoding="utf-8")
    packed = docx.Document()
    for _ in range(400):
        packed.add_paragraph("城镇新增就业1,256人，完成年度目标的104.7%。")
    packed.save(raw / "packed.docx")
    monkeypatch.setenv("WAREHOUSE_MAX_UNPACKED_BYTES", "20000")  # the docx's XML is larger than this
    batch = ingest.read_folder(raw)
    assert [d.file_name for d in batch.documents] == ["report.txt"]
    reasons = {q.file_name: (q.reason_code, q.message) for q in batch.quarantined}
    assert {name: code for name, (code, _) in reasons.items()} == {
        "lines.txt": "too_large", "chars.txt": "too_large", "packed.docx": "too_large"}
    assert "60001 lines" in reasons["lines.txt"][1] and "WAREHOUSE_MAX_TEXT_LINES" in reasons["lines.txt"][1]
    assert "1200000 characters" in reasons["chars.txt"][1]
    assert "WAREHOUSE_MAX_UNPACKED_BYTES" in reasons["packed.docx"][1]
    monkeypatch.delenv("WAREHOUSE_MAX_UNPACKED_BYTES")
    assert "packed.docx" in [d.file_name for d in ingest.read_folder(raw).documents]  # within the default


def test_a_settled_file_is_not_even_hashed_again(tmp_path, monkeypatch):
    """Size, mtime and a settled ctime as when it was read: unchanged without reading the file (what
    git's index does). An edit gets a new ctime however it sets the mtime, so it is read again; a
    ctime younger than RACY_NS is not kept, as a write in the same clock tick would keep it."""
    path = tmp_path / "r.txt"
    path.write_text("实际支出 1371.57 万元", encoding="utf-8")
    assert ingest.read_folder(tmp_path).documents[0].ctime_ns is None  # just written: not settled
    monkeypatch.setattr(ingest, "RACY_NS", 0)
    doc = ingest.read_folder(tmp_path).documents[0]
    assert doc.ctime_ns == path.stat().st_ctime_ns
    known = {"r.txt": ingest.Known(doc.size_bytes, doc.mtime_ns, doc.sha256, doc.ctime_ns)}
    hash_it = ingest.same_bytes
    monkeypatch.setattr(ingest, "same_bytes", lambda *_: pytest.fail("an unchanged, settled file was hashed"))
    assert ingest.read_folder(tmp_path, known).unchanged == ["r.txt"]
    monkeypatch.setattr(ingest, "same_bytes", hash_it)
    stat = path.stat()
    time.sleep(0.05)  # past the file system's clock tick
    path.write_text("实际支出 1371.58 万元", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
    again = ingest.read_folder(tmp_path, known)
    assert again.unchanged == [] and "1371.58" in again.documents[0].text
