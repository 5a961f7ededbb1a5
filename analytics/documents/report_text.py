"""The report's sentences and tables, built from figures (no database, no layout).

Every function here takes figures the metric functions returned and writes them
in the seed report's register: counts with thousands separators, money in 万元
with 2 decimals, 同比 as 上升/下降 x.x%, 持平 when both years are equal, 新增
with "去年同期为0" when only this year has any, "未发生" for zero accidents,
"并列第n位" for a shared rank, and nothing at all for a rate over zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.metrics import townships as townships_metrics
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.indicators import INDICATORS
from analytics.metrics.periods import Period
from analytics.metrics.ranking import county_row, shared_rank
from analytics.metrics.training import lagging_rows
from analytics.text import fields
from analytics.text.wording import (
    area_word,
    change_kind,
    change_phrase,
    coverage_notices,
    fmt_count,
    fmt_money,
    fmt_pct,
    overview_paragraph,
    rank_phrase,
    source_note,
)

# A table: its header and its rows of cell texts.
Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]
# How many townships the report names as furthest behind on a rate.
LAGGING_TOWNSHIPS = 3


@dataclass(frozen=True)
class Block:
    """One piece of the report, in reading order.

    kind: title, subtitle, salutation, heading, paragraph, page_break, attachment
    (`lead` 附表N, `text` its caption), table, note, section (a new page section,
    landscape for wide tables). In a paragraph `lead` is its bold opening (一是……。).
    """

    kind: str
    text: str = ""
    lead: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths of a table; equal when empty
    landscape: bool = False

    @property
    def plain(self) -> str:
        """The block as one line of text (tables row by row), for the page and for tests."""
        if self.kind == "table":
            return "\n".join("｜".join(r) for r in (self.header, *self.rows))
        return f"{self.lead}{self.text}"


# ---- numbers and 同比 --------------------------------------------------------------------


def against_last_year(value: float, previous: float, change_pct: float | None, text: str) -> str:
    """A figure followed by its 同比 in the words of metrics.md (上升/下降 x.x%, 持平, 去年同期为0).

    '12件，比去年同期上升25.0%' / '12件，与去年同期持平' / '12件（去年同期为0）'.
    """
    kind = change_kind(value, previous)
    if kind == "new":
        return f"{text}（去年同期为0）"
    if kind == "flat":
        return f"{text}，与去年同期持平"
    phrase = change_phrase(value, previous, change_pct, "")
    if phrase == "基本持平":
        return f"{text}，与去年同期基本持平"
    return f"{text}，比去年同期{phrase}"


def table_change(value: float, previous: float, change_pct: float | None) -> str:
    """同比 in a table cell: '下降12.5%', '持平', or just '新增' (the cell has no room for more)."""
    if change_kind(value, previous) == "new":
        return "新增"
    return change_phrase(value, previous, change_pct, "")


# ---- the opening summary -------------------------------------------------------------------


def ranked(ranking_doc: dict | None, county: str) -> bool:
    """Whether the county has a rank worth stating: it is in the ranking and the city has other counties."""
    return (
        bool(ranking_doc) and len(ranking_doc["counties"]) > 1 and county_row(ranking_doc, county) is not None
    )


def opening_paragraph(
    indicators_doc: dict, ranking_doc: dict | None, county: str, period: Period, government: str
) -> str:
    """The seed's opening: the year's work in one sentence, then the four indicators, 同比 and rank."""
    text = (
        f"今年以来，{government}认真贯彻“安全第一、预防为主、综合治理”的方针，加强组织领导，"
        "健全监管体制，靠实工作责任，加大执法力度。"
    )
    ranks = ranking_doc if ranked(ranking_doc, county) else None
    return text + overview_paragraph(indicators_doc, ranks, county, period)


# ---- sections ------------------------------------------------------------------------------


def training_paragraph(doc: dict, label: str, whole: str) -> str:
    """People trained by category, coverage of the year's target, pass rate, categories behind time."""
    total, categories = doc["total"], doc["rows"]
    if not total["trained"]:
        text = f"{label}，{whole}暂无安全生产培训记录"
        if total["required"]:
            text += f"，年度培训任务{fmt_count(total['required'])}人尚未启动"
        return text + "。"
    text = f"{label}，{whole}"
    if total.get("sessions"):
        text += f"共举办安全生产培训{fmt_count(total['sessions'])}期，"
    text += f"培训各类人员{fmt_count(total['trained'])}人"
    trained = [row for row in categories if row["trained"]]
    if len(trained) > 1:
        text += "，其中" + "、".join(f"{row['category']}{fmt_count(row['trained'])}人" for row in trained)
    elif trained:
        text += f"，均为{trained[0]['category']}"
    if total["coverage_pct"] is not None:
        text += f"，年度培训任务{fmt_count(total['required'])}人，培训覆盖率{fmt_pct(total['coverage_pct'])}"
    text += "。"
    if total["pass_rate"] is not None:
        text += f"经考核，合格{fmt_count(total['passed'])}人，考核合格率{fmt_pct(total['pass_rate'])}。"
    progress = doc.get("time_progress")
    behind = lagging_rows(categories, progress)
    if behind:
        text += (
            f"对照时间进度（{fmt_pct(progress)}），"
            + "、".join(f"{row['category']}（{fmt_pct(row['coverage_pct'])}）" for row in behind)
            + "培训进度滞后，需加快推进。"
        )
    return text


