"""cmw history: a document's or a store's changes — who, when, what, from which submission — shown only to the CM
themself, their market manager and an administrator (issue 11, item 15), on each database."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from addin.app import App
from addin.handlers import export_stores, submit_workbook
from engine.big_table import SUBMIT, generate
from engine.ports import StoreFilter
from tests.analysis_helpers import MONTH, actor
from tests.plan_helpers import CODES, back, exported, ready
from workbooks.stores import LAYOUT, SHEET

STORES = LAYOUT.sheet(SHEET)


def test_the_history_of_a_big_table(cli, db):
    ready(db)
    generate(db.uow(), actor(db, "cm001"), cm_codes=["cm001"], month=MONTH)
    export_id, cells = exported(db)
    back(db, export_id, {**cells, (CODES[1], "law"): "☆"}, SUBMIT)
    code, out, err = cli("history", "--as", "cm001", "--kind", "bigtable", "--month", MONTH)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("cm001 的 2026-11 任务执行标注表共 3 条修改记录")
    assert "张三（cm001）  计划新增" in lines[1]
    assert f"标注 客户 {CODES[1]} 的“法规宣传”：“空白” → “☆”；提交编号" in lines[2]
    assert "计划提交：状态 计划 → 待审核" in lines[3]
    code, out, _ = cli("history", "--as", "mm01", "--kind", "bigtable", "--month", MONTH, "--cm", "cm001")
    assert code == 0 and len(out.splitlines()) == 4
    for who in ("mm02", "cm002", "bm01"):
        code, _, err = cli("history", "--as", who, "--kind", "bigtable", "--month", MONTH, "--cm", "cm001")
        assert code == 2 and "无权查看" in err, who
    code, out, _ = cli("history", "--as", "admin", "--kind", "analysis", "--month", MONTH, "--cm", "cm001")
    assert code == 0 and "计算经营效果：状态 未计算 → 已计算经营效果" in out


def test_the_history_of_a_store(cli, db, tmp_path):
    ready(db)
    generate(db.uow(), actor(db, "cm001"), cm_codes=["cm001"], month=MONTH)
    export_id, cells = exported(db)
    back(db, export_id, {**cells, (CODES[0], "law"): "☆"})
    app = App(db.engine, db.sessions)
    path = tmp_path / "stores.xlsx"
    export_stores(app, app.actor("cm001"), StoreFilter(), path)
    book = load_workbook(path)
    book[SHEET][STORES.cell("phone", STORES.first_data_row)] = "020-88886666"
    buffer = io.BytesIO()
    book.save(buffer)
    submit_workbook(app, app.actor("cm001"), path.name, buffer.getvalue())
    code, out, err = cli("history", "--as", "mm01", "--store", CODES[0])
    assert code == 0, err
    assert out.splitlines()[0].startswith(f"客户 {CODES[0]}（cm001的第1家烟酒店）共 2 条修改记录")
    assert "“法规宣传”：“空白” → “☆”" in out and "修改 联系电话：“13800130000” → “020-88886666”" in out
    code, _, err = cli("history", "--as", "cm002", "--store", CODES[0])
    assert code == 2 and "无权查看 cm001 的客户信息" in err
    code, _, err = cli("history", "--as", "cm001", "--store", "999")
    assert code == 2 and "不存在" in err
