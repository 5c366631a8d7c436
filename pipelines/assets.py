"""Dagster assets: raw documents (ingest), vocabulary seeds, parsed raw tables, one asset per SQL model.

Refresh is incremental: a file whose sha256 is unchanged since it was parsed is not
parsed again, and the facts of a file removed from raw/ leave the warehouse.
"""


import gc
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import dagster as dg
import duckdb
from dagster import AssetExecutionContext
from dagster_duckdb import DuckDBResource

from pipelines import catalog, config, ingest, load, models, processes
from pipelines.parse import ParseResult, forget_texts, parse_document, region, vocabulary

PARSED_TABLES = ["report_fields", "budget_facts", "employment_metrics", "performance_indicators", "parse_issues"]
STATE_DDL = "create table if not exists raw.parse_state (file_name varchar, sha256 varchar, parsed_at timestamp)"


class WarehouseDB(DuckDBResource):
    """The staging warehouse, opened by every step. With `keep_open` (for `warehouse build`, whose
    steps share one process) the database stays open between steps, so a step's connection is a
    cursor on it instead of a fresh open of the file and a checkpoint at its close; release()
    closes it, as a step that opens the file otherwise (read-only, or to move it) must first."""

    keep_open: bool = False

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.keep_open:
            with super().get_connection() as con:
                follow_compaction_plan(con)
                yield con
            return
        if self.database not in _KEPT_OPEN:
            _KEPT_OPEN[self.database] = duckdb.connect(self.database, config=dict(self.connection_config))
            follow_compaction_plan(_KEPT_OPEN[self.database])
        cursor = _KEPT_OPEN[self.database].cursor()
        try:
            yield cursor
        finally:
            cursor.close()


_KEPT_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}


