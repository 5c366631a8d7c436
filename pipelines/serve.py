"""Serving the published warehouse: read-only queries."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import sqlglot
from sqlglot import exp

from pipelines import config

if TYPE_CHECKING:
    import polars as pl

READ_ONLY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Describe, exp.Show, exp.Pragma)
WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Merge, exp.Copy,
          exp.Attach, exp.Detach, exp.Command, exp.Set, exp.Use, exp.TruncateTable)


class ReadOnlyError(ValueError):
    """A statement that would change the warehouse."""


def reader(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection that can read the warehouse and nothing else: no file, URL or other database
    (DuckDB's enable_external_access), no extension installed or loaded, a memory cap
    (WAREHOUSE_QUERY_MEMORY, default 2GB), and its configuration locked so no statement lifts these."""
    return duckdb.connect(str(warehouse), read_only=True, config={
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": config.query_memory(),
        "lock_configuration": True,
    })


def assert_read_only(sql: str) -> None:
    """Refuse anything but reads, even a write inside a CTE or in a second statement."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.SqlglotError as err:
        raise ReadOnlyError(f"cannot parse the query: {err}") from err
    if not statements:
        raise ReadOnlyError("no statement")
    for statement in statements:
        if not isinstance(statement, READ_ONLY_ROOTS):
            raise ReadOnlyError(f"only queries are allowed, not {statement.key.upper()}")
        for node in statement.walk():
            if isinstance(node, WRITES):
                raise ReadOnlyError(f"the query contains a write ({node.key.upper()})")


@contextmanager
def _time_limited(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Interrupt what `con` runs after `query_timeout` seconds, as a ReadOnlyError that says so."""
    seconds = config.query_timeout()
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        yield
    except duckdb.InterruptException as err:
        raise ReadOnlyError(f"the query ran longer than {seconds:g} s (WAREHOUSE_QUERY_TIMEOUT)") from err
    finally:
        timer.cancel()


def query(sql: str, warehouse: Path, fmt: str = "table") -> str:
    """Run a read-only query on a `reader` connection, interrupted after `query_timeout` seconds,
    and format the result."""
    assert_read_only(sql)
    con = reader(warehouse)
    try:
        with _time_limited(con):
            rel = con.sql(sql)
            if rel is None:
                raise ReadOnlyError("the statement returns no rows")
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


def frame(sql: str, warehouse: Path | None = None) -> pl.DataFrame:
    """A read-only query's result as a polars DataFrame, on a `reader` connection with its time limit.
    DuckDB hands the columns over as Arrow buffers: no value goes through Python."""
    assert_read_only(sql)
    con = reader(warehouse or config.warehouse_path())
    try:
        with _time_limited(con):
            rel = con.sql(sql)
            if rel is None:
                raise ReadOnlyError("the statement returns no rows")
            return rel.pl()
    finally:
        con.close()


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(columns), sep, *(line(r) for r in cells), f"({len(rows)} rows)"])


FRICTIONLESS_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "SMALLINT": "integer",
                      "DOUBLE": "number", "FLOAT": "number", "BOOLEAN": "boolean", "DATE": "date",
                      "TIMESTAMP": "datetime", "HUGEINT": "integer"}


def _field_type(duck_type: str) -> str:
    if duck_type.startswith("DECIMAL"):
        return "number"
    return FRICTIONLESS_TYPES.get(duck_type, "string")


def _comments(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The mart's own descriptions as the build wrote them (COMMENT ON): its columns', and "_" the table's."""
    found = dict(con.execute("select column_name, comment from duckdb_columns() where schema_name = 'marts' "
                             "and table_name = ? and comment is not null", [table]).fetchall())
    table_comment = con.execute("select comment from duckdb_tables() where schema_name = 'marts' "
                                "and table_name = ?", [table]).fetchall()  # (all: DuckDB 2 keeps a result open)
    return found | {"_": (table_comment[0][0] if table_comment else None) or ""}


def export(warehouse: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Every mart as Parquet or CSV with a schema file, or as a Frictionless Data Package."""
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    written: list[Path] = []
    resources = []
    try:
        tables = [r[0] for r in con.sql("select table_name from information_schema.tables where "
                                         "table_schema = 'marts' order by table_name").fetchall()]
        for table in tables:
            schema = con.sql(f"describe marts.{table}").fetchall()
            ext = "parquet" if fmt == "parquet" else "csv"
            path = out_dir / f"{table}.{ext}"
            options = "(format parquet)" if ext == "parquet" else "(header, delimiter ',')"
            quoted = str(path).replace("'", "''")  # a folder name may hold a quote
            con.execute(f"copy marts.{table} to '{quoted}' {options}")
            written.append(path)
            table_docs = _comments(con, table)
            fields = [{"name": name, "type": _field_type(dtype), "description": table_docs.get(name, ""),
                       "constraints": {"required": False}} for name, dtype, *_ in schema]
            table_schema = {"fields": fields}
            if fmt != "datapackage":
                schema_path = out_dir / f"{table}.schema.json"
                schema_path.write_text(json.dumps(table_schema, ensure_ascii=False, indent=1), encoding="utf-8")
                written.append(schema_path)
            resources.append({"name": table, "path": path.name, "profile": "tabular-data-resource",
                              "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                              "description": table_docs.get("_", ""), "schema": table_schema})
    finally:
        con.close()
    if fmt == "datapackage":
        package = {
            "name": "perfwarehouse-marts",
            "title": "Whole-department expenditure performance self-evaluation reports (marts)",
            "profile": "tabular-data-package",
            "description": "Marts of the perfwarehouse DuckDB warehouse. Money is in 万元 (10,000 CNY) as "
                           "reported; codes follow the project's vocabulary. Budget figures follow the Fiscal "
                           "Data Package idea of one row per amount with its classification (item_code) and "
                           "phase (basis: budget = approved, actual = executed).",
            "licenses": [{"name": "other-pd", "title": "Public-sector reports"}],
            "resources": resources,
        }
        path = out_dir / "datapackage.json"
        path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written
