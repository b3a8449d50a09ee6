"""The role matrix: every `cmw` command and every ribbon button × CM / MM / BM / administrator / unknown user × own /
same department / other department, each cell run for real on one shared company per database, and each answer held
to what the policy (engine/policy.py) says: refused by the policy (NotAllowed) exactly where it does not allow.

The cells are generated from the command tree (each leaf's `act`) and BUTTONS (each button's `act`): a command or a
button without an act the policy knows fails here, naming itself. A cell the policy allows may still be refused for
another reason (a month not computed yet, nothing to print): that is not the policy's to say, but such a refusal must
not sound like a permission (无权, 只能由…). What each cell runs is in COMMANDS and BUTTON_BOOKS below: cheap outputs
(.html, .csv), the shared company's books in front.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from addin.app import App
from addin.buttons import BUTTONS
from addin.cli import build_parser
from addin.dispatch import press
from engine import policy
from engine.actors import Actor
from engine.big_table import generate
from engine.document_types import document_types
from engine.documents import transition_document
from engine.errors import NotAllowed, Refused
from engine.operating_analysis import compute_effect, generate_strategies
from engine.ports import StoreFilter
from engine.workflow import Owner
from tests.analysis_helpers import MONTH, actor, filled, submit
from tests.campaign_helpers import keep_campaign
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code
from workbooks.file_book import FileBook
from workbooks.stores import LAYOUT as STORE_LAYOUT, SHEET as STORE_SHEET

ROLES = ("cm001", "mm01", "bm01", "admin")  # a CM, an MM, a BM, an administrator of the test company
UNKNOWN = "nobody"
#: own / same department / other department, for each acting user (D01: cm001, cm002, mm01; D02: cm003, mm02)
TARGETS = {"cm001": ("cm001", "cm002", "cm003"), "mm01": ("mm01", "cm001", "cm003"),
           "bm01": ("bm01", "cm001", "cm003"), "admin": ("admin", "cm001", "cm003"),
           UNKNOWN: (UNKNOWN, "cm001", "cm003")}
RELATIONS = ("own", "same department", "other department")
#: A month with nothing in it: where a cell the policy allows would spend its time on the month's figures (district
#: statistics, print pages, workbooks), it runs on this month and is refused, cheaply, for want of them — after the
#: policy has answered, which is what the cell checks.
EMPTY = "2026-12"
PERMISSION_WORDS = re.compile(r"无权|只能由|不能使用|只有管理员|不是.*管辖")
STORES = STORE_LAYOUT.sheet(STORE_SHEET)


@dataclass(frozen=True)
class Cell:
    """How a command runs in the matrix: its arguments for a target CM (None: the command names nobody's things, one
    cell per user), and the act the answer is held to when it is not the command's own (a file's own rule)."""

    argv: object  # (target, folder, company) -> list of arguments, without --as
    whose: bool = True
    act: str | None = None
    thing: bool = False  # the target's store or file: a user who owns none gets cm001's (whose owner decides)


def _out(folder: Path, name: str) -> str:
    return str(folder / name)


#: Every leaf of the command tree: how its cells run. A new command needs a line here (the test says so).
COMMANDS: dict[str, Cell | str] = {
    "db upgrade": Cell(lambda t, f, c: [], whose=False),
    "db status": Cell(lambda t, f, c: [], whose=False),
    "demo": "rebuilds the database it runs on (the shared company would be gone): tests/integration/test_demo.py "
            "runs it on every database",
    "users list": Cell(lambda t, f, c: [], whose=False),
    "users grant": Cell(lambda t, f, c: ["zz_nobody", "--passwords", _out(f, "p.csv")], whose=False),  # refused: no
    # such user, before any login is made (on SQLite: no logins at all)
    "users revoke": "drops a server-wide login: tests/integration/test_database_security*.py run it on PostgreSQL and "
                    "MariaDB, under their advisory lock",
    "units list": Cell(lambda t, f, c: [], whose=False),
    "import": Cell(lambda t, f, c: ["products", str(c.empty_products)], whose=False),
    # the administrator passes the policy, then is refused for the month (within the kept window, or no orders)
    "archive": Cell(lambda t, f, c: ["orders", "--month", "2026-10", "--to", str(f)], whose=False),
    "stores export": Cell(lambda t, f, c: ["-o", _out(f, "stores.xlsx")], whose=False),
    "stores show": Cell(lambda t, f, c: [c.store_of.get(t, store_code(1, 1))], thing=True),
    "visits plan": Cell(lambda t, f, c: ["--month", "2027-01"], whose=False),
    "visits day": Cell(lambda t, f, c: ["--cm", t, "--date", "2026-11-02", "-o", _out(f, "day.html")]),
    "visits campaign": Cell(lambda t, f, c: ["--cm", t, "--campaign", "NONE", "--date", "2026-11-02", "-o",
                                             _out(f, "campaign.html")]),
    "visits week": Cell(lambda t, f, c: ["--cm", t, "--week-start", "2026-11-02", "-o", _out(f, "week.html")]),
    "analysis effect": Cell(lambda t, f, c: ["--month", MONTH, "--cm", t]),
    "analysis reopen": Cell(lambda t, f, c: ["--month", MONTH, "--cm", t, "--reason", "矩阵测试"]),
    "analysis capability export": Cell(lambda t, f, c: ["--month", MONTH, "-o", _out(f, "cap.xlsx")], whose=False),
    "analysis strategies": Cell(lambda t, f, c: ["--month", MONTH, "--cm", t]),
    "analysis district": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "-o", _out(f, "district.html")]),
    "analysis list": Cell(lambda t, f, c: ["--cm", t]),
    "survey items show": Cell(lambda t, f, c: [], whose=False),
    "survey items export": Cell(lambda t, f, c: ["-o", _out(f, "items.csv")], whose=False),
    "survey items import": Cell(lambda t, f, c: [str(c.rubric_csv)], whose=False),  # not a questionnaire: refused
    "survey export": Cell(lambda t, f, c: ["--month", EMPTY, "-o", _out(f, "survey.xlsx")], whose=False),
    "survey import": Cell(lambda t, f, c: [str(c.empty_products), "--month", EMPTY], whose=False),  # not the
    # platform's columns: refused after the policy, nothing written
    "survey list": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t]),
    "survey stats": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "-o", _out(f, "stats.html")]),
    "brands export": Cell(lambda t, f, c: ["--month", EMPTY, "-o", _out(f, "brands.xlsx")], whose=False),
    "brands import": Cell(lambda t, f, c: [str(c.rubric_csv)], whose=False),  # not a key-brand workbook: refused
    "brands list": Cell(lambda t, f, c: ["--month", EMPTY], whose=False),
    "brands filter": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "--brand", "甲"]),  # no key brands kept:
    # refused after the policy answered
    "campaigns export": Cell(lambda t, f, c: ["-o", _out(f, "campaigns.xlsx")], whose=False),
    "campaigns import": Cell(lambda t, f, c: [str(c.rubric_csv)], whose=False),  # not a campaign workbook: refused
    "campaigns list": Cell(lambda t, f, c: [], whose=False),
    "campaigns rates": Cell(lambda t, f, c: ["--month", EMPTY], whose=False),  # no campaign: refused after the policy
    "photos add": Cell(lambda t, f, c: ["--campaign", "NONE", "--store", store_code(1, 1), str(c.rubric_csv)],
                       whose=False),  # no such campaign: refused after the policy answered
    "photos list": Cell(lambda t, f, c: ["--cm", t]),
    "rubric show": Cell(lambda t, f, c: ["effect"], whose=False),
    "rubric export": Cell(lambda t, f, c: ["effect", "-o", _out(f, "rubric.csv")], whose=False),
    "rubric import": Cell(lambda t, f, c: ["effect", str(c.rubric_csv)], whose=False),
    "plan generate": Cell(lambda t, f, c: ["--month", MONTH, "--cm", t]),
    "plan export": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "-o", _out(f, "plan.xlsx")]),
    "plan list": Cell(lambda t, f, c: ["--cm", t]),
    "form kinds": Cell(lambda t, f, c: [], whose=False),
    "form export": Cell(lambda t, f, c: ["workplan", "--month", MONTH, "--cm", t, "-o", _out(f, "workplan.xlsx")]),
    "form list": Cell(lambda t, f, c: ["workplan", "--cm", t]),
    "form print": Cell(lambda t, f, c: ["workplan", "--month", MONTH, "--cm", t, "-o", _out(f, "workplan.html")]),
    "review export": Cell(lambda t, f, c: ["--month", MONTH, "-o", _out(f, "review.xlsx")], whose=False),
    "print store": Cell(lambda t, f, c: [c.store_of.get(t, store_code(1, 1)), "-o", _out(f, "store.html")], thing=True),
    "print district": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "-o", _out(f, "district.html")]),
    "print day": Cell(lambda t, f, c: ["--cm", t, "--date", "2026-11-02", "-o", _out(f, "day.html")]),
    "print week": Cell(lambda t, f, c: ["--cm", t, "--week-start", "2026-11-02", "-o", _out(f, "week.html")]),
    "print bigtable": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "-o", _out(f, "plan.html")]),
    "print feedback": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t, "--store", c.store_of.get(t, store_code(1, 1)),
                                            "-o", _out(f, "feedback.html")]),
    "status": Cell(lambda t, f, c: ["--month", EMPTY, "--cm", t]),
    "submit": Cell(lambda t, f, c: [str(c.copy("stores", t, f))], act="stores.maintain", thing=True),
    "check": Cell(lambda t, f, c: [str(c.copy("stores", t, f))], act="stores.maintain", thing=True),
    "history": Cell(lambda t, f, c: ["--kind", "bigtable", "--month", MONTH, "--cm", t]),
    "contract history": Cell(lambda t, f, c: ["--month", MONTH, "--cm", t]),
    "submissions list": Cell(lambda t, f, c: [], whose=False),
    "addin build": Cell(lambda t, f, c: ["-o", _out(f, "dist")], whose=False),
    "addin install": Cell(lambda t, f, c: ["--target", _out(f, "addin"), "--user", "cm001"], whose=False),
    "addin actions": Cell(lambda t, f, c: [], whose=False),
    "addin doctor": Cell(lambda t, f, c: [], whose=False),
    "launcher": "opens a window and waits for its user; each button clicked in it goes through the dispatcher, whose "
                "every button is a row of this matrix (tests/e2e/test_launcher.py clicks them in it)",
    "addin run": Cell(lambda t, f, c: ["plan_export", str(c.copy("bigtable", t, f)), "--output-dir", _out(f, "run")],
                      act="view:bigtable", thing=True),
}

#: The workbook in front of each button: a CM's book of the target (stores, bigtable, workplan — its owner is whose
#: things the button works on), or a blank book (None: the button works on the user's own things or scope).
#: The act the answer is held to is the button's, unless given (a file's own rule: the store list's).
BUTTON_BOOKS: dict[str, tuple[str | None, str | None]] = {
    "stores_export": (None, None), "key_brands_export": (None, None), "effect_compute": (None, None), "capability_export": (None, None),
    "survey_export": (None, None), "questionnaire_export": (None, None), "questionnaire_import": ("rubric", None),
    "survey_import": ("rubric", None), "survey_list": (None, None), "survey_stats": (None, None),
    "survey_stats_print": (None, None), "navigation": ("workplan", None), "feedback_print": ("workplan", None),
    "strategies_generate": ("workplan", None), "district_export": ("workplan", None), "analysis_list": (None, None),
    "rubric_export_effect": (None, None), "rubric_export_capability": (None, None),
    "rubric_import": ("rubric", None), "plan_generate": ("workplan", None), "plan_export": ("bigtable", None),
    "plan_export_all": (None, None), "plan_submit": ("bigtable", None), "plan_mark": ("bigtable", None),
    "results_submit": ("bigtable", None), "plan_list": (None, None), "review_export": (None, None),
    "review_submit": ("review", None), "visits_day": ("workplan", None), "visits_week": ("workplan", None),
    "bigtable_print": ("workplan", None), "pack_bigtable": (None, None), "pack_district": (None, None),
    "print_book": (None, None), "store_print": ("stores", None), "district_print": ("workplan", None),
    "submit": ("stores", "stores.maintain"), "check": ("stores", "stores.maintain"),
    "refresh": ("stores", "stores.maintain"),
    "campaigns_export": (None, None), "campaign_rates": (None, None),  # no campaign this month: refused after the policy
    "campaign_photos": ("cultivation", None), "visits_campaign": ("workplan", None),
    # 导出 and 打印 of every declared document type, derived as the buttons are (addin/buttons.py: _form_actions)
    **{f"{code}_{what}": (None if what == "export" else "workplan", None)
       for code, kind in document_types().items() if kind.parts for what in ("export", "print")},
}
WHOSE_BOOKS = ("stores", "bigtable", "workplan", "cultivation")  # books that belong to a CM: the button's cells go by their owner
SUBMITTING = ("submit", "check", "plan_submit", "plan_mark", "results_submit", "review_submit", "rubric_import")


class Company:
    """The shared company of one database: its app, each CM's exported books, a rubric file, an empty import."""

    def __init__(self, db, folder: Path):
        self.db, self.folder = db, folder
        self.app = App(db.engine, db.sessions)
        self.books: dict[tuple[str, str], Path] = {}
        self.store_of = {cm: store_code(n, 1) for n, cm in enumerate(("cm001", "cm002", "cm003"), start=1)}

    def copy(self, kind: str, owner: str, folder: Path, fresh: bool = True) -> Path:
        """The target's book or, for a user who owns nothing, cm001's (whose owner decides the cell); fresh: a copy
        of it, for a cell that hands it in (the submission path may write its hints into the book in front)."""
        source = self.books.get((kind, owner)) or self.books[(kind, "cm001")]
        if not fresh:
            return source
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{kind}-{owner}-{len(list(folder.iterdir()))}{source.suffix}"
        shutil.copy(source, target)
        return target


