-- “三公” spending by unit and year, actual against budget, with the change on the unit's previous report.
-- One row per unit × fiscal year with a 三公 figure.
with three_public as (
    select
        report_id,
        max(amount_wan) filter (where basis = 'actual') as actual_wan,
        max(amount_wan) filter (where basis = 'budget') as budget_wan
    from marts.fct_budget
    where item_code = 'three_public_total' and org is null
    group by report_id
)

select
    u.unit_name,
    u.admin_level,
    r.fiscal_year,
    three_public.actual_wan,
    three_public.budget_wan,
    round(100 * three_public.actual_wan / nullif(three_public.budget_wan, 0), 1) as used_of_budget_pct,
    three_public.actual_wan
        - lag(three_public.actual_wan) over (partition by r.unit_id order by r.fiscal_year) as change_wan
from marts.fct_reports as r
inner join marts.dim_unit as u on u.unit_id = r.unit_id
inner join three_public on three_public.report_id = r.report_id
order by u.unit_name, r.fiscal_year
