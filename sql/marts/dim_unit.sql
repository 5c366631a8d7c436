-- One row per reporting unit: canonical name, admin level and official region (GB/T 2260).
-- materialized: table
with latest as (
    select
        *,
        row_number() over (partition by unit_id order by fiscal_year desc, source_file) as recency
    from intermediate.int_reports_current
)

select
    unit_id,
    unit_name_full as unit_name,
    unit_name as unit_name_as_written,
    admin_level,
    province,
    prefecture,
    county,
    division_code
from latest
where recency = 1
