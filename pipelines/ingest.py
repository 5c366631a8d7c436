"""Files in raw/ -> decoded, line-oriented text and a document record, or a quarantine record.

Every reader turns its format into the same text the parser reads: one line a paragraph,
one line a table row with its cells joined by TAB. A file that cannot be read becomes a
quarantine row with a reason code and a message; it never stops the batch.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from pipelines import config

TEXT_FORMATS = {".txt": "txt", ".md": "md", ".text": "txt"}
HTML_FORMATS = {".html": "html", ".htm": "html"}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    file_name: str
    format: str
    size_bytes: int
    sha256: str
    encoding: str | None
    n_lines: int
    text: str
    duplicate_of: str | None
    loaded_at: datetime
    mtime_ns: int | None = None  # of the file when read: an unchanged size and mtime is not read again
    ctime_ns: int | None = None  # of the file when read, when it was already settled then (see settled_ctime)


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    file_name: str
    sha256: str | None
    size_bytes: int | None
    reason_code: str
    message: str
    quarantined_at: datetime


@dataclass(slots=True)
class IngestBatch:
    documents: list[DocumentRecord]
    quarantined: list[QuarantineRecord]
    unchanged: list[str] = field(default_factory=list)  # loaded before, same size and mtime: not read again
    stored: list[str] = field(default_factory=list)  # read and handed to `store` (then not in documents)
    settled: dict[str, int | None] = field(default_factory=dict)  # unchanged, confirmed by hash: its ctime now


@dataclass(frozen=True, slots=True)
class Known:
    """What the warehouse holds of a file it loaded before."""

    size_bytes: int
    mtime_ns: int | None
    sha256: str
    ctime_ns: int | None = None


class Unreadable(Exception):
    """A file that cannot be read, with its quarantine reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _plausible(text: str) -> bool:
    """Decoded text, not binary noise: few control characters, and some CJK or plain ASCII."""
    if not text:
        return False
    controls = len(CONTROL.findall(text))
    return controls <= max(2, len(text) // 200) and (CJK.search(text) is not None or text.isascii())


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) for UTF-8 (with or without BOM), UTF-16 and GB18030/GBK text."""
    boms = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.replace("-sig", "")), encoding
            except UnicodeDecodeError as err:
                raise Unreadable("undecodable", f"starts with a {encoding} byte-order mark but does not decode: "
                                               f"{err}") from err
    candidates = ["utf-8", "gb18030"]
    if b"\x00" in data and len(data) % 2 == 0:  # UTF-16 without a byte-order mark
        even, odd = data[0::2], data[1::2]
        candidates = ["utf-16-le", "utf-16-be"] if odd.count(0) >= even.count(0) else ["utf-16-be", "utf-16-le"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, encoding
    if b"\x00" in data:
        raise Unreadable("binary", "binary content (NUL bytes), not text")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _plausible(str(best)):
        return str(best), best.encoding
    raise Unreadable("undecodable", "no text encoding (UTF-8, UTF-16, GB18030, detected) gives readable text")


class _HtmlText(HTMLParser):
    """Text of an HTML page: block elements end lines, table cells are joined by TAB."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.cells: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag == "tr":
            self._end_line()
            self.cells = []
        elif tag in {"td", "th"} and self.cells is not None:
            self.current = []
        elif tag in self.BLOCKS:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip = max(0, self.skip - 1)
        elif tag in {"td", "th"} and self.cells is not None:
            self.cells.append(" ".join("".join(self.current).split()))
            self.current = []
        elif tag == "tr" and self.cells is not None:
            self.lines.append("\t".join(self.cells))
            self.cells = None
        elif tag in self.BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _end_line(self) -> None:
        if self.cells is None:
            text = "".join(self.current).strip()
            if text:
                self.lines.append(text)
            self.current = []


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser._end_line()
    return "\n".join(parser.lines)


def docx_to_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order; a table row is one TAB-separated line
    (a merged cell repeats its text in every grid column it spans, so columns stay under their head)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += sheet_rows_to_lines([[cell.text for cell in row.cells] for row in block.rows])
    return "\n".join(lines)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text. A number cell holds a binary float: its shortest round-trip form
    (repr) is the figure the sheet shows, so 1234.56 stays 1234.56 and 63488.0 becomes 63488."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def sheet_rows_to_lines(rows: list[list[object]]) -> list[str]:
    """Rows of cells -> TAB-joined lines, trailing empty cells dropped (a sheet pads every row to its width)."""
    lines = []
    for row in rows:
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        lines.append("\t".join(cells))
    return lines


