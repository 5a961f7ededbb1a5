"""Suggestions for unknown region names: real similarity (stem, pinyin, order, one character) or nothing."""

from __future__ import annotations

import pytest

from analytics.importing.suggest import (
    closeness,
    county_message,
    stem,
    suggest_county,
    suggest_township,
    township_message,
)

# A slice of a real-looking region table: county -> townships.
REGIONS = {
    "云溪县": {"城关镇", "龙泉街道", "三合街道", "莲花乡", "梨树乡", "清水镇", "铁炉镇", "碧水乡", "黄渡乡"},
    "白鹭县": {"城关镇", "石桥街道", "河湾镇", "桃源镇", "清水乡", "南湖镇"},
    "松岭县": {"城关镇", "青龙镇", "碧水镇", "杨柳镇"},
    "鹤溪县": {"新塘街道", "甘泉街道", "柏林镇"},
    "川中区": {"龙泉街道", "枣林街道"},
    "枫林县": {"城关镇", "石桥乡"},
}

# (case, township typed, county of the record, expected close names, expected counties that have it)
TOWNSHIPS = [
    ("one character wrong in a longer name", "龙全街道", "云溪县", ("龙泉街道",), ()),
    ("homophone typed with pinyin", "桃园镇", "白鹭县", ("桃源镇",), ()),
    ("homophone, first character", "青水镇", "云溪县", ("清水镇",), ()),
    ("homophone, two characters", "黄度乡", "云溪县", ("黄渡乡",), ()),
    ("n/l said alike", "兰湖镇", "白鹭县", ("南湖镇",), ()),
    ("wrong suffix", "梨树镇", "云溪县", ("梨树乡",), ()),
    ("no suffix", "铁炉", "云溪县", ("铁炉镇",), ()),
    ("characters swapped", "树梨乡", "云溪县", ("梨树乡",), ()),
    ("belongs to another county", "桃源镇", "云溪县", (), ("白鹭县",)),
    ("several other counties", "石桥街道", "松岭县", (), ("白鹭县",)),
    ("close here and exact elsewhere", "清水乡", "云溪县", ("清水镇",), ("白鹭县",)),
    ("shares only 镇", "长安镇", "云溪县", (), ()),
    ("shares only 街道", "和平街道", "云溪县", (), ()),
    ("shares one of two characters", "石井镇", "白鹭县", (), ()),
    ("shares one of two characters and the suffix", "龙门街道", "云溪县", (), ()),
    ("only a suffix", "镇", "云溪县", (), ()),
    ("county without a township list", "城关镇", "临河县", (), ("云溪县", "松岭县", "枫林县", "白鹭县")),
]


@pytest.mark.parametrize(
    ("typed", "county", "similar", "elsewhere"), [c[1:] for c in TOWNSHIPS], ids=[c[0] for c in TOWNSHIPS]
)
def test_township_suggestions(typed, county, similar, elsewhere):
    found = suggest_township(typed, county, REGIONS)
    assert found.similar == similar
    assert set(found.elsewhere) == set(elsewhere)


# (case, county typed, expected close counties, expected counties that have a township of that name)
COUNTIES = [
    ("homophone", "云西县", ("云溪县",), ()),
    ("homophone, -ng said as -n", "松林县", ("松岭县",), ()),
    ("homophone, first character", "凤林县", ("枫林县",), ()),
    ("区 written 县", "川中县", ("川中区",), ()),
    ("no suffix", "鹤溪", ("鹤溪县",), ()),
    ("stray space and letter", "云 溪县x", ("云溪县",), ()),
    ("a township in the county column", "桃源镇", (), ("白鹭县",)),
    ("shares only 县", "长安县", (), ()),
    ("shares one of two characters", "云山县", (), ()),
    ("not Chinese at all", "abc", (), ()),
]


@pytest.mark.parametrize(
    ("typed", "similar", "elsewhere"), [c[1:] for c in COUNTIES], ids=[c[0] for c in COUNTIES]
)
def test_county_suggestions(typed, similar, elsewhere):
    found = suggest_county(typed, REGIONS)
    assert found.similar == similar
    assert found.elsewhere == elsewhere


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("桃源镇", "桃源"),
        ("龙泉街道", "龙泉"),
        ("川中区", "川中"),
        ("城关镇街道办事处", "城关镇"),
        ("镇", ""),
        ("", ""),
    ],
)
def test_stem_drops_one_generic_suffix(name, expected):
    assert stem(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("长安镇", "城关镇"),
        ("和平街道", "龙泉街道"),
        ("南山区", "川中区"),
        ("东城市", "西城县"),
        ("石井", "石桥"),
    ],
)
def test_generic_suffixes_and_half_a_name_are_not_similarity(a, b):
    assert closeness(a, b) == 0


def test_messages_name_the_hint_in_chinese():
    assert (
        township_message("乡镇（街道）", "桃园镇", "白鹭县", REGIONS)
        == "乡镇（街道）“桃园镇”不在白鹭县的行政区划中，是否为“桃源镇”？"
    )
    assert (
        township_message("乡镇（街道）", "桃源镇", "云溪县", REGIONS)
        == "乡镇（街道）“桃源镇”不在云溪县的行政区划中，桃源镇属于白鹭县，请检查县市区是否填错"
    )
    assert township_message("乡镇（街道）", "长安镇", "云溪县", REGIONS) == (
        "乡镇（街道）“长安镇”不在云溪县的行政区划中，请检查名称，或先在行政区划表中登记该乡镇"
    )
    many = township_message("乡镇（街道）", "城关镇", "鹤溪县", REGIONS)
    assert many.endswith("城关镇属于云溪县、松岭县、枫林县等4个县市区，请检查县市区是否填错")
    assert county_message("县市区", "云西县", REGIONS) == "县市区“云西县”不在行政区划表中，是否为“云溪县”？"
    assert county_message("县市区", "桃源镇", REGIONS) == (
        "县市区“桃源镇”不在行政区划表中，桃源镇是白鹭县的乡镇，此列应填县市区名称"
    )
    assert "是否" not in county_message("县市区", "长安县", REGIONS)
