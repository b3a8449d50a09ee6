"""`cmw demo`, §15 客户经理周自我评估 and §18 绩效合约书 as users do them, through the workbooks and the shared submit
path: every CM writes two weekly self-assessments (the first saved, then confirmed; the second confirmed at once);
the CMs of one department draft their contracts, the market manager confirms them in the review workbook (one is
sent back once, revised and confirmed), each CM self-evaluates, the market manager scores every contract in a folder
of the department's files, and prints the department's contracts as a review pack."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from addin.app import App
from addin.demo.big_table import review_as
from addin.demo.forms import Say, type_into
from addin.handlers import submit_workbook
from addin.handlers.forms import export_form
from addin.handlers.printing import burst
from engine.periods import month_days

SENT_BACK = "销量目标偏低：请参照上月实际上调，并加上重点品牌上柜率指标（权重从单条值中调出）。"
FIELDS, KPIS = "绩效合约书", "KPI 指标"
#: (indicator, name, weight, target, self score, MM score) of a demo contract, and of the one revised after 退回
KPI_LINES = (("销量", None, 40, 6000, 35, 34), ("单条值", None, 20, 150, 18, 17.5), ("计划完成率", None, 30, 90, 25.5, 26),
             ("其他", "客户投诉处理（件）", 10, 2, 10, 9))
REVISED = (("销量", None, 35, 6600, 30, 30), ("单条值", None, 15, 150, 13, 13), ("计划完成率", None, 25, 90, 21.5, 22),
           ("重点品牌上柜率", None, 15, 60, 12, 11.5), ("其他", "客户投诉处理（件）", 10, 2, 10, 9))


def _submit(app: App, who: str, path: Path, edits: dict) -> str:
    content = type_into(path, edits)
    filled = path.with_name(f"{path.stem}-已填写.xlsx")
    filled.write_bytes(content)
    return submit_workbook(app, app.actor(who), filled.name, content).lines()[-2]


def _weekly(app: App, cm: str, week: date, out: Path, save_first: bool) -> str:
    path = out / cm / f"周自我评估-{week}.xlsx"
    export_form(app, app.actor(cm), "weekly", week.isoformat(), path)
    edits = {"周自我评估": {"B4": "保存" if save_first else "提交", "B11": 1,
                       "B12": "两户烟酒店反映紧俏规格不够卖；一户便利店的价签不全。",
                       "B13": "补访未完成任务的客户；学习新品卖点。"},
             "自我评价": {"D5": "良", "D6": "良", "D7": "优", "D8": "中", "E8": "新品知识还要补"}}
    said = _submit(app, cm, path, edits)
    if not save_first:
        return said
    again = out / cm / f"周自我评估-{week}-确认.xlsx"
    export_form(app, app.actor(cm), "weekly", week.isoformat(), again)
    return _submit(app, cm, again, {"周自我评估": {"B4": "提交", "B13": "补访未完成任务的客户；下周二前学完新品卖点。"}})


def run_weekly(app: App, month: str, out: Path, cms: list[str], say: Say) -> None:
    """Two weekly self-assessments per CM: the month's first two weeks."""
    mondays = [day for day in month_days(month) if day.weekday() == 0][:2]
    for cm in cms:
        for n, week in enumerate(mondays):
            say([f"  {cm} 周自我评估 {week}：{_weekly(app, cm, week, out, save_first=n == 0)}"])


def _lines(lines: tuple, score: int | None = None) -> dict:
    """The KPI sheet's cells of the lines: the draft's columns, or the scores (4: self, 5: the MM's)."""
    cells = {}
    for row, (indicator, name, weight, target, *scores) in enumerate(lines, start=5):
        if score is None:
            cells.update({f"B{row}": indicator, f"C{row}": name, f"E{row}": weight, f"F{row}": target})
        else:
            cells[f"{'H' if score == 4 else 'I'}{row}"] = scores[score - 4]
    return cells


def draft_contract(app: App, cm: str, month: str, out: Path, lines: tuple, name: str) -> str:
    """cm's contract for the month drafted with lines and submitted through its workbook (out/cm/name.xlsx)."""
    path = out / cm / f"{name}.xlsx"
    export_form(app, app.actor(cm), "contract", month, path)
    return _submit(app, cm, path, {FIELDS: {"B4": "提交", "B5": "重点：稳住中高档规格销量，提高计划任务完成率。\n"
                                                        "弱项：新办证客户跟进不及时，陈列检查不够细。"},
                                   KPIS: _lines(lines)})


def run_contracts(app: App, month: str, out: Path, mm: str, say: Say) -> None:
    """§18 for every CM of the market manager's department, through every state; one sent back once."""
    mine = app.actor(mm)  # signed in as the market manager (on a database with personal logins)
    with app.uow() as uow:
        cms, unit = uow.users.cms_in(mine.unit_path), mine.unit_path[-1]
    sent_back = cms[1 % len(cms)]
    for cm in cms:
        say([f"  {cm} 起草绩效合约书并提交：{draft_contract(app, cm, month, out, KPI_LINES, '绩效合约书')}"])
    reason = lambda cm, what: SENT_BACK if cm == sent_back and what == "绩效合约书" else None  # noqa: E731
    say([f"  {mm} 确认绩效合约书（退回 {sent_back} 的一份）：", *(f"    {line}" for line in
                                                          review_as(app, mm, month, out, reason, name="审核-合约.xlsx"))])
    say([f"  {sent_back} 按退回理由修改后重新提交：{draft_contract(app, sent_back, month, out, REVISED, '绩效合约书-修改')}"])
    say([f"  {mm} 再次确认：", *(f"    {line}" for line in review_as(app, mm, month, out, lambda cm, what: None,
                                                                   name="审核-合约-再次.xlsx"))])
    for cm in cms:
        path = out / cm / "绩效合约书-自评.xlsx"
        export_form(app, app.actor(cm), "contract", month, path)
        lines = REVISED if cm == sent_back else KPI_LINES
        said = _submit(app, cm, path, {FIELDS: {"B4": "提交", "B11": "计划任务大部分完成；销量以数据为准，客户投诉处理及时。"},
                                       KPIS: _lines(lines, 4)})
        say([f"  {cm} 自评并提交：{said}"])
    folder = out / mm / "绩效合约书考评"
    export_form(app, app.actor(mm), "contract", month, folder, cms, folder=True)
    for cm in cms:
        [path] = [p for p in folder.glob(f"绩效合约书-{cm}-*.xlsx") if not p.stem.endswith("-已填写")]
        lines = REVISED if cm == sent_back else KPI_LINES
        said = _submit(app, mm, path, {FIELDS: {"B4": "提交", "B12": "完成情况较好；计划任务要按周跟进，陈列检查要细。"},
                                       KPIS: _lines(lines, 5)})
        say([f"  {mm} 考评 {cm}：{said}"])
    say([f"  {burst(app, app.actor(mm), 'contract', unit, month, out / mm / '绩效合约书打印').message}"])