def _prepare(db, folder: Path) -> Company:
    """The test company with a month ready for every CM (effect, scores, strategies, big table) and their books."""
    from addin.handlers import export_stores
    from addin.handlers.big_table import export_plan
    from addin.handlers.forms import export_form
    from addin.handlers.review import export_review
    from addin.handlers.rubrics import export_rubric

    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    admin = actor(db, "admin")
    compute_effect(db.uow(), admin, month=MONTH)
    for n, cm in enumerate(("cm001", "cm002", "cm003"), start=1):
        submit(db, [filled(store_code(n, i), i + 2) for i in range(1, STORES_PER_CM + 1)], user=cm, owner=cm)
    generate_strategies(db.uow(), admin, month=MONTH)
    generate(db.uow(), admin, month=MONTH)
    company = Company(db, folder)
    app = company.app
    for cm in ("cm001", "cm002", "cm003"):
        someone = app.actor(cm)
        stores = folder / f"stores-{cm}.xlsx"
        export_stores(app, someone, StoreFilter(), stores)
        book = load_workbook(stores)  # a store row picked, as 打印客户明细 needs
        book[STORE_SHEET].sheet_view.selection[0].activeCell = STORES.cell("name", STORES.first_data_row)
        book[STORE_SHEET].sheet_view.selection[0].sqref = STORES.cell("name", STORES.first_data_row)
        book.save(stores)
        company.books[("stores", cm)] = stores
        company.books[("bigtable", cm)] = folder / f"bigtable-{cm}.xlsx"
        export_plan(app, someone, MONTH, company.books[("bigtable", cm)])
        company.books[("workplan", cm)] = folder / f"workplan-{cm}.xlsx"  # a CM's book of the empty month
        export_form(app, someone, "workplan", EMPTY, company.books[("workplan", cm)])
        company.books[("cultivation", cm)] = folder / f"cultivation-{cm}.xlsx"  # §14: a campaign's sheet
        export_form(app, someone, "cultivation", f"{EMPTY}/{keep_campaign(app, EMPTY, covers=('D01', 'D02')).code}",
                    company.books[("cultivation", cm)])
    transition_document(db.uow(), actor=app.actor("cm002"), kind="bigtable", owner_code="cm002", period=MONTH,
                        transition="submit_plan")  # something awaits mm01's review
    company.books[("review", "cm001")] = folder / "review.xlsx"
    export_review(app, app.actor("mm01"), MONTH, company.books[("review", "cm001")])
    company.books[("rubric", "cm001")] = folder / "rubric.xlsx"
    export_rubric(app, admin, "effect", company.books[("rubric", "cm001")])
    company.rubric_csv = folder / "rubric.csv"
    export_rubric(app, admin, "effect", company.rubric_csv)
    with db.uow() as uow:
        company.users = {code: uow.users.actor(code) for code in (*ROLES, "cm002", "cm003")}
    company.empty_products = folder / "products.csv"
    company.empty_products.write_text("卷烟编码,卷烟名称\n", encoding="utf-8")
    return company


