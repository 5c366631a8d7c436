"""The SQL model layer: sqlglot reads, DuckDB executes, Dagster orchestrates.

`sql/<schema>/<name>.sql` holds one select; the file name is the table, the folder its
schema. References are plain schema-qualified names; dependencies are inferred with
sqlglot (CTE names excluded). A header comment says what one row is, and a line
`-- materialized: view|table|incremental` overrides the default (staging/intermediate:
view, marts: table). Tables are built under a temporary name and swapped in within one
transaction, so a failing model never leaves a half-built table. An incremental model
(one with a `source_file` column) is, on a refresh, only given the rows of the files that
changed and of the other files of their reports, within one transaction as well.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import config
from pipelines.load import RAW_TABLES, column_types

SCHEMAS = ("staging", "intermediate", "marts")
DEFAULT_MATERIALIZED = {"staging": "view", "intermediate": "view", "marts": "table"}
SEEDS = ("vocab_budget_items", "vocab_metrics", "vocab_grades", "vocab_admin_levels")
SOURCES = frozenset({f"raw.{t}" for t in RAW_TABLES} | {f"raw.{s}" for s in SEEDS})


class ModelError(ValueError):
    """A model that cannot be built: unknown table, cycle, bad file."""


@dataclass(frozen=True)
class Model:
    name: str
    schema: str
    path: Path
    sql: str
    description: str
    materialized: str
    deps: frozenset[str]

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.name}"


def _header(sql: str) -> tuple[str, str | None]:
    lines, materialized = [], None
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        m = re.match(r"materialized:\s*(view|table|incremental)$", text)
        if m:
            materialized = m.group(1)
        else:
            lines.append(text)
    return " ".join(lines).strip(), materialized


def references(sql: str) -> frozenset[str]:
    """schema.table names a select reads, CTE names excluded."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    refs = set()
    for table in tree.find_all(exp.Table):
        if table.name in ctes and not table.db:
            continue
        refs.add(f"{table.db}.{table.name}" if table.db else table.name)
    return frozenset(refs)


def _references_file() -> Path:
    """Where the references of model texts parsed before are kept: one file per sqlglot version and
    version of this module (like dbt's partial parsing; sqlglot's import and parse take 0.1 s)."""
    from importlib.metadata import version

    tag = hashlib.sha256(f"{version('sqlglot')}|{Path(__file__).read_bytes().hex()}".encode()).hexdigest()[:16]
    return config.cache_dir() / f"model-references-{tag}.json"


