"""The report's sentences on the seed's remaining blanks (no database, no layout).

标准化达标 against the year's targets, 建设项目“三同时”, 重大危险源, the departments'
monthly items (道路交通违规行为, 非法违法行为), 挂牌督办 and the 控制指标 against time
progress. Each function takes the documents of the metric functions and returns
"" when its dataset gave nothing to say, so the report leaves the sentence out
instead of writing 0 or 暂无.
"""

from __future__ import annotations

from analytics.contract.datasets import GRADES, REPORT_ITEMS, SOURCE_LEVELS
from analytics.documents.report_text import against_last_year, joined
from analytics.metrics.common import NO_TOWNSHIP
from analytics.metrics.control import AHEAD_OF_TIME as OVER_TIME
from analytics.metrics.control import NORMAL, OVER_CAP
from analytics.text.wording import fmt_count, fmt_pct

ROAD_TRAFFIC_ITEM, ILLEGAL_ITEM = REPORT_ITEMS  # 道路交通违法行为, 非法违法行为
# How the seed names the two monthly items in its sentences.
ITEM_WORDS = {ROAD_TRAFFIC_ITEM: "道路交通违规行为", ILLEGAL_ITEM: "查处整治非法、违法行为"}
CONTROL_INDICATORS = (("accidents", "事故起数", "起"), ("deaths", "死亡人数", "人"))


# ---- 标准化 and 三同时 ----------------------------------------------------------------------


def _by_key(doc: dict | None, key: str) -> dict:
    return {row[key]: row for row in (doc or {}).get("rows", [])}


def standardization_sentences(doc: dict | None, government: str, whole: str, as_of_text: str) -> str:
    """'努力实现20户企业的二级达标和60户企业的三级达标任务……已完成25户二级达标企业及57户三级达标企业的
    自查自评和网上申报工作', then passes, 达标完成率 and certificates about to expire; '' with neither
    targets nor records."""
    grades = _by_key(doc, "grade")
    rows = [grades[grade] for grade in GRADES if grade in grades]
    targets = [row for row in rows if row["target"]]
    applied = [row for row in rows if row["applied"]]
    passed = [row for row in rows if row["passed"]]
    total = (doc or {}).get("total") or {}
    text = ""
    if targets:
        text += (
            f"今年，{government}自加压力，加大创建达标力度，努力实现"
            + joined([f"{fmt_count(row['target'])}户企业的{row['grade']}达标" for row in targets])
            + "任务。"
        )
    if applied:
        text += (
            "目前，已完成"
            + joined([f"{fmt_count(row['applied'])}户{row['grade']}达标企业" for row in applied], "及")
            + "的自查自评和网上申报工作。"
        )
    if passed:
        text += (
            f"今年已有{fmt_count(sum(row['passed'] for row in passed))}户企业通过评审验收（"
            + "、".join(f"{row['grade']}{fmt_count(row['passed'])}户" for row in passed)
            + "）"
        )
        done = [row for row in targets if row["completion_pct"] is not None]
        if done:
            names = "、".join(row["grade"] for row in done)
            rates = "、".join(fmt_pct(row["completion_pct"]) for row in done)
            text += f"，{names}达标任务完成率{'分别为' if len(done) > 1 else '为'}{rates}"
        text += "。"
    if total.get("certified"):
        text += (
            f"截至{as_of_text}，{whole}在有效期内的安全生产标准化达标企业{fmt_count(total['certified'])}户"
        )
        if total.get("expiring"):
            text += f"，其中{fmt_count(total['expiring'])}户达标证书将在90日内到期，需督促及时申请复评"
        text += "。"
    return text


def projects_sentence(total: dict | None, whole: str, first: bool) -> str:
    """'……跟踪督促全县42个新建项目依法开展安全生产评价', evaluations and acceptances; '' without projects.

    `first`: the sentence opens its paragraph (no 标准化 sentence before it, so no "同时，").
    """
    if not total or not total.get("projects"):
        return ""
    text = (
        ("" if first else "同时，加强建设项目安全设施“三同时”监管，")
        + "将新建项目“三同时”作为立项备案和开工建设的前置条件严格把关，"
        + f"跟踪督促{whole}{fmt_count(total['projects'])}个新建项目依法开展安全生产评价"
    )
    if total["evaluated"]:
        text += f"，已开展安全评价{fmt_count(total['evaluated'])}个，安全评价率{fmt_pct(total['evaluation_rate'])}"
    else:
        text += "，均尚未开展安全评价"
    if total.get("accepted"):
        text += f"，已竣工验收{fmt_count(total['accepted'])}个"
    return text + "。"


# ---- the departments' monthly items, 重大危险源, 挂牌督办 ---------------------------------------


def item_clause(row: dict | None) -> str:
    """'道路交通违规行为1,234起，比去年同期下降12.5%' for one monthly item; '' when it was not reported."""
    if row is None:
        return ""
    words = ITEM_WORDS.get(row["item"], row["item"])
    return against_last_year(
        row["value"], row["previous"], row["change_pct"], f"{words}{fmt_count(row['value'])}起"
    )


