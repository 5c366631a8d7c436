-- Counties ranked by the share of their output targets met, per fiscal year (only reports whose table
-- decides at least five indicators).
select
    units.province,
    units.prefecture,
    units.county,
    units.unit_name,
    attainment.fiscal_year,
    attainment.indicators_met,
    attainment.indicators_not_met,
    attainment.share_met_pct,
    rank() over (partition by attainment.fiscal_year order by attainment.share_met_pct desc) as rank_in_year
from marts.fct_indicator_attainment as attainment
inner join marts.dim_unit as units on units.unit_id = attainment.unit_id
where attainment.grouping_level = 'report'
    and units.admin_level = 'county'
    and attainment.indicators_met + attainment.indicators_not_met >= 5
order by attainment.fiscal_year, rank_in_year
