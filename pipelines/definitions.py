"""The one Dagster Definitions: load-side assets, one asset per SQL model, quality checks,
the publish step, the nightly schedule and the raw/ sensor.

    dagster dev -m pipelines.definitions
"""

import os
from pathlib import Path

import dagster as dg
from dagster import AssetExecutionContext, SensorEvaluationContext

from pipelines import catalog, checks, config
from pipelines.assets import (
    ALL_SHARDS,
    BuildLock,
    Publisher,
    RawFolder,
    WarehouseDB,
    follow_compaction_plan,
    model_assets,
    parse_shards,
    parsed_reports,
    raw_documents,
    raw_fingerprint,
    staging_path,
    vocabulary_seeds,
)

JOB_NAME = "build_warehouse"


def _publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=["publish", "warehouse"], deps=mart_keys, group_name="publish",
              op_tags={"dagster/priority": "-10"},  # after every check that is ready to run
              description="Moves the freshly built file over the published warehouse (atomic os.replace), "
                          "unless an error-severity check of this run failed.")
    def publish(context: AssetExecutionContext, duckdb: WarehouseDB, publisher: Publisher) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            failed = checks.failed_errors(con, context.run.run_id)
            if failed:
                raise dg.Failure(description="not published: error-severity checks failed: " + "; ".join(failed))
            refusal = publisher.shrink_refusal(con)
            if refusal:
                raise dg.Failure(description="not published: " + refusal)
            follow_compaction_plan(con)
            publisher.record_build(con)
            catalog.write_comments(con, catalog.describe(con))
        publisher.publish()
        return dg.MaterializeResult(metadata={"path": publisher.path})

    return publish


def build_definitions(warehouse: Path | None = None, raw_dir: Path | None = None,
                      full_refresh: bool = False, fingerprint: str = "", in_process: bool = False,
                      allow_shrink: bool = False) -> dg.Definitions:
    """Definitions bound to a warehouse file and a raw folder (defaults: config). `in_process`:
    every step runs in this process (`warehouse build`), so the database stays open between them.
    `allow_shrink`: publish even a build with far fewer reports than the published one."""
    warehouse = warehouse or config.warehouse_path()
    raw_dir = raw_dir or config.raw_dir()
    model_defs = model_assets()
    mart_keys = [key for a in model_defs for key in a.keys if key.path[0] == "marts"]
    assets = [raw_documents, vocabulary_seeds, parse_shards, parsed_reports, *model_defs, _publish_asset(mart_keys)]
    # Off unless turned on (WAREHOUSE_AUTOMATION=on, or the toggle in the UI): a bare `dagster dev`
    # must not start a build by itself
    automation_on = config.automation_on()
    job = dg.define_asset_job(JOB_NAME, selection=dg.AssetSelection.all(),
                              description="Ingest raw/, parse, run the SQL models, check, publish.")

    @dg.schedule(name="nightly_build", job=job, cron_schedule=os.environ.get("WAREHOUSE_CRON", "0 2 * * *"),
                 execution_timezone=os.environ.get("WAREHOUSE_TIMEZONE", "Asia/Shanghai"),
                 default_status=dg.DefaultScheduleStatus.RUNNING if automation_on else dg.DefaultScheduleStatus.STOPPED,
                 description="Rebuilds the warehouse every night, every parse partition in one run.")
    def schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        return dg.RunRequest(tags=ALL_SHARDS)

    @dg.sensor(job=job, minimum_interval_seconds=60,
               default_status=dg.DefaultSensorStatus.RUNNING if automation_on else dg.DefaultSensorStatus.STOPPED,
               description="Starts a build when a file in raw/ is added, changed or removed.")
    def raw_folder_sensor(context: SensorEvaluationContext):
        fingerprint = raw_fingerprint(raw_dir)
        if fingerprint != context.cursor:
            context.update_cursor(fingerprint)
            yield dg.RunRequest(tags=ALL_SHARDS)  # no run_key: a folder back in an earlier state still runs

    # One process runs a whole build, its steps one after the other, so every check has reported
    # before the publish step, which reads their results (the parse spreads over the cores inside
    # its own step, and over machines as runs of its partitions).
    return dg.Definitions(
        assets=assets,
        asset_checks=checks.asset_checks({".".join(key.path): a.node_def.name for a in assets for key in a.keys},
                                         model_defs[0].node_def.name),
        executor=dg.in_process_executor,
        jobs=[job],
        schedules=[schedule],
        sensors=[raw_folder_sensor],
        resources={
            "duckdb": WarehouseDB(database=staging_path(str(warehouse)), keep_open=in_process,
                                  connection_config={"memory_limit": config.build_memory()}),
            "raw_folder": RawFolder(path=str(raw_dir)),
            "build_lock": BuildLock(path=f"{warehouse}.lock"),
            "publisher": Publisher(path=str(warehouse), full_refresh=full_refresh, fingerprint=fingerprint,
                                   allow_shrink=allow_shrink, in_process=in_process),
        },
    )


defs = build_definitions()
