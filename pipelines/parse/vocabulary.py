"""The vocabulary file, loaded once: codes, wordings (compiled), units, grades."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True, eq=False)
class Term:
    """A code with the wordings that name it. Loaded once, so identity is equality
    (and hashing a term, as the parser's caches do for every sentence, costs nothing)."""

    code: str
    name_zh: str
    pattern: re.Pattern[str]
    family: str | None = None
    parent: str | None = None
    unit: str | None = None
    also: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()  # (context, pattern)
    skip: re.Pattern[str] | None = None  # words before a figure that make it no figure of this metric
    prefer: re.Pattern[str] | None = None  # the wording that names the metric exactly: it wins over others


@dataclass(frozen=True)
class Vocabulary:
    budget_items: tuple[Term, ...]
    metrics: tuple[Term, ...]
    grades: tuple[dict[str, Any], ...]
    units: dict[str, dict[str, Decimal]]
    raw: dict[str, Any] = field(repr=False)
    department_form_items: tuple[Term, ...] = ()  # row labels that are items only in a whole-department form
    project_form: re.Pattern[str] | None = None  # a title that makes a form a project's or a programme's

    def budget_item(self, code: str) -> Term:
        return next(t for t in self.budget_items if t.code == code)

    def metric(self, code: str) -> Term:
        return next(t for t in self.metrics if t.code == code)

    def grade_of(self, word: str) -> str | None:
        for grade in self.grades:
            if re.fullmatch(grade["pattern"], word):
                return grade["code"]
        return None


def _term(entry: dict[str, Any]) -> Term:
    also = tuple((re.compile(a["context"]), re.compile(a["pattern"])) for a in entry.get("also", []))
    skip = re.compile(entry["skip"], re.DOTALL) if entry.get("skip") else None  # a sentence may wrap lines
    prefer = re.compile(entry["prefer"]) if entry.get("prefer") else None
    return Term(entry["code"], entry["name_zh"], re.compile(entry["pattern"]), entry.get("family"),
                entry.get("parent"), entry.get("unit"), also, skip, prefer)


@cache
def load(path: Path = VOCABULARY_FILE) -> Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    units = {name: {word: Decimal(str(f)) for word, f in words.items()} for name, words in raw["units"].items()}
    items = {e["code"]: e for e in raw["budget_items"]}
    department = tuple(_term({**items[e["code"]], "pattern": e["pattern"]})
                       for e in raw.get("department_form_items", []))
    project = re.compile(raw["project_form"]) if raw.get("project_form") else None
    return Vocabulary(tuple(_term(e) for e in raw["budget_items"]), tuple(_term(e) for e in raw["metrics"]),
                      tuple(raw["grades"]), units, raw, department, project)


def seed_tables(path: Path = VOCABULARY_FILE) -> dict[str, list[dict[str, Any]]]:
    """The vocabulary as dbt-style seed tables (raw.vocab_*)."""
    raw = load(path).raw
    return {
        "vocab_budget_items": [{"code": e["code"], "name_zh": e["name_zh"], "family": e.get("family"),
                                "parent": e.get("parent"), "pattern": e["pattern"]} for e in raw["budget_items"]],
        "vocab_metrics": [{"code": e["code"], "name_zh": e["name_zh"], "unit": e["unit"],
                           "pattern": e["pattern"]} for e in raw["metrics"]],
        "vocab_grades": [{"code": g["code"], "name_zh": g["name_zh"], "pattern": g["pattern"],
                          "min_score": g["min_score"], "max_score": g["max_score"]} for g in raw["grades"]],
        "vocab_admin_levels": [dict(a) for a in raw["admin_levels"]],
    }
