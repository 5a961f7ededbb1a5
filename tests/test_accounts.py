"""Accounts, roles, sessions, lockout and the audit trail, without a browser (issue 11).

The clock is injected (`at=`), so the lockout and the session expiry are tested without sleeping.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import io
import json
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from analytics import settings, store
from analytics.accounts import audit, passwords, scope, sessions, users
from analytics.accounts.roles import Actor, Refused
from analytics.documents.exports import dataframe_to_xlsx
from analytics.documents.templates import errors_xlsx
from analytics.importing import import_file, undo_batch
from analytics.sample.lifecycle import remove_sample
from tests.import_support import ACCIDENT_HEADER, REGIONS, accident, csv_bytes, snapshot
from tests.stores import new_db

ROOT = Path(store.PROJECT_ROOT)
T0 = dt.datetime(2026, 11, 20, 9, 0, 0)
GOOD = "Anfang-2026x"


@pytest.fixture
def db(tmp_path):
    path = new_db(tmp_path, "accounts")
    store.ensure_schema(path)
    regions = csv_bytes([["县市区", "乡镇（街道）"], *[row[:2] for row in REGIONS]])
    assert import_file(regions, file_name="regions.csv", db=path)["status"] == "imported"
    for name, role, county in (("ana", "analyst", None), ("bea", "analyst", "甲县"), ("vic", "viewer", None)):
        users.add_user(path, _admin(), name, role, county, GOOD)
    return path


def _admin() -> Actor:
    return Actor("root", "system", client="test")


def _login(db, name, at=T0) -> Actor:
    actor, _, _ = users.authenticate(db, name, GOOD, client="127.0.0.1", at=at)
    return actor


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1A", False),  # 7 characters
        ("alllowercaseletters", False),  # one kind
        ("lowercase123456", False),  # two kinds
        ("Lowercase123456", True),
        ("lower-case-12345", True),
        ("ana-Password-1", False),  # holds the name
    ],
)
def test_password_rule(password, ok):
    assert (passwords.problem(password, "ana") is None) is ok


def test_passwords_are_argon2id_hashes():
    hashed = passwords.hash_password(GOOD)
    assert hashed.startswith("$argon2id$") and GOOD not in hashed
    assert passwords.verify(hashed, GOOD) and not passwords.verify(hashed, GOOD + "x")
    assert passwords.problem(passwords.generate()) is None


def test_lockout_triggers_after_five_failures_and_lifts_after_ten_minutes(db):
    for minute in range(5):
        with pytest.raises(users.LoginFailed, match="用户名或密码错误"):
            users.authenticate(db, "ana", "wrong", at=T0 + dt.timedelta(minutes=minute))
    # Locked: even the right password is refused, without being checked.
    with pytest.raises(users.LoginFailed, match="锁定"):
        users.authenticate(db, "ana", GOOD, at=T0 + dt.timedelta(minutes=5))
    # Ten minutes after the first failure only four remain in the window: still locked at 10:00 + 4 min.
    with pytest.raises(users.LoginFailed, match="锁定"):
        users.authenticate(db, "ana", GOOD, at=T0 + dt.timedelta(minutes=9, seconds=59))
    actor, cookie, _ = users.authenticate(db, "ana", GOOD, at=T0 + dt.timedelta(minutes=14, seconds=1))
    assert actor.name == "ana" and cookie
    outcomes = [e["outcome"] for e in audit.events(db, user="ana") if e["action"] == "login"]
    assert outcomes == ["ok", "locked", "locked", *["failed"] * 5]
    # Another account is not locked by ana's failures.
    assert not users.locked(db, "vic", T0 + dt.timedelta(minutes=5))


def test_forged_expired_and_replayed_cookies_are_refused(db):
    actor, cookie, _ = users.authenticate(db, "ana", GOOD, at=T0)
    assert sessions.resolve(db, cookie, at=T0 + dt.timedelta(hours=1)).name == "ana"
    token, signature = cookie.split(".")
    assert sessions.resolve(db, f"{token}.{'0' * len(signature)}", at=T0) is None  # forged signature
    tampered = token[:-1] + ("B" if token.endswith("A") else "A")  # a token ending in A: one in 64
    assert sessions.resolve(db, f"{tampered}.{signature}", at=T0) is None
    assert sessions.resolve(db, "admin", at=T0) is None
    assert sessions.resolve(db, cookie, at=T0 + dt.timedelta(hours=settings.SESSION_HOURS, seconds=1)) is None
    assert users.logout(db, actor, cookie)
    assert sessions.resolve(db, cookie, at=T0 + dt.timedelta(minutes=1)) is None
    # The actor object kept from before the logout can no longer change anything.
    before = snapshot(db)
    with pytest.raises(Refused, match="登录已失效"):
        import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db, actor=actor)
    assert snapshot(db) == before


def test_disabling_or_changing_a_role_ends_the_sessions(db):
    cookie = users.authenticate(db, "vic", GOOD)[1]
    users.set_role(db, _admin(), "vic", "analyst")
    assert sessions.resolve(db, cookie) is None
    cookie = users.authenticate(db, "vic", GOOD)[1]
    users.disable(db, _admin(), "vic")
    assert sessions.resolve(db, cookie) is None
    with pytest.raises(users.LoginFailed):
        users.authenticate(db, "vic", GOOD)


def test_a_viewer_may_not_import_undo_or_clear_and_nothing_changes(db):
    viewer = _login(db, "vic", at=audit.now())
    batch = import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db)["batch_id"]
    before = snapshot(db)
    for call in (
        lambda: import_file(
            csv_bytes([ACCIDENT_HEADER, accident(2)]), file_name="b.csv", db=db, actor=viewer
        ),
        lambda: undo_batch(batch, db, actor=viewer),
        lambda: remove_sample(db, actor=viewer),
        lambda: users.add_user(db, viewer, "eve", "admin", None, GOOD),
        lambda: import_file(csv_bytes([ACCIDENT_HEADER, accident(2)]), file_name="b.csv", db=db, actor=None),
    ):
        with pytest.raises(Refused):
            call()
    assert snapshot(db) == before
    refused = [e for e in audit.events(db) if e["outcome"] == "refused"]
    assert len(refused) == 5 and {e["user"] for e in refused} == {"vic", audit.ANONYMOUS}


def test_an_analyst_undoes_only_their_own_batches(db):
    ana, bea = _login(db, "ana", audit.now()), _login(db, "bea", audit.now())
    own = import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="a.csv", db=db, actor=ana)
    other = import_file(csv_bytes([ACCIDENT_HEADER, accident(2)]), file_name="b.csv", db=db, actor=bea)
    owners = scope.owners(db)
    assert owners[own["batch_id"]] == "ana" and scope.may_undo(ana, own["batch_id"], owners)
    assert not scope.may_undo(ana, other["batch_id"], owners)
    before = snapshot(db)
    with pytest.raises(Refused, match="只能撤销自己导入的批次"):
        undo_batch(other["batch_id"], db, actor=ana)
    assert snapshot(db) == before
    assert undo_batch(own["batch_id"], db, actor=ana)["undone"]
    assert undo_batch(other["batch_id"], db, actor=_admin())["undone"]


def test_a_county_limited_account_imports_only_its_county(db):
    bea = _login(db, "bea", audit.now())
    before = snapshot(db)
    rows = [ACCIDENT_HEADER, accident(1), accident(2, county="乙县", township="新华街道"), accident(3)]
    result = import_file(csv_bytes(rows), file_name="mixed.csv", db=db, actor=bea)
    assert result["status"] == "rejected"
    assert [(e["row"], e["value"]) for e in result["errors"]] == [(3, "乙县")]
    assert "乙县" in result["errors"][0]["message"] and "甲县" in result["errors"][0]["message"]
    assert snapshot(db) == before
    ok = import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="own.csv", db=db, actor=bea)
    assert ok["status"] == "imported"


def test_first_admin_gets_a_password_file_only_its_owner_reads(tmp_path):
    path = new_db(tmp_path, "first")
    password, file = users.ensure_first_admin(path)
    assert file == settings.initial_password_file(path)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert file.read_text(encoding="utf-8").strip() == password
    assert users.ensure_first_admin(path) is None  # once only
    actor, _, must_change = users.authenticate(path, "admin", password)
    assert actor.role == "admin" and must_change
    with pytest.raises(users.AccountProblem):
        users.change_own_password(path, "admin", password, "weak")
    users.change_own_password(path, "admin", password, GOOD)
    assert users.authenticate(path, "admin", GOOD)[2] is False


@pytest.mark.parametrize("version", ["3", "4"])
def test_schema_upgrade_from_older_versions_adds_the_account_tables(db, version):
    with store.connect(db, read_only=False) as con:
        for table in ("users", "sessions", "audit_events", "batch_owners"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DROP SEQUENCE audit_event_ids")
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version])
        regions = con.execute("SELECT count(*) FROM regions").fetchone()[0]
    store.ensure_schema(db)
    with store.connect(db) as con:
        assert store.get_meta(con, "schema_version") == str(store.SCHEMA_VERSION)
        assert con.execute("SELECT count(*) FROM regions").fetchone()[0] == regions
        assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert users.ensure_first_admin(db) is not None


def test_no_code_deletes_or_changes_the_audit_trail():
    sources = [ROOT / "dashboard.py", ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]
    sources += list((ROOT / "analytics").rglob("*.py"))
    pattern = re.compile(r"(DELETE\s+FROM|UPDATE|TRUNCATE|DROP\s+TABLE)\s+audit_events", re.I)
    assert [str(p) for p in sources if pattern.search(p.read_text(encoding="utf-8"))] == []


def test_pages_pass_the_visitor_to_every_data_changing_call():
    changing = {"import_file", "preview_file", "undo_batch", "remove_sample", "load_sample"}
    calls = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in changing
            ):
                calls.append((path.name, node.lineno, any(k.arg == "actor" for k in node.keywords)))
    assert len(calls) >= 5
    assert [c for c in calls if not c[2]] == []


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def _sheet_texts(content: bytes) -> tuple[str, list[str]]:
    """The first sheet's XML and the workbook's shared strings (inline strings included)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        shared = (
            book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        )
    return sheet, [html.unescape(t) for t in re.findall(r"<t[^>]*>(.*?)</t>", shared + sheet, re.S)]


