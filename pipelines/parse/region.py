"""Resolving a unit's jurisdiction to official GB/T 2260 names and codes.

Uses jionlp's maintained province -> prefecture -> county table (with codes and
short forms), so a county or prefecture written in its short form (X县 for an autonomous
county, X州 / X自治州 for an autonomous prefecture) gets its official name and code;
districts of the four municipalities have no prefecture.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipelines import config

MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}
_LEFTOVER = re.compile(r"^(?:自治州|自治县|地区|盟|省|市|县|区|旗)")


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None
    prefecture: str | None
    county: str | None
    division_code: str | None
    admin_level: str | None
    full_name: str | None  # the unit's name with its region written in full


@cache
def _jio() -> Any:
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


@cache
def _table() -> dict[str, Any]:
    return _prepared()[0]


@cache
def _prepared() -> tuple[dict[str, Any], dict[str, Any]]:
    """jionlp's province -> prefecture -> county table and its location parser's prepared state.

    Building them reads jionlp's whole division file twice (about half a second per process);
    they are kept in a pickle in the cache folder, one per jionlp version and version of this file.
    """
    jio = _jio()
    key = hashlib.sha256(f"{jio.__version__}|{Path(__file__).read_bytes().hex()}".encode()).hexdigest()[:16]
    path = config.cache_dir() / f"jionlp-locations-{key}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        pass
    with contextlib.redirect_stdout(io.StringIO()):
        table = jio.china_location_loader(detail=False)  # province, prefecture, county: all _code reads
        parser = type(jio.parse_location)()
        parser._prepare()
    built = (table, dict(vars(parser)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        work = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        work.write_bytes(pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(work, path)
    except OSError:
        pass  # a read-only home: built again next time
    return built


@cache
def _parser() -> Any:
    """jionlp's location parser, with its search for candidate divisions narrowed by an index.

    jionlp tests each of its ~5,000 divisions against the text (a few ms per name). A division
    can only be a candidate when one of its names or short names occurs in the text, so the
    parser is handed just those divisions, in their original order: the same answer, much sooner.
    """
    base = type(_jio().parse_location)

    class IndexedLocationParser(base):
        by_name: dict[str, list[int]] | None = None
        longest = 0

        def get_candidates(self, location_text: str) -> list:
            full = self.administrative_map_list
            if self.by_name is None:
                self.by_name = {}
                for pos, item in enumerate(full):
                    for level, names in enumerate(item[1:4], start=1):
                        for name in (n for n in names if n):
                            self.by_name.setdefault(name, []).append((pos, level))
                self.longest = max(map(len, self.by_name))
            text = location_text
            found = {hit for i in range(len(text)) for j in range(i + 1, min(len(text), i + self.longest) + 1)
                     for hit in self.by_name.get(text[i:j], ())}
            hits = {pos for pos, _ in found}
            if found and all(level == 1 for _, level in found):
                # only a province is named (湖南省就业服务中心): of its ~100 divisions, which all match alike and
                # which jionlp would compare pair by pair, the province's own entry gives the same answer
                hits = {pos for pos in hits if full[pos][2][0] is None} or hits
            self.administrative_map_list = [full[pos] for pos in sorted(hits)]
            try:
                return super().get_candidates(location_text)
            finally:
                self.administrative_map_list = full

    parser = IndexedLocationParser()
    vars(parser).update(_prepared()[1])
    return parser


def load() -> None:
    """Load the location parser now (else at its first use)."""
    _parser()


def _code(province: str, prefecture: str | None, county: str | None) -> str | None:
    node = _table().get(province)
    if node is None:
        return None
    for key in (prefecture, county):
        if key is None:
            continue
        child = node.get(key)
        if child is None and province in MUNICIPALITIES:
            child = node.get(province, {}).get(key)
        if child is None and key == county and prefecture is None:  # a county-level city under the province
            child = next((sub[key] for sub in node.values() if isinstance(sub, dict) and key in sub), None)
        if child is None:
            return node.get("_admin_code") if key == county else None
        node = child
    return node.get("_admin_code")


def _names_prefecture(name: str, province: str, prefecture: str, county: str) -> bool:
    """True when the name says '<prefecture alias>州' / '…自治州' rather than the county."""
    node = _table().get(province, {}).get(prefecture, {})
    aliases = [a for a in node.get("_alias", []) if a] if isinstance(node, dict) else []
    return county not in name and any(re.search(rf"{re.escape(a)}(?:自治)?州", name) for a in aliases)


def resolve(name: str) -> Region | None:
    """The region a unit's name (or a title, or a sentence) names, or None."""
    if not name or not name.strip():
        return None
    with contextlib.redirect_stdout(io.StringIO()):
        found = _parser()(name.strip(), change2new=True)
    province, prefecture, county = found.get("province"), found.get("city"), found.get("county")
    if not province:
        return None
    if province in MUNICIPALITIES:
        prefecture = None
    detail = found.get("detail") or ""
    if county and prefecture and _names_prefecture(name, province, prefecture, county):
        county = None  # 红河州 / 红河自治州 is the prefecture, not 红河县
        detail = re.sub(r"^(?:县|自治州|州)", "", detail)
    detail = _LEFTOVER.sub("", detail)
    if county:
        level, most_specific = "county", county
    elif prefecture:
        level, most_specific = "prefecture", prefecture
    else:
        level, most_specific = "province", province
    code = _code(province, prefecture, county)
    prefix = prefecture if county and prefecture and prefecture in name else ""
    return Region(province, prefecture, county, code, level, f"{prefix}{most_specific}{detail}")
