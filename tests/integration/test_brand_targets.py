"""§5 brand targets and §6 target stores through real workbooks on each database: a CM's own targets (add, change,
delete, every bound refused with its cell), a market manager's one workbook for the department, target stores picked
by hand and by the assisted filter; what is refused without key brands or targets."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from addin.handlers.forms import export_form
from engine.brand_targets import Target, target_stores_of, targets_of
from engine.errors import Refused
from tests.brand_helpers import fill, keep_brands, submit
from tests.factories import store_code
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
TARGETS = "品牌目标"



def targets(app, cm="cm001"):
    with app.uow() as uow:
        return targets_of(uow, [cm], MONTH).get(cm, {})


def test_targets_need_the_months_key_brands(app, tmp_path):
    with pytest.raises(Refused, match="2026-11 还没有维护重点品牌，不能设置 2026-11 的品牌目标"):
        export_form(app, actor_of(app, "cm001"), "brand_targets", MONTH, tmp_path / "t.xlsx")


def test_a_cm_adds_changes_and_deletes_targets(app, tmp_path):
    keep_brands(app, MONTH)
    path = tmp_path / "目标.xlsx"
    export_form(app, actor_of(app, "cm001"), "brand_targets", MONTH, path)
    book = load_workbook(path)
    assert book["品牌状态分析目标设置"]["B5"].value == 5  # active stores, from data
    assert "本次操作" not in [c.value for c in book["品牌状态分析目标设置"]["A"]]  # saved, never submitted
    # the month's brands are offered on the lines, key brands first: nobody picks them one by one
    assert [book[TARGETS][f"B{r}"].value for r in range(5, 9)] == ["乙", "甲", "丙", None]
    fill(path, TARGETS, {"C6": "６０.5", "D6": 500, "E6": 3, "C7": 40})
    saved = submit(app, path)
    assert saved.message == "已保存 6 处修改。"  # 乙's line, left as offered, is no line
    assert targets(app) == {"甲": Target(0.605, 500, 3), "丙": Target(0.4, None, None)}
    # every bound, each with its cell; nothing saved
    fill(path, TARGETS, {"C6": 120, "D6": -1, "E6": 2.5, "B8": "丁"})
    with pytest.raises(Refused) as refused:
        submit(app, path)
    found = {f.cell: f.message for f in refused.value.findings}
    assert "0 到 100 的0.1 的倍数" in found["C6"] and "0 到 10000000 的整数" in found["D6"]
    assert "整数" in found["E6"] and "只能从下拉列表选择" in found["B8"]
    assert targets(app)["甲"] == Target(0.605, 500, 3)
    fill(path, TARGETS, {"C6": 70, "D6": 500, "E6": 3, "B8": None, "B9": "甲", "C9": 50})
    with pytest.raises(Refused, match="重复") as twice:
        submit(app, path)
    assert twice.value.findings[0].cell == "B9"
    fill(path, TARGETS, {"B9": None, "C9": None, "C7": None})  # 丙's target cleared (its brand left): deleted
    submit(app, path)
    assert targets(app) == {"甲": Target(0.7, 500, 3)}
    with pytest.raises(Refused, match="李四（cm002）无权填写 cm001 的品牌状态分析目标设置"):
        submit(app, path, "cm002")  # another CM's file


def test_a_market_manager_sets_the_departments_targets_in_one_workbook(app, tmp_path):
    keep_brands(app, MONTH)
    own = tmp_path / "own.xlsx"
    export_form(app, actor_of(app, "cm002"), "brand_targets", MONTH, own)
    path = tmp_path / "营销部目标.xlsx"
    outcome = export_form(app, actor_of(app, "mm01"), "brand_targets", MONTH, path)
    assert "2 位客户经理，一张表" in outcome.message
    sheet = load_workbook(path)[TARGETS]
    rows = [(sheet[f"A{r}"].value, sheet[f"C{r}"].value) for r in range(5, 11)]
    assert rows == [("cm001", 1), ("cm001", 2), ("cm001", 3), ("cm002", 1), ("cm002", 2), ("cm002", 3)]
    assert [sheet[f"D{r}"].value for r in range(5, 11)] == ["乙", "甲", "丙"] * 2  # each CM's brands offered
    fill(path, TARGETS, {"D5": "甲", "E5": 55, "D8": "乙", "E8": 101})
    with pytest.raises(Refused) as refused:
        submit(app, path, "mm01")
    assert [f.cell for f in refused.value.findings if f.code != "CM"] == ["E8"] and targets(app) == {}
    fill(path, TARGETS, {"E8": 45})
    saved = submit(app, path, "mm01")
    assert saved.message == "已保存 4 处修改（2 位客户经理）。"
    assert targets(app) == {"甲": Target(0.55, None, None)} and targets(app, "cm002") == {"乙": Target(0.45, None, None)}
    with pytest.raises(Refused, match="已有变化"):  # cm002's own file was exported before the manager's save
        fill(own, TARGETS, {"B5": "甲"})
        submit(app, own, "cm002")
    with pytest.raises(Refused, match="不能提交"):
        submit(app, path, "cm001")


def test_an_older_copy_of_a_handed_back_file_changes_nothing(app, tmp_path):
    """A copy saved before the file was handed back still shows the exported values: handed back in its turn, it would
    silently undo what was saved (a market manager's whole department). Refused, naming the cells; the file that was
    handed back goes on, and a value put back on purpose while others stay is a change."""
    keep_brands(app, MONTH)
    path, copy = tmp_path / "营销部目标.xlsx", tmp_path / "营销部目标-副本.xlsx"
    export_form(app, actor_of(app, "mm01"), "brand_targets", MONTH, path)
    copy.write_bytes(path.read_bytes())
    fill(path, TARGETS, {"D5": "甲", "E5": 55, "D8": "乙", "E8": 45})
    submit(app, path, "mm01")
    fill(copy, TARGETS, {"F6": 300})  # the old copy, edited elsewhere
    with pytest.raises(Refused) as refused:
        submit(app, copy, "mm01")
    assert refused.value.message.startswith("这份品牌状态分析目标设置汇总表是较早的副本")
    assert {"D5", "E5", "D8", "E8"} <= {f.cell for f in refused.value.findings}
    assert targets(app) == {"甲": Target(0.55, None, None)} and targets(app, "cm002") == {"乙": Target(0.45, None, None)}
    fill(path, TARGETS, {"D8": None, "E8": None, "E5": 60})  # cm002's line deleted on purpose, cm001's changed
    assert submit(app, path, "mm01").message == "已保存 3 处修改（2 位客户经理）。"
    assert targets(app) == {"甲": Target(0.6, None, None)} and targets(app, "cm002") == {}
    own, old = tmp_path / "目标.xlsx", tmp_path / "目标-副本.xlsx"  # a CM's own file the same way
    export_form(app, actor_of(app, "cm001"), "brand_targets", MONTH, own)
    old.write_bytes(own.read_bytes())
    fill(own, TARGETS, {"C5": 65})
    submit(app, own)
    with pytest.raises(Refused, match="这份品牌状态分析目标设置文件是较早的副本") as refused:
        submit(app, old)
    assert [f.cell for f in refused.value.findings] == ["C5"] and targets(app) == {"甲": Target(0.65, None, None)}


def test_target_stores_by_hand_and_by_the_assisted_filter(app, cmw, tmp_path):
    keep_brands(app, MONTH)
    stores = tmp_path / "目标客户.xlsx"
    with pytest.raises(Refused, match="还没有设置 2026-11 的品牌目标"):
        export_form(app, actor_of(app, "cm001"), "target_stores", MONTH, stores)
    path = tmp_path / "目标.xlsx"
    export_form(app, actor_of(app, "cm001"), "brand_targets", MONTH, path)
    fill(path, TARGETS, {"B5": "丙", "E5": 4})
    submit(app, path)
    # the filter on the terminal: cm001's stores that ordered in October, with the figures behind each condition
    code, out, _ = cmw("brands", "filter", "--as", "cm001", "--month", MONTH, "--brand", "丙", "--volume", "1-")
    assert code == 0 and "上月销量：1 到 不限 条" in out and store_code(1, 1) in out
    code, _, err = cmw("brands", "filter", "--as", "cm001", "--month", MONTH, "--brand", "丙", "--tier", "40-50")
    assert code == 2 and "档位范围“40-50”不对" in err
    code, out, _ = cmw("brands", "filter", "--as", "cm001", "--month", MONTH, "--brand", "丙", "--online", "是",
                       "-o", stores)
    assert code == 0 and "已加入" in out
    book = load_workbook(stores)
    assert {"筛选条件", "筛选结果"} <= set(book.sheetnames)
    picked = [book["目标客户"][f"C{r}"].value for r in range(5, 9) if book["目标客户"][f"C{r}"].value]
    assert picked and all(p.split()[0].startswith("440101") for p in picked)
    fill(stores, "目标客户", {"B5": None, "C5": None, "D5": None})  # keep all but the first
    submit(app, stores)
    with app.uow() as uow:
        kept = target_stores_of(uow, ["cm001"], MONTH)["cm001"]["丙"]
    assert kept == [p.split()[0] for p in picked[1:]]
    fill(stores, "目标客户", {"B20": "丙", "C20": f"{store_code(2, 1)} cm002的第1家烟酒店"})  # another CM's store
    with pytest.raises(Refused) as refused:
        submit(app, stores)
    assert refused.value.findings[0].cell == "C20" and "只能从下拉列表选择" in refused.value.findings[0].message
