-- One row per row of a report's self-evaluation table: each indicator (一级/二级/三级指标) with its target
-- and result as written and as numbers, its weight (分值), score (得分) and whether it was met; also the
-- form's budget execution row (row_kind funds) and its 总分 row (row_kind total).
-- materialized: incremental
select
    reports.report_id,
    reports.unit_id,
    reports.fiscal_year,
    indicators.seq,
    indicators.row_kind,
    indicators.level1,
    indicators.level2,
    indicators.indicator,
    indicators.target_text,
    indicators.actual_text,
    indicators.target_operator,
    indicators.target_value,
    indicators.target_value_high,
    indicators.actual_value,
    indicators.value_unit,
    indicators.weight,
    indicators.score,
    indicators.achieved,
    indicators.deviation_text,
    indicators.metric_code,
    indicators.item_code,
    indicators.source_file,
    indicators.source_line
from staging.stg_performance_indicators as indicators
inner join intermediate.int_reports_current as reports on reports.source_file = indicators.source_file
