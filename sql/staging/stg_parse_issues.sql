-- One row per problem the parser met in a file (what could not be read).
select source_file, line, severity, code, message, text
from raw.parse_issues
