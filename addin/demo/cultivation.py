"""`cmw demo`, §14 as users do it: the brand manager keeps one promotion campaign for the month through the campaign
workbook (two SKUs of the first key brand, the first market manager's department); the department's first CM prints
the day's campaign visit plan, fills the execution sheet for the stores visited so far, puts photos in the folder
beside it (file names starting with the store code) and hands both in; the execution sheet is printed with the
photos' thumbnails; the market manager lists the campaign's execution rate."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from openpyxl import load_workbook
from sqlalchemy import select

from addin.app import App
from addin.demo.forms import type_into
from addin.handlers import submit_workbook
from addin.handlers.campaigns import export_campaign_book, rates_list
from addin.handlers.forms import export_form, print_form
from addin.handlers.photos import add_folder_photos
from addin.handlers.visits import campaign_visit_list
from engine.campaigns import CHECKS
from engine.periods import month_days

Say = Callable[[list[str]], None]
CODE = "PY"  # + the month: PY2612
BRAND = "黄鹤楼"


def _campaign(app: App, bm: str, month: str, unit: str, out: Path) -> tuple[str, str]:
    """The brand manager's campaign workbook filled in and handed back: the campaign's code and the answer."""
    from storage.schema import ProductRow

    with app.uow() as uow:
        skus = list(uow.session.scalars(select(ProductRow.sku).where(ProductRow.brand == BRAND)
                                        .order_by(ProductRow.sku).limit(2)))
    code = f"{CODE}{month[2:4]}{month[5:]}"
    path = out / bm / "促销战役.xlsx"
    export_campaign_book(app, app.actor(bm), path)
    checks = [("是", "是", "否", "否"), ("是", "否", "是", "是")]
    lines: dict[str, object] = {}
    for n, sku in enumerate(skus):
        lines.update({f"A{7 + n}": code, f"B{7 + n}": sku})
        lines.update({f"{'DEFG'[i]}{7 + n}": checks[n % 2][i] for i in range(len(CHECKS))})
    edits = {"促销战役": {"A6": code, "B6": f"{BRAND}冬季品牌培育", "C6": month, "D6": month, "E6": unit},
             "战役规格": lines}
    content = type_into(path, edits)
    filled = path.with_name("促销战役-已填写.xlsx")
    filled.write_bytes(content)
    return code, submit_workbook(app, app.actor(bm), filled.name, content).message


def _photo(label: str, shade: int) -> bytes:
    """A made-up shop-shelf picture (the demo has no camera): a JPEG with the store's code written on it."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (960, 720), (235, 232, 225))
    draw = ImageDraw.Draw(picture)
    for shelf in range(4):
        draw.rectangle([60, 80 + shelf * 150, 900, 100 + shelf * 150], fill=(120, 90, 60))
        for pack in range(8):
            draw.rectangle([80 + pack * 100, 30 + shelf * 150, 150 + pack * 100, 80 + shelf * 150],
                           fill=((shade + 40 * pack) % 255, 60, 50))
    draw.text((70, 660), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _execution(app: App, cm: str, month: str, code: str, out: Path) -> list[str]:
    """The CM's month: the visit plan of a campaign day, the execution sheet filled for the first stores, photos."""
    said = []
    days = [d for d in month_days(month) if d.weekday() < 5]
    plan = campaign_visit_list(app, app.actor(cm), cm_code=cm, campaign=code, day=days[min(2, len(days) - 1)],
                               target=out / cm / f"促销战役拜访计划-{code}.html")
    said.append(plan.message)
    path = out / cm / f"品牌培育执行表-{code}.xlsx"
    export_form(app, app.actor(cm), "cultivation", f"{month}/{code}", path)
    sheet = load_workbook(path)["执行情况"]  # a row per store, a column group per SKU with the checks asked for it
    header = {cell.column_letter: cell.value for cell in sheet[4] if cell.value}
    checks = [letter for letter, label in header.items() if label in dict(CHECKS).values()]
    visited, remark = (next(letter for letter, label in header.items() if label == wanted) for wanted in ("拜访日期", "备注"))
    edits: dict[str, object] = {}
    stores: list[str] = []
    for row in range(5, min(sheet.max_row, 10) + 1):  # the first six stores visited so far
        stores.append(str(sheet[f"B{row}"].value or ""))
        n = len(stores)
        edits.update({f"{letter}{row}": "否" if (n + i) % 5 == 0 else "是" for i, letter in enumerate(checks)})
        edits[f"{visited}{row}"] = f"{days[min(n, len(days) - 1)]:%Y-%m-%d}"
        if n == 2:
            edits[f"{remark}{row}"] = "海报已补贴，下次复查"
    content = type_into(path, {"执行情况": edits, "月度片区品牌培育执行表": {"B4": "提交"}})
    filled = path.with_name(f"{path.stem}-已填写.xlsx")
    filled.write_bytes(content)
    folder = out / cm / f"{path.stem}_照片"
    folder.mkdir(parents=True, exist_ok=True)
    for n, store in enumerate(stores[:6]):
        code_ = store.split()[0]
        (folder / f"{code_}-陈列.jpg").write_bytes(_photo(f"{code_} display", 30 * n))
        if n % 2 == 0:
            (folder / f"{code_}-价签.jpg").write_bytes(_photo(f"{code_} price tag", 30 * n + 90))
    said.append(add_folder_photos(app, app.actor(cm), code, folder).message)
    outcome = submit_workbook(app, app.actor(cm), filled.name, content)
    said.append(outcome.message + next((line for line in outcome.details if "当前状态" in line), ""))
    said.append(print_form(app, app.actor(cm), "cultivation", f"{month}/{code}",
                           out / cm / f"品牌培育执行表-{code}.pdf").message)
    return said


def run_cultivation(app: App, month: str, out: Path, cms: list[str], mms: list[str], say: Say) -> None:
    """§14 for the first market manager's department: the campaign, its first CM's month, the execution rates."""
    mm = app.actor(mms[0])
    unit = mm.unit_path[-1]
    code, kept = _campaign(app, "bm01", month, unit, out)
    say([f"  bm01：{kept}"])
    covered = [cm for cm in cms if unit in app.actor(cm).unit_path]
    say([f"  {covered[0]}：{line}" for line in _execution(app, covered[0], month, code, out)])
    headers, rows, _ = rates_list(app, mm, month, code, out / mms[0] / f"促销战役执行率-{month}.xlsx")
    total = rows[-1]
    say([f"  {mms[0]}：{code} 执行率 {total[7]}（{total[6]}/{total[4]} 项，{len(rows) - 2} 位客户经理），"
         f"已另存 促销战役执行率-{month}.xlsx"])
