"""`cmw demo`: (re)create the database, generate the demo company, import it, and run what exists for the month.

Steps: the database (refusing to wipe one the demo did not make) → the import files → their import,
one transaction per file, as the administrator → the month's visit plan → every CM's store-list
workbook → the §2 round trip as a user would do it → §10 for every CM → §3 for the whole month
→ §11 work plans and §16 summaries (one sent back and resubmitted) → a summary with timings.
"""
from __future__ import annotations

import io
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from openpyxl import load_workbook
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from addin.app import App
from addin.demo.analysis import run_analysis
from addin.demo.brands import run_brands
from addin.demo.cultivation import run_cultivation
from addin.demo.company import COMPANY, SIZES, DemoFiles, generate
from addin.demo.contract import run_contracts, run_weekly
from addin.demo.forms import run_forms
from addin.demo.logins import LOGINS_FILE, PersonalLogins, sign_everyone_in
from addin.demo.survey import run_survey
from addin.demo.big_table import run_plans
from addin.handlers import export_stores, submit_workbook
from engine.actors import Actor, Role
from engine.errors import Refused
from engine.periods import parse_month
from engine.ports import StoreFilter
from engine.stores import WEEKDAYS
from storage.database import (describe, drop_everything, first_line, holds_no_data, make_engine, session_factory,
                              upgrade)
from storage.schema import OrderLineRow, OrderRow, ProductRow, Setting, StoreRow, Unit, User, VisitPlanRow
from workbooks.stores import LAYOUT, SHEET

MARKER_KEY, MARKER_VALUE = "made_by", "cmw demo"
WORKBOOK = "客户信息维护.xlsx"
EDITED = "客户信息维护-已修改.xlsx"
Say = Callable[[list[str]], None]


@dataclass(frozen=True)
class DemoOptions:
    """What `cmw demo` was asked for."""

    size: str
    seed: int
    month: str
    out: Path
    force: bool = False
    url: str | None = None


@dataclass
class Timings:
    """Seconds per step, in the order the steps ran."""

    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Time the block under label."""
        started = time.perf_counter()
        yield
        self.steps.append((label, time.perf_counter() - started))


def _made_by_demo(engine: Engine, tables: list[str]) -> bool:
    if Setting.__tablename__ not in tables:
        return False
    with engine.connect() as connection:
        value = connection.scalar(select(Setting.value).where(Setting.key == MARKER_KEY))
    return value == MARKER_VALUE


def prepare_database(engine: Engine, force: bool) -> None:
    """Wipe and migrate the database and mark it as the demo's; refuse a database the demo did not make."""
    try:
        tables = inspect(engine).get_table_names()
    except Exception as exc:  # connection refused, unknown database, bad credentials
        raise Refused(f"无法连接数据库 {describe(engine)}：{first_line(exc)}。请检查 CMW_DATABASE_URL 或数据库服务。") from exc
    if tables and not force and not _made_by_demo(engine, tables) and not holds_no_data(engine):  # db upgrade's
        raise Refused(f"数据库 {describe(engine)} 里已有数据，而且不是 cmw demo 建立的（共 {len(tables)} 张表）。"
                      "cmw demo 会清空并重建数据库，为防误删已停止。如确认要清空它，请加 --force；"
                      "或用 CMW_DATABASE_URL 指定另一个数据库。")
    drop_everything(engine)
    upgrade(engine)
    with Session(engine) as session, session.begin():
        session.add(Setting(key=MARKER_KEY, value=MARKER_VALUE))


def _import_all(app: App, jobs: list[tuple[str, Path]], timings: Timings, say: Say) -> None:
    """Each file through the importers as the administrator, one transaction per file."""
    from engine.reference_data import import_file

    for kind, path in jobs:
        # The administrator exists only once the org file is in; until then the demo acts in their name. Naming
        # the actor comes first: on personal logins it signs in as them.
        admin = Actor("admin", "系统管理员", Role.ADMIN, (COMPANY[0],)) if kind == "org" else app.actor("admin")
        with timings.step(f"导入 {path.name}"):
            report = import_file(app.uow(), admin, kind, path)
        say([f"  {line}" for line in report.lines()])


