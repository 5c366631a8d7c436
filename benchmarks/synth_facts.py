"""The figures of a synthetic report and its ground truth.

`make_sheet` draws a unit's budget: per organisation (the unit's own rows, or the
汇总 row and one row per sub-unit) income, expenditure, balances, “三公” costs and
fixed assets, with the report's identities built in (sub-units sum to 汇总,
basic = personnel + public, total = basic + project, 当年结余 = new income −
spending, 累计结余 = income − spending, 三公 total = its parts). With `rounding`,
every row is drawn to 0.001 and shown to 0.01, so a 汇总 or a row total can be
0.01 off the sum of what is printed, as in real reports.

`Truth` collects what a careful reader extracts, in the format of
/work/shared/gold/*.json; a figure stated twice must be stated with one value. It
also notes which construct of the report (a table layout, a sentence template)
stated each fact (`sources`, kept out of the gold file), so that misses can be
traced to constructs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)

INCOME_ITEMS = ["income_total", "income_carryover", "income_general_public", "income_gov_fund",
                "income_special_account", "income_other"]
EXPENDITURE_ITEMS = ["expenditure_total", "expenditure_basic", "expenditure_personnel", "expenditure_public",
                     "expenditure_project", "balance_current", "balance_accumulated"]
THREE_PUBLIC_ITEMS = ["three_public_total", "three_public_reception", "three_public_vehicle_ops",
                      "three_public_vehicle_purchase", "three_public_overseas"]
FIXED_ASSET_ITEMS = ["fixed_assets_total", "fixed_assets_in_use", "fixed_assets_leased", "fixed_assets_other"]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def draw(rng: random.Random, low: float, high: float, places: int = 2) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), places)))


@dataclass
class OrgFigures:
    """One table row: the exact figures (0.001 with rounding) by item code; `shown` gives them to 0.01."""

    name: str | None  # None: the unit as a whole (the 汇总 row, or the unit's only row)
    exact: dict[str, Decimal] = field(default_factory=dict)

    def shown(self, item: str) -> Decimal:
        return cents(self.exact[item])


def _org_row(rng: random.Random, name: str | None, scale: float, places: int) -> OrgFigures:
    personnel = draw(rng, 0.45 * scale, 0.9 * scale, places)
    public = draw(rng, 0.03 * scale, 0.25 * scale, places)
    project = draw(rng, 0.05 * scale, 1.6 * scale, places) if rng.random() < 0.7 else ZERO
    basic = personnel + public
    total = basic + project
    carryover = draw(rng, 0, 0.3 * scale, places) if rng.random() < 0.5 else ZERO
    other = draw(rng, 0, 0.05 * scale, places) if rng.random() < 0.4 else ZERO
    gov_fund = draw(rng, 0, 0.2 * scale, places) if rng.random() < 0.1 else ZERO
    special = draw(rng, 0, 0.1 * scale, places) if rng.random() < 0.1 else ZERO
    # new income covers spending up to a shortfall the carry-over can absorb
    shortfall = draw(rng, 0, float(carryover), places) if carryover and rng.random() < 0.6 else ZERO
    surplus = draw(rng, 0, 0.04 * scale, places) if rng.random() < 0.3 else ZERO
    new_income = total - shortfall + surplus
    general = new_income - other - gov_fund - special
    if general < 0:
        general, other = new_income, ZERO
    income = carryover + general + gov_fund + special + other
    reception = draw(rng, 0, 0.01 * scale, places) if rng.random() < 0.8 else ZERO
    vehicle_ops = draw(rng, 0, 0.02 * scale, places) if rng.random() < 0.5 else ZERO
    vehicle_purchase = draw(rng, 0.05 * scale, 0.15 * scale, places) if rng.random() < 0.05 else ZERO
    overseas = draw(rng, 0, 0.01 * scale, places) if rng.random() < 0.05 else ZERO
    in_use = draw(rng, 0.02 * scale, 0.8 * scale, places)
    leased = draw(rng, 0, 0.1 * scale, places) if rng.random() < 0.08 else ZERO
    other_assets = draw(rng, 0, 0.05 * scale, places) if rng.random() < 0.08 else ZERO
    exact = {
        "income_total": income, "income_carryover": carryover, "income_general_public": general,
        "income_gov_fund": gov_fund, "income_special_account": special, "income_other": other,
        "expenditure_total": total, "expenditure_basic": basic, "expenditure_personnel": personnel,
        "expenditure_public": public, "expenditure_project": project,
        "balance_current": new_income - total, "balance_accumulated": income - total,
        "three_public_total": reception + vehicle_ops + vehicle_purchase + overseas,
        "three_public_reception": reception, "three_public_vehicle_ops": vehicle_ops,
        "three_public_vehicle_purchase": vehicle_purchase, "three_public_overseas": overseas,
        "fixed_assets_total": in_use + leased + other_assets, "fixed_assets_in_use": in_use,
        "fixed_assets_leased": leased, "fixed_assets_other": other_assets,
    }
    return OrgFigures(name, exact)


@dataclass
class Sheet:
    """A unit's budget. `orgs[0]` is the unit as a whole; the others are its sub-units (maybe none)."""

    orgs: list[OrgFigures]
    unit: dict[str, Decimal]  # unit-level figures beyond the tables (econ, budget), to 0.01
    rounding: bool

    def total(self, item: str) -> Decimal:
        return self.orgs[0].shown(item)


