-- One row per report and indicator group: the whole table (grouping 'report'), each 一级指标 ('level1') and each
-- 一级 × 二级指标 ('level2'): how many indicators it states, how many with figures, how many were met or not
-- (achieved), the share met among those decided, and the weights (分值) and scores (得分) stated.
-- materialized: incremental (a report's rows come from its own indicators alone)
with indicators as (
    select *
    from marts.fct_performance_indicators
    where row_kind = 'indicator'
),

grouped as (
    select
        report_id,
        source_file,
        unit_id,
        fiscal_year,
        level1,
        level2,
        case
            when grouping(level1) = 1 then 'report'
            when grouping(level2) = 1 then 'level1'
            else 'level2'
        end as grouping_level,
        count(*) as indicators_stated,
        count(*) filter (where target_value is not null) as indicators_with_figures,
        count(*) filter (where achieved) as indicators_met,
        count(*) filter (where not achieved) as indicators_not_met,
        count(*) filter (where achieved is null) as indicators_undecided,
        sum(weight) as weight_total,
        sum(score) as score_total
    from indicators
    group by grouping sets (
        (report_id, source_file, unit_id, fiscal_year),
        (report_id, source_file, unit_id, fiscal_year, level1),
        (report_id, source_file, unit_id, fiscal_year, level1, level2)
    )
)

select
    report_id,
    unit_id,
    fiscal_year,
    grouping_level,
    level1,
    level2,
    indicators_stated,
    indicators_with_figures,
    indicators_met,
    indicators_not_met,
    indicators_undecided,
    round(100.0 * indicators_met / nullif(indicators_met + indicators_not_met, 0), 1) as share_met_pct,
    weight_total,
    score_total,
    source_file
from grouped
