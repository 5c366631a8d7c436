"""What every table and column means and where it comes from, for people and for tools.

Descriptions are written once, in yml beside the SQL (`sql/<schema>/_docs.yml` for the models,
`sql/_sources.yml` for the tables the pipeline writes itself: `raw.*` and `quality.*`). A column
that passes one column through (renamed or not) and has no description of its own takes that of
the nearest column holding the same value, upstream first, found by sqlglot's column lineage.
The result goes into the warehouse as `COMMENT ON` (what BI tools show), into Dagster as column
schema and lineage, and into the browsable catalog (`warehouse docs`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from pipelines import config, models

DESCRIBED_SCHEMAS = ("raw", "staging", "intermediate", "marts", "quality")
Upstream = tuple[str, str]  # (schema.table, column)


@dataclass
class Relation:
    """A table or view of the warehouse: its description and, per column, type and description."""

    name: str  # schema.table
    kind: str  # TABLE / VIEW
    description: str = ""
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (type, description)


def yml_docs(sql_dir: Path | None = None) -> dict[str, dict]:
    """schema.table -> {"description", "columns": {column: description}} from the yml files."""
    sql_dir = sql_dir or config.sql_dir()
    docs: dict[str, dict] = {}
    for path in sorted(sql_dir.glob("*/_docs.yml")):
        for model in _yml(path.read_text(encoding="utf-8")).get("models", []):
            docs[f"{path.parent.name}.{model['name']}"] = model
    sources = sql_dir / "_sources.yml"
    if sources.exists():
        for source in _yml(sources.read_text(encoding="utf-8")).get("sources", []):
            for table in source.get("tables", []):
                docs[f"{source['name']}.{table['name']}"] = table
    return docs


@cache
def _yml(text: str) -> dict:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def _types(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """schema.table -> {column: type}, in column order, for the described schemas."""
    out: dict[str, dict[str, str]] = {}
    for schema, table, column, dtype in con.execute(
            "select schema_name, table_name, column_name, data_type from duckdb_columns() "
            "where schema_name in (select unnest($s)) order by schema_name, table_name, column_index",
            {"s": list(DESCRIBED_SCHEMAS)}).fetchall():
        out.setdefault(f"{schema}.{table}", {})[column] = dtype
    return out


@cache
def _lineage_file() -> Path:
    """Where worked-out lineage is kept: one file per sqlglot version and version of this module."""
    from importlib.metadata import version

    tag = hashlib.sha256(f"{version('sqlglot')}|{Path(__file__).read_bytes().hex()}".encode()).hexdigest()[:16]
    return config.cache_dir() / f"column-lineage-{tag}.json"


_LINEAGE: dict[str, dict[str, list[list[str]]]] = {}  # model key -> its lineage, loaded once per process


def _known_lineage() -> dict[str, dict[str, list[list[str]]]]:
    if not _LINEAGE:
        with contextlib.suppress(OSError, ValueError):
            _LINEAGE.update(json.loads(_lineage_file().read_text(encoding="utf-8")))
    return _LINEAGE


def model_lineage(model: models.Model, types: dict[str, dict[str, str]]) -> dict[str, list[Upstream]]:
    """{column: the upstream columns it is computed from} (one hop) of one model, by sqlglot, given the
    column types of the tables it reads. Kept per model text and upstream schema in the cache folder:
    working it out takes 5-100 ms a model."""
    upstream_types = {dep: types.get(dep, {}) for dep in sorted(model.deps)}
    key = hashlib.sha256(json.dumps([model.sql, upstream_types], sort_keys=True).encode()).hexdigest()
    known = _known_lineage()
    if key not in known:
        known[key] = _traced(model, upstream_types)
        config.keep_in_cache(_lineage_file(), known)
    return {column: [(u[0], u[1]) for u in ups] for column, ups in known[key].items()}


def _traced(model: models.Model, upstream_types: dict[str, dict[str, str]]) -> dict[str, list[list[str]]]:
    from sqlglot import exp
    from sqlglot.lineage import lineage

    schema: dict = {}
    for relation, columns in upstream_types.items():
        db, table = relation.split(".")
        schema.setdefault(db, {})[table] = columns
    try:
        nodes = lineage(None, model.sql, schema, dialect="duckdb")
    except Exception:  # noqa: BLE001 - a model sqlglot cannot trace has no lineage, not a failed build
        return {}
    out = {}
    for column, node in nodes.items():
        upstream = set()
        for leaf in node.walk():
            if not leaf.downstream and isinstance(leaf.source, exp.Table) and leaf.source.db:
                upstream.add((f"{leaf.source.db}.{leaf.source.name}", leaf.name.split(".")[-1]))
        out[column] = [list(u) for u in sorted(upstream)]
    return out


def column_lineage(con: duckdb.DuckDBPyConnection, found: list[models.Model] | None = None,
                   ) -> dict[str, dict[str, list[Upstream]]]:
    """schema.model -> {column: its upstream columns} for every model."""
    found = found if found is not None else models.discover()
    types = _types(con)
    return {m.relation: model_lineage(m, types) for m in found}


def describe(con: duckdb.DuckDBPyConnection, sql_dir: Path | None = None,
             lineage: dict[str, dict[str, list[Upstream]]] | None = None,
             found: list[models.Model] | None = None) -> dict[str, Relation]:
    """Every table and view of the described schemas with its own or inherited descriptions."""
    found = found if found is not None else models.discover(sql_dir)
    docs = yml_docs(sql_dir)
    types = _types(con)
    lineage = lineage if lineage is not None else {m.relation: model_lineage(m, types) for m in found}
    kinds = dict(con.execute("select schema_name || '.' || table_name, 'TABLE' from duckdb_tables() "
                             "union all select schema_name || '.' || view_name, 'VIEW' from duckdb_views() "
                             "where not internal").fetchall())
    by_relation = {m.relation: m for m in found}
    out: dict[str, Relation] = {}

    def own(column: Upstream) -> str:
        return str((docs.get(column[0], {}).get("columns") or {}).get(column[1]) or "")

    same_value: dict[Upstream, set[Upstream]] = {}  # columns that pass one column through, both ways
    for relation, columns in lineage.items():
        for column, upstream in columns.items():
            if len(upstream) == 1:
                same_value.setdefault((relation, column), set()).add(upstream[0])
                same_value.setdefault(upstream[0], set()).add((relation, column))

    def nearest(column: Upstream) -> str:
        """Its own description, else that of the nearest column holding the same value (upstream
        first: the column it passes through; then one that passes it through further down)."""
        if text := own(column):
            return text
        upstream = lineage.get(column[0], {}).get(column[1], [])
        if len(upstream) == 1 and (text := nearest(upstream[0])):
            return text
        seen, frontier = {column}, [column]
        while frontier:
            frontier = [n for c in frontier for n in sorted(same_value.get(c, ())) if n not in seen]
            seen.update(frontier)
            for candidate in frontier:
                if text := own(candidate):
                    return text
        return ""

    for relation, columns in types.items():
        model = by_relation.get(relation)
        description = str(docs.get(relation, {}).get("description") or (model.description if model else ""))
        out[relation] = Relation(relation, kinds.get(relation, "TABLE"), description,
                                 {c: (t, nearest((relation, c))) for c, t in columns.items()})
    return out


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_comments(con: duckdb.DuckDBPyConnection, described: dict[str, Relation]) -> int:
    """COMMENT ON every described table, view and column (what DBeaver, Superset and Metabase show);
    returns how many columns were given one."""
    # what the file holds already (a refresh keeps its tables, and their comments): only the rest is written
    held = {(f"{schema}.{table}", None): comment for schema, table, comment in con.execute(
        "select schema_name, table_name, comment from duckdb_tables() union all "
        "select schema_name, view_name, comment from duckdb_views()").fetchall()}
    held |= {(f"{schema}.{table}", column): comment for schema, table, column, comment in con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns()").fetchall()}
    statements = []
    for rel in described.values():
        if rel.description and held.get((rel.name, None)) != rel.description:
            statements.append(f"comment on {rel.kind.lower()} {rel.name} is {_literal(rel.description)}")
        for column, (_, text) in rel.columns.items():
            if text and held.get((rel.name, column)) != text:
                statements.append(f'comment on column {rel.name}."{column}" is {_literal(text)}')
    if statements:
        con.execute(";\n".join(statements))
    return sum(1 for rel in described.values() for _, text in rel.columns.values() if text)


def lineage_chain(ref: str, con: duckdb.DuckDBPyConnection, sql_dir: Path | None = None) -> list[str]:
    """The chain of upstream columns of `schema.table.column`, down to the raw tables, indented by depth."""
    parts = ref.split(".")
    if len(parts) != 3:
        raise models.ModelError("give the column as schema.table.column")
    lineage = column_lineage(con, models.discover(sql_dir))
    lines: list[str] = []

    def walk(relation: str, column: str, depth: int, seen: frozenset[Upstream]) -> None:
        lines.append(f"{'  ' * depth}{relation}.{column}")
        for upstream in lineage.get(relation, {}).get(column, []):
            if upstream not in seen:
                walk(upstream[0], upstream[1], depth + 1, seen | {upstream})

    walk(f"{parts[0]}.{parts[1]}", parts[2], 0, frozenset())
    return lines


def write_docs(con: duckdb.DuckDBPyConnection, out_dir: Path, sql_dir: Path | None = None) -> Path:
    """The static HTML catalog (pipelines/docs_site.py) in out_dir; returns the path of its index.html."""
    from pipelines import docs_site

    return docs_site.write_site(con, out_dir, sql_dir)
