"""Deferred imports, for heavy packages a dependency imports at its top level but the pipeline
never touches: GX's scipy and altair (its distribution tests and their charts).

Only for pure-Python packages whose extension modules nothing else loads on its own: a
deferred numpy, say, breaks pyarrow ("cannot load module more than once per process")."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any


class _DeferringFinder:
    """Finds the Python modules of `packages` as usual, with a loader that runs a module only when
    one of its attributes is first read (importlib's LazyLoader)."""

    def __init__(self, packages: Collection[str]) -> None:
        self.packages = frozenset(packages)

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.partition(".")[0] not in self.packages:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


@contextmanager
def deferred(*packages: str) -> Iterator[None]:
    """Inside the block, a module of `packages` that gets imported is not run until first used."""
    finder = _DeferringFinder(packages)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
