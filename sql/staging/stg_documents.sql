-- One row per loaded document: file, format, size, sha256, encoding, line count.
-- materialized: view
select
    file_name as source_file,
    format,
    size_bytes,
    sha256,
    encoding,
    n_lines,
    duplicate_of,
    loaded_at
from raw.documents
