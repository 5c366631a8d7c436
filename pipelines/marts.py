"""The marts for analysts in Python, as polars DataFrames, read-only:

    from pipelines import marts
    budget = marts.read("fct_budget")                      # the whole mart
    jobs = marts.sql("select province, sum(urban_new_jobs) as jobs "
                     "from marts.fct_unit_year_summary group by province")
    marts.tables()                                         # name -> description

Every call opens the published warehouse (WAREHOUSE_PATH, or `warehouse=`) on the same locked-down
connection as `warehouse query` (pipelines/serve.py), so a notebook can never change or lock it.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pipelines import config, serve

NAME = re.compile(r"[a-z][a-z0-9_]*")


def sql(query: str, warehouse: Path | None = None) -> pl.DataFrame:
    """Any read-only query on the warehouse as a DataFrame."""
    return serve.frame(query, warehouse)


def read(mart: str, warehouse: Path | None = None) -> pl.DataFrame:
    """One mart (fct_budget, dim_unit, …) as a DataFrame, money as exact decimals."""
    if not NAME.fullmatch(mart):
        raise ValueError(f"not a mart name: {mart!r}")
    known = tables(warehouse)
    if mart not in known:
        raise ValueError(f"no mart {mart!r}; the marts are {', '.join(sorted(known))}")
    return serve.frame(f"select * from marts.{mart}", warehouse)


def tables(warehouse: Path | None = None) -> dict[str, str]:
    """The marts and what one row of each is."""
    found = serve.frame("select table_name, coalesce(comment, '') as comment from duckdb_tables() "
                        "where schema_name = 'marts' order by table_name", warehouse or config.warehouse_path())
    return dict(zip(found["table_name"].to_list(), found["comment"].to_list(), strict=True))
