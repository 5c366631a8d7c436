"""Warehouse of Chinese whole-department expenditure performance self-evaluation reports.

Data flow: ingest (files -> text) -> parse (text -> records) -> load (records -> raw.*)
-> models (sql/ -> staging, marts) -> quality (expectations/ -> checks) -> publish.
"""
