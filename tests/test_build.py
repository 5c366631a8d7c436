"""End to end: `warehouse build` on the bundled reports, through the real Dagster job, into a
real DuckDB file; the marts contract, the gold facts, provenance, incremental refresh."""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract" / "MARTS.md"
SCORER = ROOT.parent / "shared" / "tools" / "score_extraction.py"


def contract_columns() -> dict[str, set[str]]:
    """Tables and columns listed in MARTS.md (a copy of the list is kept here if shared/ is absent)."""
    if not CONTRACT.exists():
        pytest.skip("contract not available")
    tables: dict[str, set[str]] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        m = re.match(r"## marts\.(\w+)", line)
        if m:
            current = tables.setdefault(m.group(1), set())
        elif current is not None and line.startswith("| ") and not line.startswith("| column") and "---" not in line:
            for name in line.split("|")[1].split(","):
                current.add(name.strip())
    return tables


def test_marts_have_every_contract_column(built):
    con = duckdb.connect(str(built), read_only=True)
    for table, columns in contract_columns().items():
        have = {r[0] for r in con.sql(
            f"select column_name from information_schema.columns where table_schema='marts' "
            f"and table_name='{table}'").fetchall()}
        assert columns <= have, (table, columns - have)
    assert con.sql("select count(*) from marts.fct_reports").fetchall()[0][0] == 4


