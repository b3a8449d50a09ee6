"""§8 调查问卷 (the questionnaire's demand items): the administrator exports the current version, edits it in Excel
and imports it as a new version; months already surveyed keep theirs."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.formula_text import restored
from engine.questionnaire import (Questionnaire, import_questionnaire, questionnaire_from_rows, questionnaire_in_use,
                                  questionnaire_rows)
from engine.records import Outcome
from storage.importers.columns import Column, locate
from storage.importers.reading import read_table
from workbooks.builder import Heading
from workbooks.csv_safe import write_csv
from workbooks.rubric_book import write_rubric_book

TITLE = "客户需求调查问卷"
ITEM_COLUMNS = (Column("code", "项目编码", ("item_code",), required=True),
                Column("name", "项目名称", ("item_name",), required=True),
                Column("group", "分组", ("item_group",), required=True),
                Column("active_from", "启用月份", ("from_month",)))


def export_items(app: App, actor: Actor, target: Path) -> Outcome:
    """Write the current version's items as a table (.xlsx or .csv) to edit."""
    questionnaire, company = questionnaire_in_use(app.uow(), actor)
    rows = questionnaire_rows(questionnaire)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        write_csv(pd.DataFrame(rows), target)
    else:
        heading = Heading(company, TITLE, actor.label, f"第 {questionnaire.version} 版", date.today())
        write_rubric_book(target, "需求项目", rows, frozenset(), heading)
    return Outcome(f"已导出{TITLE}第 {questionnaire.version} 版（{len(rows)} 个需求项目）到 {target}。",
                   ("每行一个需求项目：项目编码（网上订货平台传来的编码）、项目名称、分组、启用月份（YYYY-MM，留空为一直启用）。"
                    "删去一行即以后不再询问该项目。",
                    f"修改后用 cmw survey items import {target.name} --as {actor.code} 导入为新版本。"))


def import_items(app: App, actor: Actor, source: Path) -> Outcome:
    """Store an edited questionnaire as a new version (months already surveyed keep theirs); administrator only."""
    def read() -> Questionnaire:
        table = read_table(source)
        found = locate(table, ITEM_COLUMNS, "调查问卷")
        labels = {c.field: c.label for c in ITEM_COLUMNS}
        rows = [(number, {labels[f]: "" if pd.isna(row[h]) else restored(str(row[h])) for f, h in found.items()})
                for number, (_, row) in zip(table.excel_rows(slice(None)), table.frame.iterrows())]
        return questionnaire_from_rows(rows)

    before, version, questionnaire = import_questionnaire(app.uow(), actor, read, source.name)
    dropped = sorted({i.code for i in before.items} - {i.code for i in questionnaire.items})
    return Outcome(f"已导入{TITLE}第 {version} 版（{len(questionnaire.items)} 个需求项目）。尚未开始调查的月份使用新版本；"
                   "已开始调查的月份保留原版本。",
                   (f"不再询问：{'、'.join(dropped)}。",) if dropped else ())


def show_items(app: App, actor: Actor) -> list[str]:
    """The current version's items as lines of text."""
    questionnaire, _ = questionnaire_in_use(app.uow(), actor)
    return [f"{TITLE} 第 {questionnaire.version} 版："] + [
        f"{i.code}  {i.name}  {i.group}{'  自 ' + i.active_from + ' 起' if i.active_from else ''}"
        for i in questionnaire.items]
