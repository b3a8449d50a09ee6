"""§10 from the command line, as a CM would go through it, on each database: effect → capability → strategies → list."""
from __future__ import annotations

from engine.capability_scoring import score_field
from tests.analysis_helpers import MONTH
from tests.e2e.user_steps import fill
from tests.factories import STORES_PER_CM, store_code
from workbooks.capability import LAYOUT, SHEET

SHEET_LAYOUT = LAYOUT.sheet(SHEET)
FIRST = SHEET_LAYOUT.first_data_row


def test_effect_capability_strategies_list(cli, tmp_path):
    path = tmp_path / "经营能力评分.xlsx"
    export = ("analysis", "capability", "export", "--as", "cm001", "--month", MONTH, "-o", path)
    code, _, err = cli(*export)
    assert code == 2 and "尚未计算" in err and "cmw analysis effect" in err and not path.exists()
    code, out, _ = cli("analysis", "effect", "--as", "cm001", "--month", MONTH)
    assert code == 0 and "2026-10" in out
    code, _, err = cli("analysis", "effect", "--as", "cm001", "--month", MONTH)
    assert code == 2 and "不能重复计算" in err
    code, out, _ = cli(*export)
    assert code == 0 and f"{STORES_PER_CM} 户客户" in out and f"cmw submit {path.name} --as cm001" in out
    code, _, err = cli("analysis", "strategies", "--as", "cm001", "--month", MONTH)
    assert code == 2 and f"{STORES_PER_CM} 户客户没有完成经营能力评分" in err and store_code(1, 1) in err

    bad = SHEET_LAYOUT.cell(score_field("store_image"), FIRST + 2)
    fill(path, bad_row=FIRST + 2)
    code, out, err = cli("submit", path, "--as", "cm001")
    assert code == 3 and out.startswith(f"部分保存：已保存 {STORES_PER_CM - 1} 户") and "1 行有问题" in out  # EXIT_PARTIAL
    assert f"{SHEET}!{bad}" in out and "8-10" in out and "（填写的值：7）" in out and "提交编号" in out
    code, _, err = cli("submit", path, "--as", "cm002")
    assert code == 2 and "cm001 的经营能力评分表" in err and "Traceback" not in err
    code, _, err = cli("analysis", "strategies", "--as", "cm001", "--month", MONTH)
    assert code == 2 and "1 户客户没有完成" in err and store_code(1, 3) in err

    fill(path)
    code, out, _ = cli("submit", path, "--as", "cm001")
    assert code == 0 and f"已保存 {STORES_PER_CM} 户" in out and "有问题" not in out
    code, out, _ = cli("submit", path, "--as", "cm001")
    assert code == 0 and "（0 项有变化）" in out
    code, out, _ = cli("analysis", "strategies", "--as", "cm001", "--month", MONTH)
    assert code == 0 and "策略生成成功" in out
    code, out, _ = cli("analysis", "list", "--as", "cm001")
    assert code == 0 and MONTH in out and "已生成策略" in out

    code, _, err = cli(*export)
    assert code == 2 and "已锁定" in err
    code, _, err = cli("submit", path, "--as", "cm001")
    assert code == 2 and "已锁定" in err and "提交编号" in err


def test_only_the_cm_exports_and_the_month_must_be_valid(cli, tmp_path):
    path = tmp_path / "cap.xlsx"
    cli("analysis", "effect", "--as", "cm001", "--month", MONTH)
    code, _, err = cli("analysis", "capability", "export", "--as", "mm01", "--month", MONTH, "-o", path)
    assert code == 2 and "客户经理本人" in err
    code, _, err = cli("analysis", "capability", "export", "--as", "cm001", "--month", "2026-13", "-o", path)
    assert code == 2 and "月份“2026-13”格式不对" in err
    code, _, err = cli("analysis", "capability", "export", "--as", "cm001", "--month", MONTH)
    assert code == 2 and "-o" in err