def enforcement_paragraph(total: dict, top: dict | None, label: str) -> str:
    """Cases and fines with 同比, suspensions and closures, and the department with the most cases."""
    previous, change = total["previous"], total["change_pct"]
    if not total["cases"]:
        text = f"{label}，各执法部门未立案查处安全生产违法行为"
        if previous["cases"]:
            text += f"（去年同期立案{fmt_count(previous['cases'])}件）"
        return text + "。"
    text = f"{label}，各执法部门立案查处安全生产违法行为" + against_last_year(
        total["cases"], previous["cases"], change["cases"], f"{fmt_count(total['cases'])}件"
    )
    if total["fine_wan"]:
        text += "，安全生产行政处罚" + against_last_year(
            total["fine_wan"], previous["fine_wan"], change["fine_wan"], f"{fmt_money(total['fine_wan'])}万元"
        )
    elif previous["fine_wan"]:
        text += f"，未作出罚款处罚（去年同期罚款{fmt_money(previous['fine_wan'])}万元）"
    else:
        text += "，未作出罚款处罚"
    measures = []
    if total["suspensions"]:
        measures.append(f"责令停产停业整改{fmt_count(total['suspensions'])}家")
    if total["closures"]:
        measures.append(f"依法取缔关闭{fmt_count(total['closures'])}家")
    text += ("；" + "，".join(measures) + "。") if measures else "。"
    if top:
        text += f"其中{top['department']}立案查处{fmt_count(top['cases'])}件"
        if top["fine_wan"]:
            text += f"，行政处罚{fmt_money(top['fine_wan'])}万元"
        text += "。"
    return text


def inspection_paragraph(total: dict, label: str) -> str:
    """Inspections, units, hazards found and rectified, 整改率 and 整改指令书复查率."""
    if total["inspections"]:
        text = (
            f"按照“全覆盖、零容忍、严执法、重实效”的要求，{label}，各行业主管部门开展安全生产检查"
            f"{fmt_count(total['inspections'])}次，检查企事业单位{fmt_count(total['units_inspected'])}家，"
        )
    else:
        text = f"{label}，暂无安全生产检查记录，"
    if not total["found"]:
        return text + "未排查出安全隐患。"
    text += f"排查安全隐患{fmt_count(total['found'])}条"
    if total["major_found"]:
        text += f"（其中重大事故隐患{fmt_count(total['major_found'])}条）"
    if total["rectified"]:
        text += (
            f"，已整改{fmt_count(total['rectified'])}条，隐患整改率达到{fmt_pct(total['rectification_rate'])}"
        )
    else:
        text += "，尚无整改完成的隐患"
    if total["orders_issued"]:
        text += f"；下达整改指令书{fmt_count(total['orders_issued'])}份"
        if total["review_rate"] is not None:
            text += (
                f"，已到整改期限{fmt_count(total['orders_due'])}份，已复查{fmt_count(total['reviewed'])}份，"
                f"事故隐患整改指令书复查率达{fmt_pct(total['review_rate'])}"
            )
        else:
            text += "，均未到整改期限"
    return text + "。"


def hazard_followup_paragraph(total: dict, suspensions: int, as_of_text: str) -> str:
    """Major and overdue hazards as of the period's as_of, and the suspensions ordered; '' when none apply."""
    parts = []
    if total["major_found"]:
        major = f"排查出的重大事故隐患{fmt_count(total['major_found'])}条"
        if total["major_rectified"]:
            major += (
                f"，已整改{fmt_count(total['major_rectified'])}条，"
                f"重大隐患整改率{fmt_pct(total['major_rectification_rate'])}"
            )
        else:
            major += "，尚未整改到位"
        parts.append(major)
    elif total["found"]:
        parts.append("未排查出重大事故隐患")
    if total["found"]:
        parts.append(
            f"逾期未整改隐患{fmt_count(total['overdue'])}条" if total["overdue"] else "无逾期未整改隐患"
        )
    if total["avg_days_to_rectify"] is not None:
        parts.append(f"已整改隐患平均整改用时{total['avg_days_to_rectify']:.1f}天")
    text = (f"截至{as_of_text}，" + "，".join(parts) + "。") if parts else ""
    if suspensions:
        text += f"对{fmt_count(suspensions)}家存在严重违法违规问题的生产经营单位依法责令停产停业整改。"
    return text


def lagging(rows: list[dict], key: str, limit: int = LAGGING_TOWNSHIPS) -> list[dict]:
    """The named townships lowest on `key` (below 100) that the report names (`townships.lagging`)."""
    return townships_metrics.lagging(rows, key, limit)


