"""The headline cards of the 标准化达标, 重大危险源 and 三同时 pages, from their metric documents.

Each card's figure is the metric's; what is added here is only the comparison a
leader reads beside it: passes against time progress (as training coverage is
read), sources not yet monitored online, 同比 of new projects.
"""

from __future__ import annotations

from analytics.metrics.periods import change_pct, points_change
from analytics.metrics.training import gap_to_time_progress
from analytics.text import fields
from analytics.text.zh import t
from ui import cards, supervision

PASSED = "standardization_passed"  # the catalogue's name of a standardization row's "passed" (enterprises)


def named(doc: dict) -> dict:
    """A `standardization` document with each row's "passed" also under PASSED: the training document's
    "passed" counts people, this one enterprises, so the field catalogue names them apart."""

    def row_named(row: dict) -> dict:
        return {**row, PASSED: row["passed"]}

    return {**doc, "total": row_named(doc["total"]), "rows": [row_named(row) for row in doc["rows"]]}


def _with_unit(field: str, value) -> str:
    return fields.fmt_with_unit(field, value)


def grade_card(row: dict, progress: float) -> cards.Card:
    """One grade: passes against the year's task, applications, completion beside time progress."""
    target, completion = row["target"], row["completion_pct"]
    if target is None:
        detail = t("standardization.card.no_target", applied=_with_unit("applied", row["applied"]))
        change, tone = "", cards.NEUTRAL
    else:
        detail = t(
            "standardization.card.detail",
            target=_with_unit("target", target),
            applied=_with_unit("applied", row["applied"]),
        )
        gap = gap_to_time_progress(completion, progress)
        if gap is None:
            change, tone = t("standardization.card.zero_target"), cards.NEUTRAL
        else:
            lag, tone = supervision.progress_gap(gap)
            change = t(
                "standardization.card.completion",
                completion=fields.fmt_value("completion_pct", completion),
                lag=lag,
            )
    return cards.Card(
        t("standardization.card.grade", grade=row["grade"]),
        _with_unit(PASSED, row["passed"]),
        detail,
        change,
        tone,
    )


def shown_grades(doc: dict) -> list[dict]:
    """The grades worth a card or a bar: a task above 0, or any application or pass (a grade nobody was
    asked for and nobody applied to is left out; the table below still lists it)."""
    return [row for row in doc["rows"] if row["target"] or row["applied"] or row["passed"]]


def standardization_cards(doc: dict, progress: float) -> list[cards.Card]:
    """A card per grade that has a task or records, then 有效达标企业 and those expiring within 90 days."""
    total, as_of = doc["total"], doc["period"]["as_of"]
    grades = shown_grades(doc)
    expiring = total["expiring"]
    return [
        *(grade_card(row, progress) for row in grades),
        cards.Card(
            fields.short_label("certified"),
            _with_unit("certified", total["certified"]),
            t("standardization.card.certified_detail", as_of=as_of),
            "",
        ),
        cards.Card(
            fields.short_label("expiring"),
            _with_unit("expiring", expiring),
            t("standardization.card.expiring_detail", as_of=as_of),
            t("standardization.card.expiring_some") if expiring else t("standardization.card.expiring_none"),
            cards.BAD if expiring else cards.GOOD,
        ),
    ]


def source_cards(doc: dict) -> list[cards.Card]:
    """在册, the most dangerous levels, online monitoring and new registrations of the `sources` document."""
    total = doc["total"]
    levels = "、".join(
        t("sources.card.level_part", level=row["level"], amount=_with_unit("in_force", row["in_force"]))
        for row in doc["rows"]
        if row["in_force"]
    )
    unmonitored = total["in_force"] - total["monitored"]
    return [
        cards.Card(
            fields.short_label("in_force"),
            _with_unit("in_force", total["in_force"]),
            levels or t("sources.card.none_in_force"),
            t("sources.card.as_of", as_of=doc["period"]["as_of"]),
        ),
        cards.Card(
            fields.short_label("monitoring_rate"),
            fields.fmt_value("monitoring_rate", total["monitoring_rate"]),
            t(
                "sources.card.monitored_detail",
                monitored=_with_unit("monitored", total["monitored"]),
                in_force=_with_unit("in_force", total["in_force"]),
            ),
            t("sources.card.unmonitored", amount=_with_unit("in_force", unmonitored))
            if unmonitored
            else (t("sources.card.all_monitored") if total["in_force"] else ""),
            cards.BAD if unmonitored else cards.GOOD,
        ),
        cards.Card(
            fields.short_label("new"),
            _with_unit("new", total["new"]),
            t("sources.card.new_detail"),
            "",
        ),
    ]


def project_cards(total: dict, previous: dict) -> list[cards.Card]:
    """新建项目 with 同比, the safety evaluation rate against 同期 (百分点), and accepted projects."""
    # How many projects start says nothing good or bad: the 同比 is written, not coloured.
    count_text, _ = supervision.count_change(
        total["projects"],
        previous["projects"],
        change_pct(total["projects"], previous["projects"]),
        fields.unit("projects"),
        False,
    )
    rate_text, rate_tone = supervision.rate_change(
        total["evaluation_rate"], points_change(total["evaluation_rate"], previous["evaluation_rate"])
    )
    return [
        cards.Card(
            fields.short_label("projects"),
            _with_unit("projects", total["projects"]),
            t("cards.previous", amount=_with_unit("projects", previous["projects"])),
            count_text,
            cards.NEUTRAL,
        ),
        cards.Card(
            fields.short_label("evaluation_rate"),
            fields.fmt_value("evaluation_rate", total["evaluation_rate"]),
            t(
                "projects.card.evaluated_detail",
                evaluated=_with_unit("evaluated", total["evaluated"]),
                projects=_with_unit("projects", total["projects"]),
            ),
            rate_text,
            rate_tone,
        ),
        cards.Card(
            fields.short_label("accepted"),
            _with_unit("accepted", total["accepted"]),
            t("projects.card.accepted_detail"),
            t("cards.previous", amount=_with_unit("accepted", previous["accepted"])),
        ),
    ]
