-- One row per employment metric of a report: result, target, stated and derived completion rate.
-- materialized: incremental
select
    reports.report_id,
    reports.unit_id,
    reports.fiscal_year,
    metrics.metric_code,
    metrics.actual_value,
    metrics.target_value,
    metrics.completion_rate_pct,
    case
        when metrics.target_value <> 0
            then cast(round(metrics.actual_value / metrics.target_value * 100, 2) as decimal(12, 2))
    end as completion_rate_derived_pct,
    metrics.unit,
    metrics.qualifier,
    metrics.context,
    metrics.source_file,
    metrics.source_line,
    metrics.evidence,
    metrics.target_source_line,
    metrics.target_evidence
from staging.stg_employment_metrics as metrics
inner join intermediate.int_reports_current as reports on reports.source_file = metrics.source_file
