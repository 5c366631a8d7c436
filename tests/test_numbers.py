"""Hand-checked readings of figures as the reports write them."""

from decimal import Decimal

import pytest

from pipelines.parse.numbers import cell_number, find_quantities, parse_decimal, to_wan_yuan, years_in


def only(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("2.33万人", Decimal("23300"), "人", "exact"),
        ("40余场", Decimal("40"), "场", "at_least"),
        ("8000余个", Decimal("8000"), "个", "at_least"),
        ("98.23%", Decimal("98.23"), "%", "exact"),
        ("106%以上", Decimal("106"), "%", "at_least"),
        ("约41.3 万人", Decimal("413000"), "人", "approx"),
        ("近 1280 人", Decimal("1280"), "人", "approx"),
        ("138.8万人次", Decimal("1388000"), "人次", "exact"),
        ("三千五百人", Decimal("3500"), "人", "exact"),
    ],
)
def test_quantities(text, value, unit, qualifier):
    q = only(text)
    assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("51.99亿元", Decimal("519900")),
        ("2854742.88元", Decimal("285.474288")),
        ("3,265.82万元", Decimal("3265.82")),
        ("2.8 亿元", Decimal("28000")),
        ("10.10元", Decimal("0.00101")),
    ],
)
def test_money_in_wan_yuan_is_exact(text, wan):
    assert to_wan_yuan(only(text)) == wan


def test_thousands_separator_and_chinese_year():
    assert parse_decimal("10,511") == Decimal("10511")
    assert parse_decimal("36,982.43") == Decimal("36982.43")
    assert [y for y, _, _ in years_in("二〇二二年度与2023 年")] == [2022, 2023]


def test_percentage_points_are_not_percent():
    assert only("高3.8个百分点").unit == "个百分点"


def test_table_cells():
    assert cell_number("3,265.82") == Decimal("3265.82")
    assert cell_number("-542.42") == Decimal("-542.42")
    assert cell_number("15%") is None
    assert cell_number("合计") is None
