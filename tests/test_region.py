"""The index that narrows jionlp's candidate search must not change its answers."""

import contextlib
import io

import pytest

from pipelines.parse import region

NAMES = [
    "靖州县就业服务中心",
    "湘西自治州人力资源和社会保障局",
    "石家庄市桥西区人力资源和社会保障局",
    "重庆市渝中区就业和人才服务局",
    "青海西宁市人力资源和社会保障局",  # 海西 must not match across 青海|西宁
    "北海市重庆路就业服务站",  # 重庆 followed by 路 is a street
    "延边州就业服务局",
    "鼓楼区人力资源和社会保障局",
    "湖南省就业服务中心",
    "部门整体支出绩效自评报告",
]


@pytest.mark.parametrize("name", NAMES)
def test_indexed_parser_answers_as_jionlp(name):
    with contextlib.redirect_stdout(io.StringIO()):
        expected = region._jio().parse_location(name, change2new=True)
        got = region._parser()(name, change2new=True)
    assert got == expected