@contextmanager
def vacuum_off(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's vacuum is off while the block runs (checkpoints then rewrite no row group), then as the
    build's compaction plan has it (follow_compaction_plan), whether the block planned anew or failed.

    For the ingest's appends, a commit a batch: with the vacuum on, each automatic checkpoint merges the
    small row groups those commits leave into larger ones (6,000 + 6,000 rows, then 12,000 + 12,000, …),
    decompressing and recompressing every text it moves. At 100,000 reports the last merge rewrote
    96,000 texts (20 s), the ingest took 80 s instead of 30, and its memory grew with the folder (peak
    476 MB against 390 MB at 10,000; 394 MB without the merges). The row groups stay small until a build
    that compacts raw.documents (see plan_compaction) merges them, once."""
    con.execute("set global max_vacuum_tasks = 0")
    try:
        yield
    finally:
        follow_compaction_plan(con)


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB may hold `limit` in memory while the block runs, then the build's own limit again: for a
    step that reads or writes its rows once, where what DuckDB keeps of them is no help."""
    con.execute(f"set memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"set memory_limit = '{config.build_memory()}'")


def release(database: str) -> None:
    """Close `database` if a WarehouseDB keeps it open in this process."""
    kept = _KEPT_OPEN.pop(database, None)
    if kept is not None:
        kept.close()


def release_all() -> None:
    """Close every database kept open in this process."""
    while _KEPT_OPEN:
        _KEPT_OPEN.popitem()[1].close()


class RawFolder(dg.ConfigurableResource):
    """The folder of reports to load."""

    path: str = str(config.raw_dir())


class BuildLock(dg.ConfigurableResource):
    """One build per warehouse, whatever starts it: a Dagster run (schedule, sensor, UI) takes the same
    lock file as `warehouse build` for as long as it runs, and fails at once if another build holds it.
    (A `warehouse build` takes the lock itself before its run: WAREHOUSE_LOCK_FD says so.)"""

    path: str = str(config.warehouse_path()) + ".lock"

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if os.environ.get("WAREHOUSE_LOCK_FD"):
            return
        handle = processes.take_build_lock(self.path)
        if handle is None:
            raise dg.Failure(description=f"another build of {self.path.removesuffix('.lock')} is running; "
                                         "this run did not start")
        _HELD_LOCKS[self.path] = handle

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        handle = _HELD_LOCKS.pop(self.path, None)
        if handle is not None:
            processes.release_build_lock(handle)


_HELD_LOCKS: dict[str, IO[str]] = {}  # lock file -> the open handle that holds it, while a run lasts


class Publisher(dg.ConfigurableResource):
    """Safe publish: a run builds `staging` (a copy of the published file, or a new one for a
    full refresh) and the last step moves it over `path` with os.replace. Readers of the
    published file keep their snapshot; a run that fails or is killed never touches it."""

    path: str = str(config.warehouse_path())
    full_refresh: bool = False
    fingerprint: str = ""
    allow_shrink: bool = False
    max_shrink: float = config.max_shrink()
    in_process: bool = False
    """Every step runs in this process (`warehouse build`, the watch), which goes on after each: a step
    that holds something of every file does that work in a helper process (processes.run_apart)."""

    def shrink_refusal(self, con: duckdb.DuckDBPyConnection) -> str | None:
        """Why this build must not replace the published file, or None. A build that would publish
        no report, or lose more than one report and more than `max_shrink` of them (a raw/ folder
        emptied or mounted wrong, a parser broken), is refused unless `allow_shrink` says so."""
        if self.allow_shrink or not Path(self.path).exists():
            return None
        new = con.sql("select count(*) from marts.fct_reports").fetchall()[0][0]
        old_con = duckdb.connect(self.path, read_only=True)
        try:
            old = old_con.sql("select count(*) from marts.fct_reports").fetchall()[0][0]
        except duckdb.Error:
            return None  # the published file predates the marts: nothing to compare with
        finally:
            old_con.close()
        lost = old - new
        if old and (new == 0 or (lost > 1 and lost > old * self.max_shrink)):
            return (f"this build has {new} reports, the published warehouse {old} ({lost / old:.0%} fewer, "
                    f"the limit is {self.max_shrink:.0%}); rerun with --allow-shrink if that is meant")
        return None

    @property
    def staging(self) -> str:
        return staging_path(self.path)

    def shard_path(self, shard: str) -> Path:
        """The parse partition's own file, beside the warehouse (a cache: a full refresh rewrites it)."""
        return Path(f"{self.path}.parsed") / f"{shard}.duckdb"

    def stage(self) -> None:
        Path(f"{self.path}.parsed").mkdir(parents=True, exist_ok=True)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if not self.full_refresh and prepared_staging_fits(Path(self.path)):
            Path(self.staging + PREPARED).unlink()  # (this build changes the copy: the note no longer holds)
            return
        for suffix in ("", ".wal", PREPARED):
            Path(self.staging + suffix).unlink(missing_ok=True)
        if not self.full_refresh and storage_format(Path(self.path)) == wanted_format():
            shutil.copy2(self.path, self.staging)
        else:  # a new file, in the storage format DuckDB 1.x clients (BI drivers) can open too
            duckdb.connect(self.staging, config={"storage_compatibility_version": config.storage_version()}).close()

    def record_build(self, con: duckdb.DuckDBPyConnection) -> None:
        """What the staging file was built from (see fingerprint), written just before it is published."""
        con.execute("create or replace table raw.build_state as "
                    "select ? as fingerprint, ? as code, now() as built_at", [self.fingerprint, code_fingerprint()])

    def publish(self) -> None:
        release(self.staging)  # moved below: no connection may stay on the old name
        os.replace(self.staging, self.path)


PREPARED = ".prepared"  # beside the staging file: which published file it is a copy of, made ahead


def _identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def prepare_staging(published: Path) -> None:
    """Copy the published warehouse to the staging name ahead of the next build, flushed to disk, with a
    note of the published file it copies: a build that finds that file still published and the copy
    untouched starts from it instead of copying (at 10,000 reports, a third of a second: the copy, and
    its flush to disk, which the build's checkpoint would otherwise wait for). `warehouse watch` does
    it between refreshes, holding the build lock."""
    if not published.exists() or storage_format(published) != wanted_format():
        return
    staging = Path(staging_path(str(published)))
    work = staging.with_name(staging.name + ".next")
    shutil.copy2(published, work)
    with open(work, "rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("", ".wal", PREPARED):
        Path(str(staging) + suffix).unlink(missing_ok=True)
    os.replace(work, staging)
    Path(str(staging) + PREPARED).write_text(
        json.dumps({"published": _identity(published), "copy": _identity(staging)}), encoding="utf-8")


def prepared_staging_fits(published: Path) -> bool:
    """Whether the staging file is a prepared copy of the file published now, untouched since."""
    staging = Path(staging_path(str(published)))
    note = Path(str(staging) + PREPARED)
    try:
        held = json.loads(note.read_text(encoding="utf-8"))
        return (held == {"published": _identity(published), "copy": _identity(staging)}
                and not Path(str(staging) + ".wal").exists())
    except (OSError, ValueError):
        return False


COMPACT_AFTER_FILES = 200


def plan_compaction(con: duckdb.DuckDBPyConnection, changed: int, everything: bool, new_file: bool = False) -> int:
    """Leave the rows this build deletes for a later build to compact, until COMPACT_AFTER_FILES
    files have changed since the last compaction; returns how many have (0: compact in this
    build). DuckDB compacts the row groups that hold deleted rows when it checkpoints the
    database (each time the build closes it): at 10,000 reports up to 0.7 s, however little
    changed. Deleted rows are never read; they only keep their space a while longer. A `new_file`
    (the build started from an empty one) has nothing to compact."""
    con.execute("create table if not exists raw.compaction (deferred_files bigint)")
    con.execute("alter table raw.compaction add column if not exists new_file boolean")
    deferred = (con.sql("select sum(deferred_files) from raw.compaction").fetchall()[0][0] or 0) + changed
    if everything or deferred >= COMPACT_AFTER_FILES:
        deferred = 0
    con.execute("delete from raw.compaction")
    con.execute("insert into raw.compaction values (?, ?)", [deferred, new_file])
    return deferred


def follow_compaction_plan(con: duckdb.DuckDBPyConnection) -> None:
    """Apply this build's plan (see plan_compaction) to `con`'s database, as each opening of it must: the
    vacuum is off while compaction is deferred, and in a new file, whose first checkpoint with the vacuum
    on would merge the ingest's small row groups of raw.documents into one (see vacuum_off). A build is
    spared that (at 100,000 reports 16 s, with the build process at 660 MB where its ingest peaks at about
    450 MB); the first later build that compacts merges them, once."""
    try:
        plan = con.sql("select * from raw.compaction")
    except duckdb.CatalogException:
        return  # (a warehouse no build has planned for yet)
    rows = [dict(zip(plan.columns, row, strict=True)) for row in plan.fetchall()]  # (new_file: since 2026-12)
    off = any(row["deferred_files"] or row.get("new_file") for row in rows)
    con.execute("set global max_vacuum_tasks = 0" if off else "reset global max_vacuum_tasks")


def storage_format(path: Path) -> str | None:
    """The storage format a DuckDB file was created with (e.g. "v1.0.0"), or None when there is no file.
    A file keeps its format whatever DuckDB version writes to it later."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        tags = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchone()
    finally:
        con.close()
    return ((tags[0] or {}) if tags else {}).get("storage_version", "").rstrip("+") or None


SAME_FORMAT_AS = {"v1.1.0": "v1.0.0"}
"""A `storage_compatibility_version` that writes the format of an earlier one (DuckDB names the format by
the first version that wrote it)."""


def wanted_format() -> str:
    return SAME_FORMAT_AS.get(config.storage_version(), config.storage_version())


def staging_path(published: str) -> str:
    return f"{published}.building"


def raw_fingerprint(raw_dir: Path) -> str:
    """Name, size and mtime of every file in raw/ (what `make` would look at)."""
    digest = hashlib.sha256()
    for name, stat in ingest.list_files(raw_dir):
        digest.update(f"{name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _files_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def parser_fingerprint() -> str:
    """The parser's code and vocabulary: when it changes, every document is parsed again."""
    folder = Path(__file__).parent / "parse"
    return _files_digest([*folder.glob("*.py"), *folder.glob("*.yaml"), Path(__file__).parent / "text.py"])


def code_fingerprint() -> str:
    """The SQL models, the suites and the pipeline's code: when it changes, every row is checked again."""
    return _files_digest([*config.sql_dir().rglob("*.sql"), *config.sql_dir().rglob("*.yml"),
                          *config.expectations_dir().glob("*.json"), *Path(__file__).parent.rglob("*.py"),
                          *Path(__file__).parent.rglob("*.yaml")])


def fingerprint(raw_dir: Path) -> str:
    """What a build depends on: the files in raw/, the SQL models, the suites and the parser's code."""
    return hashlib.sha256(f"{raw_fingerprint(raw_dir)}|{code_fingerprint()}".encode()).hexdigest()


def _published_code(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        return con.sql("select code from raw.build_state").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def published_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.sql("select fingerprint from raw.build_state").fetchall()[0][0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def published_bytes_unchanged(path: Path, raw_dir: Path) -> bool:
    """Whether every file in raw/ still has the bytes the published warehouse was built from: by the
    size, mtime and settled ctime it had when read (ingest.unchanged_stat), else by hash (an edit that
    keeps a file's size and mtime is still an edit)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        known = {name: ingest.Known(size, mtime, sha, ctime) for name, size, mtime, sha, ctime in con.sql(
            "select file_name, size_bytes, mtime_ns, sha256, ctime_ns from raw.documents union all "
            "select file_name, null, null, sha256, null from raw.quarantine where sha256 is not null").fetchall()}
    except duckdb.Error:
        return False
    finally:
        con.close()
    return all(ingest.unchanged_stat(known[name], stat) or ingest.same_bytes(raw_dir / name, known[name].sha256)
               for name, stat in ingest.list_files(raw_dir) if name in known)


INGEST_MEMORY = "128MB"  # what DuckDB may hold while the ingest appends the documents (the build's own limit after)


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "documents"], description="One row per readable file of raw/: bytes' sha256, "
                        "encoding, decoded text.", group_name="raw", kinds={"duckdb"}),
           dg.AssetSpec(["raw", "quarantine"], description="One row per file that could not be loaded, "
                        "with the reason.", group_name="raw", kinds={"duckdb"})],
)
def raw_documents(duckdb: WarehouseDB, raw_folder: RawFolder, publisher: Publisher, build_lock: BuildLock):
    """Read raw/: new and changed files replace their rows, removed files leave. Records which
    files changed, and the files that reported the same unit and year as them until now
    (raw.changed_files), so the models and checks can look at their rows only.

    In a process that outlives the step (`warehouse build`, the watch), the reading runs in a
    process of its own: what it holds a file (names, stats, hashes; DuckDB's cache of the appends)
    then leaves with it, instead of staying in the process that goes on to the models and checks."""
    publisher.stage()
    work = (duckdb.database, dict(duckdb.connection_config), raw_folder.path, publisher.full_refresh)
    if publisher.in_process:
        release(duckdb.database)  # (the file is opened read-write by one process at a time)
        counts = processes.run_apart(ingest_folder, *work)
    else:
        counts = ingest_folder(*work)
    yield dg.MaterializeResult(asset_key=["raw", "documents"], metadata={
        k: counts[k] for k in ("files", "read", "changed", "removed", "files_changed_since_compaction")})
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={"quarantined": counts["quarantined"]})


def ingest_folder(database: str, connection_config: dict[str, Any], raw_dir: str, full_refresh: bool) -> dict[str, int]:
    """The ingest on the staging file `database`: read the folder, replace the rows of new and changed
    files, drop those of removed ones, write raw.changed_files and the compaction plan. Returns the counts."""
    with duckdb.connect(database, config=connection_config) as con:
        follow_compaction_plan(con)
        load.ensure_raw_schema(con)
        con.execute("alter table raw.documents add column if not exists mtime_ns bigint")
        con.execute("alter table raw.documents add column if not exists ctime_ns bigint")
        con.execute(STATE_DDL)
        check_everything = full_refresh or _published_code(con) != code_fingerprint()
        known = {name: ingest.Known(size, mtime, sha, ctime) for name, size, mtime, sha, ctime in con.execute(
            "select file_name, size_bytes, mtime_ns, sha256, ctime_ns from raw.documents").fetchall()}

        changed: list[str] = []  # new, or with other bytes or mtime than the warehouse holds

        def store(documents: list[ingest.DocumentRecord]) -> None:
            """Documents as they are read, a transaction each: what one holds uncommitted stays small (this
            is the staging file, which a failed build never publishes)."""
            new = [d for d in documents if known.get(d.file_name) is None
                   or (known[d.file_name].sha256, known[d.file_name].mtime_ns) != (d.sha256, d.mtime_ns)]
            changed.extend(d.file_name for d in new)
            con.execute("begin")
            load.replace_rows(con, "documents", [d.file_name for d in new], new)
            con.execute("commit")

        with memory_limit(con, INGEST_MEMORY), vacuum_off(con):  # (appends only)
            batch = ingest.read_folder(Path(raw_dir), known, store)
            if len(batch.stored) > ingest.STORE_EVERY:  # (many appends: the last ones too, while the vacuum is off)
                con.execute("checkpoint")
            con.execute("begin")
            if batch.settled:  # unchanged bytes under a new ctime: kept, so the next build need not hash them
                con.execute("update raw.documents d set ctime_ns = s.ctime_ns from (select unnest($n) as file_name, "
                            "unnest($c::bigint[]) as ctime_ns) s where d.file_name = s.file_name",
                            {"n": list(batch.settled), "c": list(batch.settled.values())})
            names = batch.stored + [q.file_name for q in batch.quarantined] + batch.unchanged
            removed = sorted(set(known) - set(batch.stored) - set(batch.unchanged))
            # with the files that shared a report with them until now: the tables still hold the old state
            # (none when everything is checked: the NULL row below says so)
            touched = [] if check_everything else sorted(models.same_report_files(
                con, changed + removed + [q.file_name for q in batch.quarantined]))
            load.replace_rows(con, "documents", removed, [])
            con.execute(f"delete from raw.quarantine where reason_code not in ({PARSE_REASONS_SQL})")
            con.execute("delete from raw.quarantine where file_name not in (select unnest($n))", {"n": names})
            load.replace_rows(con, "quarantine", [], batch.quarantined)
            con.execute(f"create or replace table raw.changed_files as select unnest($f::varchar[]) as file_name "
                        f"union all select null where {check_everything}", {"f": touched})
            deferred = plan_compaction(con, len(touched), check_everything, new_file=not known)
            con.execute("commit")
    return {"files": len(batch.stored) + len(batch.unchanged), "read": len(batch.stored), "changed": len(changed),
            "removed": len(removed), "files_changed_since_compaction": deferred,
            "quarantined": len(batch.quarantined)}


PARSE_REASONS = ("no_report", "parser_error", "too_slow")
"""Quarantine reasons the parse step gives (the ingest step gives the others)."""
PARSE_REASONS_SQL = ", ".join(f"'{r}'" for r in PARSE_REASONS)


def _unreported(result: ParseResult) -> dict[str, str]:
    """Why a parsed file holds no report: the parser failed or ran out of time on it, or it names no unit,
    year or figure."""
    for issue in result.parse_issues:
        if issue["code"] == "parser_crash":
            return {"reason_code": "parser_error", "message": f"the parser failed on this file: {issue['message']}"}
        if issue["code"] == "parser_timeout":
            return {"reason_code": "too_slow", "message": issue["message"]}
    return {"reason_code": "no_report",
            "message": "no unit name and fiscal year and no figure could be read: the file parses to no report"}


class ParseTimeout(Exception):
    """The parse of one file ran past config.max_parse_seconds."""


def _out_of_time(signum: int, frame: object) -> None:
    raise ParseTimeout


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ParseTimeout in this thread after `seconds` (SIGALRM, so only in a process's main thread,
    where every parse runs; elsewhere, and with seconds <= 0, no limit). Python's regular expressions
    check for signals as they go, so a pattern that backtracks for ever is stopped too."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_safely(item: tuple[str, str]) -> ParseResult:
    """Parse one document; a parser failure or a parse longer than the limit becomes a parse issue (and
    the file a quarantine row), never a failed or stalled batch."""
    file_name, text = item
    limit = config.max_parse_seconds()
    try:
        with _time_limit(limit):
            return parse_document(file_name, text)
    except ParseTimeout:
        result = parse_document(file_name, "")
        result.issue(None, "error", "parser_timeout",
                     f"the parser took more than {limit:g} s on this file (WAREHOUSE_MAX_PARSE_SECONDS; "
                     f"{len(text)} characters)")
        return result
    except Exception as err:  # noqa: BLE001 - one bad report must not stop the batch
        result = parse_document(file_name, "")
        result.issue(None, "error", "parser_crash", f"{type(err).__name__}: {err}")
        return result


@dataclass(frozen=True)
class ShardJob:
    """One parse partition's work: parse `changed` (read from the warehouse at `staging`, read-only),
    drop `removed`, and write the partition's file."""

    path: str
    staging: str
    changed: list[str]
    removed: list[str]
    shas: dict[str, str]
    fresh: bool
    parser: str = ""


PARSE_CHUNK = 250  # documents read, parsed and written at a time: a partition's memory stays flat
READ_MEMORY = "64MB"  # what a parse process's read of the documents may keep in DuckDB's cache (each is read once)
WRITE_MEMORY = "64MB"  # and its partition's file: past it, DuckDB writes to disk (else it grows with the partition)


def run_shard_job(job: ShardJob, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Parse and write one partition, in whatever process runs it, PARSE_CHUNK documents at a time;
    returns the documents parsed. The documents are read with `con` (the build's own connection, when
    the partition is parsed in the build's process), else read-only from `job.staging`."""
    writer = ShardWriter(Path(job.path), fresh=job.fresh, parser=job.parser)
    try:
        writer.drop(job.changed + job.removed)
        # (one scan of the documents, streamed in the table's order: an ORDER BY would sort, and so hold,
        # all the partition's texts, the more the larger the corpus)
        reader = None
        if job.changed:
            reader = con.cursor() if con is not None else \
                duckdb.connect(job.staging, read_only=True, config={"memory_limit": READ_MEMORY, "threads": 1})
        try:
            if reader is not None:
                reader.execute("select file_name, text from raw.documents where file_name in (select unnest($f))",
                               {"f": job.changed})
                while texts := reader.fetchmany(PARSE_CHUNK):
                    writer.add([parse_safely(item) for item in texts], job.shas)
                    forget_texts()
        finally:
            if reader is not None:
                reader.close()
        writer.finish()
    finally:
        writer.close()
    return len(job.changed)


def parse_workers(jobs: list[ShardJob]) -> int:
    """How many processes to parse `jobs` with (WAREHOUSE_PARSE_WORKERS, default every core): 1, the build's
    own, for a refresh's few documents, which a new process would take longer to start than to parse."""
    workers = int(os.environ.get("WAREHOUSE_PARSE_WORKERS", os.cpu_count() or 1))
    if len(jobs) < 2 or sum(len(j.changed) for j in jobs) < 200:
        return 1
    return max(1, min(workers, len(jobs)))


def parse_jobs(jobs: list[ShardJob], workers: int) -> int:
    """Run the partitions' jobs in `workers` new processes: each parses a whole partition and writes its
    file, so no parsed row crosses processes. (The warehouse must not be open read-write meanwhile.)"""
    from concurrent.futures import ProcessPoolExecutor

    total = sum(len(j.changed) for j in jobs)
    biggest_first = sorted(jobs, key=lambda j: -len(j.changed))
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_parse_process,
                             initargs=(os.getpid(),)) as pool:
        return sum(_counted(pool.map(run_shard_job, biggest_first), total, "parsing reports"))


def _start_parse_process(build_pid: int) -> None:
    """A new parse process starts as every helper of the build does (processes.start_helper), then
    loads the parser's tables (jionlp's divisions) and freezes them with all it inherited: they live as
    long as the process, and the cyclic collector, which would go through them again and again, then
    skips them."""
    processes.start_helper(build_pid)
    region.load()
    gc.freeze()


def _counted(counts: Iterable[int], total: int, label: str) -> Iterator[int]:
    """Pass the counts through; on a terminal, and for 20 or more documents, advance a progress bar by each."""
    if not sys.stderr.isatty() or total < 20:
        yield from counts
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=total)
        for count in counts:
            progress.advance(task, count)
            yield count


SEEDS = ["vocab_budget_items", "vocab_metrics", "vocab_grades", "vocab_admin_levels"]


@dg.multi_asset(specs=[dg.AssetSpec(["raw", name], group_name="raw", kinds={"duckdb"}, deps=[["raw", "documents"]],
                                    description=f"Seed table from pipelines/parse/vocabulary.yaml ({name}).")
                       for name in SEEDS])
def vocabulary_seeds(duckdb: WarehouseDB):
    """The reviewed vocabulary as seed tables, so SQL can check codes against it (rewritten only
    when the vocabulary changed)."""
    tables = vocabulary.seed_tables()
    version = hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()
    with duckdb.get_connection() as con:
        con.execute("create schema if not exists raw")
        con.execute("create table if not exists raw.seed_version (version varchar)")
        current = con.sql("select version from raw.seed_version").fetchall() == [(version,)]
        if not current:
            import pyarrow as pa

            for name, rows in tables.items():
                con.register("_seed", pa.Table.from_pylist(rows))
                con.execute(f"create or replace table raw.{name} as select * from _seed")
                con.unregister("_seed")
            con.execute("delete from raw.seed_version")
            con.execute("insert into raw.seed_version values (?)", [version])
        for name, rows in tables.items():
            yield dg.MaterializeResult(asset_key=["raw", name], metadata={"rows": len(rows), "rewritten": not current})


SHARD_TABLES = [*PARSED_TABLES, "quarantine"]
# A single run over every parse partition (BackfillPolicy.single_run) is what `warehouse build` does.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
PARSE_SHARDS = dg.StaticPartitionsDefinition([f"{i:02d}" for i in range(16)])
ALL_SHARDS = {"dagster/asset_partition_range_start": PARSE_SHARDS.get_partition_keys()[0],
              "dagster/asset_partition_range_end": PARSE_SHARDS.get_partition_keys()[-1]}


def shard_of(file_name: str) -> str:
    """The parse partition a file belongs to (stable across processes and machines)."""
    return f"{zlib.crc32(file_name.encode('utf-8')) % len(PARSE_SHARDS.get_partition_keys()):02d}"


def _stamp(path: Path) -> str:
    """Size and mtime of a partition's file: unchanged, it holds what the warehouse last loaded from it."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def plan_shard_jobs(con: duckdb.DuckDBPyConnection, publisher: Publisher, shards: set[str]) -> list[ShardJob]:
    """The work of each partition whose documents changed since its file was written (all of them
    on a full refresh, or when another parser wrote the file), read with `con` from the staging file.
    A partition's file is opened only when it is not the one the warehouse last loaded: otherwise
    raw.parse_state says what it holds."""
    parser = parser_fingerprint()
    docs = {name: sha for name, sha in con.sql("select file_name, sha256 from raw.documents").fetchall()}
    try:
        loaded = {shard: (stamp, by) for shard, stamp, by in con.sql(
            "select shard, stamp, parser from raw.parse_shards").fetchall()}
        held = con.sql("select shard, file_name, sha256 from raw.parse_state").fetchall()
    except duckdb.Error:  # a warehouse built before the partitions' stamps were kept
        loaded, held = {}, []
    by_shard: dict[str, dict[str, str]] = {}
    for name, sha in docs.items():
        by_shard.setdefault(shard_of(name), {})[name] = sha
    jobs = []
    for shard in sorted(shards):
        path = publisher.shard_path(shard)
        if publisher.full_refresh:
            state = None
        elif path.exists() and loaded.get(shard) == (_stamp(path), parser):
            state = {name: sha for s, name, sha in held if s == shard}
        else:
            state = _shard_state(path, parser)
        mine = by_shard.get(shard, {})
        changed = sorted(n for n, sha in mine.items() if state is None or state.get(n) != sha)
        removed = sorted(set(state or ()) - set(mine))
        if changed or removed or (state is None and path.exists()):
            jobs.append(ShardJob(str(path), publisher.staging, changed, removed, {n: mine[n] for n in changed},
                                 state is None, parser))
    return jobs


def _shard_state(path: Path, parser: str) -> dict[str, str] | None:
    """The file -> sha256 a partition's file was parsed from; None when there is no such file, or
    when another parser wrote it (then every document of the partition is parsed again)."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        written_by = con.sql("select * from raw.shard_version").fetchall()[0]
        if len(written_by) < 2 or written_by[1] != parser:
            return None
        return dict(con.execute("select file_name, sha256 from raw.parse_state").fetchall())
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


class ShardWriter:
    """A partition's file, written aside (a copy of the old one, or new when `fresh`) and moved in by
    `finish`, so the file is always either the old one or the new one, whole; in between, rows go in a
    transaction a batch."""

    def __init__(self, path: Path, fresh: bool = False, parser: str = "") -> None:
        self.path, self.parser = path, parser
        self.work = path.with_name(path.name + ".tmp")
        self.work.unlink(missing_ok=True)
        if path.exists() and not fresh:
            shutil.copy2(path, self.work)
        self.con: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.work),
                                                                   config={"memory_limit": WRITE_MEMORY, "threads": 1})
        load.ensure_raw_schema(self.con, SHARD_TABLES)
        self.con.execute(STATE_DDL)

    def drop(self, files: list[str]) -> None:
        """Take out the rows of `files` (changed or removed documents)."""
        assert self.con is not None
        self.con.execute("begin")
        for table in SHARD_TABLES:
            load.replace_rows(self.con, table, files, [])
        self.con.execute("delete from raw.parse_state where file_name in (select unnest($f))", {"f": files})
        self.con.execute("commit")

    def add(self, results: list[ParseResult], shas: dict[str, str]) -> None:
        assert self.con is not None
        if not results:
            return
        self.con.execute("begin")
        for table in PARSED_TABLES:
            load.replace_rows(self.con, table, [], [row for r in results for row in getattr(r, table)])
        load.replace_rows(self.con, "quarantine", [], [
            {"file_name": r.source_file, "sha256": shas[r.source_file], "size_bytes": None, **_unreported(r),
             "quarantined_at": datetime.now()} for r in results if not r.is_report and not r.has_figures])
        now = datetime.now()
        load.insert_values(self.con, "raw.parse_state", {"file_name": "varchar", "sha256": "varchar",
                                                         "parsed_at": "timestamp"},
                           [[r.source_file, shas[r.source_file], now] for r in results])
        self.con.execute("commit")

    def finish(self) -> None:
        assert self.con is not None
        self.con.execute("create or replace table raw.shard_version as select uuid()::varchar as version, "
                         "? as parser", [self.parser])
        self.close()
        os.replace(self.work, self.path)

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


@dg.asset(key=["parse", "shards"], partitions_def=PARSE_SHARDS, backfill_policy=dg.BackfillPolicy.single_run(),
          deps=[["raw", "documents"]], group_name="parse", kinds={"duckdb"},
          description="The documents parsed, one DuckDB file per partition (a hash of the file name), beside "
                      "the warehouse. A partition reads the warehouse read-only and writes only its own file, "
                      "so partitions can run in parallel on other machines.")
def parse_shards(context: AssetExecutionContext, publisher: Publisher) -> dg.MaterializeResult:
    """Parse the documents of these partitions that changed since their shard file last saw them: a
    refresh's few in this process, many on every core, in processes that open the warehouse read-only.
    (A `warehouse build` runs every step in one process, which keeps the warehouse open: its
    connection reads a refresh's few; when everything is parsed, a helper process plans and runs the
    parse, so that the plan, a name and hash a file, does not stay in the process that goes on to the
    models and checks. A run of one partition, maybe on another machine, opens the warehouse read-only.)"""
    started = time.perf_counter()
    keys = set(context.partition_keys)
    con = _staging_reader(publisher.staging)
    if publisher.in_process and _everything_changed(con):
        con.close()
        release(publisher.staging)
        parsed, jobs = processes.run_apart(_parse_apart, publisher.path, publisher.full_refresh, keys)
    else:
        parsed, jobs = parse_partitions(publisher, keys, con)
    context.log.info(f"parsed {parsed} documents in {jobs} of {len(keys)} partitions "
                     f"in {time.perf_counter() - started:.2f}s")
    return dg.MaterializeResult(metadata={"documents_parsed": parsed, "partitions_written": jobs})


def _staging_reader(staging: str) -> duckdb.DuckDBPyConnection:
    """A cursor on the staging file where this process keeps it open, else a read-only connection."""
    kept = _KEPT_OPEN.get(staging)
    return kept.cursor() if kept is not None else duckdb.connect(staging, read_only=True)


def _everything_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """The ingest found that every file must be looked at again (raw.changed_files holds its NULL row)."""
    return bool(con.sql("select count(*) from raw.changed_files where file_name is null").fetchall()[0][0])


def parse_partitions(publisher: Publisher, keys: set[str],
                     con: duckdb.DuckDBPyConnection | None = None) -> tuple[int, int]:
    """Plan and run the parse of partitions `keys`: (documents parsed, partitions written). The warehouse
    is read with `con`, else opened read-only; many documents are parsed on every core."""
    con = con if con is not None else duckdb.connect(publisher.staging, read_only=True)
    try:
        jobs = plan_shard_jobs(con, publisher, keys)
        workers = parse_workers(jobs)
        if workers == 1:
            total = sum(len(j.changed) for j in jobs)
            parsed = sum(_counted((run_shard_job(job, con) for job in jobs), total, "parsing reports"))
    finally:
        con.close()
    if workers > 1:
        release(publisher.staging)
        parsed = parse_jobs(jobs, workers)
    return parsed, len(jobs)


def _parse_apart(path: str, full_refresh: bool, keys: set[str]) -> tuple[int, int]:
    """parse_partitions in a helper process (a resource does not cross processes: its settings do)."""
    return parse_partitions(Publisher(path=path, full_refresh=full_refresh), keys)


LOADED_PARSES = "(select file_name, sha256, parsed_at from raw.parse_state where shard = $s)"
SHARD_PARSES = "(select file_name, sha256, parsed_at from shard_db.raw.parse_state)"
"""A file's parse, as the warehouse holds it and as its partition's file does: the same file, bytes and
time of parse, the same rows (a new parser parses every file again, at a new time)."""


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", t], deps=[["parse", "shards"]], group_name="raw", kinds={"duckdb"},
                        description=f"Parsed from the documents' text: raw.{t}.") for t in PARSED_TABLES],
)
def parsed_reports(context: AssetExecutionContext, duckdb: WarehouseDB, publisher: Publisher):
    """Load the shard files that changed since the warehouse last took them; keep every fact's provenance."""
    started = time.perf_counter()
    loaded = 0
    with duckdb.get_connection() as con:
        load.ensure_raw_schema(con)
        con.execute(STATE_DDL)
        con.execute("alter table raw.parse_state add column if not exists shard varchar")
        con.execute("create table if not exists raw.parse_shards (shard varchar, version varchar)")
        for column in ("stamp", "parser"):
            con.execute(f"alter table raw.parse_shards add column if not exists {column} varchar")
        taken = {shard: (version, stamp) for shard, version, stamp in con.sql(
            "select shard, version, stamp from raw.parse_shards").fetchall()}
        for shard in PARSE_SHARDS.get_partition_keys():
            path = publisher.shard_path(shard)
            if not path.exists():
                continue
            stamp = _stamp(path)
            if taken.get(shard, ("", ""))[1] == stamp:
                continue  # the file the warehouse last loaded, untouched
            quoted = str(path).replace("'", "''")  # a folder name may hold a quote
            con.execute(f"attach '{quoted}' as shard_db (read_only)")
            try:
                version, *parser = con.execute("select * from shard_db.raw.shard_version").fetchall()[0]
                if taken.get(shard, ("", ""))[0] == version:
                    con.execute("update raw.parse_shards set stamp = $t where shard = $s", {"t": stamp, "s": shard})
                    continue
                # only the files parsed since the warehouse took this partition (or gone from it): a refresh
                # of one report rewrites its rows, not the partition's
                con.execute("create or replace temp table reloaded as select file_name from ("
                            f"({LOADED_PARSES} except {SHARD_PARSES}) union ({SHARD_PARSES} except {LOADED_PARSES}))",
                            {"s": shard})
                reloaded = "(select file_name from reloaded)"
                con.execute("begin")
                for table in PARSED_TABLES:
                    con.execute(f"delete from raw.{table} where source_file in {reloaded}")
                    con.execute(f"insert into raw.{table} select * from shard_db.raw.{table} "
                                f"where source_file in {reloaded}")
                con.execute(f"delete from raw.quarantine where reason_code in ({PARSE_REASONS_SQL}) "
                            f"and file_name in {reloaded}")
                con.execute(f"insert into raw.quarantine select * from shard_db.raw.quarantine "
                            f"where file_name in {reloaded}")
                con.execute(f"delete from raw.parse_state where shard = $s and file_name in {reloaded}", {"s": shard})
                con.execute(f"insert into raw.parse_state select *, $s from shard_db.raw.parse_state "
                            f"where file_name in {reloaded}", {"s": shard})
                con.execute("delete from raw.parse_shards where shard = $s", {"s": shard})
                con.execute("insert into raw.parse_shards values ($s, $v, $t, $p)",
                            {"s": shard, "v": version, "t": stamp, "p": parser[0] if parser else None})
                con.execute("commit")
                loaded += 1
            finally:
                con.execute("detach shard_db")
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in PARSED_TABLES}
    context.log.info(f"loaded {loaded} changed partitions in {time.perf_counter() - started:.2f}s")
    for table in PARSED_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows": counts[table],
                                                                       "partitions_loaded": loaded})