def sources_clause(doc: dict | None, whole: str) -> str:
    """'对全县12处重大危险源建立分级监控机制（其中一级2处、三级10处），已接入在线监控10处……'; '' when none in force."""
    total = (doc or {}).get("total") or {}
    if not total.get("in_force"):
        return ""
    levels = _by_key(doc, "level")
    present = [
        (level, levels[level]["in_force"]) for level in SOURCE_LEVELS if levels.get(level, {}).get("in_force")
    ]
    text = f"对{whole}{fmt_count(total['in_force'])}处重大危险源建立分级监控机制"
    if len(present) > 1:
        text += "（其中" + "、".join(f"{level}{fmt_count(count)}处" for level, count in present) + "）"
    elif present:
        text += f"（均为{present[0][0]}重大危险源）"
    if total["monitored"]:
        text += f"，已接入在线监控{fmt_count(total['monitored'])}处，在线监控率{fmt_pct(total['monitoring_rate'])}"
    else:
        text += "，尚未接入在线监控"
    if total.get("new"):
        text += f"，本期新增备案{fmt_count(total['new'])}处"
    return text


def listed_clause(total: dict) -> str:
    """'对5条重大事故隐患实行挂牌督办，已销号3条，销号率60.0%，逾期未销号1条'; '' when none is listed."""
    if not total.get("listed"):
        return ""
    text = f"对{fmt_count(total['listed'])}条重大事故隐患实行挂牌督办"
    if total["listed_closed"]:
        text += f"，已销号{fmt_count(total['listed_closed'])}条，销号率{fmt_pct(total['closure_rate'])}"
    else:
        text += "，尚未销号"
    if total.get("listed_overdue"):
        text += f"，逾期未销号{fmt_count(total['listed_overdue'])}条"
    return text


# ---- 控制指标 -------------------------------------------------------------------------------


def _control_parts(row: dict, label: str) -> tuple[list[str], dict[str, list[str]]]:
    """The figures of one county row against its caps, and the indicator names by status."""
    parts, statuses = [], {}
    for name, words, unit in CONTROL_INDICATORS:
        cap = row.get(f"{name}_cap")
        if cap is None:
            continue
        value, progress = row[name], row[f"{name}_progress"]
        part = f"{words}控制数为{fmt_count(cap)}{unit}，{label}累计{fmt_count(value)}{unit}"
        if progress is not None:
            part += f"，占控制指标的{fmt_pct(progress)}"
        parts.append(part)
        statuses.setdefault(row[f"{name}_status"], []).append(words)
    return parts, statuses


def _township_warnings(rows: list[dict]) -> str:
    """'甲镇、乙镇事故起数超过时间进度，丙镇死亡人数超出控制指标' for the townships not 正常."""
    warned: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        for name, words, _ in CONTROL_INDICATORS:
            status = row.get(f"{name}_status")
            if status in (OVER_CAP, OVER_TIME):
                warned.setdefault((words, status), []).append(row["township"] or NO_TOWNSHIP)
    order = [(w, s) for s in (OVER_CAP, OVER_TIME) for _, w, _ in CONTROL_INDICATORS if (w, s) in warned]
    return "，".join(f"{'、'.join(warned[key])}{key[0]}{key[1]}" for key in order)


def control_sentence(doc: dict | None, label: str, whole: str, with_townships: bool = True) -> str:
    """The county's 控制指标 against time progress ('……占控制指标的50.0%，时间进度为66.7%，均在控制指标以内'),
    then (`with_townships`) the townships over a cap or ahead of time progress; '' without any control target."""
    if not doc:
        return ""
    county = doc.get("county")
    townships = (doc.get("townships") or []) if with_townships else []
    text = ""
    if county:
        parts, statuses = _control_parts(county, label)
        if parts:
            text = (
                f"对照年度控制指标，{whole}"
                + "；".join(parts)
                + f"；时间进度为{fmt_pct(doc['time_progress'])}"
            )
            if statuses.get(OVER_CAP):
                text += f"，{'、'.join(statuses[OVER_CAP])}已超出年度控制指标"
            if statuses.get(OVER_TIME):
                text += f"，{'、'.join(statuses[OVER_TIME])}超过时间进度"
            if set(statuses) == {NORMAL}:
                text += "，均在控制指标和时间进度以内" if len(parts) > 1 else "，在控制指标和时间进度以内"
            text += "。"
    warnings = _township_warnings(townships)
    if warnings:
        text += f"从各乡镇（街道）看，{warnings}，须引起高度重视。"
    elif townships and any(row.get(f"{n}_status") for row in townships for n, _, _ in CONTROL_INDICATORS):
        text += "各乡镇（街道）均在控制指标和时间进度以内。"
    return text
