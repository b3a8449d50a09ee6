"""`cmw form export | list | print` and `cmw submit` for a declared document type, as a user types them."""
from __future__ import annotations

from openpyxl import load_workbook

MONTH = "2026-11"


def test_a_work_plan_from_the_command_line(cli, tmp_path):
    path = tmp_path / "计划.xlsx"
    code, out, err = cli("form", "export", "workplan", "--as", "cm001", "--month", MONTH, "-o", path)
    assert code == 0 and f"cmw submit {path.name} --as cm001" in out, err
    book = load_workbook(path)
    book["月工作计划"]["B10"] = 5000
    book["周重点工作"]["C5"] = "拜访重点客户"
    book.save(path)
    code, out, err = cli("submit", path, "--as", "cm001", "--action", "提交")
    assert code == 0 and out.startswith("已保存 2 处修改。") and "当前状态：已确认" in out, err
    code, out, _ = cli("form", "list", "workplan", "--as", "mm01", "--state", "已确认")
    assert code == 0 and out.splitlines()[2].split() == ["cm001", "张三", MONTH, "已确认"]
    code, out, err = cli("form", "print", "workplan", "--as", "mm01", "--cm", "cm001", "--month", MONTH,
                         "-o", tmp_path / "计划.html")
    assert code == 0 and "5,000" in (tmp_path / "计划.html").read_text(encoding="utf-8"), err
    folder = tmp_path / "全部"
    code, out, err = cli("form", "export", "summary", "--as", "mm01", "--month", MONTH, "-o", f"{folder}/")
    assert code == 0 and sorted(p.name for p in folder.iterdir()) == [
        "月度工作总结-cm001-张三-2026-11.xlsx", "月度工作总结-cm002-李四-2026-11.xlsx"], err


def test_what_the_command_line_refuses(cli, tmp_path):
    code, _, err = cli("form", "export", "workplan", "--as", "cm001", "-o", tmp_path / "x.csv")
    assert code == 2 and "只能导出为 .xlsx" in err
    code, _, err = cli("form", "export", "workplan", "--as", "mm01", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "--cm 指定一位客户经理" in err
    code, _, err = cli("form", "export", "workplan", "--as", "cm001", "--cm", "cm002", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "无权查看 cm002 的客户经理月工作计划：只能由客户经理本人或管辖其单位的市场经理、管理员查看" in err
    code, _, err = cli("form", "print", "summary", "--as", "cm001", "-o", tmp_path / "x.pdf")
    assert code == 2 and "没有可打印的内容" in err
    code, _, err = cli("form", "list", "workplan", "--as", "cm001", "--state", "不存在")
    assert code == 2 and "可选：待确认、已确认、已退回、已审核" in err
    code, _, err = cli("form", "export", "workplan", "--as", "cm001", "--week", "2026-11-30", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "按月填写，请用 --month" in err
