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
    assert code == 2 and "无权导入调查问卷：只能由管理员导入" in err
    with db.uow() as uow:
        assert uow.rubrics.get("survey") is None  # nothing was stored, not even the defaults


def test_a_month_as_the_users_play_it_lists_and_statistics(cli, db, tmp_path):
    """The platform's file imported by the administrator; cm001 enters an offline store and confirms; the market
    manager lists the answers and prints §9 (a workbook whose bar chart survives a LibreOffice re-save, and a PDF)."""
    import zipfile

    from tests.factories import store_code
    from tests.integration.libreoffice_pdf import pdf_text

    platform = tmp_path / "网上问卷.csv"
    platform.write_text("cust_id,answer_date,need_items,urgent_need1,advice\n"
                        f"{store_code(1, 1)},20261102,\"D01,D05\",D05,多来指导\n"
                        f"{store_code(2, 1)},20261103,D02,D02,\n", encoding="gbk")
    code, out, err = cli("survey", "import", platform, "--month", "2026-11", "--as", "admin")
    assert code == 0, err
    assert "新增 2 份" in out and "提交编号" in out
    entry = tmp_path / "调查.xlsx"
    assert cli("survey", "export", "--as", "cm001", "--month", "2026-11", "-o", entry)[0] == 0
    book = load_workbook(entry)
    sheet = book["线下问卷"]
    header = {c.value: c.column_letter for c in sheet[6] if c.value}
    sheet[f"{header['调查日期']}7"], sheet[f"{header['货源供应']}7"] = "2026-11-05", "✓"
    sheet[f"{header['最急需一']}7"] = "货源供应"
    book.save(entry)
    code, out, err = cli("submit", entry, "--as", "cm001", "--action", "确认")
    assert code == 0, err
    assert "已确认 2 户（已锁定）" in out  # the offline store and the platform's answer
    code, out, _ = cli("survey", "list", "--as", "mm01", "--month", "2026-11")
    assert code == 0 and "共 3 份问卷" in out and "网上" in out and "线下" in out
    code, out, _ = cli("survey", "list", "--as", "mm01", "--month", "2026-11", "--type", "网上", "--state", "待确认")
    assert "共 1 份问卷" in out and store_code(2, 1) in out
    code, out, _ = cli("survey", "list", "--as", "cm001", "--month", "2026-11", "--state", "已确认", "--code",
                       store_code(1, 1))
    assert "共 1 份问卷" in out
    code, _, err = cli("survey", "list", "--as", "mm01", "--type", "电话")
    assert code == 2 and "问卷类型只能是：线下、网上（填写的是“电话”）" in err
    stats = tmp_path / "统计.xlsx"
    code, out, err = cli("survey", "stats", "--as", "mm01", "--month", "2026-11", "-o", stats)
    assert code == 0, err
    assert "调查覆盖率 30.0%（3/10 户）" in out  # 5 active stores each for cm001 and cm002 (东区营销部)
    book = load_workbook(stats)
    assert book.sheetnames[:3] == ["需求统计", "按客户经理", "客户明细"]
    with zipfile.ZipFile(stats) as archive:
        assert any(n.startswith("xl/charts/chart") for n in archive.namelist())
    require_tools()
    saved = resave(stats, tmp_path / "profile", tmp_path / "lo")
    with zipfile.ZipFile(saved) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert charts and "barChart" in archive.read(charts[0]).decode("utf-8")
    printed = tmp_path / "统计.pdf"
    code, out, err = cli("survey", "stats", "--as", "cm001", "--month", "2026-11", "-o", printed)
    assert code == 0, err
    text = pdf_text(printed)
    for words in ("客户需求调查统计表", "调查覆盖情况", "各需求项目选择情况", "最急需的需求排名", "每户问卷", "张三"):
        assert words in text, words
    code, _, err = cli("survey", "stats", "--as", "cm001", "--cm", "cm002", "-o", printed)
    assert code == 2 and "客户经理 张三（cm001）无权查看 cm002 的客户需求调查表：只能由客户经理本人或管辖其单位的市场经理、管理员查看" in err
    code, _, err = cli("survey", "stats", "--as", "mm01", "--dept", "D02", "-o", printed)
    assert code == 2 and "市场经理 王经理（mm01）无权查看 西区营销部（D02） 的客户需求调查表" in err
    code, _, err = cli("survey", "stats", "--as", "mm01", "-o", tmp_path / "统计.doc")
    assert code == 2 and "只能导出为 .xlsx、.html 或 .pdf" in err
