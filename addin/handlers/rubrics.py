"""评分标准 (rubrics): the administrator exports the current version, edits it in Excel, imports it as a new version."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from addin.app import App
from engine.actors import Actor
from engine.capability import capability_rubric_from_dict, capability_rubric_to_dict
from engine.effect import effect_rubric_to_dict
from engine.errors import Refused
from engine.formula_text import restored
from engine.operating_analysis import current_rubrics
from engine.policy import require
from engine.records import Outcome
from engine.rubric_files import (NUMERIC_HEADERS, capability_rows, capability_rubric_from_rows, effect_rows,
                                 effect_rubric_from_rows)
from storage.importers.reading import read_table
from workbooks.builder import Heading
from workbooks.csv_safe import write_csv
from workbooks.rubric_book import write_rubric_book

KINDS = {"effect": "经营效果评分标准", "capability": "经营能力评分标准"}


def _rows(uow, actor: Actor, kind: str) -> tuple[int, list[dict[str, str]]]:
    effect, capability = current_rubrics(uow, actor)
    if kind == "effect":
        return effect.version, effect_rows(effect)
    rubric = capability_rubric_from_dict(capability)
    return rubric.version, capability_rows(rubric)


def export_rubric(app: App, actor: Actor, kind: str, target: Path) -> Outcome:
    """Write the current version of a rubric as a table (.xlsx or .csv) to edit."""
    with app.uow() as uow:
        version, rows = _rows(uow, actor, kind)
        company = uow.users.company_of(actor)
        uow.commit()  # the defaults are stored as version 1 on first use
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        write_csv(pd.DataFrame(rows), target)
    else:
        heading = Heading(company, KINDS[kind], actor.label, f"第 {version} 版", date.today())
        write_rubric_book(target, KINDS[kind], rows, NUMERIC_HEADERS, heading)
    return Outcome(f"已导出{KINDS[kind]}（第 {version} 版，{len(rows)} 行）到 {target}。修改后由管理员用 cmw rubric import {kind} 文件 --as 管理员编码 导入为新版本。")


def import_rubric(app: App, actor: Actor, kind: str, source: Path) -> Outcome:
    """Store an edited rubric as a new version (months already computed keep theirs); admin only."""
    require(actor, "rubric.import")
    table = read_table(source)
    rows = [(number, {k: "" if pd.isna(v) else restored(str(v)) for k, v in row.items()})
            for number, row in zip(table.excel_rows(slice(None)), table.frame.to_dict("records"))]
    with app.uow() as uow:
        current_rubrics(uow, actor)
        if kind == "effect":
            body = effect_rubric_to_dict(effect_rubric_from_rows(rows, 0))
        else:
            body = capability_rubric_to_dict(capability_rubric_from_rows(rows, 0))
        version = uow.rubrics.add(kind, body, actor.code)
        uow.audit.record(actor=actor.code, action="import_rubric", entity="rubric", key=kind, new=version)
        uow.commit()
    return Outcome(f"已导入{KINDS[kind]}第 {version} 版。此后计算的月份使用新版本；已计算的月份保留原版本。")


def show_rubric(app: App, actor: Actor, kind: str) -> list[str]:
    """The current version of a rubric as lines of text."""
    with app.uow() as uow:
        version, rows = _rows(uow, actor, kind)
    return [f"{KINDS[kind]} 第 {version} 版："] + ["  ".join(f"{k}={v}" for k, v in row.items() if v) for row in rows]
