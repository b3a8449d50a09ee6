"""§14 客户经理月度片区品牌培育执行表 (brand cultivation execution sheet): per CM, month and promotion campaign (the
brand manager's, engine/campaigns.py), a line per store of the campaign and SKU: the checks asked for that SKU
(上柜、陈列、价签正确、海报张贴) answered 是/否, the visit date and a remark. Its sheet has a row per store and a
column group per SKU of the campaign with the checks asked for it (Lines.across), the visit date and remark once per
store. 保存 through the month; 提交 hands it to
the market manager, who 审核通过 or 退回 it. Photos of the stores: `cmw photos add` (engine/photos.py)."""
from __future__ import annotations

from engine.campaigns import CHECKS
from engine.cultivation import (TABLE, YES, asked_checks, attach_photos, execution, lines_of, pictures, running,
                                unvisited_checks)
from engine.document_types import Draft, DocumentType, Review, Rule, Step
from engine.fields import Across, Choice, Day, Figure, Lines, Text, Values
from engine.workflows import CULTIVATION


def figures(uow, cm_code: str, period: str) -> Values:
    """The campaign, its months and SKUs, and the lines: the CM's stores in it × its SKUs."""
    _, campaign, stores = running(uow, cm_code, period)
    return Values({"campaign": f"{campaign.code} {campaign.name}", "months": campaign.period_label,
                   "skus": "、".join(s.name for s in campaign.skus), "stores": len(stores)},
                  {TABLE: lines_of(campaign, stores)})


def requires(uow, cm_code: str, period: str) -> None:
    """The campaign runs in the month and covers some of the CM's stores."""
    running(uow, cm_code, period)


def summary(values: Values) -> str:
    """What helps the market manager decide: lines done, stores visited."""
    done = execution(values)
    return (f"执行到位 {done.done}/{done.lines} 项（{done.rate:.0%}）；已检查 {done.checked} 项；"
            f"已拜访 {done.visited}/{values.single.get('stores') or 0} 户")


_INPUTS = (TABLE,)

TYPE = DocumentType(
    code="cultivation",
    title="月度片区品牌培育执行表",
    section="§14",
    workflow=CULTIVATION,
    period="campaign",
    parts=(
        Figure("campaign", "促销战役"),
        Figure("months", "战役月份"),
        Figure("skus", "培育规格"),
        Figure("stores", "本片区参与客户（户）"),
        Lines(TABLE, "执行情况", (
            Figure("store", "客户", width=30),
            Figure("sku", "规格", width=24),
            Figure("asked", "检查项目", width=22),
            *(Choice(code, label, "这一规格要检查的项目：是 / 否", options=(YES, "否"), width=9) for code, label in CHECKS),
            Day("visited", "拜访日期", "检查当天的日期", width=12),
            Text("remark", "备注", max_length=100, width=30)),
            max_lines=5000,
            hint="每户客户一行，每个规格一组（只列这个规格要检查的项目）：拜访后填 是/否 和拜访日期；"
                 "照片放在工作簿旁的“文件名_照片”文件夹（文件名以客户编码开头），提交时一起上传，或用 cmw photos add",
            across=Across("store", "sku", tuple(code for code, _ in CHECKS), ("visited", "remark"), asked_checks,
                          pictures="已上传照片")),
    ),
    steps={
        "draft": Step("拜访战役客户时逐项检查并填写，随时“保存”；月底“本次操作”选“提交”交市场经理审核", _INPUTS, "submit"),
        "rejected": Step("执行表被退回：请按退回理由补充或改正，然后“提交”", _INPUTS, "submit"),
        "submitted": Step("已提交，等待市场经理审核：已锁定，不能修改"),
        "reviewed": Step("已审核：已锁定，仅供查看和打印"),
    },
    reviews={"submitted": Review("品牌培育执行表", "review", "reject")},
    rules=(Rule(f"{TABLE}.visited", unvisited_checks),),
    draft=Draft(figures, None, requires, pictures=pictures, attach=attach_photos),
    attachments="照片",
    summary=summary,
    ribbon_group="品牌与市场",
)
