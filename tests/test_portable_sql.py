"""The models compiled for other engines: run on a real PostgreSQL server and compared with DuckDB's
marts; the Trino and Spark output checked for what those engines reject."""

import importlib.util
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from pipelines import load, models

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "sql"
PG_MIN_VERSION = 16  # the compiled TRY_CAST needs pg_input_is_valid


def server_bindirs() -> list[Path]:
    """Folders that may hold a PostgreSQL server: pgserver's (the dev extra), pg_config's, PATH's, Debian's."""
    found = []
    spec = importlib.util.find_spec("pgserver")  # its binaries only; importing it would set up its own runtime
    if spec and spec.origin:
        found.append(Path(spec.origin).parent / "pginstall" / "bin")
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        found.append(Path(bindir))
    if shutil.which("postgres"):
        found.append(Path(shutil.which("postgres")).resolve().parent)
    found += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True)
    return [bindir for bindir in dict.fromkeys(found) if (bindir / "postgres").exists()]


def server_version(bindir: Path) -> tuple[int, str]:
    text = subprocess.run([bindir / "postgres", "--version"], capture_output=True, text=True).stdout.strip()
    m = re.search(r"(\d+)(?:\.\d+)*", text)
    return (int(m.group(1)) if m else 0), text


def others_can_run(bindir: Path) -> bool:
    """Whether a user other than the owner can reach and run the binaries (pgserver in a root-only home cannot)."""
    return all(p.stat().st_mode & 0o001 for p in [bindir / "postgres", bindir, *bindir.parents])


