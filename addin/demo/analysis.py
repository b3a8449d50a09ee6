"""`cmw demo`, §10 for every CM as users would do it: the MM computes the effect for the department,
each CM fills the capability workbook in "Excel" (openpyxl) and submits it, generates strategies,
and writes the district statistics.
"""
from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook

from addin.app import App
from addin.handlers import submit_workbook
from addin.handlers.analysis import run_effect, run_strategies
from addin.handlers.capability import export_capability
from addin.handlers.district import export_district
from engine.capability import DEFAULT_CAPABILITY_RUBRIC, CapabilityIndicator
from engine.capability_scoring import NEW_STORE, NEW_STORE_STAGE, item_field, score_field
from workbooks.capability import LAYOUT, SHEET

Say = Callable[[list[str]], None]
CAPABILITY = "经营能力评分表.xlsx"
CAPABILITY_FILLED = "经营能力评分表-已评分.xlsx"
DISTRICT = "片区统计.xlsx"


def _score(indicator: CapabilityIndicator, tier: int | None, rng: random.Random) -> tuple[str, float]:
    """A plausible pick: better items for higher tiers, a score inside the item's range on its step."""
    level = min(len(indicator.items) - 1, max(0, 2 - ((tier or 8) + rng.randint(-8, 8)) // 11))
    item = indicator.items[level]
    steps = int((item.high - item.low) / indicator.step)
    return item.label, float(item.low + indicator.step * rng.randint(0, steps))


def fill_capability(source: Path, target: Path, seed: int) -> int:
    """What a CM does in Excel: pick an item and a score for every indicator of every store; return the rows filled."""
    layout = LAYOUT.sheet(SHEET)
    book = load_workbook(source)
    sheet = book[SHEET]
    rng = random.Random(seed)
    filled = 0
    for row in range(layout.first_data_row, sheet.max_row + 1):
        if not sheet[layout.cell("code", row)].value:
            continue
        tier = sheet[layout.cell("tier", row)].value
        for indicator in DEFAULT_CAPABILITY_RUBRIC.indicators:
            item, score = _score(indicator, tier if isinstance(tier, int) else None, rng)
            sheet[layout.cell(item_field(indicator.code), row)] = item
            sheet[layout.cell(score_field(indicator.code), row)] = score
        new = rng.random() < 0.03
        sheet[layout.cell(NEW_STORE, row)] = "是" if new else "否"
        sheet[layout.cell(NEW_STORE_STAGE, row)] = rng.choice(DEFAULT_CAPABILITY_RUBRIC.new_store_stages) if new else None
        filled += 1
    buffer = io.BytesIO()
    book.save(buffer)
    target.write_bytes(buffer.getvalue())
    return filled


def run_analysis(app: App, month: str, out: Path, seed: int, cms: list[str], mms: list[str], say: Say) -> None:
    """The month's §10 for every CM, through the same handlers and submit path as the users."""
    for mm in mms:
        outcome = run_effect(app, app.actor(mm), month, None, None)
        say([f"  {mm} 计算经营效果：{outcome.message}"])
    for n, cm in enumerate(cms):
        actor = app.actor(cm)
        source, target = out / cm / CAPABILITY, out / cm / CAPABILITY_FILLED
        export_capability(app, actor, month, source)
        rows = fill_capability(source, target, seed * 1000 + n)
        submitted = submit_workbook(app, actor, target.name, target.read_bytes())
        strategies = run_strategies(app, actor, month, None)
        export_district(app, actor, cm, month, out / cm / DISTRICT)
        say([f"  {cm}：评分 {rows} 户，{submitted.message} {strategies.message}"])