def _plan_visits(app: App, month: str, say: Say) -> None:
    from engine.visits import plan_visits

    admin = app.actor("admin")  # first: on personal logins, naming the actor signs in as them
    report = plan_visits(app.uow(), admin, month)
    say([f"  {line}" for line in report.lines()])


def _sign_in(app: App, engine: Engine, out: Path, timings: Timings, say: Say) -> App:
    """On PostgreSQL, every user's own database login from here on (addin/demo/logins.py); elsewhere the same app."""
    if engine.dialect.name != "postgresql":
        say([f"  {engine.dialect.name} 上演示不开通个人数据库账号（操作人由 --as 指定，见 README 的公司部署一节）。"])
        return app
    with timings.step("开通个人数据库账号"):
        people = sign_everyone_in(engine, out)
    say([f"  已为 {len(people.passwords)} 位用户开通 PostgreSQL 个人账号（密码见 {out / LOGINS_FILE}）；"
         "以下每一步都用操作人自己的账号连接数据库，由数据库的行级权限和状态函数把关。"])
    return people


def _codes(app: App, role: str) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(User.code).where(User.role == role).order_by(User.code)))


def _cm_codes(app: App) -> list[str]:
    return _codes(app, "cm")


def _mm_codes(app: App) -> list[str]:
    return _codes(app, "mm")


def _export_workbooks(app: App, out: Path, say: Say) -> list[Path]:
    """Every CM's store-list workbook under <out>/<cm code>/."""
    paths = []
    for code in _cm_codes(app):
        path = out / code / WORKBOOK
        export_stores(app, app.actor(code), StoreFilter(), path)
        paths.append(path)
    say([f"  已为 {len(paths)} 位客户经理导出客户信息维护表：{out}/cm…/{WORKBOOK}"])
    return paths


def _edit_as_a_user(source: Path, target: Path) -> list[str]:
    """What a CM would do in Excel: change two phone numbers and one visit weekday, then save under a new name."""
    layout = LAYOUT.sheet(SHEET)
    book = load_workbook(source)
    sheet = book[SHEET]
    rows = [layout.first_data_row + i for i in range(3)]
    changes = []
    for row, phone in zip(rows[:2], ("13907161234", "0716-8123456")):
        changes.append((layout.cell("phone", row), phone))
    weekday = sheet[layout.cell("visit_weekday", rows[2])].value
    next_day = WEEKDAYS[(WEEKDAYS.index(weekday) + 1) % 5] if weekday in WEEKDAYS[:5] else WEEKDAYS[0]
    changes.append((layout.cell("visit_weekday", rows[2]), next_day))
    done = []
    for address, value in changes:
        done.append(f"  {SHEET}!{address}：“{sheet[address].value}” → “{value}”")
        sheet[address] = value
    buffer = io.BytesIO()
    book.save(buffer)
    target.write_bytes(buffer.getvalue())
    return done


def _round_trip(app: App, out: Path, say: Say) -> None:
    """§2 as a user would do it: cm001 edits the exported workbook and submits it."""
    source, target = out / "cm001" / WORKBOOK, out / "cm001" / EDITED
    say([f"  cm001 在 Excel 中打开 {source}，修改后另存为 {target}："])
    say(_edit_as_a_user(source, target))
    outcome = submit_workbook(app, app.actor("cm001"), target.name, target.read_bytes())
    first, *details = outcome.lines()
    say([f"  提交结果：{first}", *(f"    {line}" for line in details)])


