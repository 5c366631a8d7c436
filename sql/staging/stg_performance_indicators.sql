-- One row per row of a report's self-evaluation indicator table.
select
    source_file,
    seq,
    nullif(regexp_replace(level1, '\s+', '', 'g'), '') as level1,
    nullif(regexp_replace(level2, '\s+', '', 'g'), '') as level2,
    indicator,
    target_text,
    actual_text,
    source_line,
    line_end
from raw.performance_indicators
