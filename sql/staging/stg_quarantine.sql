-- One row per file that was not loaded, with the reason.
select file_name as source_file, sha256, size_bytes, reason_code, message, quarantined_at
from raw.quarantine
