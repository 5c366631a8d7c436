"""Serving the published warehouse: read-only queries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

READ_ONLY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Describe, exp.Show, exp.Pragma)
WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Merge, exp.Copy,
          exp.Attach, exp.Detach, exp.Command, exp.Set, exp.Use, exp.TruncateTable)


class ReadOnlyError(ValueError):
    """A statement that would change the warehouse."""


def assert_read_only(sql: str) -> None:
    """Refuse anything but reads, even a write inside a CTE or in a second statement."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as err:
        raise ReadOnlyError(f"cannot parse the query: {err}") from err
    if not statements:
        raise ReadOnlyError("no statement")
    for statement in statements:
        if not isinstance(statement, READ_ONLY_ROOTS):
            raise ReadOnlyError(f"only queries are allowed, not {statement.key.upper()}")
        for node in statement.walk():
            if isinstance(node, WRITES):
                raise ReadOnlyError(f"the query contains a write ({node.key.upper()})")


def query(sql: str, warehouse: Path, fmt: str = "table") -> str:
    """Run a read-only query on a read-only connection and format the result."""
    assert_read_only(sql)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rel = con.sql(sql)
        columns = rel.columns
        rows = rel.fetchall()
    finally:
        con.close()
    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, default=str,
                          indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    return _table(columns, rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(columns), sep, *(line(r) for r in cells), f"({len(rows)} rows)"])
