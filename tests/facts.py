"""What the parser tests read from a ParseResult: the selected header fields, budget figures and
metrics, and the check that every fact's evidence stands in the lines it names."""

from pathlib import Path

from pipelines.parse import parse_document
from pipelines.text import split_lines


def header(result):
    return {f["field"]: f["value"] for f in result.report_fields}


def budget(result, org=None):
    return {(b["item_code"], b["basis"]): b["amount_wan"] for b in result.budget_facts
            if b["is_selected"] and b["org"] == org}


def metric_values(result):
    """metric_code -> (actual, target) of the selected statements."""
    return {m["metric_code"]: (m["actual_value"], m["target_value"]) for m in result.employment_metrics
            if m["is_selected"]}


def assert_evidence_in_source(result, text: str) -> None:
    """Every budget and metric fact is a report fact whose evidence is exact text of its lines."""
    assert result.is_report, result.source_file
    lines = split_lines(text)
    for row in result.budget_facts + result.employment_metrics:
        source = "\n".join(lines[row["source_line"] - 1:(row.get("line_end") or row["source_line"])])
        assert row["evidence"] and row["evidence"] in source, (result.source_file, row)


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse_fixtures(folder: str, key: str = "stem") -> dict:
    """Every report of tests/fixtures/<folder>/raw parsed, by file stem (or name)."""
    paths = sorted((FIXTURES / folder / "raw").glob("*.txt"))
    return {getattr(p, key): parse_document(p.name, p.read_text(encoding="utf-8")) for p in paths}


def assert_fixture_evidence(folder: str, parsed: dict, count: int) -> None:
    """All `count` fixtures of the folder are reports whose every fact quotes its own lines."""
    assert len(parsed) == count
    for result in parsed.values():
        text = (FIXTURES / folder / "raw" / result.source_file).read_text(encoding="utf-8")
        assert_evidence_in_source(result, text)
