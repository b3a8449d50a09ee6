"""§2 客户信息维护 end to end on each database: export, edit as a user would, submit, refusals."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from addin.app import App
from addin.handlers import export_stores, submit_workbook
from engine.errors import Refused
from engine.ports import StoreFilter
from storage.schema import AuditEntry, StoreRow, Submission
from tests.factories import make_company, store_code
from tests.integration.lock_waits import second_user
from workbooks.stores import LAYOUT, SHEET

SHEET_LAYOUT = LAYOUT.sheet(SHEET)


@pytest.fixture
def app(db) -> App:
    make_company(db.sessions)
    return App(db.engine, db.sessions)


def cell(key: str, store_index: int) -> str:
    """Address of a field of the n-th exported store (1-based)."""
    return SHEET_LAYOUT.cell(key, SHEET_LAYOUT.first_data_row + store_index - 1)


def exported(app: App, tmp_path, user: str = "cm001"):
    path = tmp_path / f"{user}.xlsx"
    export_stores(app, app.actor(user), StoreFilter(), path)
    return path


def edited(path, edits: dict[str, object], delete_rows: tuple[int, ...] = ()) -> bytes:
    book = load_workbook(path)
    sheet = book[SHEET]
    for address, value in edits.items():
        sheet[address] = value
    for row in sorted(delete_rows, reverse=True):
        sheet.delete_rows(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def store(app: App, code: str) -> StoreRow:
    with app.sessions() as session:
        return session.scalar(select(StoreRow).where(StoreRow.code == code))


def count(app: App, model) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_export_shows_active_stores_and_records_what_it_showed(app, tmp_path):
    path = exported(app, tmp_path)
    book = load_workbook(path)
    sheet = book[SHEET]
    assert [c.value for c in sheet[SHEET_LAYOUT.header_row]][:3] == ["客户编码", "客户名称", "许可证号"]
    codes = [sheet[cell("code", i)].value for i in range(1, 6)]
    assert codes == [store_code(1, i) for i in range(1, 6)]  # the 6th store is suspended
    assert sheet[cell("code", 6)].value is None
    assert book["_meta"].sheet_state == "veryHidden"
    assert sheet.protection.sheet and not sheet[cell("phone", 1)].protection.locked
    assert sheet[cell("name", 1)].protection.locked


def test_accepted_edits_are_applied_audited_and_the_file_kept(app, tmp_path):
    content = edited(exported(app, tmp_path), {cell("phone", 1): "020-88886666", cell("visit_weekday", 2): "周五",
                                              cell("notes", 3): "=今天不在"[1:]})
    outcome = submit_workbook(app, app.actor("cm001"), "cm001.xlsx", content)
    assert outcome.changed == 3 and "已保存 3 处修改" in outcome.message
    first = store(app, store_code(1, 1))
    assert first.phone == "020-88886666" and first.version == 2
    assert store(app, store_code(1, 2)).visit_weekday == 5
    with app.sessions() as session:
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "edit_store")).all()
        kept = session.scalars(select(Submission)).one()
    assert {(a.entity_key, a.field, a.new_value) for a in audits} == {
        (store_code(1, 1), "phone", "020-88886666"), (store_code(1, 2), "visit_weekday", "5"),
        (store_code(1, 3), "notes", "今天不在")}
    assert all(a.submission_id == kept.id for a in audits)
    assert kept.outcome == "accepted" and kept.content == content and kept.module == "stores"


def test_submitting_the_same_file_again_changes_nothing(app, tmp_path):
    content = edited(exported(app, tmp_path), {cell("phone", 1): "020-88886666"})
    submit_workbook(app, app.actor("cm001"), "a.xlsx", content)
    audits = count(app, AuditEntry)
    outcome = submit_workbook(app, app.actor("cm001"), "a.xlsx", content)
    assert outcome.changed == 0 and "没有新的修改" in outcome.message
    assert count(app, AuditEntry) == audits and store(app, store_code(1, 1)).version == 2


def test_an_older_copy_of_the_file_is_refused_not_applied(app, tmp_path):
    """A copy saved before the file was first handed back, handed back later with a change of its own: saving it
    would change the saved phone back. Refused, nothing changed, the cell named; the newer file still saves."""
    path = exported(app, tmp_path)
    newer = edited(path, {cell("phone", 1): "020-88886666"})
    submit_workbook(app, app.actor("cm001"), "a.xlsx", newer)
    audits = count(app, AuditEntry)
    older = edited(path, {cell("notes", 2): "周末休息"})
    refused = refusal(app, older)
    assert refused.message.startswith("这份客户信息表是较早的副本，全部未保存：用同一次导出的文件已经提交过 1 处修改")
    assert [(f.code, f.sheet, f.cell) for f in refused.findings] == [("OLDER_COPY", SHEET, cell("phone", 1))]
    assert "“联系电话”：文件里是导出时的" in refused.findings[0].message and "已提交的是“020-88886666”" in refused.findings[0].message
    assert store(app, store_code(1, 1)).phone == "020-88886666" and store(app, store_code(1, 2)).notes != "周末休息"
    assert count(app, AuditEntry) == audits
    both = edited(path, {cell("phone", 1): "020-88886666", cell("notes", 2): "周末休息"})
    assert submit_workbook(app, app.actor("cm001"), "b.xlsx", both).changed == 1


def refusal(app, content, user="cm001") -> Refused:
    with pytest.raises(Refused) as refused:
        submit_workbook(app, app.actor(user), "x.xlsx", content)
    return refused.value


def test_bad_cells_refuse_the_whole_file_and_name_each_cell(app, tmp_path):
    content = edited(exported(app, tmp_path), {
        cell("phone", 1): "020-88886666",       # valid, but the file is refused as a whole
        cell("name", 2): "改了名字",              # locked field
        cell("phone", 3): "打电话",               # invalid
        cell("address", 4): "",                  # required
        cell("contact", 5): "=A1",               # a formula
    })
    refused = refusal(app, content)
    places = {(f.cell, f.code) for f in refused.findings}
    assert (cell("name", 2), "LOCKED") in places and (cell("phone", 3), "INVALID") in places
    assert (cell("address", 4), "INVALID") in places and (cell("contact", 5), "FORMULA") in places
    assert all(f.sheet == SHEET for f in refused.findings)
    assert "全部未保存" in refused.message and "提交编号" in refused.message
    assert store(app, store_code(1, 1)).phone != "020-88886666"
    assert count(app, AuditEntry) == 0
    with app.sessions() as session:
        kept = session.scalars(select(Submission)).one()
    assert kept.outcome == "refused" and kept.content == content
    assert any(cell("phone", 3) in line for line in json.loads(kept.messages))


def test_a_file_made_stale_by_someone_else_is_refused_with_both_sides(app, tmp_path):
    path = exported(app, tmp_path)
    with app.uow() as uow:  # the administrator re-imports store 1 with a new address meanwhile
        uow.stores.update(store_code(1, 1), {"address": "新址大道 1 号"})
        uow.commit()
    refused = refusal(app, edited(path, {cell("phone", 1): "020-88886666"}))
    stale = [f for f in refused.findings if f.code == "STALE"]
    assert len(stale) == 1 and stale[0].cell == cell("code", 1)
    assert "新址大道 1 号" in stale[0].message and "联系电话" in stale[0].message and "重新导出" in stale[0].message
    assert store(app, store_code(1, 1)).phone != "020-88886666"


@pytest.mark.servers
def test_two_submissions_of_one_store_do_not_interleave(app, db, tmp_path):
    """Two copies of one file, submitted at once with different telephone numbers for the same store: the second
    waits for the first one's lock on the store's row, then compares with what the first saved and is refused as
    stale — never a save over it from what it read before the first one committed."""
    path = exported(app, tmp_path)
    code = store_code(1, 1)
    theirs = edited(path, {cell("phone", 1): "020-33334444"})
    with app.uow() as first:  # the first submission, between locking the store and its commit
        first.stores.lock([code])
        first.stores.update(code, {"phone": "020-11112222"})
        waiter, outcome = second_user(db, lambda: submit_workbook(app, app.actor("cm001"), "b.xlsx", theirs))
        first.commit()
    waiter.join(60)
    [refusal] = outcome
    assert isinstance(refusal, Refused), f"the second submission was {refusal!r}"
    [stale] = refusal.findings
    assert stale.code == "STALE" and "020-11112222" in stale.message and stale.cell == cell("code", 1)
    saved = store(app, code)
    assert (saved.phone, saved.version) == ("020-11112222", 2)


def test_the_owners_own_save_does_not_make_their_file_stale(app, tmp_path):
    """Saved once, the same file with a further change to the same store saves just that change, not "changed by
    someone else"."""
    path = exported(app, tmp_path)
    first = {cell("phone", 1): "020-88886666"}
    assert submit_workbook(app, app.actor("cm001"), "x.xlsx", edited(path, first)).changed == 1
    outcome = submit_workbook(app, app.actor("cm001"), "x.xlsx",
                              edited(path, {**first, cell("address", 1): "新址大道 9 号"}))
    assert outcome.changed == 1 and "经营地址" in outcome.details[0]
    saved = store(app, store_code(1, 1))
    assert (saved.phone, saved.address) == ("020-88886666", "新址大道 9 号")


