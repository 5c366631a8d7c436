-- One row per report (unit × fiscal year): the latest file when several report the same unit and year.
select * exclude (version_rank)
from intermediate.int_reports_keyed
where version_rank = 1
