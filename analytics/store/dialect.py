"""Every difference between the embedded store (DuckDB) and the server store (PostgreSQL), in one place.

The metrics, the import and the accounts keep one copy of their SQL, written in the subset
both engines run. What remains different is here:

- parameters: the code writes `?` (a list) and `$name` (a dict), as DuckDB takes them;
  `translate` turns them into psycopg's `%s` / `%(name)s` (and doubles every `%`);
- functions DuckDB has and PostgreSQL lacks (`year`, `month`, `last_day`, `datediff`,
  `list_contains`): `SERVER_FUNCTIONS` defines them on the server with DuckDB's meaning and
  result types, so a query calls them the same way on both;
- DDL: a generated column is VIRTUAL in DuckDB and STORED in PostgreSQL (`generated_column`);
  sequences are listed in different catalogues (`has_sequence`); a temporary table is
  replaced in one statement in DuckDB, in two in PostgreSQL (`replace_temp_table`);
- numbers: PostgreSQL's `sum` of a BIGINT is NUMERIC; `load_numeric` gives it back as the
  Python int DuckDB gives (a NUMERIC with decimals stays a Decimal, as DuckDB's DECIMAL does).
"""

from __future__ import annotations

from decimal import Decimal

SERVER_SCHEMES = ("postgresql://", "postgres://")

# DuckDB's functions the code uses that PostgreSQL has not, with DuckDB's meaning and result type.
SERVER_FUNCTIONS = (
    "CREATE OR REPLACE FUNCTION year(d date) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT extract(year FROM d)::bigint'",
    "CREATE OR REPLACE FUNCTION month(d date) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT extract(month FROM d)::bigint'",
    "CREATE OR REPLACE FUNCTION last_day(d date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT (date_trunc(''month'', d) + interval ''1 month'' - interval ''1 day'')::date'",
    # Only 'day' is used: whole days from `a` to `b`.
    "CREATE OR REPLACE FUNCTION datediff(part text, a date, b date) RETURNS bigint LANGUAGE sql "
    "IMMUTABLE PARALLEL SAFE AS 'SELECT (b - a)::bigint'",
    "CREATE OR REPLACE FUNCTION list_contains(items text[], item text) RETURNS boolean LANGUAGE sql "
    "IMMUTABLE PARALLEL SAFE AS 'SELECT item = ANY(items)'",
)
# The server's data version: one row bumped by a trigger in every write's own transaction.
VERSION_TABLE = "store_version"
SERVER_VERSION_DDL = (
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT NOT NULL)",
    f"INSERT INTO {VERSION_TABLE} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE})",
    "CREATE OR REPLACE FUNCTION bump_store_version() RETURNS trigger LANGUAGE plpgsql AS "
    f"'BEGIN UPDATE {VERSION_TABLE} SET version = version + 1; RETURN NULL; END'",
)


def version_trigger(table: str) -> tuple[str, ...]:
    """The statements that make every write to `table` bump the server's data version."""
    return (
        f"DROP TRIGGER IF EXISTS {table}_version ON {table}",
        f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION bump_store_version()",
    )


def is_server(location) -> bool:
    """Whether a database location is a PostgreSQL URL (else it is a DuckDB file)."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def on_server(con) -> bool:
    """Whether an open connection is the server store's."""
    return bool(getattr(con, "is_server", False))


def generated_column(con, name: str, sql_type: str, expression: str) -> str:
    """A column computed from others: VIRTUAL in DuckDB (its only kind), STORED in PostgreSQL 15."""
    kind = "STORED" if on_server(con) else "VIRTUAL"
    return f"{name} {sql_type} GENERATED ALWAYS AS ({expression}) {kind}"


def has_sequence(con, name: str) -> bool:
    if on_server(con):
        sql = "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname = ? AND pg_table_is_visible(oid)"
    else:
        sql = "SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = ?"
    return bool(con.execute(sql, [name]).fetchone()[0])


def replace_temp_table(con, name: str, select: str, params=None) -> None:
    """CREATE OR REPLACE TEMP TABLE name AS select (two statements on the server, which lacks OR REPLACE)."""
    if on_server(con):
        con.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
        con.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)


def translate(sql: str, params=None) -> tuple[str, list | dict]:
    """DuckDB-style placeholders (`?`, `$name`) as psycopg's, every literal `%` doubled.

    Placeholders inside quoted literals or identifiers are left alone; psycopg reads `%` everywhere.
    """
    out: list[str] = []
    quote = None
    i, n = 0, len(sql)
    named = isinstance(params, dict)
    while i < n:
        char = sql[i]
        if char == "%":
            out.append("%%")
        elif quote:
            out.append(char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?" and not named:
            out.append("%s")
        elif char == "$" and named and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(f"%({sql[i + 1 : j]})s")
            i = j
            continue
        else:
            out.append(char)
        i += 1
    if params is None:
        params = []
    elif not named:
        params = list(params)
    return "".join(out), params


def load_numeric(text: str):
    """A NUMERIC from the server as DuckDB would give it: an int without decimals (a sum of BIGINT), else Decimal."""
    if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
        return Decimal(text)
    return int(text)


# Arrow types of an import's staged table -> the server's column types.
def arrow_sql_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_null(arrow_type):
        return "TEXT"
    if pa.types.is_date(arrow_type):
        return "DATE"
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMP"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_integer(arrow_type):
        return "BIGINT"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE PRECISION"
    if pa.types.is_decimal(arrow_type):
        return f"NUMERIC({arrow_type.precision},{arrow_type.scale})"
    raise TypeError(f"no server column type for {arrow_type}")