@pytest.fixture(scope="module")
def company(migrated, tmp_path_factory):
    """One company per database for every cell of the matrix (the cells do not depend on each other's effects: the
    policy's answer never depends on a document's state)."""
    migrated.clear()
    return _prepare(migrated, tmp_path_factory.mktemp(f"matrix-{migrated.name}"))


def _leaves(parser, path=()):
    subs = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    if not subs:
        yield " ".join(path), parser
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*path, name))


def _expected(company: Company, user: str, act: str, target: str | None) -> bool:
    """Whether the policy lets the user do the act to the target's things (target None: at all)."""
    someone: Actor | None = company.users.get(user)
    if someone is None:
        return policy.rule(act).nobody != ""
    if target is None:
        return policy.allows(someone, act)
    owner = company.users[target]
    return policy.allows(someone, act, Owner(owner.code, owner.unit_path))


def _answer(run) -> tuple[str, str]:
    """("allowed" | "not allowed" | "refused", the message) of one cell."""
    try:
        run()
    except NotAllowed as refusal:
        return "not allowed", refusal.message
    except Refused as refusal:
        return "refused", refusal.message
    return "allowed", ""


def _judge(cell: str, expected: bool, unknown: bool, answer: tuple[str, str]) -> str | None:
    """What is wrong with a cell's answer, or None."""
    kind, message = answer
    if unknown:
        return None if kind != "allowed" and f"“{UNKNOWN}”不存在" in message else f"{cell}: an unknown user got {answer}"
    if not expected:
        return None if kind == "not allowed" else f"{cell}: the policy refuses, the command gave {answer}"
    if kind == "not allowed" or PERMISSION_WORDS.search(message):
        return f"{cell}: the policy allows, the command refused it as a permission: {message}"
    return None


