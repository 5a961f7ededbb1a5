"""How figures are written in Chinese: numbers, 同比 phrases, verdicts and the overview paragraph.

Pure functions over the documents of `analytics.metrics` (no database), in
the register of the county government's report to the People's Congress, so
pages, the command line and the Word report say the same thing the same way.
"""

from __future__ import annotations

import datetime as dt

from analytics.metrics.coverage import data_as_of
from analytics.metrics.indicators import (
    INDICATORS,
    INDUSTRY_TRADE,
    accidents_by_field,
)
from analytics.metrics.periods import Period, round_half_up
from analytics.metrics.ranking import county_row, shared_rank
from analytics.text import fields as catalogue
from analytics.text.numbers import DASH, fmt_amount, fmt_count, fmt_money, fmt_pct

# Re-exported, so callers find every number format beside the wording that uses them.
from analytics.text.numbers import fmt_rate as fmt_rate

_PAIR = ("accidents", "deaths")  # 双下降


def change_kind(value: float | None, previous: float | None) -> str:
    """ "down", "up", "flat" or "new" (同期 0, now above 0): pages colour by meaning from this."""
    value, previous = value or 0, previous or 0
    if previous == 0 and value > 0:
        return "new"
    if value == previous:
        return "flat"
    return "down" if value < previous else "up"


def change_phrase(
    value: float, previous: float, change_pct: float | None, unit: str, baseline: str = "去年同期"
) -> str:
    """同比 in words: "下降14.3%", "上升5.0%", "持平", "新增3起（去年同期为0）", "下降100%".

    `baseline` names what is compared against in the 新增 case ("上月" for 环比).
    """
    kind = change_kind(value, previous)
    if kind == "new":
        return f"新增{fmt_amount(value, unit)}（{baseline}为0）"
    if kind == "flat":
        return "持平"
    if not value:
        return "下降100%"
    if change_pct is None or round_half_up(change_pct, 1) == 0:
        # A change too small to show at 1 decimal: saying "下降0.0%" would read as a typo.
        return "基本持平"
    verb = "下降" if kind == "down" else "上升"
    return f"{verb}{fmt_pct(abs(change_pct))}"


def change_pct_phrase(change_pct: float | None) -> str:
    """同比 from its percentage alone, for a table column: "上升5.0%", "下降14.3%", "持平", None (同期为0) "新增"."""
    if change_pct is None:
        return "新增"
    if change_pct == 0:
        return "持平"
    return f"{'上升' if change_pct > 0 else '下降'}{fmt_pct(abs(change_pct))}"


def _labels(names: list[str]) -> str:
    return "、".join(catalogue.short_label(name) for name in names)


def verdict(indicators_doc: dict) -> str:
    """The line leaders read first: "四项指标全面下降", "事故起数、死亡人数双下降，受伤人数上升" …"""
    figures = indicators_doc["indicators"]
    kinds = {name: change_kind(figures[name]["value"], figures[name]["previous"]) for name in INDICATORS}
    down = [n for n in INDICATORS if kinds[n] == "down"]
    up = [n for n in INDICATORS if kinds[n] in ("up", "new")]
    flat = [n for n in INDICATORS if kinds[n] == "flat"]
    if len(down) == len(INDICATORS):
        return "四项指标全面下降"
    if len(up) == len(INDICATORS):
        return "四项指标全面上升"
    if len(flat) == len(INDICATORS):
        if figures["accidents"]["value"] == 0:
            return "未发生生产安全事故，与去年同期持平"
        return "四项指标与去年同期持平"
    parts = []
    if all(n in down for n in _PAIR):
        parts.append(f"{_labels(list(_PAIR))}双下降")
        down = [n for n in down if n not in _PAIR]
    if down:
        parts.append(f"{_labels(down)}下降")
    if up:
        parts.append(f"{_labels(up)}上升")
    if flat:
        parts.append(f"{_labels(flat)}持平")
    return "，".join(parts)


def area_word(county: str | None) -> str:
    """How the report names its own area: 全县, 全区, 全市 (a county-level city or the whole city)."""
    if not county:
        return "全市"
    for suffix in ("县", "区", "市", "旗"):
        if county.endswith(suffix):
            return f"全{suffix}"
    return "全县"