def test_excel_writes_text_that_looks_like_a_formula_as_text():
    import pandas as pd

    for content in (
        dataframe_to_xlsx(pd.DataFrame({"单位": FORMULAS})),
        errors_xlsx([{"row": 2, "column": "单位", "value": v, "message": v} for v in FORMULAS]),
        audit.xlsx([dict.fromkeys(audit.COLUMNS, v) | {"at": "2026-11-20 09:00:00"} for v in FORMULAS]),
    ):
        sheet, texts = _sheet_texts(content)
        assert "<f>" not in sheet and "<f " not in sheet  # no formula cell at all
        assert set(FORMULAS) <= set(texts)


def _cli(*args: str, db, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
    )


def test_cli_users_audit_and_as(tmp_path):
    db = new_db(tmp_path, "cli")
    init = _cli("init", "--json", db=db)
    assert init.returncode == 0, init.stderr
    assert json.loads(init.stdout)["initial_admin"]["name"] == "admin"
    assert "初始密码" in init.stderr
    added = _cli("users", "add", "ana", "--role", "analyst", "--json", db=db, stdin=GOOD + "\n")
    assert added.returncode == 0, added.stderr
    generated = json.loads(_cli("users", "add", "vic", "--role", "viewer", "--json", db=db).stdout)[
        "password"
    ]
    assert passwords.problem(generated) is None
    listed = json.loads(_cli("users", "list", "--json", db=db).stdout)["users"]
    assert [u["name"] for u in listed] == ["admin", "ana", "vic"]
    assert set(listed[0]) == {"name", "role", "county", "disabled", "created_at", "last_login"}
    # A viewer may not import: exit 1, a Chinese reason, nothing written.
    file = tmp_path / "a.csv"
    file.write_bytes(csv_bytes([ACCIDENT_HEADER, accident(1)]))
    refused = _cli("import", str(file), "--as", "vic", "--json", db=db, stdin=generated + "\n")
    assert refused.returncode == 1 and "无权" in json.loads(refused.stdout)["error"]
    wrong = _cli("import", str(file), "--as", "ana", db=db, stdin="nope\n")
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr
    done = _cli("import", str(file), "--as", "ana", "--json", db=db, stdin=GOOD + "\n")
    assert json.loads(done.stdout)["files"][0]["status"] == "imported", done.stderr
    assert _cli("audit", "--as", "ana", db=db, stdin=GOOD + "\n").returncode == 1
    events = json.loads(_cli("audit", "--json", "--user", "ana", db=db).stdout)["events"]
    assert all(set(e) == {"at", "user", "role", "client", "action", "target", "outcome"} for e in events)
    assert [(e["action"], e["outcome"], e["client"]) for e in events][:4] == [
        ("read_audit", "refused", "cli"),
        ("login", "ok", "cli"),
        ("import", "imported", "cli"),
        ("login", "ok", "cli"),
    ]
    os_events = json.loads(_cli("audit", "--json", "--since", "2000-01-01", db=db).stdout)["events"]
    assert any(
        e["action"] == "user_add" and e["client"] == "cli" and e["role"] == "system" for e in os_events
    )