def test_every_command_and_button_names_an_act_the_policy_has():
    """A new command or button without a policy entry (or without a line in this matrix) fails here, saying so."""
    problems = []
    for name, leaf in _leaves(build_parser()):
        act = leaf.get_default("act")
        if act is None:
            problems.append(f"命令 cmw {name} 没有在 engine/policy.py 中登记权限：请在它的 set_defaults 中给出 act=…，"
                            "并在 policy.DECLARED 中声明这个 act（或使用由流程导出的 view:/edit:/KIND:ACTION）")
        elif "{" not in act and act not in policy.rules():
            problems.append(f"命令 cmw {name} 的 act “{act}” 不在 engine/policy.py 的权限表中")
        if name not in COMMANDS:
            problems.append(f"命令 cmw {name} 不在权限矩阵中：请在 tests/integration/test_role_matrix.py 的 COMMANDS 加一行")
    for tag, button in BUTTONS.items():
        if button.act not in policy.rules():
            problems.append(f"按钮 {tag} 的 act “{button.act}” 不在 engine/policy.py 的权限表中")
        if tag not in BUTTON_BOOKS:
            problems.append(f"按钮 {tag} 不在权限矩阵中：请在 tests/integration/test_role_matrix.py 的 BUTTON_BOOKS 加一行")
    assert set(COMMANDS) <= {name for name, _ in _leaves(build_parser())}, "COMMANDS names a command that is gone"
    assert set(BUTTON_BOOKS) <= set(BUTTONS), "BUTTON_BOOKS names a button that is gone"
    assert not problems, "\n".join(problems)