def source_basis(source: str | None) -> str:
    """What a county's ranking figures rest on: 全市通报, 事故台账统计, or both."""
    return {
        "bulletin": "全市通报",
        "records": "事故台账统计",
        "mixed": "全市通报，未通报月份依据事故台账统计",
    }.get(source or "", "事故台账统计")


def source_note(source: str | None) -> str:
    """Where a county's ranking figures come from, said in words (metrics.md: every rank says so)."""
    return f"排位依据{source_basis(source)}"


def rank_phrase(rank: int | None, tied: bool = False) -> str:
    """ "第3位", "并列第2位", or "—" when not ranked."""
    if rank is None:
        return DASH
    return f"{'并列' if tied else ''}第{rank}位"


def rank_sentence(ranking_doc: dict, county: str) -> str:
    """ "“四项考核指标”在全市10个县市区中分别排第3、2、2、5位（排位依据…）" for one county; "" if not ranked."""
    row = county_row(ranking_doc, county)
    if row is None:
        return ""
    total = len(ranking_doc["counties"])
    ranks = [row["rank"][name] for name in INDICATORS]
    tied = [shared_rank(ranking_doc, name, row["rank"][name]) for name in INDICATORS]
    lead = f"“四项考核指标”在全市{total}个县市区中"
    if len(set(ranks)) == 1 and len(set(tied)) == 1:
        body = f"均{'' if tied[0] else '排'}{rank_phrase(ranks[0], tied[0])}"
    elif not any(tied):
        body = f"分别排第{'、'.join(str(r) for r in ranks)}位"
    else:
        body = "，".join(
            f"{catalogue.short_label(name)}{'' if tie else '排'}{rank_phrase(rank, tie)}"
            for name, rank, tie in zip(INDICATORS, ranks, tied, strict=True)
        )
        lead += "，"
    return f"{lead}{body}（{source_note(ranking_doc['source'].get(county))}）"


def _sector_clause(indicators_doc: dict) -> str:
    """ "（事故全部发生在道路交通领域，工矿商贸领域未发生生产安全事故）" or a count per field.

    The 工矿商贸 sectors are counted as one field, as the bureau reports them.
    """
    rows = [row for row in indicators_doc["by_sector"] if row["accidents"] > 0]
    if not rows:
        return ""
    fields = accidents_by_field(indicators_doc)
    if len(rows) == 1:
        parts = [f"事故全部发生在{rows[0]['sector']}领域"]
    elif len(fields) == 1:
        parts = [f"事故全部发生在{INDUSTRY_TRADE}领域"]
    else:
        parts = ["、".join(f"{name}领域{fmt_count(count)}起" for name, count in fields)]
    if indicators_doc["industry_trade"]["no_accidents"]:
        parts.append(f"{INDUSTRY_TRADE}领域未发生生产安全事故")
    return f"（{'，'.join(parts)}）"


def _casualties(figures: dict, missing: int) -> str:
    deaths, injuries = figures["deaths"]["value"], figures["injuries"]["value"]
    death_text = f"死亡{fmt_count(deaths)}人" if deaths else "未造成人员死亡"
    if missing:
        death_text += f"、下落不明{fmt_count(missing)}人"
    injury_text = f"受伤{fmt_count(injuries)}人" if injuries else "无人员受伤"
    return f"{death_text}，{injury_text}"


def overview_paragraph(
    indicators_doc: dict, ranking_doc: dict | None, county: str | None, period: Period
) -> str:
    """The paragraph a leader copies: totals, sectors, 同比 of each indicator and the county's ranks."""
    figures = indicators_doc["indicators"]
    area = area_word(county)
    accidents = figures["accidents"]
    sentences = []
    if accidents["value"] == 0:
        if accidents["previous"] == 0:
            sentences.append(f"{period.label}，{area}未发生生产安全事故，与去年同期持平")
        else:
            sentences.append(
                f"{period.label}，{area}未发生生产安全事故（去年同期发生{fmt_count(accidents['previous'])}起，"
                f"死亡{fmt_count(figures['deaths']['previous'])}人）"
            )
    else:
        missing = (indicators_doc.get("missing") or {}).get("value", 0)
        sentences.append(
            f"{period.label}，{area}共发生各类生产安全事故{fmt_count(accidents['value'])}起，"
            f"{_casualties(figures, missing)}，直接经济损失{fmt_money(figures['direct_loss_wan']['value'])}万元"
            f"{_sector_clause(indicators_doc)}"
        )
        major = (indicators_doc.get("major_accidents") or {}).get("value", 0)
        sentences[-1] += f"，其中较大及以上事故{fmt_count(major)}起" if major else "，未发生较大及以上事故"
        if accidents["previous"] == 0:
            sentences.append("去年同期未发生生产安全事故")
    if accidents["previous"] != 0:
        phrases = [
            change_phrase(
                figures[name]["value"],
                figures[name]["previous"],
                figures[name]["change_pct"],
                catalogue.unit(name),
            )
            for name in INDICATORS
        ]
        if len(set(phrases)) == 1:
            sentences.append(f"与去年同期相比，四项指标均{phrases[0]}")
        else:
            sentences.append(
                "与去年同期相比，"
                + "，".join(
                    f"{catalogue.short_label(n)}{p}" for n, p in zip(INDICATORS, phrases, strict=True)
                )
            )
    if county and ranking_doc:
        ranks = rank_sentence(ranking_doc, county)
        if ranks:
            sentences.append(ranks)
    return "。".join(sentences) + "。"


