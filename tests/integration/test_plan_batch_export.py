"""§3 month open on each database: a market manager writes every CM's big table into a folder in one go (read and
recorded in one transaction, written in a pool of processes); each file is the one its CM would have exported, and
the CM fills it in and submits it."""
from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from addin.handlers.big_table import _file_name, export_plan, export_plans, plan_view
from addin.handlers.submission import submit_workbook
from engine.errors import Refused
from engine.big_table import snapshot_of
from tests.analysis_helpers import MONTH
from tests.factories import STORES_PER_CM
from tests.integration.big_table_helpers import FIRST, LAYOUT, OPERATION, actor_of, generate_plan, move
from workbooks import big_table as book_, builder, writer as many_books
from workbooks.meta import META_SHEET
from workbooks.reader import read_meta

NAMES = {"cm001": "张三", "cm002": "李四", "cm003": "周五"}


def _file(folder, cm: str):
    return folder / _file_name(cm, NAMES[cm], MONTH)


def _exports(app) -> list[tuple[str, str, str]]:
    """(owner, exported by, module) of every export recorded."""
    from sqlalchemy import select

    from storage.schema import WorkbookExport

    with app.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(WorkbookExport.owner_code, WorkbookExport.actor_code, WorkbookExport.module)
            .order_by(WorkbookExport.id))]


def test_an_mm_writes_the_departments_tables_for_the_cms_to_fill_in(app, tmp_path):
    generate_plan(app, "cm001")
    generate_plan(app, "cm002")
    folder = tmp_path / "开月"
    outcome = export_plans(app, actor_of(app, "mm01"), MONTH, folder)
    assert sorted(p.name for p in folder.iterdir()) == [_file(folder, "cm001").name, _file(folder, "cm002").name]
    assert outcome.message.startswith(f"已导出 2 位客户经理 {MONTH} 的任务执行标注表到 {folder}：{2 * STORES_PER_CM} 户客户")
    assert any(line.startswith(_file(folder, "cm002").name) and "李四" in line for line in outcome.details)
    assert "cmw submit" in outcome.details[-1]
    assert _exports(app) == [("cm001", "mm01", "bigtable"), ("cm002", "mm01", "bigtable")]
    for cm in ("cm001", "cm002"):
        content = _file(folder, cm).read_bytes()
        meta = read_meta(content)
        assert (meta.owner, meta.owner_name, meta.period, meta.exported_by) == (cm, NAMES[cm], MONTH, "mm01")
        with app.uow() as uow:
            export = uow.exports.get(meta.document_id)
            doc = uow.documents.get("bigtable", cm, MONTH)
            assert export.owner_code == cm
            assert export.snapshot == snapshot_of(doc, uow.big_tables.cells(doc.id), list(book_.DEFAULT_ACTIONS))
        book = load_workbook(_file(folder, cm))
        sheet = book[book_.SHEET]
        assert sheet[OPERATION.cell].value == "保存" and book[META_SHEET].sheet_state == "veryHidden"
        assert sheet[LAYOUT.cell(book_.DEFAULT_ACTIONS[0], FIRST)].protection.locked is False
        assert NAMES[cm] in sheet.oddHeader.right.text and book_.VIEW_ONLY not in sheet.cell(LAYOUT.note_row + 1, 1).value
    # cm002 fills in the file the market manager handed over, and submits it as their own
    path = _file(folder, "cm002")
    book = load_workbook(path)
    sheet = book[book_.SHEET]
    row = next(r for r in range(FIRST, FIRST + STORES_PER_CM)
               if any(not sheet[LAYOUT.cell(c, r)].value for c in book_.DEFAULT_ACTIONS))
    blank = next(c for c in book_.DEFAULT_ACTIONS if not sheet[LAYOUT.cell(c, row)].value)
    sheet[LAYOUT.cell(blank, row)] = "☆"
    sheet[OPERATION.cell] = "提交"
    book.save(path)
    outcome = submit_workbook(app, actor_of(app, "cm002"), path.name, path.read_bytes())
    assert "已保存 1 处修改" in outcome.message
    with app.uow() as uow:
        assert uow.documents.get("bigtable", "cm002", MONTH).state == "submitted"
    with pytest.raises(Refused, match="无权填写 cm001 的任务执行标注表"):  # still nobody else's to submit
        submit_workbook(app, actor_of(app, "cm002"), "x.xlsx", _file(folder, "cm001").read_bytes())


