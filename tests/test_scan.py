"""The one-pass wording scan (parse/scan.py) must find exactly the labels that running every
vocabulary expression finds: its anchors are read from the expressions, so these tests pin the
reading on hand-worked expressions and check it against every wording in every fixture report."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.parse import vocabulary
from pipelines.parse.scan import anchors, index_of
from pipelines.text import normalize

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("收入合计|总收入", {"收入合计", "总收入"}),
    ("(?:一般)?公共财政拨款", {"公共财政拨款", "一般公共财政拨款"}),
    # a gap that is no literal splits the runs; of two as long, the one of fewer strings is kept
    (r"培训\s*(?:人数|人次)", {"培训"}),
    (r"培训\s*(?:就业人数|就业人次)", {"就业人数", "就业人次"}),
    # lookarounds consume nothing: the literals on both sides join
    ("收入(?!预算)合计", {"收入合计"}),
    # a short character class spells out
    ("[上去]年结转", {"上年结转", "去年结转"}),
    # a repeat of at least one keeps its body's anchors
    (r"(?:就业)+\d", {"就业"}),
])
def test_anchors_of_hand_worked_patterns(pattern: str, expected: set[str]) -> None:
    assert anchors(pattern) == expected


@pytest.mark.parametrize("pattern", [r"\d+", "(?:就业)?.{2}", "(?:就业)*x?"])
def test_no_anchor_when_a_match_needs_no_literal(pattern: str) -> None:
    assert anchors(pattern) is None


def test_a_term_without_anchors_runs_on_every_text() -> None:
    vocab = vocabulary.load()
    index = index_of(vocab.metrics)
    unanchored = {t for t in vocab.metrics
                  if any(anchors(p.pattern) is None for p in (t.pattern, *[a for _, a in t.also]))}
    assert set(index.candidates("")) == unanchored


def test_every_wording_in_every_fixture_holds_one_of_its_anchors() -> None:
    vocab = vocabulary.load()
    terms = vocab.budget_items + vocab.metrics + vocab.department_form_items
    texts = [normalize(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*/raw/*.txt"))]
    assert len(texts) > 100
    checked = 0
    for term in terms:
        for pattern in [term.pattern, *[p for _, p in term.also]]:
            found = anchors(pattern.pattern)
            assert found is not None, f"{term.code}: no anchor read from {pattern.pattern}"
            for text in texts:
                for m in pattern.finditer(text):
                    assert m.end() == m.start() or any(a in m.group() for a in found), (term.code, m.group())
                    checked += 1
    assert checked > 5000
