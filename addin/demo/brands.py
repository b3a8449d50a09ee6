"""`cmw demo`, brands and market as users do them, through the workbooks and the shared submit path: the brand
manager keeps the key and backbone brands of last month and this month (the workbook pre-filled from the products'
flags, narrowed to seven brands); each market manager sets last month's brand targets for the department's CMs in one
workbook; every CM picks target stores — cm001 through the assisted filter, the others by hand —, then writes and
confirms last month's §4 market analysis and §7 brand analysis; cm001's two are printed."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

from addin.app import App
from addin.demo.forms import type_into
from addin.handlers import submit_workbook
from addin.handlers.brand_filter import export_filtered
from addin.handlers.forms import export_form, print_form
from addin.handlers.key_brands import export_key_brand_book
from engine.brand_filter import conditions_of
from engine.periods import previous_month

Say = Callable[[list[str]], None]
#: The brand manager's list: key brands, then backbone brands (the rest of the catalogue's flags are cleared).
KEY_BRANDS = ("黄鹤楼", "中华", "芙蓉王", "利群", "南京")
BACKBONE_BRANDS = ("红金龙", "白沙")


def _hand_in(app: App, who: str, path: Path, edits: dict) -> str:
    """Type into the workbook, save it under a new name and submit it; the answer's first line, and the state it
    left the document in when it says one."""
    content = type_into(path, edits)
    filled = path.with_name(path.stem + "-已填写.xlsx")
    filled.write_bytes(content)
    outcome = submit_workbook(app, app.actor(who), filled.name, content)
    state = next((line for line in outcome.details if "当前状态" in line), "")
    return f"{outcome.message}{state}"


def _key_brands(app: App, bm: str, month: str, out: Path) -> str:
    path = out / bm / f"重点品牌-{month}.xlsx"
    export_key_brand_book(app, app.actor(bm), month, path)
    sheet = load_workbook(path)["重点品牌"]
    edits = {}
    for row in range(6, sheet.max_row + 1):  # under the header row
        brand = sheet[f"A{row}"].value
        if brand:
            edits[f"D{row}"] = "是" if brand in KEY_BRANDS else "否"
            edits[f"E{row}"] = "是" if brand in BACKBONE_BRANDS else "否"
    return _hand_in(app, bm, path, {"重点品牌": edits})


def _targets(app: App, mm: str, month: str, out: Path) -> str:
    """The market manager's one workbook: for every CM, a target per brand (shelf rate, volume, stocking stores)."""
    path = out / mm / f"品牌目标-{month}.xlsx"
    export_form(app, app.actor(mm), "brand_targets", month, path)
    sheet = load_workbook(path)["品牌目标"]
    brands = [*KEY_BRANDS, *BACKBONE_BRANDS]
    edits, seen = {}, {}
    for row in range(5, sheet.max_row + 1):
        cm, line = sheet[f"A{row}"].value, sheet[f"C{row}"].value
        if not cm or not line or line > len(brands):
            continue
        n = seen[cm] = seen.get(cm, 0) + 1
        edits.update({f"D{row}": brands[line - 1], f"E{row}": 50 + 5 * (n % 6), f"F{row}": 200 + 50 * n,
                      f"G{row}": 20 + 5 * (n % 4)})
    return _hand_in(app, mm, path, {"品牌目标": edits})


def _target_stores_by_hand(app: App, cm: str, month: str, out: Path) -> str:
    path = out / cm / f"目标客户-{month}.xlsx"
    export_form(app, app.actor(cm), "target_stores", month, path)
    stores = [row[0] for row in load_workbook(path)["_lookups"].iter_rows(values_only=True)
              if row[0] and str(row[0])[:1].isdigit()]
    edits = {}
    for n, store in enumerate(stores[:6]):
        edits.update({f"B{5 + n}": KEY_BRANDS[n % 2], f"C{5 + n}": store, f"D{5 + n}": "档位高、未订该品牌"})
    return _hand_in(app, cm, path, {"目标客户": edits})


def _target_stores_filtered(app: App, cm: str, month: str, out: Path) -> list[str]:
    """The assisted filter: stores that ordered 黄鹤楼's price classes but not 黄鹤楼 last month, tier 10 and up; the
    CM keeps all but the last one proposed."""
    path = out / cm / f"目标客户-辅助筛选-{month}.xlsx"
    found = export_filtered(app, app.actor(cm), month, KEY_BRANDS[0],
                            conditions_of(tiers="10-30", class_not_brand=True), path)
    sheet = load_workbook(path)["目标客户"]
    last = max((r for r in range(5, sheet.max_row + 1) if sheet[f"C{r}"].value), default=None)
    edits = {f"{c}{last}": None for c in "BCD"} if last else {}
    return [found.message, _hand_in(app, cm, path, {"目标客户": edits})]


def _analysis(app: App, cm: str, code: str, month: str, out: Path, texts: dict[str, str]) -> str:
    path = out / cm / f"{code}-{month}.xlsx"
    export_form(app, app.actor(cm), code, month, path)
    sheet = {"market": "月度市场状态分析", "brand_analysis": "月度品牌状态分析"}[code]
    return _hand_in(app, cm, path, {sheet: {"B4": "提交", **texts}})


def run_brands(app: App, month: str, out: Path, cms: list[str], mms: list[str], say: Say) -> None:
    """Key brands, §5, §6 and last month's §4 and §7 for the small company, as users do them."""
    last = previous_month(month)
    for kept in (last, month):
        say([f"  bm01 维护 {kept} 的重点品牌：{_key_brands(app, 'bm01', kept, out)}"])
    for mm in mms:
        say([f"  {mm} 一张表设置 {last} 全营销部的品牌目标：{_targets(app, mm, last, out)}"])
    say([f"  {cms[0]} 辅助筛选目标客户：", *(f"    {line}" for line in _target_stores_filtered(app, cms[0], last, out))])
    for cm in cms[1:]:
        say([f"  {cm} 选定目标客户：{_target_stores_by_hand(app, cm, last, out)}"])
    for cm in cms:
        market = _analysis(app, cm, "market", last, out, {"B8": "乡村客户订货量下降，一类烟占比偏低。",
                                                          "B9": "走访乡村客户，推荐中高档规格。"})
        brands = _analysis(app, cm, "brand_analysis", last, out, {"B7": "部分重点品牌在低档位客户中上柜不足。",
                                                                  "B8": "逐户走访未上柜的目标客户。"})
        say([f"  {cm} 确认 {last} 月度市场状态分析：{market}", f"  {cm} 确认 {last} 月度品牌状态分析：{brands}"])
    cm = cms[0]
    for code, name in (("market", "月度市场状态分析"), ("brand_analysis", "月度品牌状态分析")):
        say([f"  {print_form(app, app.actor(cm), code, last, out / cm / f'{name}.pdf').message}"])
