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


def _checks(step: str, suites: list[quality.Suite]) -> dg.AssetChecksDefinition:
    """The suites of the tables one step builds as their asset checks, run in one step. An error-severity
    suite blocks what is built from its table, except on the ingest's own tables: there it would
    hold the parse back until GX has loaded (seconds, in the worker process), so those are
    checked with the first models instead and, like every error, keep the warehouse from being
    published (see the publish asset)."""
    specs = [dg.AssetCheckSpec(s.name, asset=dg.AssetKey(s.asset.split(".")), description=s.description,
                               blocking=s.severity == "error" and not s.asset.startswith("raw."))
             for s in suites]

    @dg.multi_asset_check(specs=specs, name=f"check_{step}", can_subset=True)
    def check(context: dg.AssetCheckExecutionContext, duckdb: WarehouseDB) -> Iterator[dg.AssetCheckResult]:
        selected = {(key.asset_key.to_user_string(), key.name) for key in context.selected_asset_check_keys}
        chosen = [suite for suite in suites if (suite.asset.replace(".", "/"), suite.name) in selected]
        with duckdb.get_connection() as con:
            changed = models.changed_files(con)
            scopes = [quality.files_to_check(con, suite, changed) for suite in chosen]
            found = quality.validate_many(con, list(zip(chosen, scopes, strict=True)))
            quality.record(con, context.run.run_id, [r for results in found for r in results])
        for suite, results, files in zip(chosen, found, scopes, strict=True):
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


def asset_checks(step_of: dict[str, str], first_models_step: str) -> list[dg.AssetChecksDefinition]:
    """One step for the suites of the tables each step builds (`step_of`: schema.table -> the step's
    name): the checks wait for all those tables anyway, and every Dagster step costs tens of ms.
    The ingest's tables are checked in `first_models_step`'s checks, once GX has loaded."""
    by_step: dict[str, list[quality.Suite]] = {}
    for suite in sorted(quality.load_suites(), key=lambda s: (s.asset, s.name)):
        step = first_models_step if suite.asset.startswith("raw.") else step_of[suite.asset]
        by_step.setdefault(step, []).append(suite)
    return [_checks(step, suites) for step, suites in sorted(by_step.items())]