def copy_install(bindir: Path, to: Path) -> Path:
    """Copy a server's install (bin/lib/share) where another user can run it, with the libraries a wheel keeps
    beside its package (pgserver's binaries find libpq in ../../../pgserver.libs)."""
    install, package = bindir.parent, bindir.parent.parent
    shutil.copytree(install, to / package.name / install.name, symlinks=True)
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, to / libs.name)
    return to / package.name / install.name / bindir.name


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on a Unix socket in a temporary folder: connection keywords."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is in the dev extra")
    seen = []
    for bindir in server_bindirs():
        major, text = server_version(bindir)
        seen.append(f"{bindir}: {text or 'does not run'}")
        if major >= PG_MIN_VERSION:
            break
    else:
        pytest.skip(f"no PostgreSQL {PG_MIN_VERSION}+ server binaries ({'; '.join(seen) or 'none found'}); "
                    f"`uv run --extra dev` installs pgserver's")
    work = Path(tempfile.mkdtemp(prefix="pg"))  # short: a socket path has at most 107 characters
    run_as = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        nobody = pwd.getpwnam("nobody")
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        if not others_can_run(bindir):
            bindir = copy_install(bindir, work / "site")
        os.chown(work, nobody.pw_uid, nobody.pw_gid)
    server = None
    try:
        init = subprocess.run([bindir / "initdb", "-D", work / "data", "-U", "postgres", "-A", "trust", "-E", "UTF8",
                               "--no-locale", "--no-sync"], capture_output=True, text=True, **run_as)
        if init.returncode:
            pytest.skip(f"initdb ({text}) failed: {init.stderr.strip()[-400:]}")
        log = (work / "server.log").open("wb")
        server = subprocess.Popen([bindir / "postgres", "-D", work / "data", "-k", work, "-c", "listen_addresses=",
                                   "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                                  stdout=log, stderr=subprocess.STDOUT, **run_as)
        conninfo = {"host": str(work), "user": "postgres", "dbname": "postgres"}
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(**conninfo, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (work / "server.log").read_text(errors="replace").strip()[-400:]
                    pytest.skip(f"PostgreSQL ({text}) did not start: {tail}")
                time.sleep(0.1)
        yield conninfo
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)  # fast shutdown
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(work, ignore_errors=True)


def copy_raw_tables(duck: duckdb.DuckDBPyConnection, pg) -> None:
    """raw.* from DuckDB into PostgreSQL, created from the same DDL (load.RAW_TABLES), rows through COPY."""
    pg.execute("create schema raw")
    for table, ddl in load.RAW_TABLES.items():
        pg.execute(f"create table raw.{table} ({ddl})")
        columns = ", ".join(load.column_types(table))
        rows = duck.sql(f"select {columns} from raw.{table}").fetchall()
        with pg.cursor().copy(f"copy raw.{table} ({columns}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)


def canonical(value):
    """A value as compared: floats (DuckDB's double division) as the decimal they print as."""
    return Decimal(repr(value)) if isinstance(value, float) else value


def test_postgres_builds_the_same_marts_as_duckdb(built, postgres, tmp_path):
    import psycopg

    out = tmp_path / "postgres"
    models.compile_models("postgres", out, SQL)
    duck = duckdb.connect(str(built), read_only=True)
    with psycopg.connect(**postgres, autocommit=True) as pg:
        copy_raw_tables(duck, pg)
        for model in models.discover(SQL):
            body = (out / model.schema / f"{model.name}.sql").read_text(encoding="utf-8").strip().rstrip(";")
            kind = "view" if model.materialized == "view" else "table"
            pg.execute(f"create schema if not exists {model.schema}")
            pg.execute(f"create {kind} {model.relation} as\n{body}")
        marts = [m for m in models.discover(SQL) if m.schema == "marts"]
        assert len(marts) == 8
        for model in marts:
            expected = duck.sql(f"select * from {model.relation}")
            cursor = pg.execute(f"select * from {model.relation}")
            assert [d.name for d in cursor.description] == expected.columns, model.relation
            want = Counter(tuple(map(canonical, row)) for row in expected.fetchall())
            got = Counter(tuple(map(canonical, row)) for row in cursor.fetchall())
            assert got == want, (model.relation, list((got - want).items())[:3], list((want - got).items())[:3])
            assert sum(want.values()) > 0 or model.name == "review_documents", model.relation


def argument_counts(sql: str, dialect: str, function: str) -> list[int]:
    """How many arguments each call of `function` in `sql` has, from sqlglot's tokens (Trino's parser
    drops a 4th argument of regexp_replace, so the tree cannot tell)."""
    from sqlglot.tokens import TokenType

    tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    counts = []
    for i, token in enumerate(tokens[:-1]):
        if token.text.upper() != function or tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        depth, n = 0, 1
        for later in tokens[i + 1:]:
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(later.token_type, 0)
            if depth == 0:
                break
            n += depth == 1 and later.token_type == TokenType.COMMA
        counts.append(n)
    return counts


def test_argument_counts_sees_a_fourth_argument():
    assert argument_counts("SELECT NULLIF(REGEXP_REPLACE(a, '(x)', f(1, 2), 'g'), '')", "trino",
                           "REGEXP_REPLACE") == [4]


@pytest.mark.parametrize("dialect", ["trino", "spark"])
def test_trino_and_spark_output_avoids_what_they_reject(tmp_path, dialect):
    """Trino's select item is `*` or `t.*` with no EXCEPT, and so is Spark's before the releases that added it
    (the expanded list runs on every release). Trino's regexp_replace takes 2 or 3 arguments and Spark's 4th
    is a start position, not flags; both replace every match, as DuckDB's with 'g'."""
    written = models.compile_models(dialect, tmp_path, SQL)
    assert len(written) == 18
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\*\s*(EXCEPT|EXCLUDE)\s*\(", text, re.IGNORECASE), path
        tree = sqlglot.parse_one(text, read=dialect)
        assert not [s for s in tree.find_all(exp.Star) if s.args.get("except_")], path
        assert all(n == 3 for n in argument_counts(text, dialect, "REGEXP_REPLACE")), path
    staged = (tmp_path / "staging" / "stg_performance_indicators.sql").read_text(encoding="utf-8")
    assert staged.count("REGEXP_REPLACE(") == 2


def test_a_star_with_exceptions_is_written_out_from_upstream_columns(tmp_path):
    models.compile_models("postgres", tmp_path, SQL)
    current = sqlglot.parse_one((tmp_path / "intermediate" / "int_reports_current.sql").read_text(encoding="utf-8"),
                                read="postgres")
    assert current.named_selects[:3] == ["report_id", "unit_id", "source_file"]
    assert "version_rank" not in current.named_selects and len(current.named_selects) == 22
    summary = sqlglot.parse_one((tmp_path / "marts" / "fct_unit_year_summary.sql").read_text(encoding="utf-8"),
                                read="postgres")
    joined = next(cte.this for cte in summary.find_all(exp.CTE) if cte.alias == "joined")
    assert joined.named_selects.count("report_id") == 1
    assert "unit_budget.income_total_actual" in joined.sql("postgres")
    assert "key_metrics.registered_unemployment_rate" in joined.sql("postgres")


def test_flags_no_target_can_express_are_refused(tmp_path):
    sql = tmp_path / "sql"
    shutil.copytree(SQL, sql)
    path = sql / "staging" / "stg_performance_indicators.sql"
    path.write_text(path.read_text(encoding="utf-8").replace("'\\s+', '', 'g'", "'\\s+', ''", 1), encoding="utf-8")
    with pytest.raises(models.ModelError, match="stg_performance_indicators.sql: cannot compile for trino"):
        models.compile_models("trino", tmp_path / "out", sql)