def _navigation(app: App, month: str, out: Path, cms: list[str], mms: list[str], say: Say) -> None:
    """§1 at the end of the month: each CM's 导航 workbook beside their workbooks (linked), each market manager's
    overview in the terminal, as a workbook and as a print page."""
    from addin.buttons import button_labels
    from addin.handlers.navigation import export_status, month_status, status_lines
    from templates.pdf import unavailable

    labels = button_labels()
    for cm in cms:
        say([f"  {line}" for line in export_status(app, app.actor(cm), month, out / cm / "工作导航.xlsx",
                                                   commands=labels).lines()[:1]])
    for mm in mms:
        actor = app.actor(mm)
        say([f"  {line}" for line in status_lines(month_status(app, actor, month), month, labels)])
        for suffix in (".xlsx", ".html" if unavailable() else ".pdf"):  # a PC without Pango: the page as HTML
            say([f"  {export_status(app, actor, month, out / mm / f'工作导航{suffix}', commands=labels).message}"])


def _feedback(app: App, month: str, out: Path, cm: str, say: Say) -> None:
    """§17 for the first CM: every active store's page in visit order as one .html (print it from a browser), and the
    first store's page as a PDF to hand over (where this PC can make PDFs)."""
    from addin.handlers.feedback import print_feedback
    from templates.pdf import unavailable

    actor = app.actor(cm)
    say([f"  {print_feedback(app, actor, cm, month, out / cm / '客户月度经营状态反馈表.html').message}"])
    if unavailable():
        return
    with app.uow() as uow:
        first = next(s.code for s in uow.analyses.scope([cm]) if s.status == "active")
    say([f"  {print_feedback(app, actor, cm, month, out / cm / f'客户月度经营状态反馈表-{first}.pdf', store=first).message}"])


def _counts(app: App) -> dict[str, int]:
    tables = {"单位": Unit, "用户": User, "客户": StoreRow, "卷烟规格": ProductRow, "订单": OrderRow,
              "订单明细": OrderLineRow, "拜访计划": VisitPlanRow}
    with app.sessions() as session:
        counts = {label: session.scalar(select(func.count()).select_from(t)) for label, t in tables.items()}
        counts["有效客户"] = session.scalar(select(func.count()).where(StoreRow.status == "active"))
    return counts


def _summary(engine: Engine, options: DemoOptions, files: DemoFiles, counts: dict[str, int],
             timings: Timings) -> list[str]:
    lines = ["", "== 演示数据已就绪 ==", f"数据库：{describe(engine)}",
             f"导入文件：{files.folder}（org.csv、stores.csv、products.csv、"
             f"{'、'.join(p.name for p in files.order_files)}）",
             *([] if options.size == "province" else
               [f"客户经理工作簿：{options.out}/cm001 … 下的 {WORKBOOK}；修改示例：{options.out}/cm001/{EDITED}"]),
             "数量：" + "，".join(f"{k} {v:,}" for k, v in counts.items())]
    cartons = sum(m.cartons for m in files.months)
    if cartons:
        orders, order_lines = sum(m.orders for m in files.months), sum(m.lines for m in files.months)
        lines.append(f"订单：平均每单 {order_lines / orders:.1f} 行，平均单条值 "
                     f"{sum(m.amount for m in files.months) / cartons:.1f} 元/条")
    lines.append(f"用时（合计 {sum(s for _, s in timings.steps):.1f} 秒）：")
    lines += [f"  {seconds:7.2f} 秒  {label}" for label, seconds in timings.steps]
    lines.append("接下来：cmw users list 查看用户；cmw stores export --as cm001 -o 客户信息.xlsx 导出客户信息表")
    return lines


