-- One row per report file left out because a later file reports the same unit and year.
with superseded as (
    select report_id, unit_id, fiscal_year, source_file, report_date, version_rank
    from intermediate.int_reports_keyed
    where version_rank > 1
)

select
    superseded.*,
    current_report.source_file as kept_source_file
from superseded
inner join intermediate.int_reports_current as current_report using (report_id)
