"""Find every vocabulary wording of a text in one pass.

A term's wording is a regular expression; running each of them over each sentence costs
more than the rest of the parse. Every match of a wording contains one of a few literal
strings, its *anchors* (「收入合计|总收入」 needs 收入; 「(?:一般)?公共财政拨款」 needs
公共财政拨款), which are read from the expression itself. One Aho–Corasick automaton holds
the anchors of all terms: a single pass over a sentence tells which terms can match in it,
and only those terms' expressions run. A term whose anchors cannot be read runs on every
sentence, so the labels found are exactly those of running every expression.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import product

import ahocorasick

from pipelines.parse.vocabulary import Term

MAX_CHOICES = 64  # literal strings one anchor set may hold (「(?:一般)?(?:公共)?」 spell out to four)
ZERO_WIDTH = {sre.ASSERT, sre.ASSERT_NOT, sre.AT}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def _exact(item: tuple) -> set[str] | None:
    """The strings an item can match, when they are a few literal ones; else None."""
    op, av = item
    if op in ZERO_WIDTH:
        return {""}
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        chars = {chr(v) for o, v in av if o is sre.LITERAL}
        return chars if len(chars) == len(av) and len(chars) <= 8 else None
    if op is sre.SUBPATTERN:
        return _exact_seq(list(av[3]))
    if op is sre.BRANCH:
        out = _union(av[1], _exact_seq)
        return out if out is not None and len(out) <= MAX_CHOICES else None
    if op in REPEATS and av[0] == 0 and av[1] == 1:  # (?:X)?
        strings = _exact_seq(list(av[2]))
        return None if strings is None else strings | {""}
    return None


def _union(branches: list, of: Callable[[list[tuple]], set[str] | None]) -> set[str] | None:
    """The strings `of` gives for each alternative of a branch, together; None when one gives none."""
    out: set[str] = set()
    for branch in branches:
        strings = of(list(branch))
        if strings is None:
            return None
        out |= strings
    return out


def _exact_seq(items: list[tuple]) -> set[str] | None:
    out = {""}
    for item in items:
        strings = _exact(item)
        if strings is None:
            return None
        out = {a + b for a, b in product(out, strings)}
        if len(out) > MAX_CHOICES:
            return None
    return out


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two anchor sets: the longer shortest string, then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    return max((a, b), key=lambda s: (min(map(len, s)), -len(s)))


def _required(items: list[tuple]) -> set[str] | None:
    """Literal strings one of which every match of the sequence contains; None when there are none."""
    best: set[str] | None = None
    run: set[str] = {""}
    for item in [*items, None]:
        strings = None if item is None else _exact(item)
        if strings is not None:
            grown = {a + b for a, b in product(run, strings)}
            if len(grown) <= MAX_CHOICES:
                run = grown
                continue
        if "" not in run:
            best = _better(best, run)
        run = {""}
        if item is not None and strings is not None:  # too many choices joined: start again from this item
            run = strings
        elif item is not None:
            best = _better(best, _required_of(item))
    return best


def _required_of(item: tuple) -> set[str] | None:
    op, av = item
    if op is sre.SUBPATTERN:
        return _required(list(av[3]))
    if op is sre.BRANCH:
        return _union(av[1], _required)
    if op in REPEATS and av[0] >= 1:
        return _required(list(av[2]))
    return None


@cache
def anchors(pattern: str) -> frozenset[str] | None:
    """Literal strings one of which every match of `pattern` contains, or None."""
    try:
        found = _required(list(sre_parse.parse(pattern)))
    except (re.error, TypeError, ValueError):
        return None
    return frozenset(found) if found else None


class Guarded:
    """A regular expression that runs only on a text holding one of its anchors: for an expression that
    a sentence seldom matches but that tries every position of it (optional words first, many
    branches). The same matches as the expression's own methods, which it passes on otherwise."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        found = None if regex.flags & re.IGNORECASE else anchors(regex.pattern)
        # (a literal that holds another is found whenever that one is: the shorter is enough)
        self.needles = None if found is None else tuple(
            sorted(a for a in found if not any(b != a and b in a for b in found)))
        self.automaton: ahocorasick.Automaton | None = None
        if self.needles is not None:  # (one pass for all the anchors, stopping at the first)
            self.automaton = ahocorasick.Automaton()
            for needle in self.needles:
                self.automaton.add_word(needle, needle)
            self.automaton.make_automaton()

    def may_match(self, text: str) -> bool:
        return self.automaton is None or next(self.automaton.iter(text), None) is not None

    def search(self, text: str, *span: int) -> re.Match[str] | None:
        return self.regex.search(text, *span) if self.may_match(text) else None

    def __getattr__(self, name: str) -> object:
        return getattr(self.regex, name)


class AnchorIndex:
    """The anchors of several expressions, each under a key, in one automaton: `keys(text)` tells, in one
    pass over the text, under which keys an expression may match in it. A key with an expression whose
    anchors cannot be read is always among them. (The automaton maps an anchor to a bit mask of the keys
    that own it, numbered in the order given, so a pass ORs integers instead of joining sets.)"""

    def __init__(self, patterns: Iterable[tuple[Hashable, re.Pattern[str]]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.order: list[Hashable] = []
        bit: dict[Hashable, int] = {}
        owners: dict[str, int] = {}
        always = 0
        for key, pattern in patterns:
            if key not in bit:
                bit[key] = 1 << len(self.order)
                self.order.append(key)
            found = anchors(pattern.pattern)
            if found is None:
                always |= bit[key]
            for literal in found or ():
                owners[literal] = owners.get(literal, 0) | bit[key]
        for literal, mask in owners.items():
            self.automaton.add_word(literal, mask)
        self.always = always
        self.bit = bit  # key -> its bit in a mask
        if owners:
            self.automaton.make_automaton()

    def mask(self, text: str) -> int:
        """The keys that may match in `text`, as a bit mask (bit k: the k-th key given)."""
        return _mask(self, text)

    def keys(self, text: str) -> set[Hashable]:
        order = self.order
        return {order[k] for k in _bits(self.mask(text))}


@lru_cache(maxsize=4096)
def _mask(index: AnchorIndex, text: str) -> int:
    """(Cached: the readers look at the same passages and sentences with the same vocabulary.)"""
    found = index.always
    if index.automaton.kind == ahocorasick.AHOCORASICK:
        for _, mask in index.automaton.iter(text):
            found |= mask
    return found


def _bits(mask: int) -> Iterator[int]:
    """The set bits of `mask`, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class WordingIndex(AnchorIndex):
    """The anchors of a tuple of terms: their wordings and their `also` wordings, under the term's place."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        super().__init__((k, p) for k, term in enumerate(terms) for p in (term.pattern, *[a for _, a in term.also]))
        self.terms = [terms[k] for k in self.order]

    def candidates(self, text: str) -> list[Term]:
        """The terms that may match in `text`, in the vocabulary's order."""
        terms = self.terms
        return [terms[k] for k in _bits(self.mask(text))]


@cache
def index_of(terms: tuple[Term, ...]) -> WordingIndex:
    return WordingIndex(terms)