def test_whose_tables_and_the_refusals(app, tmp_path):
    generate_plan(app, "cm001")
    generate_plan(app, "cm003")
    outcome = export_plans(app, actor_of(app, "admin"), MONTH, tmp_path / "all")  # cm002 has no table yet
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [_file(tmp_path, c).name for c in ("cm001", "cm003")]
    assert any("尚未生成" in line and "cm002" in line for line in outcome.details)
    with pytest.raises(Refused, match="cm002 的 2026-11 大表尚未生成"):  # named: all or nothing
        export_plans(app, actor_of(app, "admin"), MONTH, tmp_path / "named", ["cm001", "cm002"])
    with pytest.raises(Refused, match="尚未生成"):
        export_plans(app, actor_of(app, "mm01"), MONTH, tmp_path / "none", ["cm002"])
    assert not (tmp_path / "named").exists() and not (tmp_path / "none").exists()
    with pytest.raises(Refused, match="无权查看 cm003 的任务执行标注表"):
        export_plans(app, actor_of(app, "cm001"), MONTH, tmp_path / "x", ["cm001", "cm003"])
    with pytest.raises(Refused, match="无权查看 cm001 的任务执行标注表"):
        export_plans(app, actor_of(app, "mm02"), MONTH, tmp_path / "x", ["cm001"])
    with pytest.raises(Refused, match="品牌经理 品牌甲（bm01）无权查看任务执行标注表"):
        export_plans(app, actor_of(app, "bm01"), MONTH, tmp_path / "x")
    assert not (tmp_path / "x").exists()
    mine = export_plans(app, actor_of(app, "cm001"), MONTH, tmp_path / "mine")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == [_file(tmp_path, "cm001").name]
    assert "1 位客户经理" in mine.message
    assert [e for e in _exports(app) if e[1] in ("mm01", "mm02", "bm01")] == []  # refused: nothing recorded
    exported = export_plans(app, actor_of(app, "mm02"), MONTH, tmp_path / "west")
    assert "1 位客户经理" in exported.message and _file(tmp_path / "west", "cm003").exists()
    assert _exports(app)[-1] == ("cm003", "mm02", "bigtable")


def test_a_view_only_batch_and_the_single_export_stay_as_they_were(app, tmp_path):
    generate_plan(app, "cm001")
    move(app, "cm001", "cm001", "submit_plan")
    outcome = export_plans(app, actor_of(app, "mm01"), MONTH, tmp_path / "look", ["cm001"], for_owner=False)
    assert outcome.details[-1] == book_.VIEW_ONLY
    handed = export_plans(app, actor_of(app, "mm01"), MONTH, tmp_path / "hand", ["cm001"])  # for the CM, but locked
    assert "都已锁定" in handed.details[-1] and "cmw submit" not in "".join(handed.lines())
    generate_plan(app, "cm002")
    both = export_plans(app, actor_of(app, "mm01"), MONTH, tmp_path / "both")
    assert "cmw submit" in both.details[-2] and both.details[-1].startswith("其中 cm001 的大表当前状态下已锁定")
    sheet = load_workbook(_file(tmp_path / "look", "cm001"))[book_.SHEET]
    assert sheet[OPERATION.cell].value is None
    single = export_plan(app, actor_of(app, "mm01"), MONTH, tmp_path / "one.xlsx", "cm001")
    assert single.details == (book_.VIEW_ONLY,) and "（第 2 版）" in single.message
    own = export_plan(app, actor_of(app, "cm001"), MONTH, tmp_path / "own.xlsx")
    assert "已锁定" in own.details[0] and "cmw submit" not in "".join(own.lines())