def run_demo(options: DemoOptions, say: Say) -> dict[str, int]:
    """Run the whole demo, printing as it goes; return the row counts of the database it made."""
    if options.size not in SIZES:
        raise Refused(f"没有“{options.size}”这种规模，可选：small、city、province。")
    try:
        parse_month(options.month)
    except ValueError as exc:
        raise Refused(f"--month 有误：{exc}") from None
    timings = Timings()
    engine = make_engine(options.url)
    app: App | None = None
    try:
        if options.size == "province" and engine.url.get_backend_name() != "postgresql":
            raise Refused(f"province 规模（1500 位客户经理、30 万户、每月约 4000 万行订单明细）只在 PostgreSQL 上运行，"
                          f"现在的数据库是 {describe(engine)}。请把 CMW_DATABASE_URL 设为一个 PostgreSQL 数据库后再运行。")
        say([f"数据库：{describe(engine)}"])
        with timings.step("建库"):
            prepare_database(engine, options.force)
        with timings.step("生成数据"):
            files = generate(options.size, options.seed, options.month, options.out / "参考数据")
        say([f"已生成 {options.size} 规模的公司（种子 {options.seed}）：{files.folder}",
             "导入（管理员 admin，每个文件一个事务）："])
        owner = App(engine, session_factory(engine))  # the demo's own connection: counting, listing users
        _import_all(owner, [("org", files.org)], timings, say)
        app = _sign_in(owner, engine, options.out, timings, say)
        jobs = [("stores", files.stores), ("products", files.products)]
        _import_all(app, jobs + [("orders", path) for path in files.order_files], timings, say)
        with timings.step("拜访计划"):
            _plan_visits(app, options.month, say)
        if options.size == "province":  # the province is for measuring at scale: benchmarks/README.md, 省级规模
            say(["province 规模只建立公司、三个月的订单和拜访计划；月初、审批等各步的计时见 benchmarks/README.md。"])
            counts = _counts(owner)
            say(_summary(engine, options, files, counts, timings))
            return counts
        with timings.step("导出工作簿"):
            _export_workbooks(app, options.out, say)
        with timings.step("客户信息维护往返"):
            _round_trip(app, options.out, say)
        cms, mms = _cm_codes(owner), _mm_codes(owner)
        say(["重点品牌、品牌目标与目标客户（§5、§6），上月市场和品牌状态分析（§4、§7）："])
        with timings.step("重点品牌、品牌目标与市场和品牌分析"):
            run_brands(app, options.month, options.out, cms, mms, say)
        say([f"{options.month} 月度经营状态分析（§10）："])
        with timings.step("经营状态分析"):
            run_analysis(app, options.month, options.out, options.seed, cms, mms, say)
        say([f"{options.month} 客户需求调查（§8）与统计（§9）："])
        with timings.step("客户需求调查与统计"):
            run_survey(app, options.month, options.out, options.seed, cms, mms, say)
        say([f"{options.month} 任务执行标注表（§3）："])
        with timings.step("任务大表全流程"):
            run_plans(app, options.month, options.out, options.seed, cms, mms, say)
        say([f"{options.month} 客户经理周自我评估（§15，每位客户经理两周）："])
        with timings.step("周自我评估"):
            run_weekly(app, options.month, options.out, cms, say)
        say([f"{options.month} 月工作计划（§11）与月度工作总结（§16）："])
        with timings.step("月工作计划与月度工作总结"):
            run_forms(app, options.month, options.out, cms, mms, say)
        say([f"{options.month} 绩效合约书（§18，{mms[0]} 的营销部）："])
        with timings.step("绩效合约书全流程"):
            run_contracts(app, options.month, options.out, mms[0], say)
        say([f"{options.month} 月度片区品牌培育执行表（§14，{mms[0]} 的营销部）："])
        with timings.step("品牌培育与照片"):
            run_cultivation(app, options.month, options.out, cms, mms, say)
        say([f"{options.month} 工作导航（§1）："])
        with timings.step("工作导航"):
            _navigation(app, options.month, options.out, cms, mms, say)
        say([f"{options.month} 客户月度经营状态反馈表（§17）："])
        with timings.step("客户反馈表"):
            _feedback(app, options.month, options.out, cms[0], say)
        counts = _counts(owner)
        say(_summary(engine, options, files, counts, timings))
        return counts
    finally:
        if isinstance(app, PersonalLogins):
            app.dispose()
        engine.dispose()
