"""`warehouse` command line: build, watch, check, query, lineage, compile, docs."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipelines import config

SUMMARY_TABLES = ["raw.documents", "raw.quarantine", "raw.report_fields", "raw.budget_facts",
                  "raw.employment_metrics", "raw.performance_indicators", "raw.parse_issues",
                  "marts.dim_unit", "marts.fct_reports", "marts.fct_budget", "marts.fct_employment_metrics",
                  "marts.fct_performance_indicators"]


def _warehouse_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="DuckDB file (default: $WAREHOUSE_PATH or warehouse/warehouse.duckdb)")


def cmd_build(args: argparse.Namespace) -> int:
    """One build at a time per warehouse: a second one (a manual build during the nightly run) exits 4."""
    from pipelines import processes

    warehouse = (args.warehouse or config.warehouse_path()).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with processes.build_lock(warehouse) as held:
        if not held:
            print(f"warehouse build: another build of {warehouse} is running; this one did not start",
                  file=sys.stderr)
            return 4
        return _build(args, warehouse)


def _build(args: argparse.Namespace, warehouse: Path) -> int:
    from pipelines import quality

    # Great Expectations' import (seconds) runs on another core while the load goes on. The worker is left
    # running: `warehouse build` ends its process, and the worker dies with it; a process that builds again
    # (a test session) finds GX imported already.
    quality.start_worker()
    return _run_build(args, warehouse)


@contextmanager
def _frozen_start_up() -> Iterator[None]:
    """Imports Dagster and the pipeline without the cyclic garbage collector, and freezes what they
    made for the length of the build (collections then skip it): the import makes about a million
    long-lived objects, and collecting them over and over cost 0.4 s of a 3 s refresh."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        import dagster  # noqa: F401

        import pipelines.definitions  # noqa: F401
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()


def _run_build(args: argparse.Namespace, warehouse: Path) -> int:
    with _frozen_start_up():
        return _execute_build(args, warehouse)


def _execute_build(args: argparse.Namespace, warehouse: Path, instance: Any = None) -> int:
    """One build, in `instance` (a Dagster instance kept by `warehouse watch`, whose runs are deleted
    once reported) or in an ephemeral one of its own."""
    import dagster as dg
    import duckdb

    from pipelines.assets import ALL_SHARDS, fingerprint, published_bytes_unchanged, published_fingerprint, release_all
    from pipelines.definitions import JOB_NAME, build_definitions
    raw_dir = (args.raw or config.raw_dir()).resolve()
    if not raw_dir.is_dir():
        print(f"warehouse build: the raw folder {raw_dir} does not exist or is not a folder; "
              "nothing was built (use --raw or WAREHOUSE_RAW_DIR)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    current = fingerprint(raw_dir)
    if (not args.full and published_fingerprint(warehouse) == current
            and published_bytes_unchanged(warehouse, raw_dir)):
        print(f"warehouse build: nothing changed since the last build of {warehouse} "
              f"({time.perf_counter() - started:.2f} s)")
        return 0
    defs = build_definitions(warehouse, raw_dir, full_refresh=args.full, fingerprint=current, in_process=True,
                             allow_shrink=args.allow_shrink)
    job = defs.resolve_job_def(JOB_NAME)
    log_level = os.environ.get("WAREHOUSE_LOG_LEVEL", "CRITICAL")  # the summary below says what failed
    own_instance = instance is None
    instance = instance or dg.DagsterInstance.ephemeral()
    try:
        result = job.execute_in_process(instance=instance, raise_on_error=False, tags=ALL_SHARDS,
                                        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}})
    finally:
        release_all()
    seconds = time.perf_counter() - started
    stages = _stage_seconds(instance, result.run_id, defs.assets or [])
    if own_instance:
        instance.dispose()  # its temporary folder
    else:
        instance.delete_run(result.run_id)  # a watch's instance keeps no run's events
    checks = {"passed": 0, "warned": 0, "failed": 0}
    failures = []
    for ev in result.get_asset_check_evaluations():
        if ev.passed:
            checks["passed"] += 1
        elif ev.severity == dg.AssetCheckSeverity.WARN:
            checks["warned"] += 1
        else:
            checks["failed"] += 1
            detail = ev.metadata.get("failures")
            detail = str(detail.value).replace("\n", "; ")[:400] if detail is not None else ""
            failures.append(f"{ev.asset_key.to_user_string()}: {ev.check_name}: {detail}")
    published = result.success and not failures
    quarantined = 0
    print(f"warehouse build: {'published' if published else 'NOT published'} {warehouse}")
    print(f"  raw folder: {raw_dir}")
    if warehouse.exists():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            files = con.sql("select count(*) from raw.documents").fetchall()[0][0]
            quarantined = con.sql("select count(*) from raw.quarantine").fetchall()[0][0]
            print(f"  files read: {files}, quarantined: {quarantined}")
            for table in SUMMARY_TABLES:
                try:
                    n = con.sql(f"select count(*) from {table}").fetchall()[0][0]
                except duckdb.Error:
                    n = "-"
                print(f"  {table:<40} {n:>8}")
        finally:
            con.close()
    print(f"  checks: {checks['passed']} passed, {checks['warned']} warned, {checks['failed']} failed")
    print("  stages: " + ", ".join(f"{stage} {secs:.1f} s" for stage, secs in stages.items()))
    for failure in failures:
        print(f"    blocking failure: {failure}")
    for step in result.get_step_failure_events():
        print(f"    step failed: {step.step_key}: {step.event_specific_data.error.message.strip()[:300]}")
    print(f"  seconds: {seconds:.1f}")
    if not published:
        return 1
    return 3 if args.strict and quarantined else 0