def test_changes_to_other_stores_meanwhile_do_not_block(app, tmp_path):
    path = exported(app, tmp_path)
    with app.uow() as uow:
        uow.stores.update(store_code(1, 2), {"address": "新址大道 2 号"})
        uow.commit()
    outcome = submit_workbook(app, app.actor("cm001"), "x.xlsx", edited(path, {cell("phone", 1): "020-88886666"}))
    assert outcome.changed == 1


def test_another_cms_file_and_foreign_rows_are_refused(app, tmp_path):
    path = exported(app, tmp_path)
    assert "无权维护 cm001 的客户信息（客户信息维护表）" in refusal(app, edited(path, {}), user="cm002").message
    foreign = edited(path, {cell("code", 5): store_code(2, 1)})
    codes = {f.code for f in refusal(app, foreign).findings}
    assert "UNKNOWN_ROW" in codes
    with app.uow() as uow:  # store 1 moves to cm002 after the export
        uow.session.get(StoreRow, store(app, store_code(1, 1)).id).cm_id = store(app, store_code(2, 1)).cm_id
        uow.commit()
    moved = refusal(app, edited(path, {cell("phone", 1): "020-88886666"}))
    assert [f.code for f in moved.findings] == ["NOT_YOURS"]


def test_deleted_rows_change_nothing_and_are_reported(app, tmp_path):
    path = exported(app, tmp_path)
    outcome = submit_workbook(app, app.actor("cm001"), "x.xlsx",
                              edited(path, {cell("phone", 1): "020-88886666"}, delete_rows=(cell_row(4),)))
    assert outcome.changed == 1 and any("1 户客户不在提交的文件中" in d for d in outcome.details)


