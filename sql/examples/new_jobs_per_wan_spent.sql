-- New urban jobs per 万元 of total expenditure, ranked within each province and year.
-- One row per unit × fiscal year that reports both figures.
with jobs as (
    select report_id, actual_value as urban_new_jobs
    from marts.fct_employment_metrics
    where metric_code = 'urban_new_jobs'
),

spending as (
    select report_id, amount_wan as expenditure_wan
    from marts.fct_budget
    where item_code = 'expenditure_total' and basis = 'actual' and org is null
)

select
    u.province,
    u.unit_name,
    r.fiscal_year,
    jobs.urban_new_jobs,
    spending.expenditure_wan,
    round(jobs.urban_new_jobs / spending.expenditure_wan, 2) as jobs_per_wan,
    rank() over (partition by u.province, r.fiscal_year order by jobs.urban_new_jobs / spending.expenditure_wan desc)
        as rank_in_province
from marts.fct_reports as r
inner join marts.dim_unit as u on u.unit_id = r.unit_id
inner join jobs on jobs.report_id = r.report_id
inner join spending on spending.report_id = r.report_id
where spending.expenditure_wan > 0
order by u.province, r.fiscal_year, rank_in_province
