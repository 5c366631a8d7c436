-- One row per budget figure: report × org (NULL = the unit as a whole) × item × basis, in 万元.
-- materialized: incremental
select
    reports.report_id,
    reports.unit_id,
    reports.fiscal_year,
    budget.org,
    budget.item_code,
    budget.basis,
    budget.amount_wan,
    budget.source_kind,
    budget.source_file,
    budget.source_line,
    budget.evidence
from staging.stg_budget as budget
inner join intermediate.int_reports_current as reports on reports.source_file = budget.source_file
