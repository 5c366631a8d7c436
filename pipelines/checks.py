"""The quality suites as Dagster asset checks, scoped on a refresh to the files that changed.

The ingest asset writes `raw.changed_files`: the files added, changed or removed since the
published build, or one NULL row when everything must be checked (a full build, the first
build, or changed parser, models or suites). A check adds the files that report the same
unit and year as a changed one (their rows enter or leave the marts with it) and, in
`quality.files_to_check`, the files that failed the suite last time.
"""

import dagster as dg
import duckdb

from pipelines import quality
from pipelines.assets import WarehouseDB

CHANGED_DDL = "create table if not exists raw.changed_files (file_name varchar)"
SAME_REPORT = """
select distinct other.source_file
from intermediate.int_reports_keyed as changed
inner join intermediate.int_reports_keyed as other using (unit_id, fiscal_year)
where changed.source_file in (select unnest($files))
"""


def same_report_files(con: duckdb.DuckDBPyConnection, files: list[str]) -> set[str]:
    """The files that report the same unit and year as one of `files` (they included)."""
    try:
        return {row[0] for row in con.execute(SAME_REPORT, {"files": files}).fetchall()} | set(files)
    except duckdb.Error:  # the table is not there yet
        return set(files)  # no models built yet: nothing to add


def files_changed(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The run's changed files as the ingest recorded them, widened to their reports' other files;
    None when everything is to be checked."""
    try:
        names = [row[0] for row in con.sql("select file_name from raw.changed_files").fetchall()]
    except duckdb.Error:  # the table is not there yet
        return None
    if None in names:
        return None
    return same_report_files(con, names)


def _check(suite: quality.Suite) -> dg.AssetChecksDefinition:
    """A suite as an asset check. An error-severity suite blocks what is built from its table,
    except on the ingest's own tables: there it would hold the parse back until GX has loaded
    (seconds, in the worker process), so it runs late (low priority) and, like every error, keeps
    the warehouse from being published (see the publish asset)."""
    on_ingest = suite.asset.startswith("raw.")
    @dg.asset_check(asset=dg.AssetKey(suite.asset.split(".")), name=suite.name, description=suite.description,
                    blocking=suite.severity == "error" and not on_ingest,
                    op_tags={"dagster/priority": "-1"} if on_ingest else None)
    def check(context: dg.AssetCheckExecutionContext, duckdb: WarehouseDB) -> dg.AssetCheckResult:
        with duckdb.get_connection() as con:
            files = quality.files_to_check(con, suite, files_changed(con))
            results = quality.validate(suite, con, files)
            quality.record(con, context.run.run_id, results)
        failed = [r for r in results if not r.passed]
        return dg.AssetCheckResult(
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if suite.severity == "error" else dg.AssetCheckSeverity.WARN,
            metadata={"expectations": len(results), "failed": len(failed),
                      "rows_checked": max((r.rows_checked for r in results), default=0),
                      "scope": "every row" if files is None else f"the rows of {len(files)} changed files",
                      "failures": "\n".join(f"{r.expectation}: {r.unexpected_count} e.g. {r.sample}"
                                            for r in failed)[:4000]})

    return check


def failed_errors(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    """The error-severity expectations that failed in this run."""
    try:
        return [f"{suite}: {expectation}" for suite, expectation in con.execute(
            "select suite, expectation from quality.check_results where run_id = ? and severity = 'error' "
            "and not passed order by 1, 2", [run_id]).fetchall()]
    except duckdb.Error:  # no check has run yet
        return []


def asset_checks() -> list[dg.AssetChecksDefinition]:
    return [_check(suite) for suite in quality.load_suites()]
