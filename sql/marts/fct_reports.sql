-- One row per report (unit × fiscal year): identity, staff, self-score and grade.
-- materialized: incremental
select
    report_id,
    unit_id,
    fiscal_year,
    source_file,
    report_date,
    report_date_precision,
    budget_code,
    contact_person,
    contact_phone,
    staffing_quota,
    actual_headcount,
    retirees,
    self_score,
    grade,
    grade_text
from intermediate.int_reports_current