def make_sheet(rng: random.Random, scale: float, sub_units: list[str], rounding: bool) -> Sheet:
    places = 3 if rounding else 2
    if sub_units:
        weights = [rng.uniform(0.3, 3.0) for _ in sub_units]
        rows = [_org_row(rng, name, scale * w / sum(weights), places) for name, w in zip(sub_units, weights,
                                                                                       strict=True)]
        summary = OrgFigures(None, {k: sum((r.exact[k] for r in rows), ZERO) for k in rows[0].exact})
        orgs = [summary, *rows]
    else:
        orgs = [_org_row(rng, None, scale, places)]
    top = orgs[0]
    total, personnel, public, project = (top.shown(k) for k in ("expenditure_total", "expenditure_personnel",
                                                                 "expenditure_public", "expenditure_project"))
    unit: dict[str, Decimal] = {}
    # economic classification of the whole spending (sums to the shown total)
    household = cents(personnel * Decimal(str(rng.uniform(0.02, 0.15))))
    project_household = cents(project * Decimal(str(rng.uniform(0, 0.3)))) if project else ZERO
    capital = cents(project * Decimal(str(rng.uniform(0, 0.1)))) if project and rng.random() < 0.5 else ZERO
    unit["econ_wages"] = personnel - household
    unit["econ_household_subsidies"] = household + project_household
    unit["econ_capital"] = capital
    unit["econ_goods_services"] = total - unit["econ_wages"] - unit["econ_household_subsidies"] - capital
    # the full-year budget, its split, and the initial budget it grew from
    budget_total = cents(total * Decimal(str(rng.uniform(1.0, 1.2))))
    if project or rng.random() < 0.5:
        budget_basic = min(cents(top.shown("expenditure_basic") * Decimal(str(rng.uniform(0.98, 1.06)))),
                           budget_total)
    else:
        budget_basic = budget_total
    unit["budget_expenditure_total"] = budget_total
    unit["budget_expenditure_basic"] = budget_basic
    unit["budget_expenditure_project"] = budget_total - budget_basic
    unit["budget_income_other"] = cents(budget_total * Decimal("0.02")) if rng.random() < 0.2 else ZERO
    unit["budget_income_general_public"] = budget_total - unit["budget_income_other"]
    # the initial budget: a part of each full-year part; the rest came with the mid-year adjustment
    unit["budget_initial_basic"] = cents(budget_basic * Decimal(str(rng.uniform(0.85, 1.0))))
    unit["budget_initial_project"] = cents(unit["budget_expenditure_project"] * Decimal(str(rng.uniform(0.1, 0.9))))
    unit["budget_initial"] = unit["budget_initial_basic"] + unit["budget_initial_project"]
    unit["budget_adjustment"] = budget_total - unit["budget_initial"]
    # “三公” budget: at least what was spent
    spent = {k: top.shown(k) for k in THREE_PUBLIC_ITEMS[1:]}
    budget_parts = {k: (cents(v * Decimal(str(rng.uniform(1.0, 2.5)))) if v else
                        (draw(rng, 0.5, 3) if k == "three_public_reception" and rng.random() < 0.5 else ZERO))
                    for k, v in spent.items()}
    if not any(budget_parts.values()):
        budget_parts["three_public_reception"] = draw(rng, 1, 5)
    for k, v in budget_parts.items():
        unit["budget_" + k] = v
    unit["budget_three_public_total"] = sum(budget_parts.values(), ZERO)
    unit["three_public_last_year"] = cents(top.shown("three_public_total") * Decimal(str(rng.uniform(0.8, 1.4))))
    return Sheet(orgs, unit, rounding)