def test_the_snapshot_is_the_engines(app, tmp_path):
    """The batch records the snapshot of the cells its view read: those must be the stored cells."""
    generate_plan(app, "cm001")
    move(app, "cm001", "cm001", "submit_plan")
    with app.uow() as uow:
        view, doc = plan_view(uow, "cm001", MONTH, editable=True)
        assert view.cells == uow.big_tables.cells(doc.id) and view.version == doc.version and view.state == doc.state
        assert len(view.stores) == STORES_PER_CM and view.cm_label == "客户经理 张三（cm001）"
        assert set(view.visits) == {s.code for s in view.stores}


def test_a_file_that_cannot_be_written_is_named(app, tmp_path):
    generate_plan(app, "cm001")
    generate_plan(app, "cm002")
    folder = tmp_path / "out"
    _file(folder, "cm002").mkdir(parents=True)  # where the file should go, a folder: it cannot be written
    with pytest.raises(Refused, match="1 个文件没能写入") as refused:
        export_plans(app, actor_of(app, "mm01"), MONTH, folder)
    assert [f.value for f in refused.value.findings] == [str(_file(folder, "cm002"))]
    assert _file(folder, "cm001").is_file()


def _sheets(path) -> dict[str, bytes]:
    """The parts of an xlsx that say what a user sees (not its creation time)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_workers_write_what_this_process_writes(app, tmp_path, monkeypatch):
    """The pool (spawned processes) and the calling process make the same files; so do XlsxWriter's own formula
    step and the shortcut builder._Sheet takes for our COUNTIF/SUM formulas."""
    generate_plan(app, "cm001")
    with app.uow() as uow:
        view, doc = plan_view(uow, "cm001", MONTH, editable=True)

    def job(target):
        from datetime import date

        from workbooks.meta import Meta

        meta = Meta(module=book_.MODULE, template_version=1, owner="cm001", owner_name="张三", period=MONTH,
                    document_id=1, document_version=1, exported_by="mm01", exported_at="2026-11-01 08:00:00")
        return many_books.BookJob(target, book_.plan_layout(), meta,
                               builder.Heading("公司", book_.TITLE, view.cm_label, MONTH, date(2026, 11, 1)),
                               {book_.SHEET: book_.plan_data(view, book_.DEFAULT_ACTIONS)})

    jobs = [job(tmp_path / f"pool-{n}.xlsx") for n in range(many_books.POOL_FROM + 1)]
    jobs.append(job(tmp_path / "pool-0.xlsx" / "x.xlsx"))  # under a file: cannot be written
    with many_books.BookWriter(len(jobs), workers=2) as writer:
        for one in jobs:
            writer.write(one)
        failed = writer.finish()
    assert list(failed) == [jobs[-1].target] and isinstance(failed[jobs[-1].target], OSError)
    assert many_books.build_job(job(tmp_path / "here.xlsx")) is None
    here = _sheets(tmp_path / "here.xlsx")
    assert all(_sheets(j.target) == here for j in jobs[:-1])
    assert builder.fast_formulas(), "XlsxWriter changed its formula step: big tables are still right, but slower (see _Sheet)"
    monkeypatch.setattr(builder, "fast_formulas", lambda: False)
    assert many_books.build_job(job(tmp_path / "plain.xlsx")) is None
    assert _sheets(tmp_path / "plain.xlsx") == here


def test_a_mark_row_formula_per_row_as_layout_renders_it():
    layout = book_.LAYOUT.sheet(book_.SHEET)
    for column in layout.columns:
        if column.formula:
            render = builder._per_row(layout, column.formula)
            assert [render(r) for r in (7, 99, 1000)] == [layout.render(column.formula, r) for r in (7, 99, 1000)]
    assert builder._per_row(layout, '=IF({code}="{",1,2)')(5) == layout.render('=IF({code}="{",1,2)', 5)