def test_a_file_over_the_upload_limit_is_rejected_with_a_chinese_message(db, monkeypatch):
    monkeypatch.setattr(settings, "UPLOAD_LIMIT_MB", 0)
    result = import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="big.csv", db=db)
    assert result["status"] == "rejected" and "文件太大" in result["errors"][0]["message"]


def test_a_visitor_is_looked_up_once_per_state_of_the_file_and_a_change_at_once(db, monkeypatch):
    actor, cookie, _ = users.authenticate(db, "ana", GOOD)
    assert sessions.resolve(db, cookie).name == "ana"  # the signing secret is read by now
    opened = []
    connect, version = store.connect, store.data_version
    reading_version = []  # a server's state is one short query of its own; the answers are what is counted

    def counted_connect(*args, **kwargs):
        if not reading_version:
            opened.append(args)
        return connect(*args, **kwargs)

    def counted_version(*args, **kwargs):
        reading_version.append(True)
        try:
            return version(*args, **kwargs)
        finally:
            reading_version.pop()

    monkeypatch.setattr(store, "connect", counted_connect)
    monkeypatch.setattr(store, "data_version", counted_version)
    assert [sessions.resolve(db, cookie).name for _ in range(3)] == ["ana"] * 3
    first = sessions.must_change(db, actor)
    assert sessions.must_change(db, actor) == first
    assert len(opened) == 1  # must_change once; the session was asked before the count began
    assert sessions.still_valid(db, actor) and len(opened) == 2  # a data-changing call asks the file itself
    clock = sessions.time.monotonic()
    monkeypatch.setattr(sessions.time, "monotonic", lambda: clock + sessions.REUSE_SECONDS + 1)
    assert sessions.resolve(db, cookie).name == "ana" and len(opened) == 3  # an old answer is asked again
    assert users.logout(db, actor, cookie)
    assert sessions.resolve(db, cookie) is None  # the logout wrote to the file: asked afresh
