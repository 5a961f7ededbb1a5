"""One scan of a ledger for a page: several periods (a period and its 同期) and several groupings at once.

A page used to ask for the same ledger once per breakdown (by township, by department, 同期's total),
each call a scan of ten million rows at province scale. `rolled_up` counts once, by period and every
combination of the keys (a few hundred groups), then sums those up by each key and in total, in SQL:
exact for counts and sums, which add up across groups (a distinct count does not; see hazards'
inspections). The SQL is in the subset both stores run (GROUPING SETS, FILTER, CASE).
"""

from __future__ import annotations

import datetime as dt

from analytics.metrics.periods import Period

# A row's period is `p` (0, 1, ... in the order given); its as_of is `a` (for figures judged as of then).
PERIOD_COLUMN, AS_OF_COLUMN = "p", "a"


def _periods_sql(column: str, periods: list[Period], today: dt.date | None) -> tuple[str, str, str, dict]:
    """SQL giving each row's period and its as_of, the filter on `column`, and their parameters.

    The periods must not overlap (a period and its 同期 never do): a row belongs to one period only.
    """
    params: dict = {}
    which, as_of, within = [], [], []
    for i, period in enumerate(periods):
        params |= {f"start{i}": period.start, f"end{i}": period.end, f"as_of{i}": period.as_of(today)}
        between = f"{column} BETWEEN $start{i} AND $end{i}"
        which.append(f"WHEN {between} THEN {i}")
        as_of.append(f"WHEN {between} THEN $as_of{i}")
        within.append(between)
    return f"CASE {' '.join(which)} END", f"CASE {' '.join(as_of)} END", " OR ".join(within), params


def _by_period(rows, keys: tuple[str, ...], sets: list[tuple[str, ...]], periods: int) -> list:
    """Rows of `SELECT p, grouping(keys), keys..., figures...` over GROUPING SETS of (p, *set) and (p), per
    period: ({set: {value: figures}}, the period's total figures or None when it has no row). A set of one
    key is named by the key and its values are the key's; a longer set by its tuple, values tuples."""
    everything = (1 << len(keys)) - 1
    # grouping() sets the bit of every key left out of a row's set (the first key is the highest bit).
    mask_of = {s: everything - sum(1 << (len(keys) - 1 - keys.index(k)) for k in s) for s in sets}
    set_of = {mask: s for s, mask in mask_of.items()}
    results = [({_single(s): {} for s in sets}, None) for _ in range(periods)]
    for row in rows:
        period, grouped, values, figures = row[0], row[1], row[2 : 2 + len(keys)], row[2 + len(keys) :]
        if grouped == everything:
            results[period] = (results[period][0], figures)
            continue
        chosen = set_of[grouped]
        value = tuple(values[keys.index(k)] for k in chosen)
        results[period][0][_single(chosen)][_single(value)] = figures
    return results


def _single(items: tuple):
    """A one-item tuple by its item (a set of one key, and its values), a longer one as it is."""
    return items[0] if len(items) == 1 else items


def rolled_up(
    con,
    table: str,
    date_column: str,
    periods: list[Period],
    county: str,
    sets: list[tuple[str, ...]],
    counts: dict[str, str],
    today: dt.date | None = None,
    params: dict | None = None,
) -> list:
    """`counts` ({name: aggregate SQL, which may read the row's as_of as `a`}) of the county's rows of
    `table` in each period, by each set of keys (columns) and in total, from one scan.

    Per period: ({set: {value: figures}}, total figures or None); figures in the order of `counts`, each
    the sum over groups (so a count, or a sum, with NULL where no row had a value).
    """
    keys = tuple(dict.fromkeys(key for s in sets for key in s))
    which, as_of, within, period_params = _periods_sql(date_column, periods, today)
    key_list = ", ".join(keys)
    fine = ", ".join(f"{sql} AS {name}" for name, sql in counts.items())
    sums = ", ".join(f"sum({name}) AS {name}" for name in counts)
    grouping_sets = ", ".join([f"({PERIOD_COLUMN}, {', '.join(s)})" for s in sets] + [f"({PERIOD_COLUMN})"])
    sql = f"""
        WITH fine AS (
            SELECT {PERIOD_COLUMN}, {key_list}, {fine}
            FROM (SELECT *, {which} AS {PERIOD_COLUMN}, {as_of} AS {AS_OF_COLUMN} FROM {table}
                  WHERE county = $county AND ({within})) f
            GROUP BY {PERIOD_COLUMN}, {key_list}
        )
        SELECT {PERIOD_COLUMN}, grouping({key_list}), {key_list}, {sums}
        FROM fine GROUP BY GROUPING SETS ({grouping_sets})
    """
    # Only the parameters the SQL names (DuckDB refuses others): `a` may go unread.
    bound = {name: value for name, value in period_params.items() if f"${name}" in sql}
    rows = con.execute(sql, {**bound, **(params or {}), "county": county}).fetchall()
    return _by_period(rows, keys, sets, len(periods))


def distinct_counted(
    con, table: str, date_column: str, periods: list[Period], county: str, key: str, figures: str
) -> list:
    """`figures` (aggregate SQL, e.g. distinct counts, which do not add up across groups) of the county's rows
    of `table` in each period, by `key` and in total: one query. Per period as `rolled_up` gives it."""
    which, _, within, params = _periods_sql(date_column, periods, None)
    sql = f"""
        SELECT {PERIOD_COLUMN}, grouping({key}), {key}, {figures}
        FROM (SELECT *, {which} AS {PERIOD_COLUMN} FROM {table} WHERE county = $county AND ({within})) f
        GROUP BY GROUPING SETS (({PERIOD_COLUMN}, {key}), ({PERIOD_COLUMN}))
    """
    bound = {name: value for name, value in params.items() if f"${name}" in sql}
    rows = con.execute(sql, {**bound, "county": county}).fetchall()
    return _by_period(rows, (key,), [(key,)], len(periods))
