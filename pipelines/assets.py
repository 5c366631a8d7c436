"""Dagster assets: raw documents (ingest), vocabulary seeds, parsed raw tables, one asset per SQL model.

Refresh is incremental: a file whose sha256 is unchanged since it was parsed is not
parsed again, and the facts of a file removed from raw/ leave the warehouse.
"""


import hashlib
import os
import shutil
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster import AssetExecutionContext
from dagster_duckdb import DuckDBResource

from pipelines import config, ingest, load, models
from pipelines.parse import ParseResult, parse_document, vocabulary

PARSED_TABLES = ["report_fields", "budget_facts", "employment_metrics", "performance_indicators", "parse_issues"]
STATE_DDL = "create table if not exists raw.parse_state (file_name varchar, sha256 varchar, parsed_at timestamp)"


class RawFolder(dg.ConfigurableResource):
    """The folder of reports to load."""

    path: str = str(config.raw_dir())


class Publisher(dg.ConfigurableResource):
    """Safe publish: a run builds `staging` (a copy of the published file, or a new one for a
    full refresh) and the last step moves it over `path` with os.replace. Readers of the
    published file keep their snapshot; a run that fails or is killed never touches it."""

    path: str = str(config.warehouse_path())
    full_refresh: bool = False
    fingerprint: str = ""

    @property
    def staging(self) -> str:
        return staging_path(self.path)

    def stage(self) -> None:
        for suffix in ("", ".wal"):
            Path(self.staging + suffix).unlink(missing_ok=True)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        if not self.full_refresh and Path(self.path).exists():
            shutil.copy2(self.path, self.staging)

    def publish(self) -> None:
        if self.fingerprint:
            con = duckdb.connect(self.staging)
            try:
                con.execute("create or replace table raw.build_state as select ? as fingerprint, now() as built_at",
                            [self.fingerprint])
            finally:
                con.close()
        os.replace(self.staging, self.path)


def staging_path(published: str) -> str:
    return f"{published}.building"


def fingerprint(raw_dir: Path) -> str:
    """What a build depends on: every raw file's bytes, the SQL models, the suites and the parser's code."""
    digest = hashlib.sha256()
    code = [*config.sql_dir().rglob("*.sql"), *config.sql_dir().rglob("*.yml"),
            *config.expectations_dir().glob("*.json"), *Path(__file__).parent.rglob("*.py"),
            *Path(__file__).parent.rglob("*.yaml")]
    for path in [*ingest.list_files(raw_dir), *sorted(code)]:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "documents"], description="One row per readable file of raw/: bytes' sha256, "
                        "encoding, decoded text.", group_name="raw", kinds={"duckdb"}),
           dg.AssetSpec(["raw", "quarantine"], description="One row per file that could not be loaded, "
                        "with the reason.", group_name="raw", kinds={"duckdb"})],
)
def raw_documents(duckdb: DuckDBResource, raw_folder: RawFolder, publisher: Publisher):
    """Read raw/: new and changed files replace their rows, removed files leave."""
    publisher.stage()
    batch = ingest.read_folder(Path(raw_folder.path))
    names = [d.file_name for d in batch.documents] + [q.file_name for q in batch.quarantined]
    with duckdb.get_connection() as con:
        load.ensure_raw_schema(con)
        con.execute(STATE_DDL)
        existing = {r[0]: r[1] for r in con.execute("select file_name, sha256 from raw.documents").fetchall()}
        changed = [d for d in batch.documents if existing.get(d.file_name) != d.sha256]
        removed = sorted(set(existing) - {d.file_name for d in batch.documents})
        con.execute("begin")
        load.replace_rows(con, "documents", [d.file_name for d in changed] + removed, changed)
        con.execute("delete from raw.quarantine where reason_code <> 'no_report'")
        con.execute("delete from raw.quarantine where file_name not in (select unnest($n))", {"n": names})
        load.replace_rows(con, "quarantine", [], batch.quarantined)
        con.execute("commit")
    yield dg.MaterializeResult(asset_key=["raw", "documents"], metadata={
        "files": len(batch.documents), "changed": len(changed), "removed": len(removed)})
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={"quarantined": len(batch.quarantined)})


def parse_safely(item: tuple[str, str]) -> ParseResult:
    """Parse one document; a parser failure becomes a parse issue, never a failed batch."""
    file_name, text = item
    try:
        return parse_document(file_name, text)
    except Exception as err:  # noqa: BLE001 - one bad report must not stop the batch
        result = parse_document(file_name, "")
        result.issue(None, "error", "parser_crash", f"{type(err).__name__}: {err}")
        return result


