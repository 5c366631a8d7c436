"""The model graph of the catalog as an SVG drawn here: one band of columns per schema (the raw
sources, staging, intermediate, marts), a column within a band for each step of a chain of models of
that schema, boxes ordered to keep edges short, one curve per dependency."""

from __future__ import annotations

import html
from dataclasses import dataclass

BANDS = ("raw", "staging", "intermediate", "marts")
BOX_W, BOX_H, COL_GAP, ROW_GAP, MARGIN, HEAD = 214, 38, 46, 12, 14, 34


@dataclass(frozen=True)
class GraphNode:
    relation: str  # schema.table
    deps: frozenset[str]  # the relations it reads
    note: str = ""  # a second line under the name (materialization, rows)
    status: str = ""  # "passed" / "warned" / "failed": its checks' last results, "" when none guard it


def _column(nodes: dict[str, GraphNode]) -> dict[str, int]:
    """The column of each node: its band's first column plus its depth among models of its own schema."""
    depth: dict[str, int] = {}

    def local(relation: str) -> int:
        if relation not in depth:
            schema = relation.split(".")[0]
            same = [d for d in nodes[relation].deps if d in nodes and d.split(".")[0] == schema]
            depth[relation] = 1 + max((local(d) for d in same), default=-1)
        return depth[relation]

    start, first = 0, {}
    for band in BANDS:
        first[band] = start
        start += 1 + max((local(r) for r in nodes if r.split(".")[0] == band), default=-1)
    return {r: first[r.split(".")[0]] + local(r) for r in nodes}


def _order(nodes: dict[str, GraphNode], column: dict[str, int]) -> list[list[str]]:
    """The nodes of each column, top to bottom: a few barycentre sweeps, forward then backward."""
    columns: list[list[str]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    for relation in sorted(nodes):
        columns[column[relation]].append(relation)
    down: dict[str, set[str]] = {r: set() for r in nodes}
    for relation, node in nodes.items():
        for dep in node.deps & nodes.keys():
            down[dep].add(relation)

    def y(relation: str) -> float:
        col = columns[column[relation]]
        return col.index(relation) - (len(col) - 1) / 2

    def sort(col: list[str], neighbours: dict[str, set[str]]) -> None:
        keys = {r: (sum(map(y, neighbours[r])) / len(neighbours[r]) if neighbours[r] else y(r)) for r in col}
        col.sort(key=lambda r: (keys[r], r))

    up = {r: nodes[r].deps & nodes.keys() for r in nodes}
    for _ in range(4):
        for col in columns[1:]:
            sort(col, up)
        for col in reversed(columns[:-1]):
            sort(col, down)
    return columns


def _box(relation: str, node: GraphNode, x: float, y: float, tip: str) -> str:
    schema, name = relation.split(".")
    dot = (f"<circle class='dot {node.status}' cx='{x + BOX_W - 10}' cy='{y + BOX_H - 9}' r='4'/>"
           if node.status else "")
    return (f"<a href='#{html.escape(relation)}'><g class='node {schema}' data-relation='{html.escape(relation)}'>"
            f"<title>{html.escape(relation)}: {html.escape(tip)}</title>"
            f"<rect x='{x}' y='{y}' width='{BOX_W}' height='{BOX_H}' rx='5'/>"
            f"<text x='{x + 8}' y='{y + 16}' class='name'>{html.escape(name)}</text>"
            f"<text x='{x + 8}' y='{y + 31}' class='note'>{html.escape(node.note)}</text>{dot}</g></a>")


def graph_svg(nodes: dict[str, GraphNode], tips: dict[str, str] | None = None) -> str:
    """The SVG of the graph; every node links to its section (#schema.table); an edge per dependency
    between drawn nodes (class 'edge', data-from and data-to)."""
    tips = tips or {}
    column = _column(nodes)
    columns = _order(nodes, column)
    tallest = max((len(c) for c in columns), default=0)
    height = HEAD + tallest * (BOX_H + ROW_GAP) + MARGIN
    width = 2 * MARGIN + len(columns) * BOX_W + max(len(columns) - 1, 0) * COL_GAP
    place = {}
    for i, col in enumerate(columns):
        top = HEAD + (tallest - len(col)) * (BOX_H + ROW_GAP) / 2
        for j, relation in enumerate(col):
            place[relation] = (MARGIN + i * (BOX_W + COL_GAP), top + j * (BOX_H + ROW_GAP))
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' id='graph' viewBox='0 0 {width} {height}' "
             f"width='{width}' height='{height}' role='img' aria-label='model graph'>",
             "<defs><marker id='arrow' viewBox='0 0 8 8' refX='8' refY='4' markerWidth='7' markerHeight='7' "
             "orient='auto'><path d='M0,0 L8,4 L0,8 z'/></marker></defs>"]
    for band in BANDS:
        xs = [place[r][0] for r in nodes if r.split(".")[0] == band]
        if xs:
            label = "sources (raw)" if band == "raw" else band
            parts.append(f"<text class='band' x='{(min(xs) + max(xs) + BOX_W) / 2}' y='20'>{label}</text>")
    for relation in sorted(nodes):
        for dep in sorted(nodes[relation].deps & nodes.keys()):
            (x1, y1), (x2, y2) = place[dep], place[relation]
            x1, y1, y2 = x1 + BOX_W, y1 + BOX_H / 2, y2 + BOX_H / 2
            bend = (x2 - x1) / 2
            parts.append(f"<path class='edge' data-from='{dep}' data-to='{relation}' marker-end='url(#arrow)' "
                         f"d='M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}'/>")
    for relation in sorted(nodes):
        parts.append(_box(relation, nodes[relation], *place[relation], tips.get(relation, "")))
    parts.append("</svg>")
    return "\n".join(parts)