def test_extraction_scores_against_gold(built):
    if not SCORER.exists():
        pytest.skip("scorer not available")
    out = subprocess.run([sys.executable, str(SCORER), "--warehouse", str(built), "--min-f1", "0.95"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mart_evidence_is_in_the_source_lines(built):
    con = duckdb.connect(str(built), read_only=True)
    texts = {f: t.split("\n") for f, t in con.sql("select file_name, text from raw.documents").fetchall()}
    for table in ("fct_budget", "fct_employment_metrics"):
        rows = con.sql(f"select source_file, source_line, evidence from marts.{table}").fetchall()
        assert rows
        for source_file, line, evidence in rows:
            lines = texts[source_file]
            assert evidence in "\n".join(lines[line - 1: line + 3]), (table, source_file, line, evidence)


def test_rebuild_without_changes_parses_nothing_and_equals_full(built, tmp_path):
    con = duckdb.connect(str(built), read_only=True)
    before = con.sql("select * from marts.fct_budget order by all").fetchall()
    con.close()
    assert main(["build", "--warehouse", str(built), "--raw", str(ROOT / "raw")]) == 0
    con = duckdb.connect(str(built), read_only=True)
    assert con.sql("select * from marts.fct_budget order by all").fetchall() == before


def test_definitions_validate():
    out = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_saved_example_queries(built):
    from pipelines import serve

    examples = sorted((ROOT / "sql" / "examples").glob("*.sql"))
    assert len(examples) >= 3
    results = {p.stem: json.loads(serve.query(p.read_text(encoding="utf-8"), built, "json")) for p in examples}
    assert all(results.values()), results
    by_level = {(r["admin_level"], r["fiscal_year"]): float(r["execution_pct"])
                for r in results["budget_execution_by_level"]}
    # 003: 实际支出 8675.33 of 「预算金额9853.12万元」; 000: 决算总支出 299.83 of 年初预算总支出 373.34
    assert by_level[("prefecture", 2022)] == 88.0
    assert by_level[("county", 2022)] == 80.3


def test_query_while_publishing_and_killed_build(built, tmp_path):
    reader = duckdb.connect(str(built), read_only=True)
    before = reader.sql("select count(*) from marts.fct_budget").fetchall()
    assert main(["build", "--warehouse", str(built), "--raw", str(ROOT / "raw"), "--full"]) == 0
    assert reader.sql("select count(*) from marts.fct_budget").fetchall() == before  # old snapshot still readable
    reader.close()

    digest = hashlib.sha256(built.read_bytes()).hexdigest()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "build", "--warehouse", str(built),
                             "--raw", str(ROOT / "raw"), "--full"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = Path(f"{built}.building")
    deadline = time.time() + 60
    while not staging.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert hashlib.sha256(built.read_bytes()).hexdigest() == digest
    con = duckdb.connect(str(built), read_only=True)
    assert con.sql("select count(*) from marts.fct_budget").fetchall() == before


MART_QUERIES = {
    "fct_budget": "select source_file, org, item_code, basis, amount_wan, source_line, evidence from marts.fct_budget",
    "fct_employment_metrics": "select source_file, metric_code, actual_value, target_value, evidence "
                              "from marts.fct_employment_metrics",
    "fct_reports": "select * from marts.fct_reports",
    "dim_unit": "select * from marts.dim_unit",
}


def marts_of(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name: sorted(con.sql(q).fetchall(), key=repr) for name, q in MART_QUERIES.items()}
    finally:
        con.close()


def test_incremental_refresh_equals_full_build(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    incremental, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    assert main(["build", "--warehouse", str(incremental), "--raw", str(raw)]) == 0
    con = duckdb.connect(str(incremental), read_only=True)
    parsed_at = dict(con.sql("select file_name, parsed_at from raw.parse_state").fetchall())
    con.close()
    (raw / "001_7aa3f15b6822626a.txt").unlink()  # a removed file's facts must leave
    changed = raw / "004_52c6ee96ad68c98b.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("实际支出 1371.57 万元", "实际支出 1371.58 万元"),
                       encoding="utf-8")
    assert main(["build", "--warehouse", str(incremental), "--raw", str(raw)]) == 0
    assert main(["build", "--warehouse", str(full), "--raw", str(raw), "--full"]) == 0
    assert marts_of(incremental) == marts_of(full)
    con = duckdb.connect(str(incremental), read_only=True)
    after = dict(con.sql("select file_name, parsed_at from raw.parse_state").fetchall())
    assert "001_7aa3f15b6822626a.txt" not in after
    assert after["000_2ffef96f446e24f3.txt"] == parsed_at["000_2ffef96f446e24f3.txt"]  # unchanged: not re-parsed
    assert after["004_52c6ee96ad68c98b.txt"] != parsed_at["004_52c6ee96ad68c98b.txt"]
    assert con.sql("select amount_wan from marts.fct_budget where source_file like '004%' and "
                   "item_code = 'expenditure_total' and basis = 'actual'").fetchall()[0][0] == Decimal("1371.58")


def test_bad_files_are_quarantined_and_the_batch_loads(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "004_52c6ee96ad68c98b.txt", raw)
    shutil.copy(ROOT / "raw" / "004_52c6ee96ad68c98b.txt", raw / "004_again.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.txt").write_text("会议纪要：下周二开会。", encoding="utf-8")  # readable, but no report
    # figures without a unit or year: kept, and listed for review instead of quarantined
    (raw / "fragment.txt").write_text("一、预算执行情况\n全年实际支出合计1,234.56万元，其中基本支出1,000.00万元。\n"
                                      "城镇新增就业1,256人。\n", encoding="utf-8")
    out = tmp_path / "w.duckdb"
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0
    assert "files read: 3, quarantined: 3" in capsys.readouterr().out
    con = duckdb.connect(str(out), read_only=True)
    assert dict(con.sql("select file_name, reason_code from raw.quarantine").fetchall()) == {
        "004_again.txt": "duplicate", "empty.txt": "empty", "notes.txt": "no_report"}
    assert con.sql("select count(*) from marts.fct_reports").fetchall()[0][0] == 1
    assert "会议纪要" in con.sql("select text from raw.documents where file_name = 'notes.txt'").fetchall()[0][0]
    assert con.sql("select source_file, review_reason, issue_codes, n_budget_facts, n_metrics "
                   "from marts.review_documents").fetchall() == [
        ("fragment.txt", "no unit name or fiscal year", "missing_fiscal_year, missing_unit_name", 2, 1)]
    assert con.sql("select sum(amount_wan) from staging.stg_budget where source_file = 'fragment.txt'"
                   ).fetchall()[0][0] == Decimal("2234.56")
    con.close()
    (raw / "empty2.txt").write_bytes(b"")
    assert main(["build", "--warehouse", str(out), "--raw", str(raw), "--strict"]) == 3


def test_a_parse_partition_runs_alone_and_writes_only_its_file(built, tmp_path):
    """What a cluster worker does: one partition of `parse/shards`, the warehouse opened read-only."""
    import dagster as dg

    from pipelines.assets import PARSE_SHARDS, Publisher, parse_shards, shard_of

    warehouse = tmp_path / "w.duckdb"
    shutil.copy(built, warehouse)
    shutil.copytree(f"{built}.parsed", f"{warehouse}.parsed")
    shutil.copy(warehouse, f"{warehouse}.building")
    shard = shard_of("004_52c6ee96ad68c98b.txt")
    others = {p.name: p.stat().st_mtime_ns for p in Path(f"{warehouse}.parsed").glob("*.duckdb")
              if p.stem != shard}
    Path(f"{warehouse}.parsed", f"{shard}.duckdb").unlink()
    result = dg.materialize([parse_shards], partition_key=shard,
                            resources={"publisher": Publisher(path=str(warehouse))})
    assert result.success
    assert {p.name: p.stat().st_mtime_ns for p in Path(f"{warehouse}.parsed").glob("*.duckdb")
            if p.stem != shard} == others
    con = duckdb.connect(f"{warehouse}.parsed/{shard}.duckdb", read_only=True)
    files = {r[0] for r in con.sql("select file_name from raw.parse_state").fetchall()}
    assert "004_52c6ee96ad68c98b.txt" in files and {shard_of(f) for f in files} == {shard}
    assert con.sql("select amount_wan from raw.budget_facts where item_code = 'expenditure_total' and basis = "
                   "'actual' and is_selected").fetchall() == [(Decimal("1371.57"),)]
    con.close()
    assert len(PARSE_SHARDS.get_partition_keys()) == 16


def test_schedule_and_sensor_request_a_run_over_every_parse_partition(tmp_path):
    import dagster as dg

    from pipelines.assets import ALL_SHARDS
    from pipelines.definitions import build_definitions

    raw = tmp_path / "raw"
    raw.mkdir()
    defs = build_definitions(tmp_path / "w.duckdb", raw)
    schedule = defs.resolve_schedule_def("nightly_build")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Asia/Shanghai")
    request = schedule.evaluate_tick(dg.build_schedule_context(instance=dg.DagsterInstance.ephemeral()))
    assert [r.tags.items() >= ALL_SHARDS.items() for r in request.run_requests] == [True]
    sensor = defs.resolve_sensor_def("raw_folder_sensor")

    def tick(cursor):
        return sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral()))

    first = tick(None)
    assert [r.tags.items() >= ALL_SHARDS.items() for r in first.run_requests] == [True]
    assert tick(first.cursor).run_requests == []  # nothing changed
    (raw / "new.txt").write_text("新报告", encoding="utf-8")
    added = tick(first.cursor)
    assert len(added.run_requests) == 1
    (raw / "new.txt").unlink()
    assert len(tick(added.cursor).run_requests) == 1  # back to an earlier state: still a run


