"""Descriptions and lineage reach the tools: COMMENT ON in the warehouse, and row counts, column schemas
and column lineage in Dagster, as its GraphQL API (what the UI reads) serves them."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import catalog
from pipelines.assets import ALL_SHARDS
from pipelines.definitions import JOB_NAME, build_definitions

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("raw", "staging", "intermediate", "marts", "quality")
MART_QUERY = """
{ assetNodeOrError(assetKey: {path: ["marts", "fct_budget"]}) {
    ... on AssetNode { assetMaterializations(limit: 1) { metadataEntries {
        label
        ... on IntMetadataEntry { intValue }
        ... on TableSchemaMetadataEntry { schema { columns { name type description } } }
        ... on TableColumnLineageMetadataEntry { lineage { columnName columnDeps { assetKey { path } columnName } } }
} } } } }
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A build of the bundled reports through Dagster (as `warehouse build` runs it)."""
    base = tmp_path_factory.mktemp("catalog")
    warehouse = base / "w.duckdb"
    (base / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(base / "dagster")) as instance:  # GraphQL needs a stored event log
        defs = build_definitions(warehouse, ROOT / "raw", full_refresh=True, in_process=True)
        assert defs.resolve_job_def(JOB_NAME).execute_in_process(instance=instance, tags=ALL_SHARDS).success
        yield instance, warehouse


def test_every_table_and_column_has_a_comment(run):
    _, warehouse = run
    con = duckdb.connect(str(warehouse), read_only=True)
    bare = con.execute("select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
                       "where schema_name in (select unnest($s)) and comment is null", {"s": list(SCHEMAS)}).fetchall()
    assert bare == []
    assert con.sql("select count(*) from duckdb_columns() where schema_name = 'marts' and comment is null"
                   ).fetchall() == [(0,)]  # the acceptance query
    tables = con.execute("select schema_name, table_name, comment from duckdb_tables() where schema_name in "
                         "(select unnest($s)) union all select schema_name, view_name, comment from duckdb_views() "
                         "where schema_name in (select unnest($s))", {"s": list(SCHEMAS)}).fetchall()
    assert [t for t in tables if not t[2]] == []
    comment = con.sql("select comment from duckdb_columns() where schema_name = 'marts' and "
                      "table_name = 'fct_budget' and column_name = 'amount_wan'").fetchall()[0][0]
    assert comment == "Amount in 万元, exact decimal."  # written once, in sql/marts/_docs.yml


def test_a_passed_through_column_takes_its_upstream_description(run):
    _, warehouse = run
    con = duckdb.connect(str(warehouse), read_only=True)
    described = catalog.describe(con)
    # stg_documents.source_file is raw.documents.file_name renamed; sql/staging has no yml of its own
    assert described["staging.stg_documents"].columns["source_file"][1] == \
        described["raw.documents"].columns["file_name"][1]
    assert "relative to raw/" in described["staging.stg_documents"].columns["source_file"][1]


def test_every_described_column_exists(run):
    """A description of a column no table has (renamed or dropped) is stale: the yml must follow the SQL."""
    _, warehouse = run
    con = duckdb.connect(str(warehouse), read_only=True)
    described = catalog.describe(con)
    stale = [f"{rel}.{col}" for rel, doc in catalog.yml_docs().items()
             for col in (doc.get("columns") or {}) if rel not in described or col not in described[rel].columns]
    assert stale == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Dagster's own, on a property it reads itself
def test_dagster_graphql_shows_row_count_schema_and_lineage_of_a_mart(run):
    from dagster._core.test_utils import in_process_test_workspace
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster_graphql.test.utils import execute_dagster_graphql

    instance, warehouse = run
    code = LoadableTargetOrigin(module_name="pipelines.definitions", attribute="defs", working_directory=str(ROOT))
    with in_process_test_workspace(instance, code) as context:
        result = execute_dagster_graphql(context, MART_QUERY)
    assert not result.errors, result.errors
    entries = {e["label"]: e for e in
               result.data["assetNodeOrError"]["assetMaterializations"][0]["metadataEntries"]}
    rows = duckdb.connect(str(warehouse), read_only=True).sql("select count(*) from marts.fct_budget").fetchall()[0][0]
    assert entries["dagster/row_count"]["intValue"] == rows > 100
    columns = {c["name"]: c for c in entries["dagster/column_schema"]["schema"]["columns"]}
    assert columns["amount_wan"]["type"].startswith("DECIMAL")
    assert all(c["description"] for c in columns.values())
    lineage = {c["columnName"]: c["columnDeps"] for c in entries["dagster/column_lineage"]["lineage"]}
    assert {(tuple(d["assetKey"]["path"]), d["columnName"]) for d in lineage["amount_wan"]} == {
        (("staging", "stg_budget"), "amount_wan")}
