-- One row per loaded document that needs a person's eye before its figures reach the fact marts: its unit or
-- fiscal year could not be read (its figures stay in raw.* and staging), or the parser met an error in it.
-- materialized: view
with issues as (
    select
        source_file,
        string_agg(distinct code, ', ' order by code) as issue_codes,
        count(*) filter (where severity = 'error') as n_errors
    from staging.stg_parse_issues
    group by source_file
),

budget_counts as (
    select source_file, count(*) as n_budget_facts
    from staging.stg_budget
    group by source_file
),

metric_counts as (
    select source_file, count(*) as n_metrics
    from staging.stg_employment_metrics
    group by source_file
)

select
    documents.source_file,
    reports.unit_name,
    reports.fiscal_year,
    case
        when reports.unit_name is null and reports.fiscal_year is null then 'no unit name or fiscal year'
        when reports.unit_name is null then 'no unit name'
        when reports.fiscal_year is null then 'no fiscal year'
        else 'parse errors'
    end as review_reason,
    issues.issue_codes,
    coalesce(budget_counts.n_budget_facts, 0) as n_budget_facts,
    coalesce(metric_counts.n_metrics, 0) as n_metrics,
    documents.format,
    documents.loaded_at
from staging.stg_documents as documents
left join staging.stg_reports as reports on documents.source_file = reports.source_file
left join issues on documents.source_file = issues.source_file
left join budget_counts on documents.source_file = budget_counts.source_file
left join metric_counts on documents.source_file = metric_counts.source_file
where documents.source_file not in (select source_file from staging.stg_quarantine)
    and (reports.unit_name is null or reports.fiscal_year is null or coalesce(issues.n_errors, 0) > 0)
