"""The quality suites as Dagster asset checks, scoped on a refresh to the files that changed.

The ingest asset writes `raw.changed_files`: the files added, changed or removed since the
published build with the files that reported the same unit and year as them until then,
or one NULL row when everything must be checked (a full build, the first build, or
changed parser, models or suites). `models.changed_files` adds the files that report the
same unit and year as those now (their rows enter or leave the marts with them), and
`quality.files_to_check` the files that failed the suite last time.
"""

from collections.abc import Iterator

import dagster as dg
import duckdb

from pipelines import models, quality
from pipelines.assets import WarehouseDB


def _result(suite: quality.Suite, results: list[quality.CheckResult], files: set[str] | None) -> dg.AssetCheckResult:
    failed = [r for r in results if not r.passed]
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(suite.asset.split(".")), check_name=suite.name, passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR if suite.severity == "error" else dg.AssetCheckSeverity.WARN,
        metadata={"expectations": len(results), "failed": len(failed),
                  "rows_checked": max((r.rows_checked for r in results), default=0),
                  "scope": "every row" if files is None else f"the rows of {len(files)} changed files",
                  "failures": "\n".join(f"{r.expectation}: {r.unexpected_count} e.g. {r.sample}"
                                        for r in failed)[:4000]})


def _checks(suites: list[quality.Suite]) -> dg.AssetChecksDefinition:
    """The suites of one table as its asset checks, run in one step. An error-severity suite blocks
    what is built from the table, except on the ingest's own tables: there it would hold the parse
    back until GX has loaded (seconds, in the worker process), so it runs late (low priority)
    and, like every error, keeps the warehouse from being published (see the publish asset)."""
    asset = dg.AssetKey(suites[0].asset.split("."))
    on_ingest = suites[0].asset.startswith("raw.")
    specs = [dg.AssetCheckSpec(s.name, asset=asset, description=s.description,
                               blocking=s.severity == "error" and not on_ingest) for s in suites]

    @dg.multi_asset_check(specs=specs, name=f"check_{'_'.join(asset.path)}", can_subset=True,
                          op_tags={"dagster/priority": "-1"} if on_ingest else None)
    def check(context: dg.AssetCheckExecutionContext, duckdb: WarehouseDB) -> Iterator[dg.AssetCheckResult]:
        selected = {key.name for key in context.selected_asset_check_keys}
        with duckdb.get_connection() as con:
            changed = models.changed_files(con)
            for suite in suites:
                if suite.name in selected:
                    files = quality.files_to_check(con, suite, changed)
                    results = quality.validate(suite, con, files)
                    quality.record(con, context.run.run_id, results)
                    yield _result(suite, results, files)

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
    """One step per table: its suites, in name order."""
    by_table: dict[str, list[quality.Suite]] = {}
    for suite in quality.load_suites():
        by_table.setdefault(suite.asset, []).append(suite)
    return [_checks(suites) for _, suites in sorted(by_table.items())]
