-- One row per row of a report's self-evaluation indicator table (its 总分 and budget execution rows too).
select
    source_file,
    seq,
    nullif(regexp_replace(level1, '\s+', '', 'g'), '') as level1,
    nullif(regexp_replace(level2, '\s+', '', 'g'), '') as level2,
    indicator,
    target_text,
    actual_text,
    row_kind,
    target_operator,
    cast(target_value as decimal(20, 6)) as target_value,
    cast(target_value_high as decimal(20, 6)) as target_value_high,
    cast(actual_value as decimal(20, 6)) as actual_value,
    value_unit,
    achieved,
    cast(weight as decimal(8, 2)) as weight,
    cast(score as decimal(8, 2)) as score,
    deviation_text,
    metric_code,
    item_code,
    source_line,
    line_end
from raw.performance_indicators
