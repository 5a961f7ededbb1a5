"""Streamlit-side helpers of the supervision pages: breakdown tables, coloured comparison, Excel downloads.

Tables keep their numbers as numbers (so a click on a header sorts 1,234 above
987) and only their display is formatted: counts with separators, 万元 with 2
decimals, rates with 1 decimal, — where a figure cannot be computed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd
import streamlit as st

from analytics.charts import supervision as cs
from analytics.documents.exports import dataframe_to_xlsx
from analytics.metrics.hazards import against_previous
from analytics.metrics.training import against_previous as training_against_previous
from analytics.metrics.training import gap_to_time_progress, still_to_train
from analytics.text import fields as catalogue
from analytics.text import wording
from analytics.text.zh import t
from ui import auth, cards, layout, meeting

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def frame(rows: list[dict], key: str, fields: list[str], total: dict | None = None) -> pd.DataFrame:
    """Rows of a metric document (and its 合计 row last) as a table with Chinese headers and raw numbers."""
    records = [*rows, total] if total else list(rows)
    data = {cs.KEY_LABELS.get(key, key): [cs.key_text(r[key], key) for r in records]}
    for field in fields:
        values = [r[field] for r in records]
        kind = catalogue.kind(field)
        data[cs.label(field)] = pd.array(values, dtype="Int64" if kind == "count" else "Float64")
    return pd.DataFrame(data)


# st.dataframe draws a null number as a grey "None" whatever the Styler says, and turning the column into
# text would sort "100.0%" before "95.1%". So, on screen only, a missing figure becomes −∞: it stays a
# number (sorts below every figure) and the Styler writes it as — (or 新增 for a 同比 whose 同期 was 0).
MISSING = float("-inf")


def _display_text(field: str, value) -> str:
    return cs.fmt_value(field, None if value == MISSING else value)


def on_screen(table: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """The table as st.dataframe receives it: columns holding a missing figure turned to float with −∞."""
    shown = table.copy()
    for field in fields:
        column = cs.label(field)
        if shown[column].isna().any():
            shown[column] = shown[column].astype("Float64").fillna(MISSING).astype("float64")
    return shown


def styled(
    table: pd.DataFrame,
    fields: list[str],
    shade: Collection[str] = (),
    skip_last: bool = False,
    given: Mapping[str, list[str | None]] | None = None,
):
    """A Styler with the page's number formats; the columns of the fields in `shade` coloured by meaning.

    `skip_last` leaves the last row (合计) unshaded, so the county total does not stretch the scale.
    `given` holds ready-made colours per field (one per row), used instead of the shading by meaning.
    """
    given = given or {}
    changes = [f for f in fields if catalogue.kind(f) == catalogue.CHANGE]
    styler = on_screen(table, fields).style.format(
        {cs.label(f): (lambda v, f=f: _display_text(f, v)) for f in fields}
    )
    body = table.iloc[:-1] if skip_last else table
    for field in (f for f in fields if f in shade or f in given):
        column = cs.label(field)
        if field in given:
            shades = list(given[field])
        elif field in changes:
            shades = cs.sign_shades(body[column].tolist(), field)
        else:
            shades = cs.meaning_shades(body[column].tolist(), field)
        if skip_last:
            shades.append(None)
        css = [f"background-color: {s}; color: #111111" if s else "" for s in shades]
        styler = styler.apply(lambda _, css=css: css, subset=[column], axis=0)
    return styler


def show_breakdown(doc: dict, key: str, fields: list[str], shade: Collection[str] = ()) -> pd.DataFrame:
    """A metric document's rows as a sortable table, its 合计 in a table of its own beneath (out of the sort).

    Returns the rows and the 合计 as one table (rows first), e.g. for an Excel download.
    """
    rows = frame(doc["rows"], key, fields)
    total = frame([doc["total"]], key, fields)
    widths = fixed_widths(pd.concat([rows, total], ignore_index=True))
    layout.table(
        styled(rows, fields, shade=shade),
        hide_index=True,
        width="stretch",
        column_config=widths,
        height=min(38 + 35 * len(rows), 640),
    )
    layout.table(styled(total, fields), hide_index=True, width="stretch", column_config=widths)
    return pd.concat([rows, total], ignore_index=True)


def overdue_frame(overdue: pd.DataFrame) -> pd.DataFrame:
    """`overdue_hazards` as the page lists it: Chinese headers, 县直/未填乡镇 for an empty township."""
    return pd.DataFrame(
        {
            t("hazards.list.id"): overdue["hazard_id"],
            t("hazards.list.unit"): overdue["unit"],
            cs.KEY_LABELS["township"]: cs.key_texts(overdue["township"]),
            t("hazards.list.department"): overdue["department"],
            t("hazards.list.level"): overdue["level"],
            t("hazards.list.found_on"): overdue["found_on"],
            t("hazards.list.deadline"): overdue["deadline"],
            t("hazards.list.days_overdue"): overdue["days_overdue"].astype("Int64"),
        }
    )


def download_xlsx(table: pd.DataFrame, file_stem: str, title: str, key: str) -> None:
    """A button that downloads `table` as a formatted .xlsx (Chinese headers, numbers kept as numbers)."""
    st.download_button(
        t("supervision.download_xlsx"),
        # Built on click only: a long list costs about 0.6 s per 20,000 rows, too much for every rerun.
        data=auth.audited(
            lambda: dataframe_to_xlsx(table, sheet_name=title[:31], title=title), f"{file_stem}.xlsx"
        ),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def stop_without_records(what: str) -> None:
    """Stop the page with the 暂无数据 state when the county has no records of this kind in the period."""
    layout.show_empty(t("supervision.no_records", what=what))
    meeting.exit_button()
    st.stop()


def rate_change(value: float | None, points: float | None) -> tuple[str, str]:
    """(text, tone) of a rate against 同期 from its change in 百分点 (`periods.points_change`); higher is good."""
    if points is None:
        return ("去年同期无可比数据" if value is not None else ""), cards.NEUTRAL
    if points == 0:
        return "较去年同期持平", cards.NEUTRAL
    verb = "上升" if points > 0 else "下降"
    return f"较去年同期{verb}{abs(points):.1f}个百分点", cards.GOOD if points > 0 else cards.BAD


def count_change(
    value: float, previous: float, change: float | None, unit: str, lower_is_better: bool
) -> tuple[str, str]:
    """(text, tone) of a count or amount against 同期, from the metric's 同比 `change` (null = 新增):
    同比上升 x.x% / 下降 / 持平 / 新增, coloured by meaning."""
    text = t("cards.change", phrase=wording.change_phrase(value, previous, change, unit))
    return text, cards.tone(change, value, lower_is_better=lower_is_better)


def hazard_cards(total: dict, previous: dict) -> list[cards.Card]:
    """The headline cards of the 隐患整改 page: the period's totals against 同期, coloured by meaning."""
    compared = against_previous(total, previous)

    def count(field: str) -> str:
        return catalogue.fmt_with_unit(field, total[field])

    def before(field: str) -> str:
        return t("cards.previous", amount=catalogue.fmt_with_unit(field, previous[field]))

    def change(field: str) -> tuple[str, str]:
        figure = compared[field]
        return count_change(
            figure["value"],
            figure["previous"],
            figure["change_pct"],
            catalogue.unit(field),
            catalogue.lower_is_better(field),
        )

    def rate_card(title: str, field: str, detail: str) -> cards.Card:
        text, tone = rate_change(total[field], compared[field]["change_points"])
        return cards.Card(title, cs.fmt_value(field, total[field]), detail, text, tone)

    overdue_change, overdue_tone = change("overdue")
    return [
        cards.Card(catalogue.short_label("found"), count("found"), before("found"), change("found")[0]),
        rate_card(
            t("supervision.hazard_card.rate"),
            "rectification_rate",
            t("supervision.hazard_card.rate_detail", rectified=count("rectified"), found=count("found")),
        ),
        cards.Card(
            catalogue.short_label("major_found"),
            count("major_found"),
            before("major_found"),
            change("major_found")[0],
        ),
        rate_card(
            catalogue.short_label("major_rectification_rate"),
            "major_rectification_rate",
            t(
                "supervision.hazard_card.major_detail",
                rectified=count("major_rectified"),
                found=count("major_found"),
            ),
        ),
        cards.Card(
            catalogue.short_label("overdue"),
            count("overdue"),
            t("supervision.hazard_card.overdue_detail"),
            overdue_change,
            overdue_tone,
        ),
        rate_card(
            catalogue.short_label("review_rate"),
            "review_rate",
            t(
                "supervision.hazard_card.review_detail",
                due=count("orders_due"),
                reviewed=count("reviewed"),
                issued=count("orders_issued"),
            ),
        ),
        cards.Card(
            catalogue.short_label("avg_days_to_rectify"),
            count("avg_days_to_rectify"),
            t("supervision.hazard_card.days_detail"),
            before("avg_days_to_rectify"),
        ),
        cards.Card(
            t("supervision.hazard_card.inspections"),
            count("inspections"),
            t(
                "supervision.hazard_card.units_detail",
                label=catalogue.short_label("units_inspected"),
                amount=count("units_inspected"),
            ),
            change("inspections")[0],
        ),
    ]


