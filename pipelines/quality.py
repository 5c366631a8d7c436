"""Data quality: Great Expectations suites in expectations/ run as Dagster asset checks."""

from __future__ import annotations

import dagster as dg


def asset_checks() -> list[dg.AssetChecksDefinition]:
    return []
