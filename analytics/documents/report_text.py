"""The report's sentences on the four indicators, training, enforcement, hazards and townships (no database, no layout).

Every function here takes figures the metric functions returned and writes them
in the seed report's register: counts with thousands separators, money in 万元
with 2 decimals, 同比 as 上升/下降 x.x%, 持平 when both years are equal, 新增
with "去年同期为0" when only this year has any, "未发生" for zero accidents,
"并列第n位" for a shared rank, and nothing at all for a rate over zero.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from analytics.metrics import townships as townships_metrics
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.periods import Period
from analytics.metrics.ranking import county_row
from analytics.metrics.training import lagging_rows
from analytics.text.wording import (
    change_kind,
    change_phrase,
    fmt_count,
    fmt_money,
    fmt_pct,
    overview_paragraph,
)


def joined(parts: list[str], last: str = "和") -> str:
    """'甲' / '甲和乙' / '甲、乙和丙': the seed's way of listing two or more things."""
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + last + parts[-1]


# Named training sessions are listed one by one up to this many, else by series (第N期…).
NAMED_IN_FULL = 6
SERIES_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇两\d]+期")
# A course whose sessions lie further apart than this is said to be held in several 期.
SESSION_DAYS = 7
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


def day_span(first: dt.date, last: dt.date) -> str:
    """'4月12日', '4月12日至14日', '4月28日至5月3日' (a period lies within one year)."""
    text = f"{first.month}月{first.day}日"
    if last == first:
        return text
    return text + (f"至{last.day}日" if last.month == first.month else f"至{last.month}月{last.day}日")


def _session_text(session: dict) -> str:
    """'4月12日举办第一期企业安全管理培训班，培训安全管理人员和特种作业人员120人'; a course run on days weeks
    apart is '6月9日至10月21日分3期举办……'."""
    first, last = session["first"], session["last"]
    held = f"{day_span(first, last)}举办"
    if session["days"] > 1 and (last - first).days > SESSION_DAYS:
        held = f"{day_span(first, last)}分{fmt_count(session['days'])}期举办"
    return f"{held}{session['title']}，培训{joined(list(session['categories']))}{fmt_count(session['trainees'])}人"


def sessions_sentence(named: list[dict]) -> str:
    """The sessions with a 培训班名称 (`report_outline.named_sessions`), each with its date and head-count;
    beyond NAMED_IN_FULL, each numbered series (第N期…) by its first session and its count and total.
    '' when no session has a name."""
    if len(named) <= NAMED_IN_FULL:
        return "；".join(_session_text(session) for session in named)
    series: dict[str, list[dict]] = {}
    for session in named:  # in date order, so each series is met at its first session
        series.setdefault(SERIES_NUMBER.sub("", session["title"]), []).append(session)
    parts = []
    for name, sessions in series.items():
        text = _session_text(sessions[0])
        if len(sessions) > 1:
            last = max(session["last"] for session in sessions)
            trainees = sum(session["trainees"] for session in sessions)
            text += (
                f"，至{last.month}月{last.day}日共举办{name}{fmt_count(len(sessions))}期、"
                f"培训{fmt_count(trainees)}人"
            )
        parts.append(text)
    return "；".join(parts)


def training_paragraph(doc: dict, label: str, whole: str, named: list[dict] | None = None) -> str:
    """People trained by category, the named sessions, coverage of the year's target, pass rate, categories
    behind time."""
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
    if sessions := sessions_sentence(named or []):
        text += f"{sessions}。"
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


def enforcement_paragraph(total: dict, top: dict | None, label: str, road: str = "") -> str:
    """Cases with 同比, the `road` clause (道路交通违规行为 with 同比), fines and 作出行政处罚 with 同比,
    suspensions and closures, and the department with the most cases."""
    previous, change = total["previous"], total["change_pct"]
    if not total["cases"]:
        text = f"{label}，各执法部门未立案查处安全生产违法行为"
        if previous["cases"]:
            text += f"（去年同期立案{fmt_count(previous['cases'])}件）"
        return text + (f"；{road}。" if road else "。")
    text = f"{label}，各执法部门立案查处安全生产违法行为" + against_last_year(
        total["cases"], previous["cases"], change["cases"], f"{fmt_count(total['cases'])}件"
    )
    if road:
        text += f"，{road}"
    if total["fine_wan"]:
        text += "，安全生产行政处罚" + against_last_year(
            total["fine_wan"], previous["fine_wan"], change["fine_wan"], f"{fmt_money(total['fine_wan'])}万元"
        )
    elif previous["fine_wan"]:
        text += f"，未作出罚款处罚（去年同期罚款{fmt_money(previous['fine_wan'])}万元）"
    else:
        text += "，未作出罚款处罚"
    if total.get("penalties"):
        text += "，作出行政处罚" + against_last_year(
            total["penalties"],
            previous["penalties"],
            change["penalties"],
            f"{fmt_count(total['penalties'])}起",
        )
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


def inspection_paragraph(total: dict, label: str, government: str = "", extra: tuple[str, ...] = ()) -> str:
    """Sectors and units inspected, hazards found (一般 and 重大) and rectified, 整改率, 整改指令书复查率,
    then the `extra` clauses (非法违法行为, 重大危险源) that the seed puts in the same paragraph."""
    if total.get("sectors_inspected"):
        text = (
            f"{label}，{government}按照重点行业领域，确定了{fmt_count(total['sectors_inspected'])}个行业领域，"
            "按照“全覆盖、零容忍、严执法、重实效”的要求，督促各行业主管部门开展安全生产检查"
            f"{fmt_count(total['inspections'])}次，检查企事业单位{fmt_count(total['units_inspected'])}家，"
        )
    elif total["inspections"]:
        text = (
            f"按照“全覆盖、零容忍、严执法、重实效”的要求，{label}，各行业主管部门开展安全生产检查"
            f"{fmt_count(total['inspections'])}次，检查企事业单位{fmt_count(total['units_inspected'])}家，"
        )
    else:
        text = f"{label}，暂无安全生产检查记录，"
    clauses = [clause for clause in extra if clause]
    if not total["found"]:
        return text + "未排查出安全隐患" + "".join(f"；{clause}" for clause in clauses) + "。"
    general, major = total["general_found"], total["major_found"]
    if not major:
        text += f"排查一般安全隐患{fmt_count(total['found'])}条"
    elif general:
        # The seed's own words first ("排查一般安全隐患**条"), then the total the 整改率 is over.
        text += (
            f"排查一般安全隐患{fmt_count(general)}条、重大事故隐患{fmt_count(major)}条，"
            f"共排查安全隐患{fmt_count(total['found'])}条"
        )
    else:
        text += f"排查安全隐患{fmt_count(total['found'])}条，均为重大事故隐患"
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
    return text + "".join(f"；{clause}" for clause in clauses) + "。"


def hazard_followup_paragraph(total: dict, suspensions: int, as_of_text: str, listed: str = "") -> str:
    """Major and overdue hazards as of the period's as_of, the `listed` clause (挂牌督办, 销号率) and the
    suspensions ordered; '' when none apply."""
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
    if listed:
        text += f"{listed}。"
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


# ---- dates ---------------------------------------------------------------------------------


def date_text(iso: str) -> str:
    """'2026-08-31' -> '2026年8月31日'."""
    day = dt.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"
