"""Data quality: Great Expectations suites (expectations/*.json) run as Dagster asset checks.

GX's SQL datasource does not run on DuckDB, so each suite names a query (its `meta.query`);
the query's result - with any cross-row arithmetic already computed in SQL - is validated
as a pandas DataFrame. `meta.severity` is `error` (a blocking check: what depends on the
asset is not built, and the warehouse is not published) or `warning` (recorded, shown, the
load goes on). Every run appends its results to `quality.check_results`.

A suite may name its `meta.scope`: the column that holds each row's source file. A refresh
then validates only the rows of the files that changed (and of the files that failed the
suite last time, and of the files that share a unique key with those): see `scoped_query` and
`sharing_query`.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

import duckdb

from pipelines import config, lazy, load

RESULTS = {"run_id": "varchar", "suite": "varchar", "expectation": "varchar", "table_name": "varchar",
           "severity": "varchar", "passed": "boolean", "unexpected_count": "bigint", "sample": "varchar",
           "checked_at": "timestamp", "rows_checked": "bigint"}
RESULTS_DDL = "create table if not exists quality.check_results ({})".format(
    ", ".join(f"{name} {sql_type}" for name, sql_type in RESULTS.items()))
# The files whose rows failed each suite when it last ran (file_name NULL: a failure of the table as a whole).
FAILING_DDL = "create table if not exists quality.failing_files (suite varchar, file_name varchar)"

# Expectation types that hold for a table when they hold for each row: checked on the changed rows only.
ROW_WISE = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set", "expect_column_values_to_be_between",
    "expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex",
    "expect_column_value_lengths_to_equal", "expect_column_value_lengths_to_be_between",
    "expect_column_pair_values_to_be_equal", "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_multicolumn_sum_to_equal", "expect_select_column_values_to_be_unique_within_record",
    "expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list", "expect_column_to_exist",
})
# Uniqueness: checked on the changed rows and every row that shares its key with one of them.
UNIQUE_KEY = {"expect_column_values_to_be_unique": lambda kwargs: [kwargs["column"]],
              "expect_compound_columns_to_be_unique": lambda kwargs: list(kwargs["column_list"])}


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str  # schema.table the suite guards
    severity: str  # error / warning
    query: str
    keys: tuple[str, ...]
    description: str
    expectations: tuple[dict[str, Any], ...]
    scope: str | None = None  # the column of each row's source file, when the suite can be checked by file

    @property
    def body(self) -> str:
        """The suite's query, to nest in another (no trailing semicolon)."""
        return self.query.strip().rstrip(";")

    @property
    def scopable(self) -> bool:
        """True when checking the changed files' rows (see scoped_query) finds every failure."""
        return self.scope is not None and all(e["type"] in ROW_WISE or e["type"] in UNIQUE_KEY
                                              for e in self.expectations)


@dataclass(frozen=True)
class CheckResult:
    suite: str
    expectation: str
    table_name: str
    severity: str
    passed: bool
    unexpected_count: int
    sample: str
    rows_checked: int = 0
    failing_files: tuple[str | None, ...] = ()  # None: failed as a whole, not by rows