def lagging_sentence(rows: list[dict], key: str, what: str) -> str:
    """'隐患整改率排在后三位的是甲镇（50.0%）、乙镇（60.0%）、丙镇（62.5%）', or that all reached 100%."""
    named = [r for r in rows if r["township"] is not None and r[key] is not None]
    if not named:
        return ""
    behind = lagging(rows, key)
    if not behind:
        return f"各乡镇（街道）{what}均达到100%"
    names = "、".join(f"{r['township']}（{fmt_pct(r[key])}）" for r in behind)
    if len(named) == 1:
        return f"{what}为{names}"
    if len(behind) == 1:
        return f"{what}排在最后的是{names}"
    places = {2: "两", 3: "三"}.get(len(behind), str(len(behind)))
    return f"{what}排在后{places}位的是{names}"


def township_paragraph(rows: list[dict]) -> str:
    """The townships furthest behind on 整改率 and on training coverage, and where overdue hazards gather."""
    sentences = [
        s
        for s in (
            lagging_sentence(rows, "rectification_rate", "隐患整改率"),
            lagging_sentence(rows, "coverage_pct", "培训覆盖率"),
        )
        if s
    ]
    if not sentences:
        return ""
    text = "从各乡镇（街道）情况看，" + "；".join(sentences) + "。"
    most, where = townships_metrics.most_overdue(rows)
    if most:
        worst = "、".join(township or NO_TOWNSHIP for township in where)
        each = "各" if len(where) > 1 else ""
        text += f"逾期未整改隐患最多的是{worst}（{each}{fmt_count(most)}条）。"
    if lagging(rows, "rectification_rate") or lagging(rows, "coverage_pct"):
        text += "对上述乡镇（街道），将通过通报、约谈等方式督促落实属地监管责任。"
    return text


# ---- tables ---------------------------------------------------------------------------------


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


# ---- the document ---------------------------------------------------------------------------


def date_text(iso: str) -> str:
    """'2026-08-31' -> '2026年8月31日'."""
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def coverage_blocks(figures: dict) -> list[Block]:
    """A note under the subtitle naming each source whose data stop before the period ends."""
    lines = coverage_notices({"period": figures["period"], "coverage": figures.get("coverage")})
    lines += coverage_notices(figures["ranking"]) if "ranking" in figures else []
    return [Block("note", f"数据说明：{'；'.join(dict.fromkeys(lines))}。")] if lines else []


def report_blocks(figures: dict) -> list[Block]:
    """The whole report in reading order, from the figures `report.report_figures` gathered."""
    county = figures["county"]
    period = Period(figures["period"]["year"], *figures["period"]["months"])
    whole = area_word(county)
    government = f"{whole.removeprefix('全')}政府"
    label = period.label
    hazards, enforcement = figures["hazards"], figures["enforcement"]
    blocks = [
        Block("title", "关于《安全生产法》贯彻实施情况的报告"),
        Block("subtitle", f"（{county}{period.year}年{label}）"),
        *coverage_blocks(figures),
        Block("salutation", "主任、各位副主任及各位委员："),
        Block(
            "paragraph",
            f"根据会议安排，下面，我代表{government}对{whole.removeprefix('全')}人大常委会"
            "《关于安全生产法执法检查意见》的落实情况报告如下，请予审议。",
        ),
        Block(
            "paragraph",
            opening_paragraph(figures["indicators"], figures["ranking"], county, period, government),
        ),
        Block("heading", "一、关于进一步抓好《安全生产法》宣传教育的问题"),
        Block("paragraph", training_paragraph(figures["training"], label, whole), lead="加强安全培训。"),
        Block("heading", "二、关于不断加大安全监管工作力度的问题"),
        Block(
            "paragraph",
            enforcement_paragraph(enforcement["total"], enforcement["top_department"], label),
            lead="推进安全执法规范化。",
        ),
        Block("heading", "三、关于切实增强安全生产监管整体合力的问题"),
    ]
    followup = hazard_followup_paragraph(
        hazards, enforcement["total"]["suspensions"], date_text(figures["period"]["as_of"])
    )
    # 一是/二是 only when there are two points to number.
    first, second = ("一是", "二是") if followup else ("", "")
    blocks.append(
        Block("paragraph", inspection_paragraph(hazards, label), lead=f"{first}全面开展安全生产大检查。")
    )
    if followup:
        blocks.append(Block("paragraph", followup, lead=f"{second}督促隐患整改落实。"))
    townships = township_paragraph(figures["townships"]["rows"])
    if townships:
        blocks.append(Block("heading", "四、关于压实乡镇（街道）属地监管责任的问题"))
        blocks.append(Block("paragraph", townships))
    blocks.append(
        Block(
            "paragraph",
            f"下一步，{government}将进一步加大《安全生产法》的宣传力度，强化监督检查，严格落实“一岗双责”，"
            f"加强责任制考核，认真履行监管职责，不断提高监管水平，确保{whole}安全生产形势持续稳定。",
        )
    )
    blocks.extend(_attachments(figures, county, f"{period.year}年{label}"))
    return blocks


def _attachments(figures: dict, county: str, period_text: str) -> list[Block]:
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
    return blocks
