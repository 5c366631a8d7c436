"""The quality suites as Dagster asset checks, scoped on a refresh to the files that changed.

The ingest asset writes `raw.changed_files`: the files added, changed or removed since the
published build, or one NULL row when everything must be checked (a full build, the first
build, or changed parser, models or suites). A check adds the files that report the same
unit and year as a changed one (`models.changed_files`: their rows enter or leave the
marts with it) and, in `quality.files_to_check`, the files that failed the suite last time.
"""

import dagster as dg
import duckdb

from pipelines import models, quality
from pipelines.assets import WarehouseDB


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
            files = quality.files_to_check(con, suite, models.changed_files(con))
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