def load_suites(folder: Path | None = None) -> list[Suite]:
    suites = []
    for path in sorted((folder or config.expectations_dir()).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = data["meta"]
        suites.append(Suite(data["name"], meta["asset"], meta["severity"], meta["query"], tuple(meta["keys"]),
                            meta.get("description", ""), tuple(data["expectations"]), meta.get("scope")))
    return suites


@cache
def _gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx


@cache
def _batch_definition() -> Any:
    """One ephemeral GX context per process, with one pandas asset that every suite's rows pass
    through (a context per suite re-serialises its configuration three times: a fifth of a check)."""
    context = _gx().get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("rows")
    return asset.add_batch_definition_whole_dataframe("all")


class WorkerGone(RuntimeError):
    """The validation process is no longer there."""


RECYCLE = 3  # the exit status of a validating process that ends to give way to a fresh one


def _send(out: IO[bytes], message: object) -> None:
    """One message on a channel: its length, then its pickle (so a reader takes no byte of the next)."""
    data = pickle.dumps(message)
    out.write(len(data).to_bytes(8, "big") + data)
    out.flush()


def _receive(fd: int) -> Any:
    """The next message on a channel's file descriptor, read to its last byte and no further; EOFError
    at the end of the channel."""
    size = int.from_bytes(_read_exactly(fd, 8), "big")
    return pickle.loads(_read_exactly(fd, size))


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Worker:
    """A Python process that imports GX at its start and then forks the processes that validate what
    they are sent: a message (suite, Parquet file of rows, kwargs) on a channel, a message (ok, results
    or error) back on it. There are two channels, each with its own validating process, so the checks
    of a step run on two cores (a suite's GX validation is tens of ms of Python, most of a refresh's
    checks). A validating process that has grown past config.worker_recycle_mb() (pandas and GX keep what they
    took) ends after its answer, and the first process forks a fresh one in its place from GX as
    imported: what the workers hold does not grow with the number of parts a build checks."""

    def __init__(self) -> None:
        to_sibling, from_sibling = os.pipe(), os.pipe()  # (read, write) each
        passed = (to_sibling[0], from_sibling[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(config.PROJECT_ROOT),
                                                                           os.environ.get("PYTHONPATH")])),
               "WAREHOUSE_BUILD_PID": str(os.getpid()),  # the worker dies with this process
               "WAREHOUSE_SIBLING_FDS": ",".join(map(str, passed))}
        self.proc = subprocess.Popen([sys.executable, "-c", "from pipelines.quality import serve; serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, pass_fds=passed)
        for fd in passed:
            os.close(fd)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.channels: list[tuple[IO[bytes], IO[bytes]]] = [
            (self.proc.stdin, self.proc.stdout),
            (os.fdopen(to_sibling[1], "wb"), os.fdopen(from_sibling[0], "rb"))]

    def _gone(self) -> WorkerGone:
        return WorkerGone(f"the validation process ended (exit code {self.proc.poll()})")

    def send(self, channel: int, suite: Suite, rows: str, kwargs: list[dict[str, Any]]) -> None:
        try:
            _send(self.channels[channel][0], (suite, rows, kwargs))
        except BrokenPipeError as err:
            raise self._gone() from err

    def receive(self, channel: int) -> list[CheckResult]:
        """The results of the oldest suite sent on `channel` and not yet received."""
        try:
            ok, answer = _receive(self.channels[channel][1].fileno())
        except EOFError as err:
            raise self._gone() from err
        if not ok:
            raise RuntimeError(f"validation failed in the worker process: {answer}")
        return answer

    def stop(self) -> None:
        self.proc.kill()  # idle, or still importing GX: nothing to lose (its children die with it)
        self.proc.wait()
        for pipe in self.channels[1]:
            pipe.close()


def serve() -> None:
    """The worker's first process (see _Worker): it imports GX, forks a validating process for each
    channel, and forks another in the place of one that ends to be recycled. It ends at the end of the
    input (both validating processes end with status 0), and ends them all when one fails otherwise:
    the build then sees the channels close (WorkerGone) and validates the rest itself."""
    from pipelines import processes

    processes.die_with_parent(int(os.environ.get("WAREHOUSE_BUILD_PID", os.getppid())))
    sys.stdout = sys.stderr  # anything GX prints must not mix with the answers (file descriptor 1)
    with lazy.deferred("scipy", "altair"):  # about 0.8 s of GX's import, for expectations no suite uses
        _batch_definition()
    import pyarrow.parquet  # noqa: F401 - imported now, while the build is busy elsewhere
    sibling = [int(fd) for fd in os.environ.get("WAREHOUSE_SIBLING_FDS", "").split(",") if fd]
    channels = [(0, 1)] + ([(sibling[0], sibling[1])] if sibling else [])
    me = os.getpid()
    validating: dict[int, int] = {}  # process id -> its channel

    def fork(k: int) -> None:
        pid = os.fork()
        if pid == 0:
            processes.die_with_parent(me)
            _answer(*channels[k])
        validating[pid] = k

    for k in range(len(channels)):
        fork(k)
    while validating:
        pid, status = os.wait()
        k = validating.pop(pid, None)
        if k is None:
            continue  # (a process a library started, not one of ours)
        code = os.waitstatus_to_exitcode(status)
        if code == RECYCLE:
            fork(k)
        elif code != 0:
            for other in validating:
                os.kill(other, 9)
            os._exit(1)
    os._exit(0)


def _answer(requests: int, answers: int) -> None:
    """A validating process's loop: answer each message of `requests` on `answers`; end at the end of the
    requests (status 0), or after an answer once past config.worker_recycle_mb() (status RECYCLE)."""
    out = os.fdopen(answers, "wb", closefd=False)
    limit = config.worker_recycle_mb()
    while True:
        try:
            suite, rows, kwargs = _receive(requests)
        except EOFError:
            os._exit(0)
        try:
            answer: tuple[bool, Any] = (True, validate_rows(suite, rows, kwargs))
        except Exception as err:  # noqa: BLE001 - reported to the build, which fails the check
            answer = (False, f"{type(err).__name__}: {err}")
        _send(out, answer)
        if _rss_mb() > limit:
            os._exit(RECYCLE)


def _rss_mb() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


_worker: _Worker | None = None


def start_worker() -> None:
    """Validate in a separate process from now on, importing Great Expectations there at once.

    GX's import takes seconds of CPU. In a thread it holds the GIL against the load (every
    syscall of the main thread then waits for it); in a process it runs on another core while
    the build ingests and parses. Only the suites' query results (Parquet files) cross to it.
    For `warehouse build`, which runs every step in one process; stop it with stop_worker().
    """
    global _worker
    if _worker is None:
        _worker = _Worker()


def stop_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def _vocab(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.sql(f"select code from raw.{table}").fetchall()]


def _resolve(kwargs: dict[str, Any], con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """'$vocab:vocab_metrics' -> the codes of raw.vocab_metrics."""
    out = dict(kwargs)
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("$vocab:"):
            out[key] = _vocab(con, value.split(":", 1)[1])
    return out


def _label(expectation: dict[str, Any]) -> str:
    kwargs = expectation["kwargs"]
    target = kwargs.get("column") or kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")]
    return f"{expectation['type']}({target if isinstance(target, str) else ', '.join(map(str, target))})"


def _of_files(suite: Suite, ranged: bool = False) -> str:
    """The filter of the rows of the files in `$files`, or with `ranged`, of the files from `$lo` to `$hi`."""
    scope = f'"{suite.scope}"'
    return f"{scope} between $lo and $hi" if ranged else f"{scope} = any($files)"


def scoped_query(suite: Suite, unscoped: bool = True, ranged: bool = False) -> str:
    """The suite's query cut to the rows of the files in `$files` (and the rows without a file, unless
    `unscoped` is False; with `ranged`, and the files from `$lo` to `$hi`). A plain filter on the file
    column, so DuckDB applies it in the table scan (a report's text is not read)."""
    kept = f'"{suite.scope}" is null or ' if unscoped else ""
    in_range = f"{_of_files(suite, ranged=True)} or " if ranged else ""
    return f"select * from ({suite.body}) checked\nwhere {kept}{in_range}{_of_files(suite)}"


def sharing_query(suite: Suite, ranged: bool = False) -> str | None:
    """The files whose rows share a unique key (of the suite's uniqueness expectations) with a row of
    the files in `$files` (with `ranged`, of the files from `$lo` to `$hi`): their rows are checked too,
    or a duplicate across files would go unseen. Only the key columns are read. None: the suite has no
    uniqueness expectation."""
    keys = [UNIQUE_KEY[e["type"]](e["kwargs"]) for e in suite.expectations if e["type"] in UNIQUE_KEY]
    if not keys:
        return None
    scope = f'"{suite.scope}"'
    branches = [f"select c.{scope} from checked c join in_files f on "
                + " and ".join(f'f."{k}" is not distinct from c."{k}"' for k in key) for key in keys]
    return (f"with checked as not materialized ({suite.body}),\n"
            f"in_files as (select * from checked where {_of_files(suite, ranged)})\n" + "\nunion\n".join(branches))


def validate(suite: Suite, con: duckdb.DuckDBPyConnection,
             files: Collection[str] | None = None) -> list[CheckResult]:
    """Run one suite on the rows its query returns (in the worker process when one is started);
    with `files`, a scopable suite checks only the rows of those files (see scoped_query)."""
    return validate_many(con, [(suite, files)])[0]


IN_FLIGHT = 4  # suites sent to the workers and not yet answered: on each channel one checked, one waiting
CHECK_CELLS = 2_000_000
"""Values (rows × columns) GX checks at a time: a check of a whole table goes in parts of about this
many. A bound on rows alone let a part's memory grow with the corpus, as more tables reach it: a
validating process took 401 MB at 10,000 reports and 551 MB at 100,000 with parts of 200,000 rows."""


@dataclass(frozen=True)
class Part:
    """The rows one check sends to GX at a time: those of `files`, or of the files from `lo` to `hi` in
    name order, or (neither) every row; and, when `unscoped`, the rows of no file."""

    files: Collection[str] | None
    unscoped: bool = True
    lo: str | None = None
    hi: str | None = None


def _parts(con: duckdb.DuckDBPyConnection, suite: Suite, files: Collection[str] | None) -> list[Part]:
    """The parts a check goes in. A check of a whole table of more than CHECK_CELLS values, by a suite that
    can be checked by file, goes in parts of whole files, each a range of file names (with the files that
    share a unique key with them, see _write_rows): what GX holds at a time, and so the worker's memory,
    does not grow with the corpus; nor does this process's, which keeps two names a part."""
    if files is not None or not suite.scopable:
        return [Part(files)]
    try:
        width = len(con.execute(f"select * from ({suite.body}) c limit 0").description)
        cursor = con.execute(f'select "{suite.scope}", count(*) from ({suite.body}) c '
                             f'where "{suite.scope}" is not null group by 1 order by 1')
    except duckdb.Error:
        return [Part(None)]  # (its query fails: _write_rows reports it)
    most = max(1, CHECK_CELLS // width)  # rows a part
    bounds: list[list[str]] = []  # [first, last] file of each part
    size = total = 0
    while batch := cursor.fetchmany(10_000):
        for name, n in batch:
            if bounds and size + n <= most:
                bounds[-1][1] = name
            else:
                bounds.append([name, name])
                size = 0
            size += n
            total += n
    if total <= most:
        return [Part(None)]
    return [Part(None, k == 0, lo, hi) for k, (lo, hi) in enumerate(bounds)]


def _merged(parts: list[list[CheckResult]]) -> list[CheckResult]:
    """One check's results from those of its parts, expectation by expectation (a row that shares a key
    with another part's is checked, and counted, in both)."""
    if len(parts) == 1 or any(len(p) != len(parts[0]) for p in parts):
        return [r for p in parts for r in p] if len(parts) > 1 else parts[0]
    merged = []
    for same in zip(*parts, strict=True):
        failed = [r for r in same if not r.passed]
        files = {f for r in failed for f in r.failing_files}
        merged.append(replace(same[0], passed=not failed, unexpected_count=sum(r.unexpected_count for r in same),
                              sample=failed[0].sample if failed else same[0].sample,
                              rows_checked=sum(r.rows_checked for r in same),
                              failing_files=tuple(sorted(files, key=lambda f: (f is None, f or "")))))
    return merged


def validate_many(con: duckdb.DuckDBPyConnection,
                  jobs: Sequence[tuple[Suite, Collection[str] | None]]) -> list[list[CheckResult]]:
    """validate() for each (suite, files), each in its parts (see _parts). The rows travel to the worker
    as Parquet files that DuckDB writes (this process needs no pyarrow), each sent as soon as it is
    written, on the worker's two channels in turn: DuckDB writes the next part's rows while GX checks
    the last two. At most IN_FLIGHT parts wait for their answers, so no pipe fills up. A lost worker:
    the rest validate here."""
    planned = [(i, suite, part) for i, (suite, files) in enumerate(jobs) for part in _parts(con, suite, files)]
    found: list[list[CheckResult]] = [[] for _ in planned]
    waiting: list[tuple[int, int, Suite, str, list[dict[str, Any]]]] = []  # (part, channel, …), oldest first
    sent = 0

    def collect_oldest() -> None:
        k, channel, suite, rows, kwargs = waiting.pop(0)
        if _worker is not None:
            try:
                found[k] = _worker.receive(channel)
                return
            except WorkerGone as err:
                _lost(err)
        found[k] = validate_rows(suite, rows, kwargs)

    with tempfile.TemporaryDirectory(prefix="perfwarehouse-check-") as folder:
        for k, (_, suite, part) in enumerate(planned):
            rows = str(Path(folder) / f"{k}.parquet")
            prepared = _write_rows(suite, con, part, rows)
            if isinstance(prepared, CheckResult):
                found[k] = [prepared]
                continue
            if _worker is not None:
                try:
                    channel = sent % len(_worker.channels)
                    _worker.send(channel, suite, rows, prepared)
                    sent += 1
                    waiting.append((k, channel, suite, rows, prepared))
                    if len(waiting) > IN_FLIGHT:
                        collect_oldest()
                    continue
                except WorkerGone as err:
                    _lost(err)
            found[k] = validate_rows(suite, rows, prepared)
        while waiting:
            collect_oldest()
    return [_merged([found[k] for k, (i, *_) in enumerate(planned) if i == job]) for job in range(len(jobs))]


def _lost(err: WorkerGone) -> None:
    warnings.warn(f"{err}; validating in this process", RuntimeWarning, stacklevel=3)  # slower, not wrong
    stop_worker()


def _write_rows(suite: Suite, con: duckdb.DuckDBPyConnection, part: Part,
                rows: str) -> list[dict[str, Any]] | CheckResult:
    """Write the rows `suite` checks of `part` to the Parquet file `rows`; returns its expectations' kwargs,
    resolved, or the failed check of a query that did not run."""
    ranged = part.lo is not None
    scoped = suite.scopable and (part.files is not None or ranged)
    query = scoped_query(suite, part.unscoped, ranged) if scoped else suite.body
    span = {"lo": part.lo, "hi": part.hi} if ranged else {}
    try:
        chosen = sorted(part.files or ())
        sharing = sharing_query(suite, ranged) if scoped and (chosen or ranged) else None
        if sharing is not None:
            sharing_in = span if ranged else {"files": chosen}
            chosen = sorted(set(chosen) | {f for (f,) in con.execute(sharing, sharing_in).fetchall()
                                           if f is not None and not (ranged and part.lo <= f <= part.hi)})
        con.execute(f"copy ({query}) to '{rows.replace(chr(39), chr(39) * 2)}' (format parquet)",
                    {"files": chosen, **span} if scoped else None)
    except duckdb.Error as err:
        return CheckResult(suite.name, "query", suite.asset, suite.severity, False, 0, str(err)[:500],
                           failing_files=(None,))
    return [_resolve(e["kwargs"], con) for e in suite.expectations]


def validate_rows(suite: Suite, rows: str, kwargs: list[dict[str, Any]]) -> list[CheckResult]:
    """The GX part of a check: the suite's expectations (with `kwargs` resolved) on the rows in
    the Parquet file `rows`."""
    gx = _gx()
    import pyarrow.parquet as pq
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    frame = pq.read_table(rows).to_pandas()
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for seq, (expectation, resolved) in enumerate(zip(suite.expectations, kwargs, strict=True)):
        config_ = ExpectationConfiguration(type=expectation["type"], kwargs=resolved, meta={"seq": seq})
        gx_suite.add_expectation(config_.to_domain_obj())
    outcome = batch.validate(gx_suite, result_format="BOOLEAN_ONLY")  # a third cheaper than COMPLETE
    if not outcome.success:
        outcome = batch.validate(gx_suite, result_format="COMPLETE")  # again, for the failing rows
    # GX returns results grouped by column, not in the suite's order: pair them up by the seq put in meta
    by_seq = {res.expectation_config.meta["seq"]: res for res in outcome.results}
    results = []
    for seq, expectation in enumerate(suite.expectations):
        res = by_seq[seq]
        detail = res.result or {}
        failed_rows = detail.get("unexpected_index_list") or ([] if res.success else list(range(min(5, len(frame)))))
        keys = [k for k in suite.keys if k in frame.columns]
        column = expectation["kwargs"].get("column")
        sample = [{**{k: _plain(frame.iloc[i][k]) for k in keys},
                   **({column: _plain(frame.iloc[i][column])} if column in frame.columns else {})}
                  for i in failed_rows[:5] if isinstance(i, int)]
        count = detail.get("unexpected_count") or (0 if res.success else 1)
        if res.success:
            failing: tuple[str | None, ...] = ()
        elif detail.get("unexpected_index_list") and suite.scope in frame.columns:
            failing = tuple(sorted({_plain(frame.iloc[i][suite.scope]) for i in failed_rows},
                                   key=lambda f: (f is None, f or "")))
        else:
            failing = (None,)
        results.append(CheckResult(suite.name, _label(expectation), suite.asset, suite.severity, bool(res.success),
                                   int(count), json.dumps(sample, ensure_ascii=False, default=str), len(frame),
                                   failing))
    return results


def _plain(value: Any) -> Any:
    return None if value is None or value != value else value  # NaN -> None


def record(con: duckdb.DuckDBPyConnection, run_id: str, results: list[CheckResult]) -> None:
    """Append the results to quality.check_results; each suite's failing files replace its last ones."""
    con.execute("create schema if not exists quality")
    con.execute(RESULTS_DDL)
    con.execute("alter table quality.check_results add column if not exists rows_checked bigint")  # older files
    con.execute(FAILING_DDL)
    now = datetime.now()
    if not results:
        return
    load.insert_values(con, "quality.check_results", RESULTS, [
        [run_id, r.suite, r.expectation, r.table_name, r.severity, r.passed, r.unexpected_count, r.sample, now,
         r.rows_checked] for r in results])
    suites = sorted({r.suite for r in results})
    con.execute("delete from quality.failing_files where suite in (select unnest($s))", {"s": suites})
    failing = sorted({(r.suite, f) for r in results for f in r.failing_files}, key=str)
    if failing:
        load.insert_values(con, "quality.failing_files", {"suite": "varchar", "file_name": "varchar"}, failing)


def files_to_check(con: duckdb.DuckDBPyConnection, suite: Suite, changed: Collection[str] | None) -> set[str] | None:
    """What a refresh must check of `suite`: the `changed` files and those that failed it last time,
    or None (everything) when the suite cannot be scoped, `changed` is None, or it failed as a whole."""
    if changed is None or not suite.scopable:
        return None
    try:
        last = [r[0] for r in con.execute("select file_name from quality.failing_files where suite = ?",
                                          [suite.name]).fetchall()]
    except duckdb.Error:
        return None  # never checked in this warehouse
    if None in last:
        return None
    return set(changed) | set(last)


def run_checks(con: duckdb.DuckDBPyConnection, run_id: str | None = None, folder: Path | None = None,
               record_results: bool = True) -> list[CheckResult]:
    """Every suite on the warehouse behind `con`; results are appended to quality.check_results
    unless `record_results` is false (a read-only connection)."""
    suites = load_suites(folder)
    results = [r for found in validate_many(con, [(suite, None) for suite in suites]) for r in found]
    if record_results:
        record(con, run_id or uuid.uuid4().hex[:12], results)
    return results


def format_report(results: list[CheckResult]) -> str:
    lines = []
    for suite in sorted({r.suite for r in results}):
        mine = [r for r in results if r.suite == suite]
        failed = [r for r in mine if not r.passed]
        status = "ok" if not failed else ("FAILED" if mine[0].severity == "error" else "warning")
        lines.append(f"{suite:<24} {mine[0].table_name:<32} {mine[0].severity:<8} "
                     f"{len(mine) - len(failed)}/{len(mine)} passed  {status}")
        for r in failed:
            lines.append(f"    {r.expectation}: {r.unexpected_count} unexpected, e.g. {r.sample}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed} of {len(results)} expectations passed; "
                 f"{sum(not r.passed and r.severity == 'error' for r in results)} errors, "
                 f"{sum(not r.passed and r.severity == 'warning' for r in results)} warnings")
    return "\n".join(lines)


def write_data_docs(out_dir: Path, results: list[CheckResult]) -> Path:
    """A small offline HTML page of a check run (GX's own Data Docs pull styles from CDNs)."""
    import html

    rows = sorted(results, key=lambda r: (r.suite, r.expectation))
    body = "".join(f"<tr class='{'ok' if r.passed else r.severity}'>" + "".join(
        f"<td>{html.escape(str(v))}</td>" for v in (r.suite, r.expectation, r.table_name, r.severity, r.passed,
                                                    r.unexpected_count, r.sample)) + "</tr>" for r in rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "quality.html"
    page.write_text("<!doctype html><meta charset='utf-8'><title>Data quality</title><style>td{border:1px solid "
                    "#ccc;padding:2px 6px}.error{background:#f8d0d0}.warning{background:#fdf1c7}</style>"
                    "<h1>Data quality</h1><table><tr><th>suite</th><th>expectation</th><th>table</th>"
                    f"<th>severity</th><th>passed</th><th>unexpected</th><th>sample</th></tr>{body}</table>",
                    encoding="utf-8")
    return page
