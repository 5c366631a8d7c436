"""Records -> raw.* tables.

The raw schema is the contract between the parser and the SQL models in sql/.
Each batch replaces the rows of the files it carries, in one transaction, so a
re-parsed file never leaves two versions of its facts behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from functools import cache
from typing import Any

import duckdb

# Every raw table keyed by the file its rows came from (`source_file` / `file_name`).
RAW_TABLES: dict[str, str] = {
    "documents": """
        file_name varchar not null,      -- name in raw/
        format varchar,                  -- txt / md / html / docx / pdf
        size_bytes bigint,
        sha256 varchar not null,         -- of the original bytes
        encoding varchar,                -- detected encoding of text files
        n_lines integer,
        text varchar,                    -- decoded text; line numbers of every fact refer to it
        duplicate_of varchar,            -- set when the same bytes were already loaded under another name
        loaded_at timestamp,
        mtime_ns bigint,                 -- the file's mtime when read (unchanged size and mtime: not read again)
        ctime_ns bigint                  -- its ctime when read, if settled then (unchanged: not even hashed)
    """,
    "quarantine": """
        file_name varchar not null,
        sha256 varchar,
        size_bytes bigint,
        reason_code varchar not null,    -- empty / binary / undecodable / no_text_layer / too_large /
                                         -- duplicate / unsupported / unreadable / no_report /
                                         -- parser_error / too_slow
        message varchar not null,
        quarantined_at timestamp
    """,
    "report_fields": """
        source_file varchar not null,
        field varchar not null,          -- unit_name, fiscal_year, budget_code, report_date, ...
        value varchar,
        source_line integer,             -- 1-based line of the document text
        span_start integer,              -- 0-based character offsets within that line
        span_end integer,
        evidence varchar                 -- exact text the value was read from
    """,
    "budget_facts": """
        source_file varchar not null,
        org varchar,                     -- NULL: the unit as a whole; else the sub-unit as written
        item_code varchar not null,
        basis varchar not null,          -- actual / budget
        amount_wan decimal(24, 6) not null,
        amount_text varchar,             -- the number as written
        unit_text varchar,               -- 元 / 万元 / 亿元 as written ('' in tables stated in 万元)
        source_kind varchar,             -- table / prose
        is_selected boolean not null,    -- the one figure kept for (org, item_code, basis)
        source_line integer,
        line_end integer,
        span_start integer,
        span_end integer,
        evidence varchar
    """,
    "employment_metrics": """
        source_file varchar not null,
        metric_code varchar not null,
        actual_value decimal(24, 6),
        target_value decimal(24, 6),
        completion_rate_pct decimal(12, 4),
        unit varchar,
        qualifier varchar,               -- exact / approx / at_least
        context varchar,                 -- prose / target_cell / actual_cell / goal_section
        is_selected boolean not null,    -- the one statement kept per metric
        source_line integer,
        line_end integer,
        span_start integer,
        span_end integer,
        evidence varchar,
        target_source_line integer,      -- where the target came from when another statement gave it
        target_evidence varchar
    """,
    "performance_indicators": """
        source_file varchar not null,
        seq integer not null,
        level1 varchar,
        level2 varchar,
        indicator varchar,
        target_text varchar,
        actual_text varchar,
        source_line integer,
        line_end integer,
        row_kind varchar,                -- indicator / funds (budget execution row) / total (总分) / overall (总体目标)
        target_operator varchar,         -- ge / le / gt / lt / eq / range / text
        target_value decimal(24, 6),     -- in value_unit
        target_value_high decimal(24, 6),  -- the upper bound of a range
        actual_value decimal(24, 6),
        value_unit varchar,              -- person / household / percent / wan_yuan / post / count / case / day / score
        achieved boolean,
        weight decimal(12, 4),           -- 分值
        score decimal(12, 4),            -- 得分
        deviation_text varchar,          -- 偏差原因 as written
        metric_code varchar,
        item_code varchar
    """,
    "parse_issues": """
        source_file varchar not null,
        line integer,
        severity varchar not null,       -- error / warning / info
        code varchar not null,
        message varchar not null,
        text varchar
    """,
}

FILE_KEY = {"documents": "file_name", "quarantine": "file_name"}
ARROW_FROM_ROWS = 500  # from this many rows on, inserts go through one Arrow table


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> None:
    con.execute("create schema if not exists raw")
    for table in tables or RAW_TABLES:
        con.execute(f"create table if not exists raw.{table} ({RAW_TABLES[table]})")


@cache
def column_types(table: str) -> dict[str, str]:
    """Column -> SQL type of raw.<table>, in order, from its DDL above."""
    types = {}
    for line in RAW_TABLES[table].strip().splitlines():
        line = line.split("--")[0].strip().rstrip(",")
        if line:
            name, sql_type = line.split(None, 1)
            types[name] = sql_type.removesuffix("not null").strip()
    return types


def insert_values(con: duckdb.DuckDBPyConnection, relation: str, types: dict[str, str],
                  rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` (values in the order of `types`) into `relation` with one statement: each column
    travels as one list parameter cast to its type, so decimals stay exact. A hundred rows take
    milliseconds (executemany: a statement per row, a hundred times that)."""
    if not rows:
        return
    columns = list(types)
    select = ", ".join(f"unnest($c{i}::{types[c]}[])" for i, c in enumerate(columns))
    con.execute(f"insert into {relation} ({', '.join(columns)}) select {select}",
                {f"c{i}": [row[i] for row in rows] for i in range(len(columns))})


def _as_row(record: Any) -> dict[str, Any]:
    return asdict(record) if is_dataclass(record) else dict(record)


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    files: Iterable[str],
    records: Sequence[Any],
) -> int:
    """Delete the rows of `files` from raw.<table>, then insert `records`. No transaction of its own."""
    key = FILE_KEY.get(table, "source_file")
    files = sorted(set(files))
    if files:
        con.execute(f"delete from raw.{table} where {key} in (select unnest($files))", {"files": files})
    if not records:
        return 0
    types = column_types(table)
    cols = list(types)
    rows = [_as_row(r) for r in records]
    if len(rows) < ARROW_FROM_ROWS:  # a refresh's few rows: not worth pyarrow's import (half a second)
        insert_values(con, f"raw.{table}", types, [[row.get(c) for c in cols] for row in rows])
        return len(rows)
    import pyarrow as pa

    arrow = pa.Table.from_pylist([{c: row.get(c) for c in cols} for row in rows])
    con.register("_incoming", arrow)
    try:
        con.execute(f"insert into raw.{table} ({', '.join(cols)}) select {', '.join(cols)} from _incoming")
    finally:
        con.unregister("_incoming")
    return len(rows)