@dataclass
class MetricFigures:
    code: str
    actual: Decimal  # normalised (persons, 万元, percent …)
    target: Decimal | None  # the task, known even when the report does not state it
    rate_places: int  # decimals of a completion rate as written
    display: str = "plain"  # plain / wan (2.33万人) / yi (2.8亿元) / yuan (2854742.88元)
    extra: dict[str, str] = field(default_factory=dict)  # helper figures of some wordings ({g}, {m}, {p}, {b})


def completion(actual: Decimal, target: Decimal, places: int) -> Decimal:
    return (actual / target * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_json_number(value: Decimal) -> int | float:
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def fact_org(org: str | None) -> str | None:
    """An org as the scorer compares it (whitespace removed)."""
    return re.sub(r"\s+", "", org) if org else None


class ConflictError(ValueError):
    """The same fact stated with two values: a generator bug."""


@dataclass
class Truth:
    document: str
    header: dict[str, Any] = field(default_factory=dict)
    budget: dict[tuple[str | None, str, str], dict[str, Any]] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    ambiguities: list[str] = field(default_factory=list)
    construct: str = ""  # what states the facts being recorded now (set by the writer)
    where: str = ""  # and where, when it matters (' [in a table cell]')
    sources: dict[str, list[str]] = field(default_factory=dict)  # fact key -> constructs that state it

    def _source(self, key: str) -> None:
        found = self.sources.setdefault(key, [])
        if self.construct + self.where not in found:
            found.append(self.construct + self.where)

    def header_field(self, name: str, value: Any, construct: str) -> None:
        self.header[name] = value
        self.sources[f"header|{name}"] = [construct]

    def fact(self, org: str | None, item: str, basis: str, amount: Decimal, evidence: str,
             optional: bool = False) -> None:
        key = (org, item, basis)
        self._source(f"budget|{fact_org(org)}|{item}|{basis}")
        if key in self.budget:
            if abs(Decimal(str(self.budget[key]["amount_wan"])) - amount) > Decimal("0.000001"):
                raise ConflictError(f"{self.document}: {key} stated as {self.budget[key]['amount_wan']} and {amount}")
            if not optional:
                self.budget[key].pop("optional", None)
            return
        entry: dict[str, Any] = {"org": org, "item": item, "basis": basis, "amount_wan": as_json_number(amount),
                                 "evidence": evidence}
        if optional:
            entry["optional"] = True
        self.budget[key] = entry

    def metric(self, code: str, unit: str, evidence: str, actual: Decimal | None = None,
               target: Decimal | None = None, rate: Decimal | None = None, qualifier: str = "exact") -> None:
        if actual is not None:
            self._source(f"metric|{code}")
        if target is not None:
            self._source(f"target|{code}")
        entry = self.metrics.setdefault(code, {
            "metric": code, "actual": None, "target": None, "completion_rate_pct": None, "unit": unit,
            "qualifier": qualifier, "evidence": evidence})
        for name, value in (("actual", actual), ("target", target), ("completion_rate_pct", rate)):
            if value is None:
                continue
            old = entry[name]
            if old is not None and abs(Decimal(str(old)) - value) > Decimal("0.000001"):
                raise ConflictError(f"{self.document}: {code}.{name} stated as {old} and {value}")
            entry[name] = as_json_number(value)

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document, "header": self.header, "budget": list(self.budget.values()),
                "metrics": [m for m in self.metrics.values() if m["actual"] is not None or m["target"] is not None],
                "ambiguities": self.ambiguities}
