-- One row per employment metric of a report file: the statement the parser kept.
select
    source_file,
    metric_code,
    cast(actual_value as decimal(24, 6)) as actual_value,
    cast(target_value as decimal(24, 6)) as target_value,
    cast(completion_rate_pct as decimal(12, 4)) as completion_rate_pct,
    unit,
    qualifier,
    context,
    source_line,
    line_end,
    span_start,
    span_end,
    evidence,
    target_source_line,
    target_evidence
from raw.employment_metrics
where is_selected