def _model_asset(model: models.Model) -> dg.AssetsDefinition:
    @dg.asset(key=[model.schema, model.name], deps=[dg.AssetKey(d.split(".")) for d in sorted(model.deps)],
              description=model.description, group_name=model.schema, kinds={"duckdb", "sql"})
    def compute(duckdb: WarehouseDB) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            return next(_described(con, [_materialized(con, model)]))

    return compute


@dataclass(frozen=True)
class Built:
    model: models.Model
    rows: int | None  # a table's rows; None for a view
    recreated: bool


def _materialized(con: duckdb.DuckDBPyConnection, model: models.Model) -> Built:
    """Build one model (an incremental one for the changed files only). On a refresh with the same
    code (changed_files is not None) a view that is there is left as it is: its SQL, and what it
    reads from, are those that made it."""
    files = models.changed_files(con)
    if model.materialized == "view" and files is not None and models.existing_type(con, model) == "VIEW":
        return Built(model, None, False)
    return Built(model, models.materialize(con, model, files if model.materialized == "incremental" else None), True)


def _described(con: duckdb.DuckDBPyConnection, built: list[Built]) -> Iterator[dg.MaterializeResult]:
    """What each model holds, as the Dagster UI shows it: column schema with descriptions, column
    lineage (sqlglot) and, for tables, the row count."""
    found = models.discover()
    lineage = catalog.column_lineage(con, found)
    described = catalog.describe(con, lineage=lineage, found=found)
    for b in built:
        relation = described.get(b.model.relation)
        metadata: dict = {"recreated": b.recreated}
        if relation is not None:
            metadata["dagster/column_schema"] = dg.TableSchema(columns=[
                dg.TableColumn(name, dtype, description=text or None)
                for name, (dtype, text) in relation.columns.items()])
        metadata["dagster/column_lineage"] = dg.TableColumnLineage(deps_by_column={
            column: [dg.TableColumnDep(asset_key=dg.AssetKey(rel.split(".")), column_name=name) for rel, name in ups]
            for column, ups in lineage.get(b.model.relation, {}).items()})
        if b.rows is not None:
            metadata["dagster/row_count"] = b.rows
        yield dg.MaterializeResult(asset_key=dg.AssetKey([b.model.schema, b.model.name]), metadata=metadata)


