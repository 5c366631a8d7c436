"""Data quality: Great Expectations suites (expectations/*.json) run as Dagster asset checks.

GX's SQL datasource does not run on DuckDB, so each suite names a query (its `meta.query`);
the query's result - with any cross-row arithmetic already computed in SQL - is validated
as a pandas DataFrame. `meta.severity` is `error` (a blocking check: what depends on the
asset is not built, and the warehouse is not published) or `warning` (recorded, shown, the
load goes on). Every run appends its results to `quality.check_results`.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines import config

RESULTS_DDL = """
create table if not exists quality.check_results (
    run_id varchar, suite varchar, expectation varchar, table_name varchar, severity varchar,
    passed boolean, unexpected_count bigint, sample varchar, checked_at timestamp)
"""


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str  # schema.table the suite guards
    severity: str  # error / warning
    query: str
    keys: tuple[str, ...]
    description: str
    expectations: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class CheckResult:
    suite: str
    expectation: str
    table_name: str
    severity: str
    passed: bool
    unexpected_count: int
    sample: str


def load_suites(folder: Path | None = None) -> list[Suite]:
    suites = []
    for path in sorted((folder or config.expectations_dir()).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = data["meta"]
        suites.append(Suite(data["name"], meta["asset"], meta["severity"], meta["query"], tuple(meta["keys"]),
                            meta.get("description", ""), tuple(data["expectations"])))
    return suites


_GX_IMPORT = threading.Lock()  # one thread imports GX; a check that needs it meanwhile waits for that import


@cache
def _gx() -> Any:
    with _GX_IMPORT:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx

        return gx


@cache
def warm_up() -> threading.Thread:
    """Import Great Expectations (seconds of Python) on a thread while the load does its I/O and
    DuckDB work, so the first check does not wait for it. Once per process: the CLI and the
    ingest asset both ask for it."""
    thread = threading.Thread(target=_gx, name="gx-import", daemon=True)
    thread.start()
    return thread


def _vocab(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.sql(f"select code from raw.{table}").fetchall()]


def _resolve(kwargs: dict[str, Any], con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """'$vocab:vocab_metrics' -> the codes of raw.vocab_metrics."""
    out = dict(kwargs)
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("$vocab:"):
            out[key] = _vocab(con, value.split(":", 1)[1])
    return out


def _label(expectation: dict[str, Any]) -> str:
    kwargs = expectation["kwargs"]
    target = kwargs.get("column") or kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")]
    return f"{expectation['type']}({target if isinstance(target, str) else ', '.join(map(str, target))})"


def validate(suite: Suite, con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    """Run one suite on the DataFrame its query returns."""
    gx = _gx()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    try:
        frame = con.sql(suite.query).df()
    except duckdb.Error as err:
        return [CheckResult(suite.name, "query", suite.asset, suite.severity, False, 0, str(err)[:500])]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (context.data_sources.add_pandas("warehouse").add_dataframe_asset(suite.name)
             .add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame}))
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for seq, expectation in enumerate(suite.expectations):
        config_ = ExpectationConfiguration(type=expectation["type"], kwargs=_resolve(expectation["kwargs"], con),
                                           meta={"seq": seq})
        gx_suite.add_expectation(config_.to_domain_obj())
    outcome = batch.validate(gx_suite, result_format="COMPLETE")
    # GX returns results grouped by column, not in the suite's order: pair them up by the seq put in meta
    by_seq = {res.expectation_config.meta["seq"]: res for res in outcome.results}
    results = []
    for seq, expectation in enumerate(suite.expectations):
        res = by_seq[seq]
        detail = res.result or {}
        rows = detail.get("unexpected_index_list") or ([] if res.success else list(range(min(5, len(frame)))))
        keys = [k for k in suite.keys if k in frame.columns]
        column = expectation["kwargs"].get("column")
        sample = [{**{k: _plain(frame.iloc[i][k]) for k in keys},
                   **({column: _plain(frame.iloc[i][column])} if column in frame.columns else {})}
                  for i in rows[:5] if isinstance(i, int)]
        count = detail.get("unexpected_count") or (0 if res.success else 1)
        results.append(CheckResult(suite.name, _label(expectation), suite.asset, suite.severity, bool(res.success),
                                   int(count), json.dumps(sample, ensure_ascii=False, default=str)))
    return results


def _plain(value: Any) -> Any:
    return None if value is None or value != value else value  # NaN -> None


def record(con: duckdb.DuckDBPyConnection, run_id: str, results: list[CheckResult]) -> None:
    con.execute("create schema if not exists quality")
    con.execute(RESULTS_DDL)
    now = datetime.now()
    if results:
        con.executemany("insert into quality.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [[run_id, r.suite, r.expectation, r.table_name, r.severity, r.passed, r.unexpected_count,
                          r.sample, now] for r in results])


def run_checks(con: duckdb.DuckDBPyConnection, run_id: str | None = None, folder: Path | None = None,
               record_results: bool = True) -> list[CheckResult]:
    """Every suite on the warehouse behind `con`; results are appended to quality.check_results
    unless `record_results` is false (a read-only connection)."""
    results = [r for suite in load_suites(folder) for r in validate(suite, con)]
    if record_results:
        record(con, run_id or uuid.uuid4().hex[:12], results)
    return results


def format_report(results: list[CheckResult]) -> str:
    lines = []
    for suite in sorted({r.suite for r in results}):
        mine = [r for r in results if r.suite == suite]
        failed = [r for r in mine if not r.passed]
        status = "ok" if not failed else ("FAILED" if mine[0].severity == "error" else "warning")
        lines.append(f"{suite:<24} {mine[0].table_name:<32} {mine[0].severity:<8} "
                     f"{len(mine) - len(failed)}/{len(mine)} passed  {status}")
        for r in failed:
            lines.append(f"    {r.expectation}: {r.unexpected_count} unexpected, e.g. {r.sample}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} expectations passed; "
                 f"{sum(not r.passed and r.severity == 'error' for r in results)} errors, "
                 f"{sum(not r.passed and r.severity == 'warning' for r in results)} warnings")
    return "\n".join(lines)


def write_data_docs(out_dir: Path, results: list[CheckResult]) -> Path:
    """A small offline HTML page of a check run (GX's own Data Docs pull styles from CDNs)."""
    import html

    rows = sorted(results, key=lambda r: (r.suite, r.expectation))
    body = "".join(f"<tr class='{'ok' if r.passed else r.severity}'>" + "".join(
        f"<td>{html.escape(str(v))}</td>" for v in (r.suite, r.expectation, r.table_name, r.severity, r.passed,
                                                    r.unexpected_count, r.sample)) + "</tr>" for r in rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "quality.html"
    page.write_text("<!doctype html><meta charset='utf-8'><title>Data quality</title><style>td{border:1px solid "
                    "#ccc;padding:2px 6px}.error{background:#f8d0d0}.warning{background:#fdf1c7}</style>"
                    "<h1>Data quality</h1><table><tr><th>suite</th><th>expectation</th><th>table</th>"
                    f"<th>severity</th><th>passed</th><th>unexpected</th><th>sample</th></tr>{body}</table>",
                    encoding="utf-8")
    return page


def _check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(suite.asset.split(".")), name=suite.name, description=suite.description,
                    blocking=suite.severity == "error")
    def check(context, duckdb: DuckDBResource) -> dg.AssetCheckResult:  # noqa: ANN001 - Dagster's context
        with duckdb.get_connection() as con:
            results = validate(suite, con)
            record(con, context.run.run_id, results)
        failed = [r for r in results if not r.passed]
        return dg.AssetCheckResult(
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if suite.severity == "error" else dg.AssetCheckSeverity.WARN,
            metadata={"expectations": len(results), "failed": len(failed),
                      "failures": "\n".join(f"{r.expectation}: {r.unexpected_count} e.g. {r.sample}"
                                            for r in failed)[:4000]})

    return check


def asset_checks() -> list[dg.AssetChecksDefinition]:
    return [_check(suite) for suite in load_suites()]
