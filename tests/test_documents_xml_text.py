"""Nothing stored can make the report fail: control characters a Word file cannot hold are left out."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from analytics import store
from analytics.documents.report import build_report
from analytics.documents.xml_text import clean
from analytics.metrics.periods import Period
from tests.factories import fixture_db, insert


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城关\x0b镇", "城关镇"),
        ("\x01甲\x1f乙\x7f", "甲乙\x7f"),  # U+007F is allowed in XML 1.0
        ("第一行\n第二行\t制表", "第一行\n第二行\t制表"),
        ("", ""),
    ],
)
def test_clean_removes_only_what_xml_forbids(text, expected):
    assert clean(text) == expected


def test_clean_walks_documents():
    value = {"rows": [("甲\x0b", 1), ["乙\x01"]], "n": 3.5, "none": None}
    assert clean(value) == {"rows": [("甲", 1), ["乙"]], "n": 3.5, "none": None}


def test_a_stored_control_character_does_not_break_the_report(empty_db):
    with fixture_db(empty_db, {"甲县": ["城关镇"]}) as con:
        insert(
            con,
            "accidents",
            [
                {
                    "accident_id": "SG1",
                    "occurred_on": dt.date(2026, 3, 2),
                    "county": "甲县",
                    "township": "城关\x0b镇\x01",
                    "sector": "道路交通",
                    "deaths": 1,
                    "injuries": 2,
                    "direct_loss_wan": 3,
                }
            ],
        )
    with store.connect(empty_db) as con:
        data = build_report(con, "甲县", Period(2026, 1, 3))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "甲县" in text and "\x0b" not in text
