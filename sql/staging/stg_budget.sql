-- One row per budget figure kept by the parser (report file × org × item × basis), typed.
select
    source_file,
    nullif(trim(org), '') as org,
    item_code,
    basis,
    cast(amount_wan as decimal(20, 6)) as amount_wan,
    amount_text,
    unit_text,
    source_kind,
    source_line,
    line_end,
    span_start,
    span_end,
    evidence
from raw.budget_facts
where is_selected
