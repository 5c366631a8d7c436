-- One row per indicator row of a report's self-evaluation table (一级/二级指标, target, result as written).
-- materialized: incremental
select
    reports.report_id,
    reports.unit_id,
    reports.fiscal_year,
    indicators.seq,
    indicators.level1,
    indicators.level2,
    indicators.indicator,
    indicators.target_text,
    indicators.actual_text,
    indicators.source_file,
    indicators.source_line
from staging.stg_performance_indicators as indicators
inner join intermediate.int_reports_current as reports on reports.source_file = indicators.source_file
