"""What the parser tests read from a ParseResult: the selected header fields and budget figures."""


def header(result):
    return {f["field"]: f["value"] for f in result.report_fields}


def budget(result, org=None):
    return {(b["item_code"], b["basis"]): b["amount_wan"] for b in result.budget_facts
            if b["is_selected"] and b["org"] == org}
