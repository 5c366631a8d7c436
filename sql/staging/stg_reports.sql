-- One row per parsed document: the report's header fields, typed (raw.report_fields pivoted).
with fields as (
    select source_file, field, value
    from raw.report_fields
),

pivoted as (
    select
        source_file,
        max(value) filter (where field = 'unit_name') as unit_name,
        max(value) filter (where field = 'unit_name_full') as unit_name_full,
        max(value) filter (where field = 'fiscal_year') as fiscal_year,
        max(value) filter (where field = 'report_date') as report_date,
        max(value) filter (where field = 'budget_code') as budget_code,
        max(value) filter (where field = 'contact_person') as contact_person,
        max(value) filter (where field = 'contact_phone') as contact_phone,
        max(value) filter (where field = 'staffing_quota') as staffing_quota,
        max(value) filter (where field = 'actual_headcount') as actual_headcount,
        max(value) filter (where field = 'retirees') as retirees,
        max(value) filter (where field = 'self_score') as self_score,
        max(value) filter (where field = 'grade_text') as grade_text,
        max(value) filter (where field = 'grade') as grade,
        max(value) filter (where field = 'province') as province,
        max(value) filter (where field = 'prefecture') as prefecture,
        max(value) filter (where field = 'county') as county,
        max(value) filter (where field = 'division_code') as division_code,
        max(value) filter (where field = 'admin_level') as admin_level
    from fields
    group by source_file
)

select
    source_file,
    unit_name,
    coalesce(unit_name_full, unit_name) as unit_name_full,
    try_cast(fiscal_year as integer) as fiscal_year,
    try_cast(case when length(report_date) = 7 then report_date || '-01' else report_date end as date) as report_date,
    case when length(report_date) = 7 then 'month' when report_date is not null then 'day' end
        as report_date_precision,
    budget_code,
    contact_person,
    contact_phone,
    try_cast(staffing_quota as integer) as staffing_quota,
    try_cast(actual_headcount as integer) as actual_headcount,
    try_cast(retirees as integer) as retirees,
    try_cast(self_score as decimal(6, 2)) as self_score,
    grade_text,
    grade,
    province,
    prefecture,
    county,
    division_code,
    admin_level
from pivoted
