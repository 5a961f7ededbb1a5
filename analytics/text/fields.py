"""The field catalogue: what every figure field is called, its unit, kind, which way is good, how it is written.

One entry per field of the metric documents, read by the cards, the page tables,
the charts, the command line's text tables, the Excel downloads and the report,
so a field has one label and one unit everywhere. Units follow the seed report:
accidents 起, cases 件, hazards 条, units inspected 家, people 人, money 万元.

Kinds: count (integer with separators), money (万元, 2 decimals), rate (a
percentage, 1 decimal, or a normalised death rate, 3 decimals), days (1
decimal), change (a 同比 percentage, written 上升/下降/持平/新增), status (a word
such as 超过时间进度, written as it is).

A field whose name means different things in different documents has one entry
per meaning: the standardization document's "passed" (enterprises, 户) is
`standardization_passed` here, the monthly reports' value, previous and
change_pct are `report_value`, `report_previous` and `report_change_pct`; the
training document's "passed" (people, 人) keeps the plain name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.metrics.periods import round_half_up
from analytics.text.numbers import DASH, fmt_count, fmt_money, fmt_pct, fmt_rate

COUNT, MONEY, RATE, DAYS, CHANGE, STATUS = "count", "money", "rate", "days", "change", "status"
HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL = "higher", "lower", "neutral"


@dataclass(frozen=True)
class Field:
    """One figure field: `label` without unit, `unit` ('' for a rate or change), `kind`, `direction`, `decimals`."""

    label: str
    unit: str
    kind: str
    direction: str
    decimals: int = 0

    @property
    def header(self) -> str:
        """The column header: the label with its unit in brackets, '逾期未整改（条）'; a rate goes without."""
        return (
            f"{self.label}（{self.unit}）"
            if self.unit and self.kind not in (RATE, CHANGE, STATUS)
            else self.label
        )


def _count(label: str, unit: str, direction: str) -> Field:
    return Field(label, unit, COUNT, direction)


FIELDS: dict[str, Field] = {
    # 四项指标 and what goes with them
    "accidents": _count("事故起数", "起", LOWER_IS_BETTER),
    "deaths": _count("死亡人数", "人", LOWER_IS_BETTER),
    "injuries": _count("受伤人数", "人", LOWER_IS_BETTER),
    "direct_loss_wan": Field("直接经济损失", "万元", MONEY, LOWER_IS_BETTER, 2),
    "major_accidents": _count("较大及以上事故", "起", LOWER_IS_BETTER),
    "missing": _count("下落不明", "人", LOWER_IS_BETTER),
    # 全市排位 rates
    "deaths_per_yi_gdp": Field("亿元GDP死亡率", "", RATE, LOWER_IS_BETTER, 3),
    "road_deaths_per_wan_vehicles": Field("万车死亡率", "", RATE, LOWER_IS_BETTER, 3),
    "industry_deaths_per_100k_workforce": Field("工矿商贸十万从业人员死亡率", "", RATE, LOWER_IS_BETTER, 3),
    # 隐患排查整改与安全检查
    "found": _count("排查隐患", "条", NEUTRAL),
    "rectified": _count("已整改", "条", HIGHER_IS_BETTER),
    "rectification_rate": Field("整改率", "%", RATE, HIGHER_IS_BETTER, 1),
    "major_found": _count("重大隐患", "条", NEUTRAL),
    "major_rectified": _count("重大隐患已整改", "条", HIGHER_IS_BETTER),
    "major_rectification_rate": Field("重大隐患整改率", "%", RATE, HIGHER_IS_BETTER, 1),
    "overdue": _count("逾期未整改", "条", LOWER_IS_BETTER),
    "orders_issued": _count("下达整改指令书", "份", NEUTRAL),
    "orders_due": _count("到期指令书", "份", NEUTRAL),
    "reviewed": _count("已复查", "份", HIGHER_IS_BETTER),
    "review_rate": Field("整改指令书复查率", "%", RATE, HIGHER_IS_BETTER, 1),
    "avg_days_to_rectify": Field("平均整改天数", "天", DAYS, LOWER_IS_BETTER, 1),
    "inspections": _count("检查次数", "次", HIGHER_IS_BETTER),
    "units_inspected": _count("检查单位", "家", HIGHER_IS_BETTER),
    # 行政执法
    "cases": _count("立案数", "件", HIGHER_IS_BETTER),
    "fine_wan": Field("罚款金额", "万元", MONEY, HIGHER_IS_BETTER, 2),
    "suspensions": _count("责令停产停业整改", "家", HIGHER_IS_BETTER),
    "closures": _count("取缔关闭", "家", HIGHER_IS_BETTER),
    "previous_cases": _count("同期立案数", "件", NEUTRAL),
    "previous_fine_wan": Field("同期罚款", "万元", MONEY, NEUTRAL, 2),
    "cases_change_pct": Field("立案数同比", "", CHANGE, HIGHER_IS_BETTER, 1),
    "fine_change_pct": Field("罚款同比", "", CHANGE, HIGHER_IS_BETTER, 1),
    # 安全培训
    "trained": _count("参训人数", "人", HIGHER_IS_BETTER),
    "passed": _count("考核合格", "人", HIGHER_IS_BETTER),
    "required": _count("应培训人数", "人", NEUTRAL),
    "coverage_pct": Field("培训覆盖率", "%", RATE, HIGHER_IS_BETTER, 1),
    "pass_rate": Field("考核合格率", "%", RATE, HIGHER_IS_BETTER, 1),
    # 隐患排查 (issue 10): 一般隐患, 挂牌督办 and 销号, the sectors inspected
    "general_found": _count("一般隐患", "条", NEUTRAL),
    "listed": _count("挂牌督办隐患", "条", NEUTRAL),
    "listed_closed": _count("已销号", "条", HIGHER_IS_BETTER),
    "closure_rate": Field("销号率", "%", RATE, HIGHER_IS_BETTER, 1),
    "listed_overdue": _count("挂牌督办逾期未销号", "条", LOWER_IS_BETTER),
    "sectors_inspected": _count("检查行业领域", "个", HIGHER_IS_BETTER),
    # 作出行政处罚
    "penalties": _count("作出行政处罚", "起", HIGHER_IS_BETTER),
    "previous_penalties": _count("同期行政处罚", "起", NEUTRAL),
    "penalties_change_pct": Field("行政处罚同比", "", CHANGE, HIGHER_IS_BETTER, 1),
    # 安全生产标准化
    "target": _count("任务数", "户", NEUTRAL),
    "applied": _count("已申报", "户", HIGHER_IS_BETTER),
    "standardization_passed": _count("已通过评审", "户", HIGHER_IS_BETTER),
    "completion_pct": Field("达标完成率", "%", RATE, HIGHER_IS_BETTER, 1),
    "application_pct": Field("申报率", "%", RATE, HIGHER_IS_BETTER, 1),
    "certified": _count("有效达标企业", "户", HIGHER_IS_BETTER),
    "expiring": _count("即将到期", "户", NEUTRAL),
    "days_left": Field("剩余天数", "天", DAYS, NEUTRAL, 0),
    # 重大危险源
    "in_force": _count("在册重大危险源", "处", NEUTRAL),
    "monitored": _count("在线监控", "处", HIGHER_IS_BETTER),
    "monitoring_rate": Field("在线监控率", "%", RATE, HIGHER_IS_BETTER, 1),
    "new": _count("新增备案", "处", NEUTRAL),
    # 建设项目“三同时”
    "projects": _count("新建项目", "个", NEUTRAL),
    "evaluated": _count("已开展安全评价", "个", HIGHER_IS_BETTER),
    "evaluation_rate": Field("安全评价率", "%", RATE, HIGHER_IS_BETTER, 1),
    "accepted": _count("已竣工验收", "个", HIGHER_IS_BETTER),
    # 部门月报
    "report_value": _count("本期", "起", NEUTRAL),
    "report_previous": _count("去年同期", "起", NEUTRAL),
    "report_change_pct": Field("同比", "", CHANGE, NEUTRAL, 1),
    # 控制指标
    "time_progress": Field("时间进度", "%", RATE, NEUTRAL, 1),
    "accidents_cap": _count("事故起数控制数", "起", NEUTRAL),
    "accidents_progress": Field("事故起数控制进度", "%", RATE, LOWER_IS_BETTER, 1),
    "accidents_status": Field("事故起数控制情况", "", STATUS, NEUTRAL),
    "deaths_cap": _count("死亡人数控制数", "人", NEUTRAL),
    "deaths_progress": Field("死亡人数控制进度", "%", RATE, LOWER_IS_BETTER, 1),
    "deaths_status": Field("死亡人数控制情况", "", STATUS, NEUTRAL),
}

# The keys a breakdown is grouped by, as a table's first column names them.
KEY_LABELS = {
    "township": "乡镇（街道）",
    "department": "部门",
    "category": "培训对象",
    "kind": "检查类型",
    "measure": "处理措施",
    "sector": "行业领域",
    "county": "县市区",
    "grade": "创建等级",
    "level": "危险源等级",
    "item": "统计项目",
    "listed_level": "挂牌督办级别",
}


def field(name: str) -> Field:
    """The catalogue entry of `name` (KeyError for a field the catalogue does not know)."""
    return FIELDS[name]


def label(name: str) -> str:
    """The field's header, with its unit: '逾期未整改（条）'."""
    return FIELDS[name].header


