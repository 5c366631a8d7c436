"""`warehouse watch`: one process that stays up and refreshes the warehouse when raw/ changes."""

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from pipelines import watch

ROOT = Path(__file__).resolve().parent.parent
FIRST = "000_2ffef96f446e24f3.txt"  # line 84: 2022年全年任务数为500万元，现已完成828万元 (创业担保贷款)


def _lines(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue, needle: str, seconds: float = 120) -> list[str]:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"no line with {needle!r} in {seconds} s; saw:\n{''.join(seen)}")


def test_watch_refreshes_on_a_change_and_stops_on_sigterm(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(ROOT / "raw", raw)
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "watch", "--raw", str(raw),
                             "--warehouse", str(warehouse)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT, env={**os.environ, "DAGSTER_TELEMETRY_DISABLED": "1"})
    try:
        lines = _lines(proc.stdout)
        first = _wait_for(lines, "warehouse watch: up to date")
        assert any("published" in line for line in first)
        con = duckdb.connect(str(warehouse), read_only=True)
        assert con.sql("select count(*) from marts.fct_reports").fetchall() == [(4,)]
        con.close()
        # the first report corrected in place (its loan target 500 -> 600万元), written in two steps
        text = (raw / FIRST).read_text(encoding="utf-8").replace("任务数为500万元", "任务数为600万元")
        with open(raw / FIRST, "w", encoding="utf-8") as out:
            out.write(text[:5000])
            out.flush()
            time.sleep(0.02)
            out.write(text[5000:])
        second = _wait_for(lines, "warehouse watch: up to date")
        assert any("published" in line for line in second)
        con = duckdb.connect(str(warehouse), read_only=True)
        assert con.sql("select count(*) from marts.fct_reports").fetchall() == [(4,)]
        target = con.sql(f"select target_value from raw.employment_metrics where source_file = '{FIRST}' and "
                         "metric_code = 'guaranteed_loans_issued' and actual_value = 828 and source_line = 84")
        assert target.fetchall() == [(600,)]
        con.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_changes_close_together_make_one_refresh_and_hidden_files_and_reads_none(tmp_path):
    calls: list[float] = []
    stop = threading.Event()

    def refresh() -> bool:
        calls.append(time.monotonic())
        return True

    watcher = threading.Thread(target=watch.watch, args=(tmp_path, refresh),
                               kwargs={"settle": 0.3, "stop": stop, "report": lambda line: None})
    watcher.start()
    try:
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:  # the refresh every watch starts with
            time.sleep(0.05)
        for k in range(5):  # a batch of files, each within the quiet window of the last
            (tmp_path / f"{k}.txt").write_text("报告", encoding="utf-8")
            time.sleep(0.05)
        time.sleep(1.0)
        assert len(calls) == 2
        (tmp_path / ".partial.txt").write_text("下载中", encoding="utf-8")
        time.sleep(1.0)
        assert len(calls) == 2
        for k in range(5):  # a build reading the files (their access time changes: inotify's IN_ATTRIB)
            (tmp_path / f"{k}.txt").read_text(encoding="utf-8")
        time.sleep(1.0)
        assert len(calls) == 2
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
