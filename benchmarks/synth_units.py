"""Reporting units for synthetic reports: real counties and prefectures from jionlp's
division table (the one pipelines.parse.region resolves against), with the names a
report would write for them.

A unit name is written the way local reports write it: the full official name
(靖州苗族侗族自治县就业服务中心), or the usual short form of an autonomous county or
prefecture (靖州县…, 湘西自治州…, 湘西州…). A county name that is not unique in the
country (鼓楼区, 朝阳区, or a short form that collides) always carries its prefecture
(福州市鼓楼区…), so that a careful reader can tell where the unit is.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pipelines.parse import region

SKIP_PROVINCES = {"香港特别行政区", "澳门特别行政区", "台湾省"}
SKIP_PREFECTURES = {"省直辖行政区划", "自治区直辖县级行政区划"}  # county-level cities under a province
SKIP_COUNTY = re.compile(r"管委会|管理区|产业园|新城|群岛|行政委员会|直辖|开发区|示范区|新区$|^金门县$")
COUNTY_END = re.compile(r"(?:县|区|市|旗|特区|林区)$")

COUNTY_UNITS = ["人力资源和社会保障局", "就业服务中心", "就业服务局", "公共就业服务中心", "劳动就业服务管理中心",
                "就业和社会保障服务中心"]
PREFECTURE_UNITS = ["人力资源和社会保障局", "就业服务中心", "就业服务管理中心", "公共就业和人才服务中心",
                    "劳动就业服务局"]
# Affiliated units of a 人社局, after the area word (州…, 市…, 县…).
SUB_UNITS = ["就业服务中心", "人事考试院", "劳动人事争议仲裁院", "社会保险服务中心", "劳动保障监察支队",
             "职业技能鉴定中心", "人力资源服务中心", "工伤保险服务中心", "城乡居民社会养老保险服务中心",
             "人社信息中心", "创业创新指导服务中心", "技工学校", "人才交流服务中心", "劳动能力鉴定中心"]


@dataclass(frozen=True)
class Place:
    province: str
    prefecture: str | None  # None for districts and counties of the four municipalities
    county: str | None
    code: str
    alias: str | None  # jionlp's short name of the most specific level


@dataclass
class Unit:
    place: Place
    admin_level: str  # county / prefecture
    name: str  # as written on the cover
    name_full: str  # with every region word in full
    area_word: str  # 县 / 区 / 市 / 州 / 旗 / 地区 / 盟: how the report calls its jurisdiction (全县, 全州)
    sub_units: list[str] = field(default_factory=list)  # names as written in the tables
    kind: str = ""  # the unit type (人力资源和社会保障局 …)
    style: str = ""  # how the name writes the region (for tracing misses)


def _alias(node: dict[str, Any]) -> str | None:
    alias = node.get("_alias")
    if isinstance(alias, list):
        alias = alias[0] if alias else None
    return alias or None


@cache
def _superseded() -> frozenset[tuple[str | None, ...]]:
    """(province, prefecture, county) of places renamed or merged away (澄江县 -> 澄江市, 湾里区 -> 新建区)."""
    with contextlib.redirect_stdout(io.StringIO()):
        changes = region._jio().china_location_change_loader()
    return frozenset(tuple(x[0] if x else None for x in c["old_loc"]) for c in changes)


@cache
def places() -> tuple[list[Place], list[Place]]:
    """(prefectures, counties) of the mainland, in a fixed order, as they are named today."""
    table = region._table()
    gone = _superseded()
    prefectures: list[Place] = []
    counties: list[Place] = []
    for province in sorted(k for k in table if not k.startswith("_")):
        if province in SKIP_PROVINCES:
            continue
        pnode = table[province]
        municipal = province in region.MUNICIPALITIES
        for pref in sorted(k for k in pnode if not k.startswith("_")):
            node = pnode[pref]
            if pref in SKIP_PREFECTURES or not isinstance(node, dict):
                continue
            code = node.get("_admin_code") or ""
            if not municipal and re.fullmatch(r"\d{4}00", code) and (province, pref, None) not in gone:
                prefectures.append(Place(province, pref, None, code, _alias(node)))
            for county in sorted(k for k in node if not k.startswith("_")):
                cnode = node[county]
                if not isinstance(cnode, dict):
                    continue
                ccode = cnode.get("_admin_code") or ""
                if (not re.fullmatch(r"\d{6}", ccode) or ccode.endswith("00") or not COUNTY_END.search(county)
                        or SKIP_COUNTY.search(county) or (province, pref, county) in gone):
                    continue
                counties.append(Place(province, None if municipal else pref, county, ccode, _alias(cnode)))
    return prefectures, counties


def _short_county(place: Place) -> str | None:
    """靖州苗族侗族自治县 -> 靖州县; 鄂温克族自治旗 -> 鄂温克旗; None when there is no usual short form."""
    assert place.county is not None
    if not place.alias or place.alias == place.county:
        return None
    alias = re.sub(r"[县旗]$", "", place.alias)  # some aliases carry the ending already (河南县)
    if place.county.endswith("自治县"):
        return alias + "县"
    if place.county.endswith("自治旗"):
        return alias + "旗"
    return None


def _short_prefecture(place: Place, rng: random.Random) -> str | None:
    """湘西土家族苗族自治州 -> 湘西自治州 / 湘西州."""
    assert place.prefecture is not None
    if place.prefecture.endswith("自治州") and place.alias and place.alias != place.prefecture:
        if place.alias.endswith("州"):  # the alias is the short form already (克州)
            return place.alias
        return place.alias + rng.choice(["自治州", "自治州", "州"])
    return None


@cache
def _ambiguous_county_names() -> frozenset[str]:
    """County names (full or short) that more than one county can be written as, Taiwan's included
    (福建省连江县 / 台湾省连江县)."""
    counts: Counter[str] = Counter()
    table = region._table()
    for province in (k for k in table if not k.startswith("_")):
        for pref, node in table[province].items():
            if pref.startswith("_") or not isinstance(node, dict):
                continue
            for county, cnode in node.items():
                if county.startswith("_") or not isinstance(cnode, dict):
                    continue
                place = Place(province, pref, county, "", _alias(cnode))
                counts.update({n for n in (county, _short_county(place)) if n})
    return frozenset(n for n, c in counts.items() if c > 1)


def _area_word(name: str) -> str:
    for end in ("地区", "盟", "州", "旗", "县", "区", "市"):
        if name.endswith(end):
            return end
    return "县"


def pick_unit(rng: random.Random) -> Unit:
    prefectures, counties = places()
    if rng.random() < 0.62:
        place = rng.choice(counties)
        assert place.county is not None
        short = _short_county(place) if rng.random() < 0.6 else None
        written = short or place.county
        full_prefix = ""
        prefix = ""
        if place.prefecture is None:  # a district or county of a municipality
            prefix = full_prefix = place.province if rng.random() < 0.8 or written in _ambiguous_county_names() else ""
        elif written in _ambiguous_county_names() or rng.random() < (0.6 if written.endswith("区") else 0.08):
            prefix = full_prefix = place.prefecture
        kind = rng.choice(COUNTY_UNITS)
        style = ("municipal " if place.prefecture is None else "") + ("county short form" if short else "county") + (
            " with prefix" if prefix else "") + (" (ambiguous name)" if written in _ambiguous_county_names() else "")
        unit = Unit(place, "county", prefix + written + kind, full_prefix + place.county + kind,
                    _area_word(place.county), kind=kind, style=style)
    else:
        place = rng.choice(prefectures)
        assert place.prefecture is not None
        written = (_short_prefecture(place, rng) if rng.random() < 0.6 else None) or place.prefecture
        kind = rng.choice(PREFECTURE_UNITS)
        style = "prefecture short form" if written != place.prefecture else "prefecture"
        unit = Unit(place, "prefecture", written + kind, place.prefecture + kind, _area_word(place.prefecture),
                    kind=kind, style=style)
    if unit.kind == "人力资源和社会保障局" and rng.random() < 0.85:
        word = {"州": "州", "地区": "地区", "盟": "盟", "市": "市"}.get(unit.area_word, unit.area_word)
        n = rng.randint(2, 11) if unit.admin_level == "prefecture" else rng.randint(1, 5)
        unit.sub_units = ["局机关", *[word + s for s in rng.sample(SUB_UNITS, n)]]
    return unit
