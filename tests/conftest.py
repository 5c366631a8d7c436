"""Fixtures shared by test modules."""

from pathlib import Path

import pytest

from pipelines.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse built from the bundled reports in raw/, one per test module (some modules rebuild it)."""
    out = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    assert main(["build", "--warehouse", str(out), "--raw", str(ROOT / "raw")]) == 0
    return out
