-- Units ranked by the share of their output targets met, within each administrative level and fiscal
-- year (counties against counties): only tables that decide at least one indicator.
select
    units.admin_level,
    units.province,
    units.prefecture,
    units.county,
    units.unit_name,
    attainment.fiscal_year,
    attainment.indicators_met,
    attainment.indicators_not_met,
    attainment.share_met_pct,
    rank() over (
        partition by units.admin_level, attainment.fiscal_year order by attainment.share_met_pct desc
    ) as rank_in_level
from marts.fct_indicator_attainment as attainment
inner join marts.dim_unit as units on units.unit_id = attainment.unit_id
where attainment.grouping_level = 'report'
    and attainment.indicators_met + attainment.indicators_not_met >= 1
order by units.admin_level, attainment.fiscal_year, rank_in_level
