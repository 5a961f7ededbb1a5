"""Rules between columns of one row, as the data contract states them, each with its Chinese message.

A rule is reported on the column the contract states it for, at the row that breaks it; a rule
over a column the file does not carry compares with the column's default (empty), as the stored
record would then be.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from analytics.importing.headers import ONE_OF

# (lower, higher, column, message): lower <= higher, checked when the file carries both columns.
ORDER_RULES = (
    (
        "serious_injuries",
        "injuries",
        "serious_injuries",
        "“重伤人数”不能多于“受伤人数”（受伤人数应包含重伤人数）",
    ),
    ("passed", "trainees", "passed", "“考核合格人数”不能多于“参训人数”"),
    ("found_on", "deadline", "deadline", "“整改期限”不能早于“排查日期”"),
    ("found_on", "rectified_on", "rectified_on", "“整改完成日期”不能早于“排查日期”"),
    ("found_on", "reviewed_on", "reviewed_on", "“复查日期”不能早于“排查日期”"),
    ("rectified_on", "closed_on", "closed_on", "“销号日期”不能早于“整改完成日期”"),
    ("applied_on", "passed_on", "passed_on", "“评审通过日期”不能早于“申报日期”"),
    ("passed_on", "expires_on", "expires_on", "“证书有效期至”不能早于“评审通过日期”"),
    ("registered_on", "deregistered_on", "deregistered_on", "“核销日期”不能早于“备案日期”"),
    ("registered_on", "evaluated_on", "evaluated_on", "“安全评价日期”不能早于“立项备案日期”"),
    ("registered_on", "accepted_on", "accepted_on", "“竣工验收日期”不能早于“立项备案日期”"),
)
REVIEW_RULE = "填写了“复查日期”，但“下达整改指令书”不是“是”：只有下达了整改指令书的隐患才有复查"
EXPIRY_RULE = "填写了“证书有效期至”，但“评审通过日期”为空：评审通过后才有证书有效期"
LISTED_RULE = "“挂牌督办级别”只能填在“重大隐患”上：一般隐患不挂牌督办"
CLOSED_UNLISTED_RULE = "填写了“销号日期”，但“挂牌督办级别”为空：只有挂牌督办的隐患才销号"
CLOSED_OPEN_RULE = "填写了“销号日期”，但“整改完成日期”为空：隐患整改完成后才能销号"
CAPS_RULE = "“事故起数控制数”和“死亡人数控制数”都为空：至少填写其中一项"
CAP_COLUMNS = ONE_OF["control_targets"]

# (column, condition column, message): the column may be filled only where the condition column is.
PRESENCE_RULES = (
    ("expires_on", "passed_on", EXPIRY_RULE),
    ("closed_on", "listed_level", CLOSED_UNLISTED_RULE),
    ("closed_on", "rectified_on", CLOSED_OPEN_RULE),
)


def _filled(array: pa.Array) -> pa.Array:
    return pc.is_valid(array)


def cross_rules(
    columns: dict[str, pa.Array], headers: dict[str, str], written: dict[str, pa.Array] | None = None
) -> list[tuple[pa.Array, str, str]]:
    """(mask, column, message) for every rule of the dataset whose column the file carries.

    `written` (column -> cell not empty) keeps a condition cell that is filled but unreadable, and so
    reported already, from also counting as empty.
    """
    written = written or {}
    rules = []
    for low, high, column, message in ORDER_RULES:
        if low in headers and high in headers:
            rules.append((pc.less(columns[high], columns[low]), column, message))
    if "reviewed_on" in headers:
        no_order = pc.invert(pc.fill_null(columns["order_issued"], False))
        rules.append((pc.and_(_filled(columns["reviewed_on"]), no_order), "reviewed_on", REVIEW_RULE))
    for column, condition, message in PRESENCE_RULES:
        if column in headers:
            present = written.get(condition, _filled(columns[condition]))
            rules.append((pc.and_(_filled(columns[column]), pc.invert(present)), column, message))
    if "listed_level" in headers:
        major = pa.scalar("重大隐患", pa.string())  # typed: an inferred str would load pandas
        not_major = pc.not_equal(pc.fill_null(columns["level"], major), major)
        rules.append((pc.and_(_filled(columns["listed_level"]), not_major), "listed_level", LISTED_RULE))
    carried = [c for c in CAP_COLUMNS if c in headers]
    if carried:
        neither = pc.and_(pc.is_null(columns[CAP_COLUMNS[0]]), pc.is_null(columns[CAP_COLUMNS[1]]))
        rules.append((neither, carried[0], CAPS_RULE))
    return rules


def column_rules(name: str) -> list[str]:
    """The messages of the rules stated for one column (for the template's notes)."""
    messages = [message for _, _, column, message in ORDER_RULES if column == name]
    messages += [message for column, _, message in PRESENCE_RULES if column == name]
    if name == "reviewed_on":
        messages.append(REVIEW_RULE)
    if name == "listed_level":
        messages.append(LISTED_RULE)
    if name in CAP_COLUMNS:
        messages.append(CAPS_RULE)
    return messages