def parse_all(items: list[tuple[str, str]]) -> list[ParseResult]:
    """Parse documents on every core (WAREHOUSE_PARSE_WORKERS) when there are enough of them."""
    workers = int(os.environ.get("WAREHOUSE_PARSE_WORKERS", os.cpu_count() or 1))
    if workers <= 1 or len(items) < 200:
        return [parse_safely(item) for item in _progress(items, "parsing reports")]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(_progress(pool.map(parse_safely, items, chunksize=25), "parsing reports", len(items)))


def _progress(items: Iterable, label: str, total: int | None = None) -> Iterable:
    """A progress bar on a terminal, nothing when the output is not one."""
    total = len(items) if total is None and isinstance(items, list) else total
    if not sys.stderr.isatty() or (total or 0) < 20:
        return items
    from rich.progress import track

    return track(items, description=label, total=total, transient=True)


SEEDS = ["vocab_budget_items", "vocab_metrics", "vocab_grades", "vocab_admin_levels"]


@dg.multi_asset(specs=[dg.AssetSpec(["raw", name], group_name="raw", kinds={"duckdb"}, deps=[["raw", "documents"]],
                                    description=f"Seed table from pipelines/parse/vocabulary.yaml ({name}).")
                       for name in SEEDS])
def vocabulary_seeds(duckdb: DuckDBResource):
    """The reviewed vocabulary as seed tables, so SQL can check codes against it."""
    import pyarrow as pa

    with duckdb.get_connection() as con:
        con.execute("create schema if not exists raw")
        for name, rows in vocabulary.seed_tables().items():
            con.register("_seed", pa.Table.from_pylist(rows))
            con.execute(f"create or replace table raw.{name} as select * from _seed")
            con.unregister("_seed")
            yield dg.MaterializeResult(asset_key=["raw", name], metadata={"rows": len(rows)})


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", t], deps=[["raw", "documents"]], group_name="raw", kinds={"duckdb"},
                        description=f"Parsed from the documents' text: raw.{t}.") for t in PARSED_TABLES],
)
def parsed_reports(context: AssetExecutionContext, duckdb: DuckDBResource):
    """Parse the documents that changed since they were last parsed; keep every fact's provenance."""
    started = time.perf_counter()
    with duckdb.get_connection() as con:
        load.ensure_raw_schema(con)
        con.execute(STATE_DDL)
        todo = con.execute("""
            select d.file_name, d.sha256, d.text from raw.documents d
            left join raw.parse_state s on s.file_name = d.file_name and s.sha256 = d.sha256
            where s.file_name is null order by d.file_name""").fetchall()
        gone = [r[0] for r in con.execute(
            "select file_name from raw.parse_state where file_name not in (select file_name from raw.documents)"
        ).fetchall()]
    results = parse_all([(name, text) for name, _sha, text in todo])
    no_report = [r.source_file for r in results if not r.is_report]
    files = [r[0] for r in todo] + gone
    counts = {}
    with duckdb.get_connection() as con:
        con.execute("begin")
        for table in PARSED_TABLES:
            rows = [row for r in results for row in getattr(r, table)]
            counts[table] = load.replace_rows(con, table, files, rows)
        con.execute("delete from raw.quarantine where reason_code = 'no_report' and file_name in "
                    "(select unnest($f))", {"f": files})
        load.replace_rows(con, "quarantine", [], [
            {"file_name": f, "sha256": sha, "size_bytes": None, "reason_code": "no_report",
             "message": "no unit name or fiscal year could be read: the file parses to no report",
             "quarantined_at": datetime.now()} for f, sha, _ in todo if f in no_report])
        con.execute("delete from raw.parse_state where file_name in (select unnest($f))", {"f": files})
        if todo:
            con.executemany("insert into raw.parse_state values (?, ?, now())", [[f, sha] for f, sha, _ in todo])
        con.execute("commit")
    context.log.info(f"parsed {len(todo)} documents ({len(no_report)} with no report), "
                     f"removed {len(gone)}, in {time.perf_counter() - started:.2f}s")
    for table in PARSED_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table],
                                   metadata={"rows_written": counts[table], "documents_parsed": len(todo)})


def _model_asset(model: models.Model) -> dg.AssetsDefinition:
    @dg.asset(key=[model.schema, model.name], deps=[dg.AssetKey(d.split(".")) for d in sorted(model.deps)],
              description=model.description, group_name=model.schema, kinds={"duckdb", "sql"})
    def compute(duckdb: DuckDBResource) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            rows = models.materialize(con, model)
            columns = [r[0] for r in con.sql(f"describe {model.relation}").fetchall()]
        return dg.MaterializeResult(metadata={"rows": rows, "columns": ", ".join(columns)})

    return compute


def model_assets(sql_dir: Path | None = None) -> list[dg.AssetsDefinition]:
    """One Dagster asset per SQL model, deps inferred with sqlglot."""
    return [_model_asset(model) for model in models.discover(sql_dir)]
