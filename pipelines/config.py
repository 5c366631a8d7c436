"""Where things live. Every path can be overridden by an environment variable."""

from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


def raw_dir() -> Path:
    """Folder of reports to load (WAREHOUSE_RAW_DIR, default raw/)."""
    return _path("WAREHOUSE_RAW_DIR", PROJECT_ROOT / "raw")


def warehouse_path() -> Path:
    """The published DuckDB file (WAREHOUSE_PATH, default warehouse/warehouse.duckdb)."""
    return _path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse" / "warehouse.duckdb")


def sql_dir() -> Path:
    return _path("WAREHOUSE_SQL_DIR", PROJECT_ROOT / "sql")


def expectations_dir() -> Path:
    return _path("WAREHOUSE_EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")


def cache_dir() -> Path:
    """Derived data kept between runs, safe to delete (WAREHOUSE_CACHE_DIR, default ~/.cache/perfwarehouse)."""
    return _path("WAREHOUSE_CACHE_DIR", Path.home() / ".cache" / "perfwarehouse")


def max_file_bytes() -> int:
    """Files larger than this are quarantined (WAREHOUSE_MAX_FILE_BYTES, default 50 MB)."""
    return int(os.environ.get("WAREHOUSE_MAX_FILE_BYTES", 50 * 1024 * 1024))


def max_shrink() -> float:
    """The share of published reports a build may lose and still publish (WAREHOUSE_MAX_SHRINK,
    default 0.2); `warehouse build --allow-shrink` lifts the limit for one build."""
    return float(os.environ.get("WAREHOUSE_MAX_SHRINK", 0.2))


def max_text_chars() -> int:
    """A file whose text is longer is quarantined (WAREHOUSE_MAX_TEXT_CHARS, default 1,000,000: a real
    report holds 5,000-30,000 characters)."""
    return int(os.environ.get("WAREHOUSE_MAX_TEXT_CHARS", 1_000_000))


def max_text_lines() -> int:
    """A file of more lines is quarantined (WAREHOUSE_MAX_TEXT_LINES, default 50,000)."""
    return int(os.environ.get("WAREHOUSE_MAX_TEXT_LINES", 50_000))


def max_unpacked_bytes() -> int:
    """A .docx/.xlsx whose XML parts unpack to more is quarantined before it is parsed
    (WAREHOUSE_MAX_UNPACKED_BYTES, default 50 MB; pictures are not counted)."""
    return int(os.environ.get("WAREHOUSE_MAX_UNPACKED_BYTES", 50 * 1024 * 1024))


def build_memory() -> str:
    """What DuckDB may hold in memory for a build (WAREHOUSE_BUILD_MEMORY, default 256MB): past it, it
    spills to disk, so the build's memory does not grow with the number of reports. (Not less by default:
    under 96MB a refresh of 100,000 reports ran out of memory in a check, with 91 MB held.)"""
    return os.environ.get("WAREHOUSE_BUILD_MEMORY", "256MB")


def worker_recycle_mb() -> float:
    """How large (RSS, MB) a GX validating process may grow before it gives way to a fresh one after its
    answer (WAREHOUSE_WORKER_RECYCLE_MB, default 400; GX imported is about 250)."""
    return float(os.environ.get("WAREHOUSE_WORKER_RECYCLE_MB", "400"))


def query_memory() -> str:
    """The memory a `warehouse query` may use (WAREHOUSE_QUERY_MEMORY, default 2GB)."""
    return os.environ.get("WAREHOUSE_QUERY_MEMORY", "2GB")


def query_timeout() -> float:
    """Seconds a `warehouse query` may run before it is interrupted (WAREHOUSE_QUERY_TIMEOUT, default 60)."""
    return float(os.environ.get("WAREHOUSE_QUERY_TIMEOUT", 60))


def automation_on() -> bool:
    """Whether the nightly schedule and the raw/ sensor start switched on (WAREHOUSE_AUTOMATION=on)."""
    return os.environ.get("WAREHOUSE_AUTOMATION", "off").lower() in ("on", "1", "true")


def max_parse_seconds() -> float:
    """Seconds the parser may spend on one file before it is quarantined as too_slow
    (WAREHOUSE_MAX_PARSE_SECONDS, default 30: a real report parses in well under a second; 0 = no limit)."""
    return float(os.environ.get("WAREHOUSE_MAX_PARSE_SECONDS", 30))


def storage_version() -> str:
    """The DuckDB storage format of the published file (WAREHOUSE_STORAGE_VERSION, default v1.1.0):
    files in it open in every DuckDB client from 1.1 on, which BI drivers that pin a 1.x DuckDB need.
    A build from a published file of another format starts the file afresh."""
    return os.environ.get("WAREHOUSE_STORAGE_VERSION", "v1.1.0")


def keep_in_cache(path: Path, data: object) -> None:
    """Write JSON to a cache file atomically (a reader never sees half a file); a cache that cannot be
    written (a read-only home) is worked out again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        work = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        work.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(work, path)
    except OSError:
        pass
