-- One row per unit × fiscal year: the figures users compare across counties and years. A total
-- expenditure the report does not state is the sum of its basic and project parts when it states
-- both (flagged *_derived); counts of people are whole numbers.
-- materialized: table
with stated_budget as (
    select
        report_id,
        max(amount_wan) filter (where item_code = 'income_total' and basis = 'actual') as income_total_actual,
        max(amount_wan) filter (where item_code = 'expenditure_total' and basis = 'actual')
            as stated_total_actual,
        max(amount_wan) filter (where item_code = 'expenditure_total' and basis = 'budget')
            as stated_total_budget,
        max(amount_wan) filter (where item_code = 'expenditure_basic' and basis = 'budget')
            as expenditure_basic_budget,
        max(amount_wan) filter (where item_code = 'expenditure_project' and basis = 'budget')
            as expenditure_project_budget,
        max(amount_wan) filter (where item_code = 'expenditure_basic' and basis = 'actual')
            as expenditure_basic_actual,
        max(amount_wan) filter (where item_code = 'expenditure_project' and basis = 'actual')
            as expenditure_project_actual,
        max(amount_wan) filter (where item_code = 'three_public_total' and basis = 'actual') as three_public_actual,
        max(amount_wan) filter (where item_code = 'three_public_total' and basis = 'budget') as three_public_budget
    from marts.fct_budget
    where org is null
    group by report_id
),

unit_budget as (
    select
        report_id,
        income_total_actual,
        coalesce(stated_total_actual, expenditure_basic_actual + expenditure_project_actual)
            as expenditure_total_actual,
        stated_total_actual is null and expenditure_basic_actual is not null
            and expenditure_project_actual is not null as expenditure_total_actual_derived,
        coalesce(stated_total_budget, expenditure_basic_budget + expenditure_project_budget)
            as expenditure_total_budget,
        stated_total_budget is null and expenditure_basic_budget is not null
            and expenditure_project_budget is not null as expenditure_total_budget_derived,
        expenditure_basic_actual,
        expenditure_project_actual,
        three_public_actual,
        three_public_budget
    from stated_budget
),

key_metrics as (
    select
        report_id,
        cast(max(actual_value) filter (where metric_code = 'urban_new_jobs') as bigint) as urban_new_jobs,
        cast(max(actual_value) filter (where metric_code = 'vocational_training') as bigint) as vocational_training,
        max(actual_value) filter (where metric_code = 'guaranteed_loans_issued') as guaranteed_loans_wan,
        max(actual_value) filter (where metric_code = 'registered_unemployment_rate')
            as registered_unemployment_rate
    from marts.fct_employment_metrics
    group by report_id
),

joined as (
    select
        reports.report_id,
        reports.unit_id,
        units.unit_name,
        units.admin_level,
        units.province,
        units.prefecture,
        units.county,
        reports.fiscal_year,
        reports.actual_headcount,
        reports.self_score,
        reports.grade,
        unit_budget.income_total_actual,
        unit_budget.expenditure_total_actual,
        coalesce(unit_budget.expenditure_total_actual_derived, false) as expenditure_total_actual_derived,
        unit_budget.expenditure_total_budget,
        coalesce(unit_budget.expenditure_total_budget_derived, false) as expenditure_total_budget_derived,
        unit_budget.expenditure_basic_actual,
        unit_budget.expenditure_project_actual,
        unit_budget.three_public_actual,
        unit_budget.three_public_budget,
        key_metrics.* exclude (report_id)
    from marts.fct_reports as reports
    inner join marts.dim_unit as units on units.unit_id = reports.unit_id
    left join unit_budget on unit_budget.report_id = reports.report_id
    left join key_metrics on key_metrics.report_id = reports.report_id
)

select
    *,
    cast(round(100 * expenditure_total_actual / nullif(expenditure_total_budget, 0), 2) as decimal(10, 2))
        as budget_execution_pct,
    cast(round(100 * three_public_actual / nullif(expenditure_total_actual, 0), 3) as decimal(10, 3))
        as three_public_share_pct,
    three_public_actual
        - lag(three_public_actual) over (partition by unit_id order by fiscal_year) as three_public_change_wan,
    cast(round(expenditure_total_actual / nullif(actual_headcount, 0), 2) as decimal(18, 2))
        as expenditure_per_staff_wan,
    urban_new_jobs - lag(urban_new_jobs) over (partition by unit_id order by fiscal_year)
        as urban_new_jobs_change,
    vocational_training - lag(vocational_training) over (partition by unit_id order by fiscal_year)
        as vocational_training_change,
    rank() over (partition by province, fiscal_year order by expenditure_total_actual desc nulls last)
        as expenditure_rank_in_province,
    rank() over (partition by admin_level, fiscal_year order by expenditure_total_actual desc nulls last)
        as expenditure_rank_in_level,
    rank() over (partition by province, fiscal_year order by urban_new_jobs desc nulls last)
        as urban_new_jobs_rank_in_province
from joined
