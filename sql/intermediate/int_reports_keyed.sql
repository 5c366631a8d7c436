-- One row per parsed report file with its stable keys: unit_id (same unit across years) and report_id
-- (unit × fiscal year), and its rank among files that report the same unit and year (1 = the one kept).
with reports as (
    select *
    from staging.stg_reports
    where unit_name is not null and fiscal_year is not null
),

keyed as (
    select
        'u' || left(md5(coalesce(division_code, '') || '|' || unit_name_full), 12) as unit_id,
        *
    from reports
)

select
    'r' || left(md5(unit_id || '|' || fiscal_year), 12) as report_id,
    row_number() over (
        partition by unit_id, fiscal_year order by report_date desc nulls last, source_file desc
    ) as version_rank,
    *
from keyed