def _users() -> list[tuple[str, tuple[str | None, ...]]]:
    """Each user with the targets their cells go to: own, same and other department (the unknown user: one cell)."""
    return [(user, TARGETS[user]) for user in ROLES] + [(UNKNOWN, (TARGETS[UNKNOWN][1],))]


def test_every_command_refuses_exactly_whom_the_policy_refuses(company, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CMW_DATABASE_URL", company.db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CMW_USER", raising=False)
    import addin.app
    import addin.commands

    for module in addin.commands.command_modules():  # one App for the matrix, as each command would open it
        if hasattr(module, "open_app"):
            monkeypatch.setattr(module, "open_app", lambda *a, **k: company.app)
    monkeypatch.setattr(addin.app, "open_app", lambda *a, **k: company.app)
    parser, wrong, cells = build_parser(), [], 0
    for name, leaf in _leaves(parser):
        spec = COMMANDS[name]
        if isinstance(spec, str):  # not run here, and why
            continue
        template = leaf.get_default("act")
        act = spec.act or template.format(kind="workplan" if name.startswith("form") else "bigtable")
        if policy.rule(act).nobody:  # needs no acting user: one cell, which must not be refused for who runs it
            answer = _answer(lambda: _run(parser, name.split() + spec.argv(None, tmp_path / name, company)))
            wrong.append(_judge(f"cmw {name}", True, False, answer))
            cells += 1
            continue
        for user, targets in _users():
            for relation, target in zip(RELATIONS, targets if spec.whose else (None,)):
                folder = tmp_path / name.replace(" ", "-") / user / relation.replace(" ", "-")
                argv = name.split() + spec.argv(target or user, folder, company) + ["--as", user]
                answer = _answer(lambda: _run(parser, argv))
                if name == "addin run":  # the dispatcher answers, never raises: its reply says whether the policy refused
                    answer = _replied(answer, capsys)
                where = f"cmw {name} --as {user}" + (f" ({relation}: {target})" if target else "")
                owner = "cm001" if spec.thing and target not in company.store_of else target
                wrong.append(_judge(where, _expected(company, user, act, owner), user == UNKNOWN, answer))
                cells += 1
        capsys.readouterr()
    problems = [w for w in wrong if w]
    assert not problems, f"{len(problems)} of {cells} cells disagree with engine/policy.py:\n" + "\n".join(problems)


