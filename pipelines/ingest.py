"""Files in raw/ -> decoded text and a document record, or a quarantine record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines import config

SUPPORTED = {".txt", ".md"}


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


def read_file(path: Path) -> DocumentRecord | QuarantineRecord:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    now = datetime.now()
    if not data.strip():
        return QuarantineRecord(path.name, digest, len(data), "empty", "the file is empty", now)
    if len(data) > config.max_file_bytes():
        return QuarantineRecord(path.name, digest, len(data), "too_large", "the file is over the size limit", now)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return QuarantineRecord(path.name, digest, len(data), "undecodable", f"not UTF-8: {err}", now)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DocumentRecord(path.name, path.suffix.lstrip(".").lower(), len(data), digest, "utf-8",
                          text.count("\n") + 1, text, None, now)


def list_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def read_folder(raw_dir: Path) -> IngestBatch:
    """Read every file of `raw_dir`; a file that cannot be read becomes a quarantine record."""
    batch = IngestBatch([], [])
    seen: dict[str, str] = {}
    for path in list_files(raw_dir):
        if path.suffix.lower() not in SUPPORTED:
            continue
        result = read_file(path)
        if isinstance(result, QuarantineRecord):
            batch.quarantined.append(result)
        elif result.sha256 in seen:
            batch.quarantined.append(QuarantineRecord(
                path.name, result.sha256, result.size_bytes, "duplicate",
                f"same content as {seen[result.sha256]}", result.loaded_at))
        else:
            seen[result.sha256] = path.name
            batch.documents.append(result)
    return batch
