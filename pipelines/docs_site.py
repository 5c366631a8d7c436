"""The browsable catalog `warehouse docs` writes: one self-contained index.html, offline, readable
from file://. The model graph (pipelines/docs_graph.py); per model its description, materialization,
rows, SQL, columns with type, description and column lineage, upstream and downstream models, and
the quality suites that guard it with their last results; the sources (raw.*, quality.*) the same
way; a search box over an embedded index of every table and column (pipelines/docs_static/)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import catalog, models, quality
from pipelines.docs_graph import GraphNode, graph_svg

STATIC = Path(__file__).parent / "docs_static"
LAST_RESULTS = """
with runs as (select suite, run_id, max(checked_at) as ran_at from quality.check_results group by suite, run_id),
     latest as (select suite, arg_max(run_id, ran_at) as run_id from runs group by suite)
select suite, expectation, passed, unexpected_count, rows_checked, checked_at
from quality.check_results join latest using (suite, run_id)
order by suite, expectation
"""
SQL_TOKEN = re.compile(r"(?P<comment>--[^\n]*)|(?P<string>'(?:[^']|'')*')|(?P<number>\b\d+(?:\.\d+)?\b)"
                       r"|(?P<word>\b[A-Za-z_]+\b)")
KEYWORD_TEXT = """select from where join inner left right full outer cross on using as and or not in is
null case when then else end group by order having union all distinct with over partition window qualify
limit offset cast try_cast coalesce exclude replace lateral values filter asc desc between like ilike exists
true false interval"""
SQL_KEYWORDS = frozenset(KEYWORD_TEXT.split())


@dataclass
class Entry:
    """One model or source of the catalog."""

    relation: str
    kind: str  # "model" / "source"
    described: catalog.Relation
    rows: int | None
    model: models.Model | None = None
    upstream: list[str] = field(default_factory=list)
    downstream: list[str] = field(default_factory=list)
    lineage: dict[str, list[catalog.Upstream]] = field(default_factory=dict)
    suites: list[quality.Suite] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> int | None:
    schema, table = relation.split(".")
    try:
        return int(con.sql(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0])
    except duckdb.Error:
        return None


def last_results(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """suite -> (expectation, passed, unexpected_count, rows_checked, checked_at) of the last run it took part in."""
    try:
        found = con.sql(LAST_RESULTS).fetchall()
    except duckdb.Error:  # a warehouse without check results
        return {}
    out: dict[str, list[tuple]] = {}
    for suite, *result in found:
        out.setdefault(suite, []).append(tuple(result))
    return out


def entries(con: duckdb.DuckDBPyConnection, sql_dir: Path | None = None) -> list[Entry]:
    """Every model, in dependency order, then every source, with what its catalog section shows."""
    found = models.discover(sql_dir)
    lineage = catalog.column_lineage(con, found)
    described = catalog.describe(con, sql_dir, lineage, found)
    suites = quality.load_suites()
    downstream: dict[str, list[str]] = {}
    for model in found:
        for dep in sorted(model.deps):
            downstream.setdefault(dep, []).append(model.relation)
    out = []
    for model in found:
        rel = described.get(model.relation, catalog.Relation(model.relation, "TABLE"))
        out.append(Entry(model.relation, "model", rel, _rows(con, model.relation), model, sorted(model.deps),
                         downstream.get(model.relation, []), lineage.get(model.relation, {})))
    modelled = {m.relation for m in found}
    order = {schema: i for i, schema in enumerate(catalog.DESCRIBED_SCHEMAS)}
    for relation in sorted(set(described) - modelled, key=lambda r: (order.get(r.split(".")[0], 9), r)):
        out.append(Entry(relation, "source", described[relation], _rows(con, relation),
                         downstream=downstream.get(relation, [])))
    for entry in out:
        entry.suites = [s for s in suites if s.asset == entry.relation]
    return out


def status(entry: Entry, results: dict[str, list[tuple]]) -> str:
    """failed (an error suite failed), warned (a warning suite failed), passed, or "" (no results)."""
    ran = [(s.severity, r[1]) for s in entry.suites for r in results.get(s.name, [])]
    if not ran:
        return ""
    if any(not ok and severity == "error" for severity, ok in ran):
        return "failed"
    return "warned" if any(not ok for _, ok in ran) else "passed"


def highlight(sql: str) -> str:
    """The SQL, escaped, with comments, strings, numbers and keywords in spans."""
    out, at = [], 0
    for m in SQL_TOKEN.finditer(sql):
        out.append(html.escape(sql[at:m.start()]))
        kind, text = m.lastgroup, m.group()
        if kind == "word" and text.lower() not in SQL_KEYWORDS:
            out.append(html.escape(text))
        else:
            out.append(f"<span class='{'kw' if kind == 'word' else kind}'>{html.escape(text)}</span>")
        at = m.end()
    out.append(html.escape(sql[at:]))
    return "".join(out)


def _link(relation: str) -> str:
    return f"<a href='#{html.escape(relation)}'>{html.escape(relation)}</a>"


def _links(label: str, relations: list[str]) -> str:
    items = ", ".join(_link(r) for r in relations) or "<span class='none'>none</span>"
    return f"<p class='deps'><b>{label}</b> {items}</p>"


def _columns_table(entry: Entry) -> str:
    rows = []
    for column, (dtype, text) in entry.described.columns.items():
        ups = ", ".join(f"<a href='#{html.escape(r)}'>{html.escape(r)}</a>.{html.escape(c)}"
                        for r, c in entry.lineage.get(column, []))
        rows.append(f"<tr><td class='col'>{html.escape(column)}</td><td class='type'>{html.escape(dtype)}</td>"
                    f"<td>{html.escape(text)}</td>" + (f"<td class='lineage'>{ups}</td>" if entry.model else "")
                    + "</tr>")
    head = "<th>column</th><th>type</th><th>description</th>" + ("<th>computed from</th>" if entry.model else "")
    return f"<table class='columns'><tr>{head}</tr>{''.join(rows)}</table>"


def _suite_block(suite: quality.Suite, results: list[tuple]) -> str:
    if not results:
        return (f"<div class='suite'><h4>{html.escape(suite.name)} <span class='sev {suite.severity}'>"
                f"{suite.severity}</span></h4><p>{html.escape(suite.description)} {len(suite.expectations)} "
                f"expectations; no results in this warehouse.</p></div>")
    failed = sum(1 for r in results if not r[1])
    summary = f"{failed} of {len(results)} failed" if failed else f"all {len(results)} passed"
    rows = "".join(f"<tr class='{'pass' if ok else 'fail'}'><td>{html.escape(label)}</td>"
                   f"<td class='result'>{'passed' if ok else 'failed'}</td><td class='num'>{unexpected}</td></tr>"
                   for label, ok, unexpected, _, _ in results)
    checked, when = results[0][3], results[0][4]
    return (f"<div class='suite'><h4>{html.escape(suite.name)} <span class='sev {suite.severity}'>{suite.severity}"
            f"</span> <span class='summary {'fail' if failed else 'pass'}'>{summary}</span></h4>"
            f"<p>{html.escape(suite.description)} Last run {when:%Y-%m-%d %H:%M}, {checked} rows checked.</p>"
            f"<table class='checks'><tr><th>expectation</th><th>last result</th><th>unexpected</th></tr>{rows}"
            f"</table></div>")


def section(entry: Entry, results: dict[str, list[tuple]]) -> str:
    """The section of one model or source (id: its schema.table)."""
    model = entry.model
    facts = [model.materialized if model else entry.described.kind.lower(),
             f"{entry.rows:,} rows" if entry.rows is not None else "rows unknown"]
    parts = [f"<section id='{html.escape(entry.relation)}' class='entry {entry.kind}' "
             f"data-relation='{html.escape(entry.relation)}'>",
             f"<h2>{html.escape(entry.relation)} <span class='kind'>{entry.kind}</span></h2>",
             f"<p class='facts'>{' · '.join(facts)}</p>",
             f"<p class='description'>{html.escape(entry.described.description) or '<i>no description</i>'}</p>"]
    if model:
        parts.append(_links("Upstream:", entry.upstream))
    parts.append(_links("Downstream:", entry.downstream))
    parts.append(_columns_table(entry))
    if entry.suites:
        parts.append("<h3>Quality checks</h3>")
        parts += [_suite_block(s, results.get(s.name, [])) for s in entry.suites]
    if model:
        path = f"sql/{model.schema}/{model.name}.sql"
        parts.append(f"<details class='sql'><summary>SQL ({path}, {len(model.sql.splitlines())} lines)</summary>"
                     f"<pre><code>{highlight(model.sql)}</code></pre></details>")
    parts.append("</section>")
    return "\n".join(parts)


def search_index(all_entries: list[Entry]) -> list[dict]:
    """What the search box searches: every model and source, with its columns."""
    return [{"relation": e.relation, "kind": e.kind, "description": e.described.description,
             "columns": [[c, t, d] for c, (t, d) in e.described.columns.items()]} for e in all_entries]


def _nav(all_entries: list[Entry], results: dict[str, list[tuple]]) -> str:
    items = {"model": [], "source": []}
    for e in all_entries:
        mark = status(e, results)
        items[e.kind].append(f"<li data-relation='{html.escape(e.relation)}'><a href='#{html.escape(e.relation)}'>"
                             f"{html.escape(e.relation)}</a>"
                             + (f" <span class='dot {mark}' title='checks: {mark}'></span>" if mark else "") + "</li>")
    return (f"<nav id='nav'><h3>Models ({len(items['model'])})</h3><ul>{''.join(items['model'])}</ul>"
            f"<h3>Sources ({len(items['source'])})</h3><ul>{''.join(items['source'])}</ul></nav>")


def _graph(all_entries: list[Entry], results: dict[str, list[tuple]]) -> str:
    drawn = {e.relation for e in all_entries if e.model} | {d for e in all_entries if e.model for d in e.upstream}
    nodes = {e.relation: GraphNode(e.relation, frozenset(e.upstream),
                                   f"{e.model.materialized if e.model else 'source'} · "
                                   f"{e.rows if e.rows is not None else '?'} rows", status(e, results))
             for e in all_entries if e.relation in drawn}
    return graph_svg(nodes, {e.relation: e.described.description for e in all_entries})


def _summary(all_entries: list[Entry], results: dict[str, list[tuple]]) -> str:
    n_models = sum(1 for e in all_entries if e.model)
    checks = [r for rs in results.values() for r in rs]
    failed = sum(1 for r in checks if not r[1])
    return (f"<p class='overview'>{n_models} models, {len(all_entries) - n_models} sources, "
            f"{sum(len(e.described.columns) for e in all_entries)} columns; {len(results)} quality suites last ran "
            f"{len(checks)} expectations: {len(checks) - failed} passed, {failed} failed.</p>")


def page(all_entries: list[Entry], results: dict[str, list[tuple]]) -> str:
    """The whole catalog page."""
    index = json.dumps(search_index(all_entries), ensure_ascii=False).replace("</", "<\\/")
    css = (STATIC / "catalog.css").read_text(encoding="utf-8")
    js = (STATIC / "catalog.js").read_text(encoding="utf-8")
    return "\n".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>perfwarehouse catalog</title>",
        "<script>window.addEventListener('error', e => { document.documentElement.dataset.error = e.message; });"
        "</script>",
        f"<style>{css}</style></head><body>",
        "<header><h1>perfwarehouse catalog</h1><input id='q' type='search' autocomplete='off' "
        "placeholder='Search models, sources and columns by name or description'><span id='count'></span></header>",
        _summary(all_entries, results),
        f"<div id='graph-box'>{_graph(all_entries, results)}</div>",
        "<div class='layout'>", _nav(all_entries, results),
        "<main><section id='hits' hidden><h2>Matching columns</h2><ul></ul></section>",
        *(section(e, results) for e in all_entries),
        "</main></div>",
        f"<script type='application/json' id='search-index'>{index}</script>",
        f"<script>{js}</script></body></html>"])


def write_site(con: duckdb.DuckDBPyConnection, out_dir: Path, sql_dir: Path | None = None) -> Path:
    """Write out_dir/index.html; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    all_entries = entries(con, sql_dir)
    index = out_dir / "index.html"
    index.write_text(page(all_entries, last_results(con)), encoding="utf-8")
    return index