def month_text(year: int, month: int) -> str:
    """ "2026年8月"."""
    return f"{year}年{month}月"


def data_as_of_text(period_json: dict, coverage: dict | None = None) -> str:
    """ "数据截至2026年8月": the period's last month, or the earliest source coverage before it."""
    return f"数据截至{month_text(*data_as_of(period_json, coverage))}"


def provisional_note(indicators_doc: dict) -> str | None:
    """A note for screens while the latest month may still be corrected; None once final."""
    flag = indicators_doc.get("provisional") or {}
    if not flag.get("provisional"):
        return None
    until = dt.date.fromisoformat(flag["until"])
    period = indicators_doc["period"]
    return (
        f"{month_text(period['year'], period['months'][1])}数据为初步统计：事故发生后30日内（道路交通和火灾7日内）"
        f"伤亡人数可能更正，{until.month}月{until.day}日后为最终数据。"
    )


# How the notices name each monthly source (metrics.md, Periods: "隐患台账数据截至2026年10月").
SOURCE_NAMES = {
    "accidents": "事故台账",
    "inspections": "检查台账",
    "hazards": "隐患台账",
    "enforcement": "执法台账",
    "training": "培训台账",
    "city_bulletin": "全市通报",
    "standardization": "标准化台账",
    "major_hazard_sources": "重大危险源台账",
    "projects": "建设项目台账",
    "monthly_reports": "部门月报",
}


def _month_of(key: str) -> str:
    year, month = key.split("-")
    return month_text(int(year), int(month))


def coverage_notices(doc: dict) -> list[str]:
    """One notice per source whose coverage ends before the document's period does.

    A ranking document names instead every county whose accident coverage ends
    before the period, and says why no rank change is stated.
    """
    year, last = doc["period"]["year"], doc["period"]["months"][1]
    end = f"{year:04d}-{last:02d}"
    if "behind" in doc:
        notices = []
        by_month: dict[str | None, list[str]] = {}
        for row in doc["behind"]:
            by_month.setdefault(row["coverage"], []).append(row["county"])
        for key, names in sorted(by_month.items(), key=lambda item: item[0] or ""):
            reach = f"事故数据截至{_month_of(key)}" if key else "暂无事故数据"
            notices.append(f"{'、'.join(names)}{reach}，按已有数据排位")
        if doc.get("coverage_differs"):
            notices.append("各县市区数据截至月份不同，暂不比较排位变化")
        return notices
    notices = []
    for source, key in (doc.get("coverage") or {}).items():
        name = SOURCE_NAMES.get(source, source)
        if key is None:
            notices.append(f"{name}暂无数据")
        elif key < end:
            notices.append(f"{name}数据截至{_month_of(key)}")
    return notices


def no_data_message(period: Period, spans: dict[str, tuple[str, str] | None], county: str | None) -> str:
    """Why a period has no data: the sources' spans, in Chinese (the CLI's exit-1 message, the page's note)."""
    where = county or "全市"
    parts = [
        f"{SOURCE_NAMES.get(source, source)}"
        + (f"数据范围为{_month_of(span[0])}至{_month_of(span[1])}" if span else "暂无数据")
        for source, span in spans.items()
    ]
    return f"{where}{period.year}年{period.label}没有数据：{'；'.join(parts)}。请选择有数据的期间。"