def _remembered_references() -> dict[str, list[str]]:
    """sha256 of a model's text -> the tables it reads, for the texts parsed before."""
    try:
        return json.loads(_references_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remember_references(known: dict[str, list[str]]) -> None:
    config.keep_in_cache(_references_file(), known)


def _line_of(sql: str, table: str) -> int:
    name = table.split(".")[-1]
    for i, line in enumerate(sql.splitlines(), start=1):
        if re.search(rf"\b{re.escape(name)}\b", line) and not line.lstrip().startswith("--"):
            return i
    return 1


def discover(sql_dir: Path | None = None) -> list[Model]:
    """Every model under sql_dir, validated (known references, no cycles), in dependency order."""
    sql_dir = sql_dir or config.sql_dir()
    found: list[Model] = []
    remembered = _remembered_references()
    learned = {}
    for schema in SCHEMAS:
        for path in sorted((sql_dir / schema).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            description, materialized = _header(sql)
            key = hashlib.sha256(sql.encode()).hexdigest()
            if key in remembered:
                deps = frozenset(remembered[key])
            else:
                import sqlglot

                try:
                    deps = references(sql)
                except sqlglot.errors.ParseError as err:
                    raise ModelError(f"{path}: cannot parse: {err}") from err
                learned[key] = sorted(deps)
            found.append(Model(path.stem, schema, path, sql, description,
                               materialized or DEFAULT_MATERIALIZED[schema], deps))
    if learned:
        _remember_references(remembered | learned)
    known = SOURCES | {m.relation for m in found}
    for model in found:
        for dep in sorted(model.deps - known):
            raise ModelError(f"{model.path}:{_line_of(model.sql, dep)}: unknown table '{dep}' "
                             f"(not a model in sql/ nor a raw table)")
    return toposort(found)


def toposort(found: list[Model]) -> list[Model]:
    by_name = {m.relation: m for m in found}
    ordered: list[Model] = []
    state: dict[str, str] = {}

    def visit(model: Model, trail: list[str]) -> None:
        if state.get(model.relation) == "done":
            return
        if state.get(model.relation) == "visiting":
            cycle = trail[trail.index(model.relation):] + [model.relation]
            raise ModelError(f"cycle between models: {' -> '.join(cycle)}")
        state[model.relation] = "visiting"
        for dep in sorted(model.deps):
            if dep in by_name:
                visit(by_name[dep], [*trail, model.relation])
        state[model.relation] = "done"
        ordered.append(model)

    for model in found:
        visit(model, [])
    return ordered


def existing_type(con: duckdb.DuckDBPyConnection, model: Model) -> str | None:
    """BASE TABLE, VIEW, or None when the model's relation is not there."""
    found = con.execute("select table_type from information_schema.tables where table_schema = ? and "
                        "table_name = ?", [model.schema, model.name]).fetchall()
    return found[0][0] if found else None


SAME_REPORT = """
select distinct other.source_file
from intermediate.int_reports_keyed as changed
inner join intermediate.int_reports_keyed as other using (unit_id, fiscal_year)
where changed.source_file in (select unnest($files))
"""


def same_report_files(con: duckdb.DuckDBPyConnection, files: list[str]) -> set[str]:
    """`files` and the files that report the same unit and year as one of them (their rows enter
    or leave the marts with them)."""
    built = con.execute("select count(*) from information_schema.tables where table_schema = 'intermediate' "
                        "and table_name = 'int_reports_keyed'").fetchall()[0][0]  # (a view)
    if not built:  # no models built yet: nothing to add (asked first: an error would end a transaction)
        return set(files)
    return {row[0] for row in con.execute(SAME_REPORT, {"files": files}).fetchall()} | set(files)


def changed_files(con: duckdb.DuckDBPyConnection) -> set[str] | None:
    """The files whose rows a refresh must rebuild and check: those the ingest recorded in
    raw.changed_files (the changed files and their report-mates before the change), with their
    report-mates after it; None for everything (a full build, or changed code: a NULL row there)."""
    try:
        names = sorted((row[0] for row in con.sql("select file_name from raw.changed_files").fetchall()),
                       key=lambda name: (name is None, name or ""))
        loaded = con.sql("select string_agg(shard || version, ',' order by shard) from raw.parse_shards").fetchall()
    except duckdb.Error:  # the tables are not there yet
        return None
    if None in names:
        return None
    key = (tuple(names), loaded[0][0])  # the parse partitions' versions: what the raw tables hold
    if _last_changed.get("key") != key:  # every model and check of a run asks; the answer is the same
        _last_changed.update(key=key, files=same_report_files(con, names))
    return set(_last_changed["files"])


_last_changed: dict = {}


def _refresh_rows(con: duckdb.DuckDBPyConnection, model: Model, body: str, files: set[str]) -> None:
    """Replace the rows of `files` in an incremental model's table, in one transaction."""
    con.execute("begin")
    try:
        scope = sorted(files)
        con.execute(f"delete from {model.relation} where source_file in (select unnest($f))", {"f": scope})
        con.execute(f"insert into {model.relation} select * from (\n{body}\n) as model_rows "
                    f"where source_file in (select unnest($f))", {"f": scope})
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        raise


def materialize(con: duckdb.DuckDBPyConnection, model: Model, files: set[str] | None = None) -> int | None:
    """Build one model; returns a table's row count (None for a view: counting would run its query,
    as only a reader of it should). A table is swapped in atomically; an incremental one that
    exists gets only the rows of `files` (None: rebuilt whole)."""
    con.execute(f"create schema if not exists {model.schema}")
    body = model.sql.strip().rstrip(";")
    existing = existing_type(con, model)
    if model.materialized == "incremental" and existing == "BASE TABLE" and files is not None:
        _refresh_rows(con, model, body, files)
    elif model.materialized == "view":
        if existing == "BASE TABLE":
            con.execute(f"drop table {model.relation}")
        con.execute(f"create or replace view {model.relation} as\n{body}")
        return None
    else:
        temp = f"{model.schema}.__building_{model.name}"
        con.execute("begin")
        try:
            con.execute(f"create or replace table {temp} as\n{body}")
            if existing == "VIEW":
                con.execute(f"drop view {model.relation}")
            elif existing:
                con.execute(f"drop table {model.relation}")
            con.execute(f"alter table {temp} rename to {model.name}")
            con.execute("commit")
        except duckdb.Error:
            con.execute("rollback")
            raise
    return con.sql(f"select count(*) from {model.relation}").fetchall()[0][0]


def run_models(con: duckdb.DuckDBPyConnection, found: list[Model] | None = None) -> dict[str, dict]:
    """Materialise models in dependency order; rows and seconds per model."""
    stats = {}
    for model in found or discover():
        started = time.perf_counter()
        rows = materialize(con, model)
        stats[model.relation] = {"rows": rows, "seconds": time.perf_counter() - started}
    return stats


def known_columns() -> dict[str, dict[str, dict[str, str]]]:
    """schema -> table -> column -> type of the raw tables (their DDL in load.py) and the seeds."""
    from pipelines.parse import vocabulary

    raw = {table: column_types(table) for table in RAW_TABLES}
    for name, rows in vocabulary.seed_tables().items():
        raw[name] = {column: "unknown" for column in rows[0]} if rows else {}
    return {"raw": raw}


def compile_models(dialect: str, out_dir: Path, sql_dir: Path | None = None) -> list[Path]:
    """Every model transpiled by sqlglot for another engine (postgres, trino, spark), in dependency
    order: a star with exceptions is written out from the columns of the raw tables and of the
    models compiled before it, and what the engine lacks is rewritten (`_portable`)."""
    import sqlglot

    schema = known_columns()
    written = []
    for model in discover(sql_dir):
        tree = sqlglot.parse_one(model.sql, read="duckdb")
        try:
            qualified = _qualified(tree, schema)
            schema.setdefault(model.schema, {})[model.name] = dict.fromkeys(qualified.named_selects, "unknown")
            _expand_excepted_stars(tree, qualified, schema)
            body = _portable(tree, dialect).sql(dialect=dialect, pretty=True)
        except (ModelError, sqlglot.errors.SqlglotError) as err:
            raise ModelError(f"{model.path}: cannot compile for {dialect}: {err}") from err
        target = out_dir / model.schema / f"{model.name}.sql"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{body};\n", encoding="utf-8")
        written.append(target)
    return written


def _qualified(tree, schema: dict):
    """A copy of the model with every column qualified and every star expanded, by sqlglot's optimizer."""
    from sqlglot.optimizer.qualify import qualify

    return qualify(tree.copy(), dialect="duckdb", schema=schema, quote_identifiers=False, identify=False)


def _expand_excepted_stars(tree, qualified, schema: dict) -> None:
    """Write `* exclude (a)` and `t.* exclude (a)` out as the columns they stand for (only DuckDB,
    BigQuery, Snowflake and recent Spark know the syntax). The columns come from `qualified`, the same
    model expanded by sqlglot, whose selects pair with the model's own one by one."""
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    def excepted(item):
        star = item.this if isinstance(item, exp.Column) else item
        return star if isinstance(star, exp.Star) and star.args.get("except_") else None

    originals, copies = list(tree.find_all(exp.Select)), list(qualified.find_all(exp.Select))
    if not any(excepted(item) for select in originals for item in select.expressions):
        return
    if len(originals) != len(copies):
        raise ModelError("the optimizer changed the shape of the query")
    scopes = {id(scope.expression): scope for scope in traverse_scope(qualified)}
    for select, copy in zip(originals, copies, strict=True):
        if not any(excepted(item) for item in select.expressions):
            continue
        projections = []
        for item in select.expressions:
            star = excepted(item)
            if star is None:
                projections.append(item)
                continue
            excluded = {column.name for column in star.args["except_"]}
            names = [item.table] if isinstance(item, exp.Column) else _source_names(copy)
            qualify_names = isinstance(item, exp.Column) or len(names) > 1
            for name in names:
                for column in _source_columns(scopes[id(copy)], name, schema):
                    if column not in excluded:
                        projections.append(exp.column(column, table=name if qualify_names else None))
        select.set("expressions", projections)


def _source_names(select) -> list[str]:
    """The names of the tables a bare star reads, in order."""
    joins = select.args.get("joins") or []
    if any(join.args.get("using") for join in joins):
        raise ModelError("a star with exceptions over a join with USING: name the table (t.* exclude (…))")
    return [select.args["from_"].this.alias_or_name, *(join.this.alias_or_name for join in joins)]


def _source_columns(scope, name: str, schema: dict) -> list[str]:
    from sqlglot import exp

    source = scope.sources.get(name)
    if isinstance(source, exp.Table):
        return list(schema[source.db][source.name])
    if source is None:
        raise ModelError(f"unknown source {name!r} of a star")
    return source.expression.named_selects


def _portable(tree, dialect: str):
    """Rewrite what DuckDB accepts and `dialect` does not. Postgres has no TRY_CAST (a cast guarded by
    pg_input_is_valid, PostgreSQL 16+, returns NULL where DuckDB's would) and no round(double, digits):
    DuckDB's `/` on decimals gives a double, which is rounded there as the decimal it converts to
    (15 significant digits; a ratio within 1e-15 of a rounding boundary could round the other way).
    Trino's and Spark's regexp_replace take no flags and always replace every match, so only DuckDB's
    'g' carries over."""
    from sqlglot import exp

    def rewrite(node):
        if dialect == "postgres" and isinstance(node, exp.Round) and node.args.get("decimals") is not None:
            node = node.copy()
            node.set("this", exp.cast(node.this, exp.DataType.build("decimal")))
            return node
        if dialect == "postgres" and isinstance(node, exp.TryCast):
            valid = exp.Anonymous(this="pg_input_is_valid",
                                  expressions=[node.this.copy(), exp.Literal.string(node.to.sql("postgres"))])
            return exp.Case(ifs=[exp.If(this=valid, true=exp.Cast(this=node.this.copy(), to=node.to.copy()))])
        if dialect in ("trino", "spark") and isinstance(node, exp.RegexpReplace):
            flags = node.args.get("modifiers")
            if not isinstance(flags, exp.Literal) or flags.name != "g":
                raise ModelError(f"regexp_replace with flags {flags.sql() if flags else 'none'}: {dialect} "
                                 f"replaces every match and takes no flags; write 'g' alone")
            node = node.copy()
            node.set("modifiers", None)
            node.set("single_replace", None)
        return node

    return tree.transform(rewrite)