def spreadsheet_to_text(data: bytes) -> str:
    """Every sheet of an .xlsx/.xlsm/.xls/.ods workbook, in order: the sheet's name on a line, then one
    line a row, its cells joined by TAB."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    lines: list[str] = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
        if any(any(str(v).strip() for v in row) for row in rows):
            lines += [name, *sheet_rows_to_lines(rows), ""]
    return "\n".join(lines)


ZIP_FORMATS = {".docx", ".xlsx", ".xlsm", ".ods"}


def _check_unpacked_size(data: bytes) -> None:
    """A zip-packed document whose XML parts unpack beyond the limit (a few KB that unpack to 100 MB of
    paragraphs) is refused before any reader opens it."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        unpacked = sum(i.file_size for i in packed.infolist() if i.filename.endswith((".xml", ".rels")))
    if unpacked > config.max_unpacked_bytes():
        raise Unreadable("too_large", f"its XML parts unpack to {unpacked} bytes, over the limit of "
                                      f"{config.max_unpacked_bytes()} (WAREHOUSE_MAX_UNPACKED_BYTES)")


def _read_doc(data: bytes) -> tuple[str, str | None]:
    raise Unreadable("unsupported", "a Word 97-2003 .doc file cannot be read; convert it to .docx first, e.g. "
                                    "`libreoffice --headless --convert-to docx FILE.doc`, and put the .docx in raw/")