def test_schedule_and_sensor_are_off_unless_turned_on(tmp_path, monkeypatch):
    """A bare `dagster dev` must not start a build by itself; WAREHOUSE_AUTOMATION=on turns both on."""
    import dagster as dg

    from pipelines.definitions import build_definitions

    def statuses() -> tuple:
        defs = build_definitions(tmp_path / "w.duckdb", tmp_path)
        return (defs.resolve_schedule_def("nightly_build").default_status,
                defs.resolve_sensor_def("raw_folder_sensor").default_status)

    monkeypatch.delenv("WAREHOUSE_AUTOMATION", raising=False)
    assert statuses() == (dg.DefaultScheduleStatus.STOPPED, dg.DefaultSensorStatus.STOPPED)
    monkeypatch.setenv("WAREHOUSE_AUTOMATION", "on")
    assert statuses() == (dg.DefaultScheduleStatus.RUNNING, dg.DefaultSensorStatus.RUNNING)


def test_a_second_build_of_the_same_warehouse_does_not_start(tmp_path, capsys):
    import fcntl

    warehouse = tmp_path / "w.duckdb"
    with open(f"{warehouse}.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a build running in another process holds it
        assert main(["build", "--warehouse", str(warehouse), "--raw", str(ROOT / "raw")]) == 4
    assert "another build" in capsys.readouterr().err
    assert not warehouse.exists() and not Path(f"{warehouse}.building").exists()


def test_the_parse_over_processes_gives_what_one_process_gives(tmp_path, monkeypatch):
    """From 200 documents on, the parse runs in a process pool (each process loads and freezes
    the parser's tables first); its rows must be those of the parse in the build's own process."""
    from benchmarks.synth import generate

    raw = generate(210, 7, tmp_path / "synth")[0].parent

    def tables(workers: str) -> dict[str, list]:
        monkeypatch.setenv("WAREHOUSE_PARSE_WORKERS", workers)
        warehouse = tmp_path / f"w{workers}.duckdb"
        assert main(["build", "--raw", str(raw), "--warehouse", str(warehouse), "--full"]) == 0
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return {t: sorted(con.sql(f"select * from {t}").fetchall(), key=repr)
                    for t in ("raw.budget_facts", "raw.employment_metrics", "raw.report_fields", "marts.fct_budget")}
        finally:
            con.close()

    pooled = tables("2")
    assert len(pooled["raw.budget_facts"]) > 210 * 10
    assert pooled == tables("1")


def build_beside_a_good_report(tmp_path, name: str) -> tuple[list[tuple], int]:
    """Build one bundled report and the small report `name`: the quarantine rows and the reports published."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / "004_52c6ee96ad68c98b.txt", raw)
    (raw / name).write_text("某县就业服务中心2023年度部门整体支出绩效自评报告\n支出合计100万元。", encoding="utf-8")
    out = tmp_path / "w.duckdb"
    assert main(["build", "--warehouse", str(out), "--raw", str(raw)]) == 0
    con = duckdb.connect(str(out), read_only=True)
    try:
        return (con.sql("select file_name, reason_code, message from raw.quarantine").fetchall(),
                con.sql("select count(*) from marts.fct_reports").fetchall()[0][0])
    finally:
        con.close()


def test_a_parser_failure_quarantines_only_that_file_with_its_cause(tmp_path, monkeypatch):
    import pipelines.assets as assets

    real = assets.parse_document

    def failing(name, text):
        if name.startswith("boom") and text:  # the fallback parses the empty text
            raise ValueError("a figure the parser cannot hold")
        return real(name, text)

    monkeypatch.setattr(assets, "parse_document", failing)
    quarantined, reports = build_beside_a_good_report(tmp_path, "boom.txt")
    assert quarantined == [
        ("boom.txt", "parser_error", "the parser failed on this file: ValueError: a figure the parser cannot hold")]
    assert reports == 1


def built_from_a_copy(tmp_path) -> tuple[Path, Path]:
    """raw/ copied into tmp_path and built there: (the copy, the warehouse)."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    warehouse = tmp_path / "w.duckdb"
    assert main(["build", "--warehouse", str(warehouse), "--raw", str(raw)]) == 0
    return raw, warehouse


def test_a_build_that_loses_most_reports_is_not_published(tmp_path, capsys):
    """An emptied or wrongly mounted raw/ must not wipe the published warehouse overnight."""
    raw, warehouse = built_from_a_copy(tmp_path)
    published = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    for path in sorted(raw.iterdir())[:3]:
        path.unlink()  # 4 reports -> 1
    capsys.readouterr()
    assert main(["build", "--warehouse", str(warehouse), "--raw", str(raw)]) == 1
    out = capsys.readouterr().out
    assert "NOT published" in out and "this build has 1 reports, the published warehouse 4" in out
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == published
    assert main(["build", "--warehouse", str(warehouse), "--raw", str(raw), "--allow-shrink"]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.sql("select count(*) from marts.fct_reports").fetchall()[0][0] == 1
    con.close()


def test_a_missing_raw_folder_is_a_clear_error(tmp_path, capsys):
    warehouse = tmp_path / "w.duckdb"
    assert main(["build", "--warehouse", str(warehouse), "--raw", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not warehouse.exists()


def _alive_after(pids: list[int], seconds: float) -> list[int]:
    """The processes still running (not zombies) after waiting up to `seconds` for them to end."""
    def alive(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + seconds
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


KILLED_BUILD = """
import fcntl, os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from pipelines.assets import _start_parse_process

def pid(_):
    time.sleep(0.3)
    return os.getpid()

lock = open(sys.argv[1], "a")
fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
os.environ["WAREHOUSE_LOCK_FD"] = str(lock.fileno())
pool = ProcessPoolExecutor(max_workers=2, initializer=_start_parse_process, initargs=(os.getpid(),))
print(*set(pool.map(pid, range(4))), flush=True)
pool.submit(time.sleep, 60)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_build_leaves_no_parse_process_and_no_lock(tmp_path):
    """kill -9 during the parse: its worker processes die with it and the next build can take the lock."""
    import fcntl

    lock_path = tmp_path / "w.duckdb.lock"
    proc = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(lock_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    workers = [int(p) for p in proc.stdout.split()]
    assert workers and not any(_alive_after(workers, 10))
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if a worker still held it


KILLED_BUILD_WITH_HELPER = """
import fcntl, os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from pipelines import processes
from pipelines.assets import _start_parse_process

def pid(_):
    time.sleep(0.3)
    return -1 if "WAREHOUSE_LOCK_FD" in os.environ else os.getpid()  # (-1: it would close that number)

def helper():
    pool = ProcessPoolExecutor(max_workers=2, initializer=_start_parse_process, initargs=(os.getpid(),))
    print(os.getpid(), *set(pool.map(pid, range(4))), flush=True)
    pool.submit(time.sleep, 60)
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)

lock = open(sys.argv[1], "a")
fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
os.environ["WAREHOUSE_LOCK_FD"] = str(lock.fileno())
processes.run_apart(helper)
"""


def test_a_killed_build_leaves_no_helper_and_no_worker_of_a_helper(tmp_path):
    """A full build plans and runs its parse in a helper process whose pool holds the workers: kill -9 of
    the build ends the helper and, through it, its workers; none of them holds the lock (the helper
    closed its copy, and its workers had none to close)."""
    import fcntl

    lock_path = tmp_path / "w.duckdb.lock"
    proc = subprocess.run([sys.executable, "-c", KILLED_BUILD_WITH_HELPER, str(lock_path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) >= 2 and min(pids) > 0 and not any(_alive_after(pids, 10))
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_run_apart_answers_from_another_process_and_passes_its_error_on():
    from pipelines import processes

    assert processes.run_apart(os.getpid) != os.getpid()
    with pytest.raises(ZeroDivisionError):
        processes.run_apart(divmod, 1, 0)


def test_a_dagster_run_takes_the_build_lock(tmp_path, monkeypatch):
    """Schedule, sensor and UI runs hold the same lock as `warehouse build`, for the run's length."""
    import fcntl

    import dagster as dg

    from pipelines.assets import BuildLock

    monkeypatch.delenv("WAREHOUSE_LOCK_FD", raising=False)
    path = tmp_path / "w.duckdb.lock"

    def can_lock() -> bool:
        with open(path, "a") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False

    with dg.build_resources({"build_lock": BuildLock(path=str(path))}):
        assert not can_lock()  # a CLI build started now would exit 4
    assert can_lock()
    with open(path, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a build running elsewhere
        with pytest.raises(dg.DagsterResourceFunctionError) as refused, \
                dg.build_resources({"build_lock": BuildLock(path=str(path))}):
            pass
    assert "another build" in str(refused.value.__cause__)


def test_a_parse_that_runs_too_long_quarantines_only_that_file(tmp_path, monkeypatch):
    """A file that would keep the parser busy (here a regular expression that backtracks for ever)
    is stopped at WAREHOUSE_MAX_PARSE_SECONDS and quarantined; the other report loads."""
    import re

    import pipelines.assets as assets

    real = assets.parse_document
    runaway = re.compile(r"(a+)+b")

    def slow(name, text):
        if name.startswith("slow") and text:
            runaway.match("a" * 40)  # 2**40 steps: hours, unless the limit stops it
        return real(name, text)

    monkeypatch.setattr(assets, "parse_document", slow)
    monkeypatch.setenv("WAREHOUSE_MAX_PARSE_SECONDS", "0.5")
    ((name, code, message),), reports = build_beside_a_good_report(tmp_path, "slow.txt")
    assert (name, code) == ("slow.txt", "too_slow")
    assert "more than 0.5 s" in message and "WAREHOUSE_MAX_PARSE_SECONDS" in message
    assert reports == 1


def test_an_edit_that_keeps_size_and_mtime_is_built(tmp_path, capsys):
    """`warehouse build` says "nothing changed" only when the bytes' hashes agree too."""
    raw, warehouse = built_from_a_copy(tmp_path)
    report = raw / "000_2ffef96f446e24f3.txt"
    stat = report.stat()
    text = report.read_text(encoding="utf-8")
    assert text.count("299.83") >= 1
    report.write_text(text.replace("299.83", "299.88"), encoding="utf-8")  # same length
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert report.stat().st_size == stat.st_size
    capsys.readouterr()
    assert main(["build", "--warehouse", str(warehouse), "--raw", str(raw)]) == 0
    assert "nothing changed" not in capsys.readouterr().out
    con = duckdb.connect(str(warehouse), read_only=True)
    spent = con.sql("select amount_wan from marts.fct_budget where source_file = '000_2ffef96f446e24f3.txt' "
                    "and item_code = 'expenditure_total' and basis = 'actual' and org is null").fetchall()
    assert spent == [(Decimal("299.880000"),)]
