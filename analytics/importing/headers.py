"""Find the header row and map the headers a file carries to the contract's columns."""

from __future__ import annotations

import re

from analytics import settings
from analytics.contract.datasets import DATASETS, Dataset

HEADER_SCAN_ROWS = settings.HEADER_SCAN_ROWS
SERIAL_HEADERS = frozenset({"序号", "编号序号", "no", "no.", "#"})

# Headers county ledgers commonly use for the region columns, beside the contract's own.
_EXTRA_HEADERS = {
    "county": ("县(市、区)", "县(市,区)", "县区", "县市区名称"),
    "township": ("乡镇", "乡镇街道", "乡镇/街道", "街道"),
}

# Headers the ledgers of one dataset use for its columns, beside the contract's own: kept to that
# dataset, so a word common elsewhere (等级, 备案日期) says nothing about other datasets.
_DATASET_HEADERS = {
    "hazards": {
        "listed_level": ("挂牌督办", "督办级别", "挂牌级别", "挂牌督办等级"),
        "closed_on": ("销号时间", "挂牌销号日期"),
    },
    "training": {"title": ("培训班", "培训班次", "班次名称", "培训名称")},
    "standardization": {
        "enterprise": ("单位名称", "企业（单位）名称"),
        "credit_code": ("社会信用代码", "信用代码", "统一信用代码"),
        "grade": ("达标等级", "申报等级", "标准化等级"),
        "applied_on": ("申报时间",),
        "passed_on": ("评审通过时间", "通过评审日期", "达标日期"),
        "expires_on": ("有效期至", "证书有效期", "有效期截止日期"),
    },
    "standardization_targets": {
        "grade": ("达标等级", "标准化等级"),
        "target": ("任务数", "目标任务数", "创建任务数"),
    },
    "major_hazard_sources": {
        "enterprise": ("企业名称", "单位名称"),
        "level": ("危险源级别", "重大危险源等级", "重大危险源级别"),
        "registered_on": ("备案时间",),
        "deregistered_on": ("核销时间", "注销日期"),
        "monitored": ("是否在线监控", "在线监测"),
    },
    "projects": {
        "registered_on": ("备案日期", "立项日期"),
        "evaluated_on": ("安全评价时间", "安全预评价日期"),
        "accepted_on": ("竣工验收时间", "验收日期"),
    },
    "monthly_reports": {
        "department": ("报送单位", "填报单位", "部门"),
        "item": ("统计指标", "项目"),
        "value": ("数量", "起数"),
    },
    "control_targets": {
        "accidents_cap": ("事故起数控制指标", "事故控制数", "控制事故起数"),
        "deaths_cap": ("死亡人数控制指标", "死亡控制数", "控制死亡人数"),
    },
}

# Columns of which a file must carry at least one (data-contract.md: control_targets).
ONE_OF = {"control_targets": ("accidents_cap", "deaths_cap")}

_FULL_WIDTH = str.maketrans({"（": "(", "）": ")", "\u3000": " ", "，": ","})
_TRAILING_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def normalise_header(text: object) -> str:
    """Header text compared loosely: trimmed, half-width brackets, no inner spaces, lower case."""
    value = str(text if text is not None else "").translate(_FULL_WIDTH)
    # Templates often flag required columns with an asterisk: *事故编号, 事故编号*.
    return re.sub(r"\s+", "", value).strip("*＊").lower()


def header_unit(text: object) -> str | None:
    """The bracketed unit at the end of a header, e.g. 万元 in 直接经济损失（万元）."""
    match = _TRAILING_UNIT.match(normalise_header(text))
    return match.group(2) if match else None


def _without_unit(header: str) -> str:
    match = _TRAILING_UNIT.match(header)
    return match.group(1) if match else header


def _lookup(dataset: Dataset) -> dict[str, str]:
    names: dict[str, str] = {}
    extra = _DATASET_HEADERS.get(dataset.name, {})
    for column in dataset.columns:
        for variant in (
            column.name,
            column.zh,
            *_EXTRA_HEADERS.get(column.name, ()),
            *extra.get(column.name, ()),
        ):
            key = normalise_header(variant)
            names.setdefault(key, column.name)
            names.setdefault(_without_unit(key), column.name)
    return names


_LOOKUPS = {name: _lookup(dataset) for name, dataset in DATASETS.items()}


def match_column(dataset: Dataset, header: object) -> str | None:
    """The contract column a header names (English or Chinese, unit suffix tolerated), or None."""
    key = normalise_header(header)
    if not key:
        return None
    lookup = _LOOKUPS[dataset.name]
    return lookup.get(key) or lookup.get(_without_unit(key))


def is_serial_header(header: object) -> bool:
    return normalise_header(header) in SERIAL_HEADERS


def _matched(dataset: Dataset, cells: list[str]) -> set[str]:
    return {name for name in (match_column(dataset, c) for c in cells) if name}


def header_score(cells: list[str], dataset: Dataset | None = None) -> int:
    """How many distinct contract columns a row names (for one dataset, or the best of all)."""
    if dataset is not None:
        return len(_matched(dataset, cells))
    return max(len(_matched(d, cells)) for d in DATASETS.values())


def find_header_row(rows: list[list[str]], dataset: Dataset | None = None) -> int | None:
    """Index of the row (among the first rows) that names the most known columns; None if none does."""
    best, best_score = None, 0
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(cells, dataset)
        if score > best_score:
            best, best_score = index, score
    return best


def recognise_dataset(headers: list[str]) -> str | None:
    """The dataset a header row belongs to, or None when no dataset fits or two fit equally."""
    ranked = []
    for dataset in DATASETS.values():
        matched = _matched(dataset, headers)
        required = {c.name for c in dataset.columns if c.required}
        # A dataset that needs one of several columns (the two caps) is complete only with one of them.
        alternatives = set(ONE_OF.get(dataset.name, ()))
        complete = required <= matched and (not alternatives or bool(alternatives & matched))
        ranked.append(((len(matched), complete, len(matched) / len(dataset.columns)), dataset.name))
    ranked.sort(reverse=True)
    (best_score, best_name), (second_score, _) = ranked[0], ranked[1]
    if best_score[0] < 2 or best_score == second_score:
        return None
    return best_name


def dataset_by_name(name: str) -> Dataset | None:
    """A dataset by its English name or Chinese title."""
    if name in DATASETS:
        return DATASETS[name]
    key = normalise_header(name)
    for dataset in DATASETS.values():
        if key in (normalise_header(dataset.name), normalise_header(dataset.zh)):
            return dataset
    return None