STAGES = {"raw/documents": "ingest", "parse/shards": "parse", "publish/warehouse": "publish"}


def _stage_seconds(instance, run_id: str, assets: list) -> dict[str, float]:  # noqa: ANN001 - Dagster objects
    """Seconds per stage of the run (ingest, parse, load, models, checks, publish), from its step events;
    a step that materialises no asset is a check."""
    stage_of_step = {}
    for asset in assets:
        paths = sorted(key.to_user_string() for key in asset.keys)
        named = [STAGES[p] for p in paths if p in STAGES]
        stage_of_step[asset.node_def.name] = named[0] if named else "load" if paths[0].startswith("raw/") else "models"
    totals = {name: 0.0 for name in ("ingest", "parse", "load", "models", "checks", "publish")}
    started: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            stage = stage_of_step.get(event.step_key, "checks")
            totals[stage] += entry.timestamp - started[event.step_key]
    return totals


def cmd_watch(args: argparse.Namespace) -> int:
    """Refresh the warehouse whenever raw/ changes, in one process that stays up (see pipelines.watch).
    Exits 5 when the pipeline's code changes under it: the process runs the code it started with."""
    from pipelines import processes, quality, watch

    warehouse = (args.warehouse or config.warehouse_path()).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    raw_dir = (args.raw or config.raw_dir()).resolve()
    if not raw_dir.is_dir():
        print(f"warehouse watch: the raw folder {raw_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    quality.start_worker()
    code_changed = False
    with _frozen_start_up():
        import dagster as dg

        from pipelines.assets import code_fingerprint, prepare_staging, prepared_staging_fits
        instance = dg.DagsterInstance.ephemeral()
        started_with = code_fingerprint()

        def refresh() -> bool | None:
            nonlocal code_changed
            if code_fingerprint() != started_with:
                code_changed = True
                print("warehouse watch: the pipeline's code changed since the watch started; restart it",
                      file=sys.stderr)
                return None
            with processes.build_lock(warehouse) as held:
                if held:
                    _execute_build(args, warehouse, instance)
                return held

        def between_refreshes() -> None:
            with processes.build_lock(warehouse) as held:
                if held and not prepared_staging_fits(warehouse):  # (a refresh that changed nothing leaves it)
                    prepare_staging(warehouse)

        print(f"warehouse watch: {raw_dir} -> {warehouse} (Ctrl-C or SIGTERM stops it)", flush=True)
        try:
            watch.watch(raw_dir, refresh, settle=args.settle, report=lambda line: print(line, flush=True),
                        idle=between_refreshes)
        finally:
            instance.dispose()
    return 5 if code_changed else 0


def cmd_check(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines import quality

    warehouse = args.warehouse or config.warehouse_path()
    con = duckdb.connect(str(warehouse), read_only=True)  # a reader like any other: never blocks a query
    try:
        results = quality.run_checks(con, record_results=False)
    finally:
        con.close()
    docs = quality.write_data_docs(Path(warehouse).parent / "docs", results)
    print(quality.format_report(results))
    print(f"data docs: {docs}")
    return 1 if any(not r.passed and r.severity == "error" for r in results) else 0


def cmd_lineage(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines import catalog

    con = duckdb.connect(str(args.warehouse or config.warehouse_path()), read_only=True)
    try:
        for line in catalog.lineage_chain(args.column, con):
            print(line)
    finally:
        con.close()
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    from pipelines import models

    written = models.compile_models(args.dialect, args.out)
    print(f"{len(written)} models compiled to {args.dialect} in {args.out}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines import catalog

    warehouse = args.warehouse or config.warehouse_path()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        index = catalog.write_docs(con, args.out or Path(warehouse).parent / "docs")
    finally:
        con.close()
    print(f"catalog: {index}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines import serve

    sql = args.file.read_text(encoding="utf-8") if args.file else args.sql
    if not sql:
        print("warehouse query: give SQL or --file", file=sys.stderr)
        return 2
    try:
        output = serve.query(sql, args.warehouse or config.warehouse_path(), args.format)
    except serve.ReadOnlyError as err:
        print(f"warehouse query: refused: {err}", file=sys.stderr)
        return 2
    except duckdb.Error as err:
        print(f"warehouse query: {type(err).__name__}: {err}", file=sys.stderr)
        return 2
    print(output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines import serve

    written = serve.export(args.warehouse or config.warehouse_path(), args.out, args.format)
    print(f"{len(written)} files written to {args.out}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from pipelines import dashboard

    out = dashboard.write_dashboard(args.warehouse or config.warehouse_path(), args.out)
    print(f"dashboard: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="warehouse", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="ingest raw/, parse, run models and checks, publish")
    _warehouse_arg(p)
    p.add_argument("--raw", type=Path, default=None, help="folder of reports (default raw/)")
    p.add_argument("--full", action="store_true", help="rebuild from scratch instead of refreshing")
    p.add_argument("--strict", action="store_true", help="exit 3 when any file was quarantined")
    p.add_argument("--allow-shrink", action="store_true",
                   help="publish even when the build has far fewer reports than the published warehouse")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("watch", help="stay up and refresh the warehouse whenever raw/ changes")
    _warehouse_arg(p)
    p.add_argument("--raw", type=Path, default=None, help="folder of reports (default raw/)")
    p.add_argument("--settle", type=float, default=0.1,
                   help="seconds raw/ must be quiet before a refresh starts (default 0.1)")
    p.add_argument("--allow-shrink", action="store_true",
                   help="publish even when a refresh has far fewer reports than the published warehouse")
    p.set_defaults(func=cmd_watch, full=False, strict=False)

    p = sub.add_parser("check", help="run the expectation suites on the warehouse")
    _warehouse_arg(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("query", help="read-only SQL on the warehouse")
    _warehouse_arg(p)
    p.add_argument("sql", nargs="?")
    p.add_argument("--file", type=Path)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("lineage", help="upstream columns of schema.table.column")
    _warehouse_arg(p)
    p.add_argument("column")
    p.set_defaults(func=cmd_lineage)

    p = sub.add_parser("compile", help="transpile every model to another SQL dialect")
    p.add_argument("--dialect", choices=["postgres", "trino", "spark"], required=True)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("docs", help="write the browsable catalog")
    _warehouse_arg(p)
    p.add_argument("--out", type=Path, default=None)
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("export", help="every mart for BI tools: parquet, csv or a Frictionless Data Package")
    _warehouse_arg(p)
    p.add_argument("--format", choices=["parquet", "csv", "datapackage"], default="parquet")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("dashboard", help="one offline HTML page of charts")
    _warehouse_arg(p)
    p.add_argument("--out", type=Path, default=Path("warehouse/dashboard.html"))
    p.set_defaults(func=cmd_dashboard)

    args = parser.parse_args(argv)
    os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
    return args.func(args)


def run() -> None:
    """The `warehouse` command. Ends with os._exit once everything is flushed and closed: the
    interpreter's own teardown would spend most of a second freeing Dagster's and jionlp's objects."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()