def progress_gap(points: float) -> tuple[str, str]:
    """(text, tone) of coverage against time progress from `training.gap_to_time_progress` (百分点):
    at or past it is green, behind it red."""
    if points >= 0:
        return f"达到时间进度（超出{points:.1f}个百分点）", cards.GOOD
    return f"落后于时间进度{abs(points):.1f}个百分点", cards.BAD


def fixed_widths(table: pd.DataFrame) -> dict:
    """column_config giving every column a fixed width that fits its header, so two tables line up."""
    widths = {name: min(max(16 + 13 * len(str(name)), 84), 160) for name in table.columns}
    key = table.columns[0]
    # The key column also holds 县直/未填乡镇, longer than its header.
    widths[key] = max(widths[key], 16 + 13 * max((len(str(v)) for v in table[key]), default=0))
    return {name: st.column_config.Column(width=width) for name, width in widths.items()}


def training_cards(total: dict, previous: dict, progress: float, year: int) -> list[cards.Card]:
    """The headline cards of the 培训覆盖 page: trained, the year's target, coverage against time progress, pass rate."""
    coverage, required = total["coverage_pct"], total["required"]
    if coverage is None:
        lag_text, lag_tone = t("training.no_target"), cards.NEUTRAL
    else:
        lag_text, lag_tone = progress_gap(gap_to_time_progress(coverage, progress))
    compared = training_against_previous(total, previous)
    trained_change, trained_tone = count_change(
        total["trained"],
        previous["trained"],
        compared["trained"]["change_pct"],
        catalogue.unit("trained"),
        catalogue.lower_is_better("trained"),
    )
    pass_change, pass_tone = rate_change(total["pass_rate"], compared["pass_rate"]["change_points"])
    return [
        cards.Card(
            catalogue.short_label("trained"),
            catalogue.fmt_with_unit("trained", total["trained"]),
            t("cards.previous", amount=catalogue.fmt_with_unit("trained", previous["trained"])),
            trained_change,
            trained_tone,
        ),
        cards.Card(
            t("training.card.required"),
            catalogue.fmt_with_unit("required", required),
            t("training.card.required_detail", year=year),
            t(
                "training.card.still_to_train",
                amount=catalogue.fmt_with_unit("required", still_to_train(total)),
            ),
        ),
        cards.Card(
            catalogue.short_label("coverage_pct"),
            cs.fmt_value("coverage_pct", coverage),
            t("training.card.progress", progress=cs.fmt_value("coverage_pct", progress)),
            lag_text,
            lag_tone,
        ),
        cards.Card(
            catalogue.short_label("pass_rate"),
            cs.fmt_value("pass_rate", total["pass_rate"]),
            t(
                "training.card.passed_detail",
                label=catalogue.short_label("passed"),
                amount=catalogue.fmt_with_unit("passed", total["passed"]),
            ),
            pass_change,
            pass_tone,
        ),
    ]
