"""§8/§9 from the command line: the questionnaire's items kept by the administrator (export, edit, a LibreOffice
re-save, import as a new version that months already surveyed do not take)."""
from __future__ import annotations

from openpyxl import load_workbook

from engine.questionnaire import month_questionnaire
from tests.integration.libreoffice_pdf import require_tools, resave


def test_items_round_trip_through_excel_and_libreoffice(cli, db, tmp_path):
    path = tmp_path / "问卷.xlsx"
    code, out, _ = cli("survey", "items", "export", "--as", "admin", "-o", path)
    assert code == 0 and "第 1 版（11 个需求项目）" in out
    with db.uow() as uow:  # November is surveyed before the new version: it keeps version 1
        assert month_questionnaire(uow, "2026-11", "admin").version == 1
        uow.commit()
    book = load_workbook(path)
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["项目编码", "项目名称", "分组", "启用月份"]
    sheet.append(["Ｄ12", "烟草制品回收", "其他服务", "2027-01"])
    sheet.delete_rows(11)  # D10 政策法规咨询 is no longer asked
    book.save(path)
    require_tools()
    saved = resave(path, tmp_path / "profile", tmp_path / "lo")
    code, out, err = cli("survey", "items", "import", saved, "--as", "admin")
    assert code == 0, err
    assert "第 2 版（11 个需求项目）" in out and "不再询问：D10" in out
    code, out, _ = cli("survey", "items", "show", "--as", "cm001")
    assert "第 2 版" in out and "D12  烟草制品回收  其他服务  自 2027-01 起" in out
    with db.uow() as uow:
        november = month_questionnaire(uow, "2026-11", "admin")
        january = month_questionnaire(uow, "2027-01", "admin")
    assert november.version == 1 and "D10" in {i.code for i in november.of_month("2026-11")}
    assert january.version == 2 and {"D12"} <= {i.code for i in january.of_month("2027-01")}
    code, out, err = cli("survey", "items", "import", saved, "--as", "admin")
    assert code == 2 and "完全相同，没有导入新版本" in err


def test_bad_item_files_and_non_admins_change_nothing(cli, db, tmp_path):
    path = tmp_path / "问卷.csv"
    path.write_text("项目编码,项目名称,分组\nD01,货源供应,货源与订货\nD01,新品引进,货源与订货\n", encoding="gbk")
    code, _, err = cli("survey", "items", "import", path, "--as", "admin")
    assert code == 2
    assert "【第 3 行，“项目编码”列】与第 2 行重复，项目编码不能重复（填写的值：D01）" in err
    path.write_text("编码,名称\nD01,货源供应\n", encoding="utf-8")
    code, _, err = cli("survey", "items", "import", path, "--as", "admin")
    assert code == 2 and "缺少必填列“项目编码”" in err
    code, _, err = cli("survey", "items", "import", path, "--as", "cm001")
    assert code == 2 and "调查问卷只能由管理员导入" in err
    with db.uow() as uow:
        assert uow.rubrics.get("survey") is None  # nothing was stored, not even the defaults
