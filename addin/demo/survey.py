"""`cmw demo`, §8 客户需求调查表 and §9 its statistics as users do them: the ordering platform's answers for the online
stores written as the platform exports them (its field names) and imported by the administrator; every CM enters
about two thirds of the offline stores' questionnaires in the entry workbook and confirms them with the platform's
answers (one CM leaves theirs 待确认); each market manager prints §9 for the department, as a workbook and a PDF."""
from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

from addin.app import App
from addin.handlers import submit_workbook
from addin.handlers.survey import export_survey, survey_stats
from addin.handlers.survey_import import import_survey
from engine.periods import month_days
from engine.questionnaire import questionnaire_in_use

Say = Callable[[list[str]], None]
SUGGESTIONS = ("希望紧俏规格多投放一些", "网上订货的页面再简单些", "送货时间能否固定在上午", "想了解新品的零售价格",
               "希望客户经理多来店指导陈列", "", "", "")


def _answer(rng: random.Random, codes: list[str]) -> tuple[list[str], list[str]]:
    """Items ticked (1-4, the first items more often) and up to three of them as the most urgent."""
    weights = [len(codes) - n for n in range(len(codes))]
    ticked = sorted(set(rng.choices(codes, weights, k=rng.randint(1, 4))), key=codes.index)
    return ticked, rng.sample(ticked, k=min(len(ticked), rng.randint(1, 3)))


def platform_file(app: App, month: str, out: Path, seed: int, cms: list[str], share: float = 0.85) -> Path:
    """The platform's answers of the month, from a share of the online stores (85 %), as its CSV export."""
    rng = random.Random(seed * 8 + 1)
    admin = app.actor("admin")  # first: on personal logins, naming the actor signs in as them (the file is theirs)
    questionnaire, _ = questionnaire_in_use(app.uow(), admin)
    items = [i.code for i in questionnaire.of_month(month)]
    with app.uow() as uow:  # a reading
        stores = [s for s in uow.surveys.stores(cms) if s.online]
    days = month_days(month)[:25]
    path = out / "参考数据" / f"网上问卷-{month}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["cust_id", "answer_date", "need_items", "urgent_need1", "urgent_need2", "urgent_need3",
                         "advice"])
        for store in stores:
            if rng.random() < share:
                ticked, urgent = _answer(rng, items)
                writer.writerow([store.code, f"{rng.choice(days):%Y%m%d}", ",".join(ticked),
                                 *(urgent + ["", "", ""])[:3], rng.choice(SUGGESTIONS)])
    return path


def _enter(app: App, cm: str, month: str, out: Path, seed: int, confirm: bool) -> str:
    """The CM's entry workbook: about two thirds of the offline stores entered after visits, then 确认 (or 保存)."""
    rng = random.Random(f"{seed}-{cm}")
    path = out / cm / "客户需求调查表.xlsx"
    export_survey(app, app.actor(cm), month, path)
    book = load_workbook(path)
    sheet = book["线下问卷"]
    header = {c.value: c.column_letter for c in sheet[6] if c.value}
    names = [c.value for c in sheet[6] if c.value and c.column_letter not in (header["客户编码"], header["客户名称"])
             and c.value not in ("状态", "调查日期", "最急需一", "最急需二", "最急需三", "建议意见", "确认")
             and not str(c.value).startswith("可选")]
    days = month_days(month)[:25]
    for row in range(7, sheet.max_row + 1):
        if not sheet[f"A{row}"].value or rng.random() > 0.67:
            continue
        ticked, urgent = _answer(rng, names)
        sheet[f"{header['调查日期']}{row}"] = rng.choice(days)
        for name in ticked:
            sheet[f"{header[name]}{row}"] = "✓"
        for label, name in zip(("最急需一", "最急需二", "最急需三"), urgent):
            sheet[f"{header[label]}{row}"] = name
        sheet[f"{header['建议意见']}{row}"] = rng.choice(SUGGESTIONS) or None
    sheet["B4"] = "确认" if confirm else "保存"
    filled = path.with_name("客户需求调查表-已填写.xlsx")
    book.save(filled)
    return submit_workbook(app, app.actor(cm), filled.name, filled.read_bytes()).message


def run_survey(app: App, month: str, out: Path, seed: int, cms: list[str], mms: list[str], say: Say) -> None:
    """§8 and §9 for the month, through the same handlers and files as the users."""
    path = platform_file(app, month, out, seed, cms)
    outcome = import_survey(app, app.actor("admin"), path, month)
    say([f"  admin 导入网上订货平台的问卷 {path.name}：{outcome.message}"])
    for cm in cms:
        say([f"  {cm} 录入线下问卷并确认：{_enter(app, cm, month, out, seed, confirm=cm != cms[-1])}"])
    for mm in mms:
        for suffix in (".xlsx", ".pdf"):
            done = survey_stats(app, app.actor(mm), month, out / mm / f"客户需求调查统计表{suffix}")
            say([f"  {mm} {done.message}", *(f"    {line}" for line in done.details)])
