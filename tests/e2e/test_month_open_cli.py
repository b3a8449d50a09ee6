"""A market manager opens the department's month from the command line, one call per step for all its CMs."""
from __future__ import annotations

from tests.analysis_helpers import MONTH
from tests.e2e.user_steps import ok, refused, score


def test_a_market_manager_opens_the_month_for_the_whole_department(cli, tmp_path):
    ok(cli("analysis", "effect", "--as", "mm01", "--month", MONTH))
    path = tmp_path / "cm001-经营能力评分.xlsx"
    ok(cli("analysis", "capability", "export", "--as", "cm001", "--month", MONTH, "-o", path))
    score(path)
    ok(cli("submit", path, "--as", "cm001"))
    out = ok(cli("analysis", "strategies", "--as", "mm01", "--month", MONTH))
    assert "策略生成成功：cm001 的 2026-11" in out and "cm002：还有 6 户客户没有完成经营能力评分" in out
    assert "不能重复生成" in refused(cli("analysis", "strategies", "--as", "mm01", "--month", MONTH, "--cm", "cm001"))
    out = ok(cli("plan", "generate", "--as", "mm01", "--month", MONTH))
    assert "已生成 1 位客户经理的 2026-11 大表" in out and "cm001：6 户客户" in out
    assert "cm002：2026-11 经营分析尚未生成策略" in out
    assert "无权生成 cm002 的任务执行标注表" in refused(cli("plan", "generate", "--as", "cm001", "--month", MONTH, "--cm", "cm002"))
    assert "不能重复生成" in refused(cli("plan", "generate", "--as", "cm001", "--month", MONTH))