def _models_step(name: str, group: list[models.Model]) -> dg.AssetsDefinition:
    """Models that one step builds, in dependency order (each still its own asset; any subset can
    be materialised): building a view takes milliseconds, a Dagster step tens of them."""
    specs = [dg.AssetSpec([m.schema, m.name], deps=[dg.AssetKey(d.split(".")) for d in sorted(m.deps)],
                          description=m.description, group_name=m.schema, kinds={"duckdb", "sql"}) for m in group]

    @dg.multi_asset(name=name, specs=specs, can_subset=True)
    def compute(context: AssetExecutionContext, duckdb: WarehouseDB):
        with duckdb.get_connection() as con:
            built = [_materialized(con, model) for model in group
                     if dg.AssetKey([model.schema, model.name]) in context.selected_asset_keys]
            yield from _described(con, built)

    return compute


def model_assets(sql_dir: Path | None = None) -> list[dg.AssetsDefinition]:
    """One Dagster asset per SQL model, deps inferred with sqlglot, in as few steps as the checks
    allow: the views over the raw tables and each other (`sql_views`, checked before anything
    is built on them), the tables built only on those (`sql_tables`), then each other model."""
    found = models.discover(sql_dir)
    views: list[models.Model] = []
    for model in found:  # dependency order: a view's upstream views are already placed
        if model.materialized == "view" and all(d in models.SOURCES or d in {v.relation for v in views}
                                                for d in model.deps):
            views.append(model)
    over_views = {v.relation for v in views} | set(models.SOURCES)
    tables = [m for m in found if m not in views and all(d in over_views for d in m.deps)]
    others = [_model_asset(model) for model in found if model not in views and model not in tables]
    return ([_models_step("sql_views", views)] if views else []) + (
        [_models_step("sql_tables", tables)] if tables else []) + others
