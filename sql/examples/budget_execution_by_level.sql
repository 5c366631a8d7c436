-- Budget execution (actual ÷ full-year budget of total expenditure) by admin level and year.
-- One row per admin level × fiscal year.
with totals as (
    select
        report_id,
        max(amount_wan) filter (where basis = 'actual') as actual_wan,
        max(amount_wan) filter (where basis = 'budget') as budget_wan
    from marts.fct_budget
    where item_code = 'expenditure_total' and org is null
    group by report_id
)

select
    u.admin_level,
    r.fiscal_year,
    count(*) as reports,
    sum(totals.actual_wan) as actual_wan,
    sum(totals.budget_wan) as budget_wan,
    round(100 * sum(totals.actual_wan) / sum(totals.budget_wan), 1) as execution_pct
from marts.fct_reports as r
inner join marts.dim_unit as u on u.unit_id = r.unit_id
inner join totals on totals.report_id = r.report_id
where totals.actual_wan is not null and totals.budget_wan > 0
group by u.admin_level, r.fiscal_year
order by u.admin_level, r.fiscal_year
