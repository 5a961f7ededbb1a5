"""The 数据导入 page through AppTest: empty database, upload with preview, error table, commit, undo."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store
from analytics.contract.datasets import DATASETS
from analytics.importing import import_file
from tests.apptest_support import run_page
from tests.import_support import ACCIDENT_HEADER, REGIONS, accident, csv_bytes, snapshot
from tests.stores import new_db

PAGE = "pages/data_import.py"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    """A database holding only a regions table, so the dashboard does not load the sample into it."""
    path = new_db(tmp_path, "page")
    store.ensure_schema(path)
    regions = csv_bytes([["县市区", "乡镇（街道）"], *[row[:2] for row in REGIONS]])
    assert import_file(regions, file_name="regions.csv", db=path)["status"] == "imported"
    monkeypatch.setenv("SAFETY_DB", str(path))
    return path


def accidents(db) -> list[str]:
    with store.connect(db, read_only=True) as con:
        return [r[0] for r in con.execute("SELECT accident_id FROM accidents ORDER BY 1").fetchall()]


def button(at: AppTest, label_start: str):
    return next(b for b in at.button if b.label.startswith(label_start))


def test_page_renders_templates_and_history(page_db):
    import_file(csv_bytes([ACCIDENT_HEADER, accident(1)]), file_name="八月事故.csv", db=page_db)
    at = run_page(PAGE, role="admin")
    assert at.title[0].value == "数据导入"
    assert [s.value for s in at.subheader] == ["上传文件", "数据覆盖", "导入记录", "导入模板", "数据库备份"]
    assert [b.label for b in at.button] == ["撤销", "撤销"]
    assert any("八月事故.csv" in m.value for m in at.markdown)
    templates = sorted(b.key for b in at.get("download_button"))  # read column by column
    assert templates == sorted(f"template-{name}" for name in DATASETS)  # one per dataset, the six new too


def test_upload_preview_commit_and_undo(page_db):
    at = run_page(PAGE, role="admin")
    uploader = at.file_uploader[0]
    uploader.set_value(("八月.csv", csv_bytes([ACCIDENT_HEADER, accident(1), accident(2)]), "text/csv")).run()
    assert not at.exception
    assert any("生产安全事故" in m.value and "可导入" in m.value for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["将新增"] == "2"
    assert accidents(page_db) == []

    button(at, "确认导入").click().run()
    assert not at.exception
    assert accidents(page_db) == ["SG0001", "SG0002"]
    assert any("已导入" in s.value for s in at.success)

    button(at, "撤销").click().run()  # the first click only shows what would go
    assert not at.exception
    assert accidents(page_db) == ["SG0001", "SG0002"]
    [warning] = [w.value for w in at.warning]
    assert "八月.csv" in warning and "将移除 2 行" in warning and "生产安全事故" in warning
    button(at, "取消").click().run()
    assert not at.warning and accidents(page_db) == ["SG0001", "SG0002"]

    button(at, "撤销").click().run()
    button(at, "确认撤销").click().run()
    assert not at.exception
    assert accidents(page_db) == []
    assert any("已撤销" in s.value for s in at.success)


def test_undoing_the_regions_batch_warns_that_township_checks_stop(page_db):
    import_file(csv_bytes([ACCIDENT_HEADER, accident(1), accident(2)]), file_name="八月.csv", db=page_db)
    at = run_page(PAGE, role="admin")
    regions_line = [b for b in at.button if b.label == "撤销"][-1]  # the oldest batch: the regions file
    regions_line.click().run()
    assert not at.exception
    assert any("regions.csv" in w.value and "将移除 3 行" in w.value for w in at.warning)
    errors = " ".join(e.value for e in at.error)
    assert "生产安全事故 2 条" in errors and "名称校验将停止" in errors
    assert "不再校验县市区和乡镇" in errors  # the regions table would be empty
    button(at, "确认撤销").click().run()
    with store.connect(page_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM regions").fetchone()[0] == 0


def test_no_undo_in_meeting_mode(page_db):
    at = run_page(PAGE, {"meeting": "1"}, role="admin")
    assert not [b for b in at.button if b.label == "撤销"]
    assert at.title[0].value == "数据导入"


def test_rejected_upload_shows_the_error_table_and_cannot_be_committed(page_db):
    at = run_page(PAGE, role="admin")
    bad = csv_bytes([["甲县事故台账"], ACCIDENT_HEADER, accident(1), [*accident(2)[:5], "两人", 1, 1]])
    before = snapshot(page_db)
    at.file_uploader[0].set_value(("错误.csv", bad, "text/csv")).run()
    assert not at.exception
    assert at.error and "整个文件未导入" in at.error[0].value
    table = at.dataframe[0].value
    assert list(table.columns) == ["行号", "列", "值", "问题"]
    assert (
        table.iloc[0]["行号"] == "4" and table.iloc[0]["列"] == "死亡人数" and table.iloc[0]["值"] == "两人"
    )
    assert button(at, "确认导入").disabled
    assert snapshot(page_db) == before


def test_sample_data_can_be_removed_from_the_page(empty_db):
    at = run_page(PAGE, role="admin")  # the dashboard loads the sample into the empty database on first start
    assert any("示例数据" in i.value for i in at.info)
    with store.connect(empty_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM accidents").fetchone()[0] > 0
    button(at, "清除示例数据").click().run()  # first: what would go, per batch
    assert not at.exception
    with store.connect(empty_db, read_only=True) as con:
        in_db = con.execute("SELECT count(*) FROM accidents").fetchone()[0]
        assert in_db > 0
    listing = at.dataframe[0].value
    assert "accidents.csv" in listing["文件"].tolist()
    assert listing.set_index("数据集").loc["生产安全事故", "将移除（行）"] == in_db
    assert any("将清除示例数据" in w.value for w in at.warning)
    button(at, "确认清除示例数据").click().run()
    assert not at.exception
    with store.connect(empty_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM accidents").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM import_batches WHERE NOT undone").fetchone()[0] == 0
    assert any("已清除示例数据" in s.value for s in at.success)
    button(at, "载入示例数据").click().run()  # offered again once nothing is in effect
    assert not at.exception
    with store.connect(empty_db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM accidents").fetchone()[0] > 0


def test_replace_mode_preview_counts_removals(page_db):
    import_file(csv_bytes([ACCIDENT_HEADER, accident(1), accident(2)]), file_name="a.csv", db=page_db)
    at = run_page(PAGE, role="admin")
    at.file_uploader[0].set_value(("更正.csv", csv_bytes([ACCIDENT_HEADER, accident(1)]), "text/csv")).run()
    assert {m.label: m.value for m in at.metric}["将删除"] == "0"
    assert button(at, "确认导入").disabled  # upsert: nothing would change
    at.radio[0].set_value(at.radio[0].options[1]).run()
    assert {m.label: m.value for m in at.metric}["将删除"] == "1"
    button(at, "确认导入").click().run()
    assert not at.exception
    assert accidents(page_db) == ["SG0001"]


def test_coverage_table_and_a_declared_month_with_no_accident(page_db):
    import_file(csv_bytes([ACCIDENT_HEADER, accident(1, day="2026-10-08")]), file_name="十月.csv", db=page_db)
    at = run_page(PAGE, role="admin")
    table = at.dataframe[0].value
    assert table.loc["甲县", "事故台账"] == "2026年10月"

    at.checkbox(key="declare-covers").check().run()
    at.selectbox(key="covers-month").set_value("2026-11").run()
    at.selectbox(key="covers-county").set_value("甲县").run()
    at.file_uploader[0].set_value(("十一月.csv", csv_bytes([ACCIDENT_HEADER]), "text/csv")).run()
    assert not at.exception
    assert any("可导入" in m.value for m in at.markdown)
    assert any("已完整报送至2026-11（甲县）" in c.value for c in at.caption)
    button(at, "确认导入").click().run()
    assert not at.exception
    assert at.dataframe[0].value.loc["甲县", "事故台账"] == "2026年11月"
    assert accidents(page_db) == ["SG0001"]


def test_a_store_failure_during_the_import_is_a_message_and_changes_nothing(page_db, monkeypatch):
    import analytics.importing as importing
    from analytics import store

    def disk_full(*args, **kwargs):
        raise store.StoreFailure("磁盘空间已满，数据未写入。请清理磁盘后重试。")

    monkeypatch.setattr(importing, "write", disk_full)
    at = run_page(PAGE, role="admin")
    before = snapshot(page_db)
    at.file_uploader[0].set_value(("八月.csv", csv_bytes([ACCIDENT_HEADER, accident(1)]), "text/csv")).run()
    button(at, "确认导入").click().run()
    assert not at.exception
    assert any("八月.csv：未导入，数据未改动" in e.value and "磁盘空间已满" in e.value for e in at.error)
    assert snapshot(page_db) == before
