"""The unattended-run probe of issue 17, as one script: a corpus of N synthetic reports plus one
file of each bad class, a build, the outcome per class, kill -9 at points spread over a build with
the next build run after each, the query escapes, an emptied and a missing raw folder, and two builds
started at once. Prints a Markdown table (BENCHMARKS.md, "Safety probe").

    python -m benchmarks.safety_probe --n 1000 --out /tmp/probe
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks.synth import generate

ROOT = Path(__file__).resolve().parent.parent
TITLE = "{county}就业服务中心2023年度部门整体支出绩效自评报告\n"
ESCAPES = [
    "pragma profiling_output='{victim}'", "pragma enable_profiling", "set memory_limit='100GB'",
    "select * from read_text('{victim}')", "select * from read_blob('/etc/hosts')", "select * from glob('/**')",
    "select * from read_csv('http://127.0.0.1:9/a.csv')", "select * from '{victim}'", "install httpfs",
    "load httpfs", "select /* /* */ 1", "select count(*) from range(100000000000000)",
]


@dataclass
class Outcome:
    case: str
    expected: str
    seen: str
    ok: bool


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout, check=False)


def build(raw: Path, warehouse: Path, *extra: str) -> subprocess.CompletedProcess:
    return cli("build", "--raw", str(raw), "--warehouse", str(warehouse), *extra)


def plant_bad_files(raw: Path, good: Path) -> dict[str, str]:
    """One file of each class the review tried; returns file name -> the quarantine reason expected
    ("" where the file must load)."""
    bad = raw / "bad"
    bad.mkdir()
    text = good.read_text(encoding="utf-8")
    (bad / "fifty_digits.txt").write_text(
        TITLE.format(county="湖南省靖州苗族侗族自治县") + "一、部门整体支出情况\n本年支出合计" + "9" * 50
        + "万元，其中基本支出120.50万元。\n", encoding="utf-8")
    (bad / "negative_total.txt").write_text(
        TITLE.format(county="湖南省会同县") + "一、部门整体支出情况\n本年收入合计880.00万元，支出总计-523.18万元。\n",
        encoding="utf-8")
    (bad / "million_lines.txt").write_text("支出\n" * 1_000_000, encoding="utf-8")
    with zipfile.ZipFile(bad / "paragraphs.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", "<w:document><w:body>" + "<w:p><w:r><w:t>支出</w:t></w:r></w:p>"
                   * 3_000_000 + "</w:body></w:document>")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (bad / "old_word.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    (raw / "zz_copy_of_a_report.txt").write_text(text, encoding="utf-8")  # listed after the original
    (bad / "passwd.txt").symlink_to("/etc/passwd")
    return {"bad/fifty_digits.txt": "", "bad/negative_total.txt": "", "bad/million_lines.txt": "too_large",
            "bad/paragraphs.docx": "too_large", "bad/empty.txt": "empty", "bad/binary.txt": "binary",
            "bad/old_word.doc": "unsupported", "zz_copy_of_a_report.txt": "duplicate",
            "bad/passwd.txt": "outside_raw"}


def one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    row = con.execute(sql, list(params)).fetchone()
    return row[0] if row else None


def classes(raw: Path, warehouse: Path, expected: dict[str, str], good: list[str], nested: list[str]) -> list[Outcome]:
    con = duckdb.connect(str(warehouse), read_only=True)
    out = []
    try:
        reasons = dict(con.execute("select file_name, reason_code from raw.quarantine").fetchall())
        reported = {r[0] for r in con.execute("select distinct source_file from marts.fct_reports").fetchall()}
        superseded = {r[0] for r in con.execute("select source_file from intermediate.int_reports_superseded"
                                                 ).fetchall()}
        for name, reason in expected.items():
            seen = reasons.get(name, "loaded" if name in reported else "absent")
            out.append(Outcome(name, reason or "loaded", seen, seen == (reason or "loaded")))
        lost = [n for n in good if n not in reported | superseded and n not in reasons]
        later = len(superseded & set(good))
        out.append(Outcome(f"{len(good)} good reports", "all loaded (or superseded by a later file of the same "
                           "unit and year)", f"{len(good) - len(lost) - later} loaded, {later} superseded, "
                           f"{len(lost)} lost", not lost))
        found = [n for n in nested if n in reported]
        out.append(Outcome(f"{len(nested)} reports in raw/湖南省/2022/", "all loaded, named by their path",
                           f"{len(found)} loaded", len(found) == len(nested)))
        huge = one(con, "select count(*) from marts.fct_budget where amount_wan > 1e20")
        flagged = one(con, "select count(*) from raw.parse_issues where code = 'figure_too_large'")
        out.append(Outcome("50-digit amount", "not published, a parse issue", f"{huge} published, {flagged} issues",
                           huge == 0 and flagged >= 1))
        sign = [float(r[0]) for r in con.execute(
            "select amount_wan from marts.fct_budget where source_file = 'bad/negative_total.txt' "
            "and item_code = 'expenditure_total'").fetchall()]
        out.append(Outcome("支出总计-523.18万元", "-523.18 or left out", str(sign), sign in ([], [-523.18])))
    finally:
        con.close()
    return out


def edited_in_place(raw: Path, warehouse: Path, victim: Path) -> Outcome:
    """Change one digit of a report, keep its size and mtime: the next (incremental) build sees it."""
    stat = victim.stat()
    data = victim.read_bytes()
    at = re.search(rb"[0-9](?=\.?[0-9]*\s*\xe4\xb8\x87\xe5\x85\x83)", data).start()  # a digit of an amount in 万元
    digit = data[at:at + 1]
    victim.write_bytes(data[:at] + (b"1" if digit != b"1" else b"2") + data[at + 1:])
    os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    done = build(raw, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        name = str(victim.relative_to(raw))
        stored = one(con, "select text from raw.documents where file_name = ?", name)
    finally:
        con.close()
    ok = done.returncode == 0 and stored == victim.read_text(encoding="utf-8")
    return Outcome("report edited, size and mtime kept", "new text loaded", "new text" if ok else "old text", ok)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def kills(raw: Path, warehouse: Path, full_seconds: float, count: int) -> list[Outcome]:
    """kill -9 a full build at `count` points spread over its length; after each: the published file
    opens with every report, no process of the killed build is left, the next build publishes."""
    out = []
    reports = lambda: one(duckdb.connect(str(warehouse), read_only=True), "select count(*) from marts.fct_reports")  # noqa: E731
    before = reports()
    for i in range(count):
        delay = full_seconds * (i + 0.5) / count
        proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "build", "--full", "--raw", str(raw),
                                 "--warehouse", str(warehouse)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        kids = children_of(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(1.0)
        left = [k for k in kids if Path(f"/proc/{k}").exists() and "zombie" not in
                Path(f"/proc/{k}/status").read_text().lower()]
        whole = reports() == before
        after = build(raw, warehouse, "--full")
        ok = whole and not left and after.returncode == 0
        out.append(Outcome(f"kill -9 at {delay:.1f} s", "file whole, no process left, next build publishes",
                           f"whole={whole}, left={len(left)}, next exit {after.returncode}", ok))
    return out


def escapes(warehouse: Path, scratch: Path) -> Outcome:
    victim = scratch / "victim.txt"
    refused = 0
    for sql in ESCAPES:
        victim.write_text("一份报告", encoding="utf-8")
        done = cli("query", "--warehouse", str(warehouse), sql.format(victim=victim),
                   env={"WAREHOUSE_QUERY_TIMEOUT": "2"}, timeout=120)
        if (done.returncode == 2 and "Traceback" not in done.stderr and "一份报告" not in done.stdout + done.stderr
                and victim.read_text(encoding="utf-8") == "一份报告"):
            refused += 1
    return Outcome(f"{len(ESCAPES)} query escapes", "all refused with a message", f"{refused} refused",
                   refused == len(ESCAPES))


def folders(warehouse: Path, scratch: Path) -> list[Outcome]:
    digest = warehouse.read_bytes()
    empty = scratch / "empty_raw"
    empty.mkdir(exist_ok=True)
    refused = build(empty, warehouse)
    missing = build(scratch / "no_such_folder", warehouse)
    kept = warehouse.read_bytes() == digest
    return [Outcome("empty raw folder", "not published", f"exit {refused.returncode}, file kept={kept}",
                    refused.returncode != 0 and kept),
            Outcome("missing raw folder", "exit 2 with a message", f"exit {missing.returncode}: "
                    f"{missing.stderr.strip()[:60]}", missing.returncode == 2 and "Traceback" not in missing.stderr)]


def two_at_once(raw: Path, warehouse: Path) -> Outcome:
    cmd = [sys.executable, "-m", "pipelines.cli", "build", "--full", "--raw", str(raw), "--warehouse", str(warehouse)]
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    first.wait()
    return Outcome("two builds at once", "second exits 4, first publishes",
                   f"second exit {second.returncode}, first exit {first.returncode}",
                   second.returncode == 4 and first.returncode == 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--kills", type=int, default=14)
    ap.add_argument("--out", type=Path, default=Path("/tmp/perfwarehouse-probe"))
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    files = generate(args.n, 11, args.out)
    raw = files[0].parent
    nested_dir = raw / "湖南省" / "2022"
    nested_dir.mkdir(parents=True)
    nested = []
    for path in generate(20, 12, args.out / "more"):
        shutil.move(path, nested_dir / path.name)
        nested.append(f"湖南省/2022/{path.name}")
    expected = plant_bad_files(raw, files[0])
    warehouse = args.out / "warehouse.duckdb"
    started = time.perf_counter()
    first = build(raw, warehouse, "--full")
    full_seconds = time.perf_counter() - started
    if first.returncode != 0:
        print(first.stdout[-2000:], first.stderr[-2000:], file=sys.stderr)
        return 1
    rows = classes(raw, warehouse, expected, [p.name for p in files], nested)
    rows.append(edited_in_place(raw, warehouse, files[1]))
    rows.append(escapes(warehouse, args.out))
    rows += folders(warehouse, args.out)
    rows.append(two_at_once(raw, warehouse))
    rows += kills(raw, warehouse, full_seconds, args.kills)
    print(f"{args.n} reports + {len(nested)} in a sub-folder + {len(expected)} bad files; "
          f"full build {full_seconds:.1f} s\n")
    print("| case | expected | seen | ok |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r.case} | {r.expected} | {r.seen} | {'yes' if r.ok else '**no**'} |")
    print(f"\n{sum(r.ok for r in rows)} of {len(rows)} as expected")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