def short_label(name: str) -> str:
    """The name without its unit, for sentences and chart titles: '逾期未整改'."""
    return FIELDS[name].label


def unit(name: str) -> str:
    """The field's unit as a sentence writes it after a number ('起', '万元'); '' for a rate."""
    return FIELDS[name].unit


def kind(name: str) -> str:
    """COUNT, MONEY, RATE, DAYS, CHANGE or STATUS."""
    return FIELDS[name].kind


def direction(name: str) -> str:
    """HIGHER_IS_BETTER, LOWER_IS_BETTER or NEUTRAL."""
    return FIELDS[name].direction


def lower_is_better(name: str) -> bool:
    """True when less of the field is good news (accidents, overdue hazards)."""
    return FIELDS[name].direction == LOWER_IS_BETTER


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_change(change_pct) -> str:
    """同比 from its percentage alone (上升 x.x% / 下降 x.x% / 持平 / 新增), as `wording` words it."""
    # Imported here: the wording reads this catalogue's labels, so a module-level import would be a cycle.
    from analytics.text.wording import change_pct_phrase

    return change_pct_phrase(None if _missing(change_pct) else change_pct)


def fmt_value(name: str, value) -> str:
    """A field's value as every table writes it (no unit): '1,234', '12.50', '95.1%', '3.5', — for null."""
    entry = FIELDS[name]
    if entry.kind == CHANGE:
        return fmt_change(value)
    if _missing(value):
        return DASH
    if entry.kind == STATUS:
        return str(value)
    if entry.kind == MONEY:
        return fmt_money(value)
    if entry.kind == RATE:
        return fmt_pct(value, entry.decimals) if entry.unit == "%" else fmt_rate(value, entry.decimals)
    if entry.kind == DAYS:
        return f"{round_half_up(value, entry.decimals):.{entry.decimals}f}"
    return fmt_count(value)


def fmt_with_unit(name: str, value) -> str:
    """A field's value with its unit, as a card or sentence writes it: '12条', '12.50万元', '95.1%'."""
    text = fmt_value(name, value)
    entry = FIELDS[name]
    if text == DASH or entry.kind in (RATE, CHANGE, STATUS):
        return text
    return f"{text}{entry.unit}"