def pdf_to_text(data: bytes) -> str:
    """Text of a PDF's pages; a PDF without a text layer is quarantined."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            pages.append(page.extract_text() or "")
    text = "\n".join(pages)
    if not text.strip():
        raise Unreadable("no_text_layer", f"a PDF of {len(pages)} page(s) without a text layer (scanned?)")
    return text


def _read_text(data: bytes) -> tuple[str, str | None]:
    return decode(data)


def _read_html(data: bytes) -> tuple[str, str | None]:
    text, encoding = decode(data)
    return html_to_text(text), encoding


READERS: dict[str, tuple[str, Callable[[bytes], tuple[str, str | None]]]] = {
    **{suffix: (fmt, _read_text) for suffix, fmt in TEXT_FORMATS.items()},
    **{suffix: (fmt, _read_html) for suffix, fmt in HTML_FORMATS.items()},
    ".docx": ("docx", lambda data: (docx_to_text(data), None)),
    ".pdf": ("pdf", lambda data: (pdf_to_text(data), None)),
    **{suffix: ("spreadsheet", lambda data: (spreadsheet_to_text(data), None))
       for suffix in (".xlsx", ".xlsm", ".xls", ".ods")},
    ".doc": ("doc", _read_doc),
}


def read_file(path: Path, name: str | None = None) -> DocumentRecord | QuarantineRecord:
    """Read one file (named `name` in every table: its path relative to raw/); never raises for its content."""
    name = name or path.name
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    now = datetime.now()

    def quarantine(code: str, message: str) -> QuarantineRecord:
        return QuarantineRecord(name, digest, len(data), code, message, now)

    if not data.strip():
        return quarantine("empty", "the file is empty")
    if len(data) > config.max_file_bytes():
        return quarantine("too_large", f"{len(data)} bytes is over the limit of {config.max_file_bytes()} "
                                       "(WAREHOUSE_MAX_FILE_BYTES)")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return quarantine("unsupported", f"no reader for '{path.suffix or 'no suffix'}' files")
    fmt, read = reader
    try:
        if path.suffix.lower() in ZIP_FORMATS:
            _check_unpacked_size(data)
        text, encoding = read(data)
    except Unreadable as err:
        return quarantine(err.code, str(err))
    except Exception as err:  # noqa: BLE001 - a corrupt file of any kind is quarantined, not fatal
        return quarantine("unreadable", f"{fmt} reader failed: {type(err).__name__}: {err}"[:500])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return quarantine("empty", "the file holds no text")
    lines = text.count("\n") + 1
    if len(text) > config.max_text_chars() or lines > config.max_text_lines():
        return quarantine("too_large", f"its text is {len(text)} characters in {lines} lines, over the limit of "
                                       f"{config.max_text_chars()} characters or {config.max_text_lines()} lines "
                                       "(WAREHOUSE_MAX_TEXT_CHARS, WAREHOUSE_MAX_TEXT_LINES): no single report")
    return DocumentRecord(name, fmt, len(data), digest, encoding, text.count("\n") + 1, text, None, now)


@dataclass(frozen=True, slots=True)
class FileStat:
    """What a build looks at of a file's stat (an os.stat_result holds some twenty fields: 100,000 of
    them, listed, are tens of MB)."""

    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int


def list_files(raw_dir: Path) -> list[tuple[str, FileStat]]:
    """The files of raw_dir and of its sub-folders (raw/湖南省/2022/…), hidden ones left out, sorted, each
    named by its path relative to raw_dir (with /) and with its stat. A symbolic link is listed with the
    stat of the link itself: read_folder reads it only when it points inside raw_dir."""
    found: list[tuple[str, FileStat]] = []
    pending = [(raw_dir, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), name + "/"))
                elif entry.is_symlink() or entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False) if entry.is_symlink() else entry.stat()
                    found.append((name, FileStat(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)))
    return sorted(found, key=lambda item: item[0])


def _outside(raw_dir: Path, path: Path) -> bool:
    """A link (or a link in the path) that leads out of raw_dir."""
    try:
        path.resolve(strict=True).relative_to(raw_dir.resolve())
    except (ValueError, OSError):
        return True
    return False


RACY_NS = 2_000_000_000  # a file changed this recently may change again within its ctime's clock tick


def settled_ctime(stat: FileStat | os.stat_result) -> int | None:
    """The file's ctime, when it is older than RACY_NS: a later write then gives it another one (no
    program can set a ctime, unlike an mtime). A younger one is not kept, so that file is hashed next
    time (git's "racy" rule: a write in the same clock tick as the read would keep the ctime)."""
    return stat.st_ctime_ns if time.time_ns() - stat.st_ctime_ns > RACY_NS else None


def unchanged_stat(before: Known, stat: FileStat | os.stat_result) -> bool:
    """The file has the size, mtime and settled ctime it had when it was read: its bytes are the same,
    without reading them (what git's index does)."""
    return (before.ctime_ns is not None
            and (before.size_bytes, before.mtime_ns, before.ctime_ns) == (stat.st_size, stat.st_mtime_ns,
                                                                           stat.st_ctime_ns))


def same_bytes(path: Path, sha256: str) -> bool:
    """The file's bytes still hash to `sha256` (read whole: a report is small, and one read of it costs
    less than a buffered digest's loop; a folder of 10,000 real-size reports in about 0.2 s)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


STORE_EVERY = 500  # documents handed to `store` at a time: what the read holds of a large folder


def read_folder(raw_dir: Path, known: dict[str, Known] | None = None,
                store: Callable[[list[DocumentRecord]], None] | None = None) -> IngestBatch:
    """Read every file of `raw_dir` except the `known` ones whose bytes are unchanged; the same bytes
    under two names are loaded once. An unchanged size and mtime is confirmed by the settled ctime
    the file had when read (see unchanged_stat) or else by the bytes' hash (an edit that keeps both
    is still an edit); only then is the file not read again. With `store`,
    documents go to it STORE_EVERY at a time as they are read, and the batch keeps them without
    their names only (in `stored`), so memory grows with the folder by a name a file."""
    batch = IngestBatch([], [])
    pending: list[DocumentRecord] = []

    def hand_over() -> None:
        if store is not None and pending:
            store(pending)
            batch.stored.extend(d.file_name for d in pending)
            pending.clear()

    seen: dict[str, str] = {}
    listed = list_files(raw_dir)
    for name, stat in listed:
        before = (known or {}).get(name)
        if before is None or (before.size_bytes, before.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            continue
        if unchanged_stat(before, stat):
            batch.unchanged.append(name)
        elif same_bytes(raw_dir / name, before.sha256):
            batch.unchanged.append(name)
            batch.settled[name] = settled_ctime(stat)
        else:
            continue
        seen.setdefault(before.sha256, name)
    skip = set(batch.unchanged)
    for name, stat in listed:
        if name in skip:
            continue
        path = raw_dir / name
        if path.is_symlink() and _outside(raw_dir, path):
            batch.quarantined.append(QuarantineRecord(
                name, None, None, "outside_raw", f"{name} is a link to a file outside the raw folder "
                "(or to nothing): not read", datetime.now()))
            continue
        result = read_file(path, name)
        if isinstance(result, DocumentRecord):
            result = replace(result, mtime_ns=stat.st_mtime_ns, ctime_ns=settled_ctime(stat))
        if isinstance(result, QuarantineRecord):
            batch.quarantined.append(result)
        elif result.sha256 in seen:
            batch.quarantined.append(QuarantineRecord(
                name, result.sha256, result.size_bytes, "duplicate",
                f"same bytes as {seen[result.sha256]}, which is loaded", result.loaded_at))
        else:
            seen[result.sha256] = name
            (pending if store is not None else batch.documents).append(result)
            if len(pending) >= STORE_EVERY:
                hand_over()
    hand_over()
    return batch
