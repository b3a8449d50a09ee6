"""`cmw demo`, §11 月工作计划 and §16 月度工作总结 as users do them, through the workbooks and the shared submit path:
every CM fills in and confirms the month's work plan, the market managers approve them in their review workbook;
at month end every CM writes the summary the program pre-drafted and submits it; one is sent back with a reason,
revised and submitted again, and approved; cm001's two documents are printed."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

from addin.app import App
from addin.demo.big_table import review_as
from addin.handlers import submit_workbook
from addin.handlers.forms import export_form, print_form

Say = Callable[[list[str]], None]
SENT_BACK = "问题分析太笼统：请写清哪几户订货不稳定、原因是什么，下月打算要落到具体客户。"


def type_into(path: Path, edits: dict[str, dict[str, object]]) -> bytes:
    """What a CM does in Excel: type into cells of sheets, save; the saved file's bytes."""
    book = load_workbook(path)
    for sheet, cells in edits.items():
        for cell, value in cells.items():
            book[sheet][cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _work_plan(app: App, cm: str, month: str, out: Path) -> str:
    path = out / cm / "月工作计划.xlsx"
    export_form(app, app.actor(cm), "workplan", month, path)
    book = load_workbook(path)
    last, value = book["月工作计划"]["B6"].value or 0, book["月工作计划"]["B8"].value or 0
    brands = book["_lookups"]["A3"].value if "_lookups" in book.sheetnames else None
    edits = {"月工作计划": {"B4": "提交", "B10": int(last * 1.05) or 1000, "B11": round(value * 1.02, 2) or 50,
                            "B13": "希望营销部协调紧俏规格的货源，并安排一次陈列培训。"},
             "周重点工作": {"C5": "走访上月订货下降的客户，了解原因", "C6": "重点品牌上柜：逐户检查陈列",
                         "C7": "新办证客户首访，介绍网上订货", "C8": "月末补访未完成任务的客户"}}
    if brands:
        edits["重点品牌目标"] = {"B5": brands, "C5": 300, "D5": "在档位 20 以上客户中推荐上柜"}
    content = type_into(path, edits)
    filled = out / cm / "月工作计划-已填写.xlsx"
    filled.write_bytes(content)
    return submit_workbook(app, app.actor(cm), filled.name, content).details[-2]


def _summary(app: App, cm: str, month: str, out: Path, again: bool = False) -> str:
    path = out / cm / ("月度工作总结-修改.xlsx" if again else "月度工作总结.xlsx")
    export_form(app, app.actor(cm), "summary", month, path)
    problems = ("部分客户订货不稳定：3 户烟酒店连续两周未订货，原因是周边新开便利店分流；已约店主面谈。" if again
                else "部分客户订货不稳定。")
    content = type_into(path, {"月度工作总结": {
        "B4": "提交", "B15": "完成了计划任务的大部分，重点品牌在中高档位客户中上柜率提高。",
        "B16": problems, "B17": "下月重点跟进订货不稳定的客户，逐户落实陈列和价格标签。"}})
    filled = path.with_name(path.stem + "-已填写.xlsx")
    filled.write_bytes(content)
    return submit_workbook(app, app.actor(cm), filled.name, content).details[-2]


def _review(app: App, mm: str, month: str, out: Path, send_back: set[str]) -> list[str]:
    """The MM's review workbook: 审核通过 every row, except a summary of a CM in send_back (驳回 with a reason)."""
    return review_as(app, mm, month, out, lambda cm, what: SENT_BACK if cm in send_back and what == "月度工作总结"
                     else None, name="审核-单据.xlsx")


def run_forms(app: App, month: str, out: Path, cms: list[str], mms: list[str], say: Say) -> None:
    """§11 and §16 for the small company's month, through the same handlers and workbooks as the users."""
    for cm in cms:
        say([f"  {cm} 填写并确认月工作计划：{_work_plan(app, cm, month, out)}"])
    for mm in mms:
        say([f"  {mm} 审核月工作计划：", *(f"    {line}" for line in _review(app, mm, month, out, set()))])
    for cm in cms:
        say([f"  {cm} 在系统预填的数据上写月度工作总结并提交：{_summary(app, cm, month, out)}"])
    sent_back = cms[1]
    for mm in mms:
        say([f"  {mm} 审核月度工作总结：", *(f"    {line}" for line in _review(app, mm, month, out, {sent_back}))])
    say([f"  {sent_back} 按退回理由修改后重新提交：{_summary(app, sent_back, month, out, again=True)}"])
    for mm in mms:
        say([f"  {mm} 再次审核：", *(f"    {line}" for line in _review(app, mm, month, out, set()))])
    cm = cms[0]
    for code, name in (("workplan", "月工作计划"), ("summary", "月度工作总结")):
        say([f"  {print_form(app, app.actor(cm), code, month, out / cm / f'{name}.html').message}"])
