"""The report's tables and its attachments (附表1–4), built from figures (no database, no layout)."""

from __future__ import annotations

from analytics.documents.report_text import Block, date_text, ranked, table_change
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.ranking import county_row, shared_rank
from analytics.text import fields
from analytics.text.wording import area_word, fmt_count, fmt_money, fmt_pct, rank_phrase, source_note

# A table: its header and its rows of cell texts.
Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def indicator_table(indicators_doc: dict, ranking_doc: dict | None, county: str) -> Table:
    """附表1: the four indicators with 同期, 同比 and (when ranked) the county's 全市排位."""
    header = ["指标", "本期", "去年同期", "同比"]
    row_of_county = county_row(ranking_doc, county) if ranked(ranking_doc, county) else None
    if row_of_county:
        header.append("全市排位")
    rows = []
    for name in INDICATORS:
        figure = indicators_doc["indicators"][name]
        row = [
            fields.label(name),
            fields.fmt_value(name, figure["value"]),
            fields.fmt_value(name, figure["previous"]),
            table_change(figure["value"], figure["previous"], figure["change_pct"]),
        ]
        if row_of_county:
            rank = row_of_county["rank"][name]
            row.append(rank_phrase(rank, shared_rank(ranking_doc, name, rank)))
        rows.append(tuple(row))
    return tuple(header), tuple(rows)


def sector_table(indicators_doc: dict) -> Table:
    """附表2: accidents by sector with 同期 and 同比, then the 合计 row."""
    header = (
        fields.KEY_LABELS["sector"],
        fields.label("accidents"),
        "去年同期",
        "同比",
        *(fields.label(name) for name in ("deaths", "injuries", "direct_loss_wan")),
    )
    rows = []
    for row in indicators_doc["by_sector"]:
        rows.append(
            (
                row["sector"],
                fmt_count(row["accidents"]),
                fmt_count(row["previous"]["accidents"]),
                table_change(row["accidents"], row["previous"]["accidents"], row["change_pct"]["accidents"]),
                fmt_count(row["deaths"]),
                fmt_count(row["injuries"]),
                fmt_money(row["direct_loss_wan"]),
            )
        )
    figures = indicators_doc["indicators"]
    accidents = figures["accidents"]
    rows.append(
        (
            "合计",
            fmt_count(accidents["value"]),
            fmt_count(accidents["previous"]),
            table_change(accidents["value"], accidents["previous"], accidents["change_pct"]),
            fmt_count(figures["deaths"]["value"]),
            fmt_count(figures["injuries"]["value"]),
            fmt_money(figures["direct_loss_wan"]["value"]),
        )
    )
    return header, tuple(rows)


TOWNSHIP_TABLE_FIELDS = (
    "accidents",
    "deaths",
    "found",
    "rectification_rate",
    "overdue",
    "cases",
    "fine_wan",
    "trained",
    "coverage_pct",
)


def township_table(townships_doc: dict) -> Table:
    """附表3: the township comparison, records without a township as 县直/未填乡镇, then 合计."""
    header = (fields.KEY_LABELS["township"], *(fields.label(name) for name in TOWNSHIP_TABLE_FIELDS))
    rows = []
    for row in [*townships_doc["rows"], townships_doc["total"]]:
        township = row["township"] or NO_TOWNSHIP
        rows.append((township, *(fields.fmt_value(name, row[name]) for name in TOWNSHIP_TABLE_FIELDS)))
    return header, tuple(rows)


CONTROL_TABLE_FIELDS = (
    "accidents",
    "accidents_cap",
    "accidents_progress",
    "accidents_status",
    "deaths",
    "deaths_cap",
    "deaths_progress",
    "deaths_status",
)


def control_table(control_doc: dict, whole: str) -> Table:
    """附表4: the county's row (as 全县) and each township's against their 控制指标; no row without a cap."""
    header = (fields.KEY_LABELS["township"], *(fields.label(name) for name in CONTROL_TABLE_FIELDS))
    rows = [(whole, control_doc["county"])] if control_doc.get("county") else []
    rows += [(row["township"] or NO_TOWNSHIP, row) for row in control_doc.get("townships") or []]
    return header, tuple(
        (name, *(fields.fmt_value(field, row[field]) for field in CONTROL_TABLE_FIELDS)) for name, row in rows
    )


def control_blocks(control_doc: dict | None, county: str, year: int, last_month: int) -> list[Block]:
    """附表4 and its note, in the landscape section of 附表3; nothing when no 控制指标 is set."""
    if not control_doc or not (control_doc.get("county") or control_doc.get("townships")):
        return []
    months = f"1-{last_month}月" if last_month > 1 else "1月"
    header, rows = control_table(control_doc, area_word(county))
    return [
        Block("attachment", f"{county}{year}年{months}年度控制指标完成情况", lead="附表4"),
        # The status columns hold "超出控制指标" on one line.
        Block("table", header=header, rows=rows, widths=(13, 9, 10, 10, 15, 9, 10, 10, 15)),
        Block(
            "note",
            f"注：控制进度为{months}累计数占年度控制数的比例，时间进度为{fmt_pct(control_doc['time_progress'])}；"
            "累计数超过控制数为“超出控制指标”，控制进度超过时间进度为“超过时间进度”；未设控制数的记为“—”。",
        ),
    ]


def attachments(figures: dict, county: str, period_text: str) -> list[Block]:
    indicators_doc, ranking_doc = figures["indicators"], figures["ranking"]
    blocks = [
        Block("page_break"),
        Block("attachment", f"{county}{period_text}“四项考核指标”情况", lead="附表1"),
    ]
    header, rows = indicator_table(indicators_doc, ranking_doc, county)
    blocks.append(Block("table", header=header, rows=rows, widths=(28, 14, 14, 22, 22)[: len(header)]))
    notes = []
    if ranked(ranking_doc, county):
        notes.append(
            f"全市排位为本{area_word(county).removeprefix('全')}在全市{len(ranking_doc['counties'])}个县市区中的位次，"
            "按各指标数值由小到大排列，数值相同者排位并列；"
            f"{source_note(ranking_doc['source'].get(county))}。"
        )
    provisional = indicators_doc.get("provisional") or {}
    if provisional.get("provisional"):
        notes.append(
            f"事故发生后{provisional['window_days']}日内伤亡人数可能更正，"
            f"{date_text(provisional['until'])}前本表为初步统计数。"
        )
    if notes:
        blocks.append(Block("note", "注：" + "".join(notes)))

    blocks.append(Block("attachment", f"{county}{period_text}分行业领域生产安全事故情况", lead="附表2"))
    if indicators_doc["by_sector"]:
        header, rows = sector_table(indicators_doc)
        blocks.append(Block("table", header=header, rows=rows, widths=(15, 12, 12, 19, 12, 12, 18)))
    else:
        blocks.append(Block("note", "本期及去年同期各行业领域均未发生生产安全事故。"))

    blocks.append(Block("section", landscape=True))
    blocks.append(Block("attachment", f"{county}{period_text}各乡镇（街道）安全生产监管情况", lead="附表3"))
    header, rows = township_table(figures["townships"])
    blocks.append(Block("table", header=header, rows=rows))
    blocks.append(
        Block(
            "note",
            f"注：隐患整改率、逾期未整改按截至{date_text(figures['period']['as_of'])}的整改情况统计；"
            f"未填写乡镇（街道）的记录列为“{NO_TOWNSHIP}”；无法计算的比率记为“—”。",
        )
    )
    period = figures["period"]
    blocks.extend(control_blocks(figures.get("control"), county, period["year"], period["months"][1]))
    return blocks
