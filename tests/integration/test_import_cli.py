"""`cmw import` from the command line: exit 0 with the summary, exit 2 with the reasons in Chinese."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from addin.cli import main
from storage.importers.columns import COLUMNS
from tests.factories import make_company, store_code
from tests.import_files import write_csv

HEADER = ["订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额"]


@pytest.fixture
def company(db, monkeypatch):
    make_company(db.sessions)
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.delenv("CMW_USER", raising=False)
    return db


def write(path, rows):
    return write_csv(path, HEADER, rows, "gbk")


def test_an_import_prints_its_summary(company, tmp_path, capsys):
    path = write(tmp_path / "orders.csv", [["CO1", store_code(1, 1), "20240506", "6901000000000", "2", "2", "2", "150", "300"]])
    assert main(["import", "orders", str(path), "--as", "admin"]) == 0
    assert "订单：读取 1 行，新增 1 张订单，更新 0 张订单" in capsys.readouterr().out


def test_a_bad_file_exits_2_with_a_line_per_bad_cell(company, tmp_path, capsys):
    path = write(tmp_path / "orders.csv", [["CO1", "404", "20240506", "6901000000000", "2", "2", "两条", "150", "300"]])
    assert main(["import", "orders", str(path), "--as", "admin"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "订单文件 orders.csv 有 2 处错误，没有导入任何数据。请改正后重新导入整个文件。"
    assert err[1].startswith("【第 2 行，“客户编码”列】客户编码在系统中不存在") and err[1].endswith("（填写的值：404）")
    assert err[2] == "【第 2 行，“订购量”列】应为整数（条），例如 12（填写的值：两条）"


def test_only_an_administrator_and_only_an_existing_file(company, tmp_path, capsys):
    path = write(tmp_path / "orders.csv", [])
    assert main(["import", "orders", str(path), "--as", "cm001"]) == 2
    assert "客户经理 张三（cm001）无权导入基础数据（组织机构、客户、卷烟规格、订单）：只能由管理员导入。" in capsys.readouterr().err
    assert main(["import", "stores", str(tmp_path / "missing.csv"), "--as", "admin"]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["import", "orders", str(path), "--as", "admin"]) == 2
    assert "orders.csv 里没有数据行" in capsys.readouterr().err


DOCS = Path(__file__).resolve().parents[2] / "docs" / "import-formats.md"
KIND_OF_HEADER = {"单位编码": "org", "客户编码": "stores", "cust_id": "stores", "卷烟编码": "products",
                  "订单号": "orders", "co_num": "orders"}


def test_the_format_page_names_every_accepted_header():
    page = DOCS.read_text(encoding="utf-8")
    missing = [h for columns in COLUMNS.values() for c in columns for h in c.accepted if h not in page]
    assert missing == []


def test_the_examples_on_the_format_page_import_in_order(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    blocks = re.findall(r"```text\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)[1:]
    for number, block in enumerate(blocks):
        kind = KIND_OF_HEADER[block.split(",", 1)[0]]
        path = tmp_path / f"example{number}.csv"
        path.write_text(block, encoding="utf-8")
        assert main(["import", kind, str(path), "--as", "admin"]) == 0, capsys.readouterr().err
    assert "订单：读取 1 行，新增 0 张订单，更新 1 张订单" in capsys.readouterr().out


def test_a_month_past_the_kept_window_is_archived_from_the_command_line_and_imported_back(company, tmp_path, capsys):
    rows = [[f"AR{m}", store_code(1, 1), f"2024{m:02d}06", "6901000000000", "2", "2", "2", "150", ""] for m in range(1, 6)]
    assert main(["import", "orders", str(write(tmp_path / "orders.csv", rows)), "--as", "admin"]) == 0
    capsys.readouterr()
    assert main(["archive", "orders", "--month", "2024-3", "--to", str(tmp_path), "--as", "admin"]) == 2
    assert "2024年3月 在保留期内" in capsys.readouterr().err
    assert main(["archive", "orders", "--month", "2024年1月", "--as", "admin"]) == 2
    assert "月份“2024年1月”格式不对，应写成 YYYY-MM，例如 2026-11" in capsys.readouterr().err
    assert main(["archive", "orders", "--month", "2024-01", "--to", str(tmp_path), "--as", "cm001"]) == 2
    assert "无权归档过了保留期的订单明细" in capsys.readouterr().err
    assert main(["archive", "orders", "--month", "２０２４－１", "--to", str(tmp_path), "--as", "admin"]) == 0
    out = capsys.readouterr().out
    assert f"订单归档：2024年1月 共 1 张订单、1 行明细已写入 {tmp_path / '订单归档-2024-01.csv.gz'}" in out
    assert main(["import", "orders", str(tmp_path / "订单归档-2024-01.csv.gz"), "--as", "admin"]) == 0
    assert "订单：读取 1 行，新增 1 张订单" in capsys.readouterr().out