def _run(parser, argv: list[str]) -> None:
    args = parser.parse_args(argv)
    args.run(args)


def _replied(answer: tuple[str, str], capsys) -> tuple[str, str]:
    """The reply `cmw addin run` printed, as an answer: a policy refusal reads 无权…只能由."""
    out = capsys.readouterr().out
    first = out.splitlines()[0] if out else ""
    if "无权" in first and "只能由" in first:
        return "not allowed", first
    if "不存在" in first or "不适用" in first:
        return "refused", first
    return answer


def test_every_button_refuses_exactly_whom_the_policy_refuses(company, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    wrong, cells = [], 0
    for tag, button in BUTTONS.items():
        kind, act = BUTTON_BOOKS[tag]
        act = act or button.act
        for user, targets in _users():
            whose = kind in WHOSE_BOOKS
            for relation, target in zip(RELATIONS, targets if whose else (None,)):
                folder = tmp_path / tag / user / relation.replace(" ", "-")
                book = FileBook(company.copy(kind, target or "cm001", folder, tag in SUBMITTING) if kind else None)
                answer = _answer(lambda: press(button, book, company.app, company.app.actor(user), folder / "out"))
                owner = (target if target in company.store_of else "cm001") if whose else None  # a user owning no
                expected = _expected(company, user, act, owner)  # book has cm001's in front
                where = f"{tag} --as {user}" + (f" ({relation}: {target})" if target else "")
                wrong.append(_judge(where, expected, user == UNKNOWN, answer))
                cells += 1
    problems = [w for w in wrong if w]
    assert not problems, f"{len(problems)} of {cells} cells disagree with engine/policy.py:\n" + "\n".join(problems)


def test_no_command_acts_as_anyone_by_default():
    """--as has no default anywhere (the three that defaulted to admin included): who acts is said, or CMW_USER."""
    for name, leaf in _leaves(build_parser()):
        for option in leaf._actions:
            if "--as" in option.option_strings:
                assert option.default is None, f"cmw {name} --as defaults to {option.default}"
                assert "CMW_USER" in option.help, f"cmw {name} --as does not say it defaults to CMW_USER"