def cell_row(store_index: int) -> int:
    return SHEET_LAYOUT.first_data_row + store_index - 1


def test_moved_columns_and_foreign_files_are_refused(app, tmp_path):
    path = exported(app, tmp_path)
    book = load_workbook(path)
    book[SHEET].insert_cols(2)
    buffer = io.BytesIO()
    book.save(buffer)
    assert any(f.code == "HEADER_CHANGED" for f in refusal(app, buffer.getvalue()).findings)
    plain = io.BytesIO()
    Workbook().save(plain)
    assert "不是本系统导出的" in refusal(app, plain.getvalue()).message
    assert "不是 Excel 工作簿" in refusal(app, b"this is not a workbook").message
    assert count(app, Submission) == 3  # every refused file is kept


def test_only_a_cm_exports_a_store_list(app, tmp_path):
    with pytest.raises(Refused, match="客户经理本人"):
        export_stores(app, app.actor("mm01"), StoreFilter(), tmp_path / "mm.xlsx")


def test_text_a_cm_writes_is_kept_as_typed_and_codes_are_folded(app, tmp_path):
    """An address or note keeps its full-width punctuation and letters; a phone number is a code: ０２０ is 020
    (issue #11, item 4)."""
    address, notes = "解放路１２号，Ａ座；（东门）", "周三休息；请先电话，谢谢！"
    content = edited(exported(app, tmp_path), {cell("address", 1): f" {address} ", cell("notes", 1): notes,
                                              cell("phone", 1): "０２０-８８８８６６６６"})
    outcome = submit_workbook(app, app.actor("cm001"), "cm001.xlsx", content)
    kept = store(app, store_code(1, 1))
    assert (kept.address, kept.notes, kept.phone) == (address, notes, "020-88886666")
    assert any(f"“{address}”" in line for line in outcome.details)
    again = submit_workbook(app, app.actor("cm001"), "cm001.xlsx", edited(exported(app, tmp_path), {}))
    assert again.changed == 0
