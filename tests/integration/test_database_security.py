"""PostgreSQL enforces who may do what, whatever program a person connects with (issue #12, items 1 and 2).

A database of its own, owned by an owner role of its own, with the test company and one login per user
(`cmw users grant`); each test signs in as a real person and tries with raw SQL what the program would refuse:
PostgreSQL itself refuses it, or shows the person only their own rows. The roles are cluster-wide, so the module
holds an advisory lock on the cluster while it runs and drops what it made at the end.
"""
from __future__ import annotations

import re

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from addin.app import App
from engine.actors import Role
from engine.documents import open_document, transition_document
from engine.errors import Refused
from storage.database import database_trouble, head_revision, make_engine, session_factory, upgrade
from storage.logins import Login, grant_logins, revoke_login
from storage.security import GROUPS
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import URLS, _required, drop_roles
from tests.factories import USERS, make_company

pytestmark = pytest.mark.database("postgresql")
MONTH = "2026-11"


class Secured:
    """The secured database: its owner's engine and a way to sign in as any user."""

    def __init__(self, base_url, database: str, owner: str):
        self.base = make_url(base_url)
        self.database, self.owner = database, owner
        self.owner_engine = make_engine(self.url(owner))
        self._engines = {}

    def url(self, login: str, password: str | None = None) -> str:
        return self.base.set(database=self.database, username=login,
                             password=password or f"pw-{login}").render_as_string(hide_password=False)

    def engine(self, login: str):
        if login not in self._engines:
            self._engines[login] = make_engine(self.url(login))
        return self._engines[login]

    def app(self, login: str) -> App:
        engine = self.engine(login)
        return App(engine, session_factory(engine))

    def uow(self, login: str) -> SqlUnitOfWork:
        return SqlUnitOfWork(session_factory(self.engine(login)))

    def sql(self, login: str, statement: str, **params):
        """Run one statement as the person in a transaction of its own; its rows (committed when it succeeds)."""
        with self.engine(login).begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else result.rowcount

    def dispose(self):
        for engine in [self.owner_engine, *self._engines.values()]:
            engine.dispose()


@pytest.fixture(scope="module")
def secured():
    url = make_url(URLS["postgresql"])
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        lock = server.connect()
    except Exception as exc:
        if _required():
            pytest.fail(f"PostgreSQL at {url} is not reachable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    lock.execute(text("SELECT pg_advisory_lock(hashtext('cmw test roles'))"))  # other runs' role tests wait
    suffix = os.getpid()
    database, owner = f"cmw_security_{suffix}", f"cmw_owner_{suffix}"
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}"))
        connection.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        connection.execute(text(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD 'owner'"))
        connection.execute(text(f"CREATE DATABASE {database} OWNER {owner}"))
    db = Secured(url, database, owner)
    try:
        upgrade(db.owner_engine)
        make_company(session_factory(db.owner_engine))
        grant_logins(db.owner_engine, [Login(code, GROUPS[Role(role)], f"pw-{code}", reset=True)
                                       for code, _, role, _ in USERS])
        yield db
    finally:
        db.dispose()
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            drop_roles(connection, [code for code, *_ in USERS] + [owner])
        lock.execute(text("SELECT pg_advisory_unlock(hashtext('cmw test roles'))"))
        lock.close()
        server.dispose()


def refused_by_postgresql(call) -> str:
    """Run call; it must fail with PostgreSQL's insufficient-privilege error (42501); its message."""
    with pytest.raises(DBAPIError) as caught:
        call()
    assert caught.value.orig.diag.sqlstate == "42501", caught.value
    return str(caught.value.orig)


def document_of(db, kind: str, owner: str, *, state: str = "draft") -> int:
    """A document of owner's in state, moved there by the program as the people whose moves they are."""
    with db.uow(owner) as uow:
        doc = open_document(uow, kind, owner, MONTH)
        uow.commit()
    moves = {"submitted": [("submit", owner)], "reviewed": [("submit", owner), ("review", "mm01")]}[state] \
        if state != "draft" else []
    for transition, who in moves:
        transition_document(db.uow(who), actor=db.app(who).actor(None), kind=kind, owner_code=owner, period=MONTH,
                            transition=transition)
    return doc.id


def state_of(db, doc_id: int) -> str:
    return db.sql(db.owner, "SELECT state FROM documents WHERE id = :id", id=doc_id)[0][0]


def test_each_person_sees_the_stores_of_their_place_in_the_organisation(secured):
    count = "SELECT count(*) FROM stores"
    assert secured.sql("cm001", count)[0][0] == 6  # their district
    assert secured.sql("mm01", count)[0][0] == 12  # their department's two CMs
    assert secured.sql("mm02", count)[0][0] == 6
    assert secured.sql("bm01", count)[0][0] == 18  # the centre
    assert secured.sql("admin", count)[0][0] == 18
    others = "SELECT s.code FROM stores s JOIN users u ON u.id = s.cm_id WHERE u.code = 'cm003'"
    assert secured.sql("cm001", others) == [] and secured.sql("mm01", others) == []
    # and a CM cannot move a store into another's district
    assert secured.sql("cm001", "UPDATE stores SET notes = 'x' WHERE cm_id = (SELECT id FROM users WHERE code = 'cm003')") == 0
    refused_by_postgresql(lambda: secured.sql(
        "cm001", "UPDATE stores SET cm_id = (SELECT id FROM users WHERE code = 'cm003')"))


def test_a_cm_enters_the_demand_survey_as_their_login_and_sees_only_theirs(secured, tmp_path):
    """§8 on a secured database: the CM's export pins the month and reads the migration's questionnaire through
    their own login; their answers are theirs (row-level security on survey_answers by CM)."""
    from openpyxl import load_workbook

    from addin.handlers.submission import submit_workbook
    from addin.handlers.survey import export_survey

    app = secured.app("cm001")
    path = tmp_path / "调查.xlsx"
    export_survey(app, app.actor(None), MONTH, path)
    book = load_workbook(path)
    sheet = book["线下问卷"]
    header = {c.value: c.column_letter for c in sheet[6] if c.value}
    sheet[f"{header['调查日期']}7"], sheet[f"{header['货源供应']}7"] = f"{MONTH}-05", "✓"
    book.save(path)
    outcome = submit_workbook(app, app.actor(None), path.name, path.read_bytes())
    assert outcome.message.startswith("已保存 1 户问卷"), outcome
    count = "SELECT count(*) FROM survey_answers"
    assert [secured.sql(who, count)[0][0] for who in ("cm001", "cm002", "mm01", "mm02", "admin")] == [1, 0, 1, 0, 1]
    assert secured.sql("cm002", "UPDATE survey_answers SET state = 'confirmed'") == 0  # not there for them


def test_the_administrators_login_imports_orders_where_row_level_security_applies(secured, tmp_path):
    """orders is row-secured (the bulk loader copies through a temporary table); the ids of the new orders and lines
    are reserved by moving the sequences on, which cmw_admin may do; a re-import replaces the lines."""
    from storage.importers import import_file
    from tests.factories import store_code
    from tests.import_files import write_csv

    header = ["订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额"]
    rows = [["SEC1", store_code(1, 1), "20261005", "6901000000000", "2", "2", "2", "150", "300"],
            ["SEC1", store_code(1, 1), "20261005", "6901000000001", "1", "1", "1", "85.5", ""],
            ["SEC2", store_code(2, 1), "20261006", "6901000000001", "3", "3", "3", "85.5", ""]]
    path = write_csv(tmp_path / "orders.csv", header, rows, "utf-8")
    app = secured.app("admin")
    for inserted in (2, 0):
        with app.sessions.begin() as session:
            assert import_file(session, "orders", path, app.actor("admin")).inserted == inserted
    [(lines, orders)] = secured.sql("admin", "SELECT count(*), count(DISTINCT l.order_id) FROM order_lines l "
                                             "JOIN orders o ON o.id = l.order_id WHERE o.order_no LIKE 'SEC%'")
    assert (lines, orders) == (3, 2)
    assert secured.sql("cm001", "SELECT sum(volume) FROM store_months WHERE month = '2026-10'") == [(3,)]


def test_the_administrators_login_loads_a_month_of_lines_into_a_table_of_its_own_and_archives_it(secured, tmp_path):
    """Only a table's owner may change its partitions: the administrator's login does it through the three functions
    of migration 0016, which nobody else may run; the month's table itself is read only through order_lines."""
    from engine.reference_data import archive_orders
    from storage.importers import import_file
    from tests.factories import store_code
    from tests.import_files import write_csv

    header = ["订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额"]
    app = secured.app("admin")
    for month in ("06", "07", "08", "09"):
        path = write_csv(tmp_path / f"{month}.csv", header, [[f"PART{month}", store_code(1, 2), f"2026{month}04",
                                                               "6901000000000", "2", "2", "2", "150", ""]], "utf-8")
        for inserted in (1, 0):  # the re-import empties the month's table in its transaction: it is loaded afresh
            with app.sessions.begin() as session:
                assert import_file(session, "orders", path, app.actor("admin")).inserted == inserted
    partitions = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid ORDER BY 1"
    assert {"order_lines_2026_06", "order_lines_2026_09"} <= {name for name, in secured.sql(secured.owner, partitions)}
    assert secured.sql("admin", "SELECT count(*) FROM order_lines WHERE order_date = '2026-06-04'") == [(1,)]
    refused_by_postgresql(lambda: secured.sql("admin", "SELECT count(*) FROM order_lines_2026_06"))
    # the month's per-brand totals too (0017): a table of their own, read through store_brand_months by scope only
    assert "store_brand_months_2026_06" in {name for name, in secured.sql(secured.owner, partitions)}
    refused_by_postgresql(lambda: secured.sql("admin", "SELECT count(*) FROM store_brand_months_2026_06"))
    seen = "SELECT count(*) FROM store_brand_months WHERE month = '2026-06'"
    assert secured.sql("cm001", seen) == secured.sql("admin", seen) == [(1,)] and secured.sql("cm002", seen) == [(0,)]
    for who in ("cm001", "mm01", "bm01"):
        refused_by_postgresql(lambda: secured.sql(who, "SELECT cmw_order_lines_drop('2026-06-01')"))
        refused_by_postgresql(lambda: secured.sql(who, "SELECT cmw_order_lines_month('2026-12-01', true)"))
        refused_by_postgresql(lambda: secured.sql(who, "SELECT cmw_brand_months_fresh('2026-12')"))
        refused_by_postgresql(lambda: secured.sql(who, "SELECT cmw_brand_months_attach('2026-12')"))
    report = archive_orders(secured.uow("admin"), app.actor("admin"), "2026-06", tmp_path)
    assert (report.orders, report.rows) == (1, 1)
    assert "order_lines_2026_06" not in {name for name, in secured.sql(secured.owner, partitions)}
    assert secured.sql("cm001", "SELECT sum(volume) FROM store_months WHERE month = '2026-06'") == [(2,)]


def test_a_cm_cannot_approve_their_own_summary(secured):
    doc = document_of(secured, "summary", "cm001", state="submitted")
    message = refused_by_postgresql(lambda: secured.sql(
        "cm001", "SELECT * FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'cm001', '')", id=doc))
    assert "may not fire review" in message
    refused_by_postgresql(lambda: secured.sql("cm001", "UPDATE documents SET state = 'reviewed' WHERE id = :id", id=doc))
    refused_by_postgresql(lambda: secured.sql(
        "cm001", "INSERT INTO document_decisions (document_id, transition, actor_code, at, source, target, version, reason) "
                 "VALUES (:id, 'review', 'mm01', now(), 'submitted', 'reviewed', 9, '')", id=doc))
    assert state_of(secured, doc) == "submitted"


def test_moves_the_workflow_forbids_are_refused(secured):
    draft = document_of(secured, "summary", "cm002")
    submitted = document_of(secured, "summary", "cm003", state="submitted")
    # the right market manager, the wrong state
    assert "state draft" in refused_by_postgresql(lambda: secured.sql(
        "mm01", "SELECT * FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'mm01', '')", id=draft))
    # the right state, another department's market manager
    refused_by_postgresql(lambda: secured.sql(
        "mm01", "SELECT * FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'mm01', '')", id=submitted))
    # naming someone else as the actor
    assert "may not act as" in refused_by_postgresql(lambda: secured.sql(
        "cm003", "SELECT * FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'mm02', '')", id=submitted))
    # a new document must start where its workflow starts
    refused_by_postgresql(lambda: secured.sql(
        "cm002", "INSERT INTO documents (kind, owner_id, period, state, version, updated_at) "
                 "SELECT 'summary', id, '2026-12', 'reviewed', 1, now() FROM users WHERE code = 'cm002'"))
    assert state_of(secured, draft) == "draft" and state_of(secured, submitted) == "submitted"
    # the right person, the right state: it moves, with its decision and audit rows
    assert secured.sql("mm02", "SELECT state, version FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'mm02', 'ok')",
                       id=submitted) == [("reviewed", 3)]
    assert secured.sql("cm003", "SELECT actor_code, source, target, reason FROM document_decisions "
                                "WHERE document_id = :id ORDER BY id", id=submitted) == [
        ("cm003", "draft", "submitted", ""), ("mm02", "submitted", "reviewed", "ok")]


def test_nobody_edits_the_audit_log(secured):
    document_of(secured, "summary", "cm002", state="reviewed")
    rows = secured.sql("admin", "SELECT count(*) FROM audit_log")[0][0]
    assert rows > 0
    for login in ("cm002", "mm01", "admin"):
        refused_by_postgresql(lambda: secured.sql(login, "UPDATE audit_log SET note = 'changed'"))
        refused_by_postgresql(lambda: secured.sql(login, "DELETE FROM audit_log"))
    # rows in someone else's name
    refused_by_postgresql(lambda: secured.sql(
        "cm002", "INSERT INTO audit_log (at, actor_code, action, entity, entity_key) "
                 "VALUES (now(), 'mm01', 'review', 'summary', 'cm002/2026-11')"))
    assert secured.sql("admin", "SELECT count(*) FROM audit_log")[0][0] == rows
    # a CM reads the rows of their own documents only
    keys = {key.split("/")[0] for (key,) in secured.sql("cm002", "SELECT entity_key FROM audit_log")}
    assert keys == {"cm002"}


def test_the_program_acts_as_the_login_and_nobody_else(secured):
    app = secured.app("cm001")
    assert app.actor(None).code == "cm001" and app.actor("cm001").code == "cm001"
    with pytest.raises(Refused) as refused:
        app.actor("mm01")
    assert "您以数据库账号“cm001”登录" in str(refused.value)
    doc = document_of(secured, "workplan", "cm001")
    transition_document(secured.uow("cm001"), actor=app.actor(None), kind="workplan", owner_code="cm001",
                        period=MONTH, transition="confirm")
    mm = secured.app("mm01").actor(None)
    with pytest.raises(Refused):  # the program refuses first, in Chinese; nothing is written
        transition_document(secured.uow("cm001"), actor=app.actor(None), kind="workplan", owner_code="cm001",
                            period=MONTH, transition="review")
    moved = transition_document(secured.uow("mm01"), actor=mm, kind="workplan", owner_code="cm001", period=MONTH,
                                transition="reject", note="目标偏低")
    assert (moved.state, state_of(secured, doc)) == ("rejected", "rejected")
    # the program's Actor is a claim, not a login: a forged one is refused by the database, in Chinese
    transition_document(secured.uow("cm002"), actor=secured.app("cm002").actor(None), kind="workplan",
                        owner_code="cm002", period=MONTH, transition="confirm")
    with pytest.raises(Refused) as forged:
        transition_document(secured.uow("cm002"), actor=mm, kind="workplan", owner_code="cm002", period=MONTH,
                            transition="review")
    assert "数据库拒绝了这次状态变更" in str(forged.value)
    # … and another's document is not even there for them: what the database refuses is said in Chinese
    with pytest.raises(DBAPIError) as hidden:
        transition_document(secured.uow("cm002"), actor=mm, kind="workplan", owner_code="cm001", period=MONTH,
                            transition="review")
    assert "您的数据库账号没有这项权限" in database_trouble(hidden.value)


def test_the_owner_acting_in_someones_name_is_said_in_the_audit_log(secured):
    doc = document_of(secured, "workplan", "cm003")
    owner_app = App(secured.owner_engine, session_factory(secured.owner_engine))  # a login that is no user …
    assert owner_app.login() is None
    transition_document(SqlUnitOfWork(session_factory(secured.owner_engine)), actor=owner_app.actor("cm003"),
                        kind="workplan", owner_code="cm003", period=MONTH, transition="confirm")  # … names cm003
    assert secured.sql(secured.owner, "SELECT actor_code, note FROM audit_log WHERE entity = 'workplan' "
                                      "AND entity_key = 'cm003/2026-11' ORDER BY id DESC LIMIT 1") == [
        ("cm003", f"（由数据库账号 {secured.owner} 代为操作）")]
    assert state_of(secured, doc) == "confirmed"


def test_logins_use_scram_and_belong_to_one_group(secured):
    rows = secured.sql(secured.owner, "SELECT r.rolname, r.rolsuper, r.rolbypassrls, g.rolname FROM pg_roles r "
                                      "JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid "
                                      "WHERE r.rolname IN ('cm001', 'mm01', 'admin')")
    assert sorted(rows) == [("admin", False, False, "cmw_admin"), ("cm001", False, False, "cmw_cm"),
                            ("mm01", False, False, "cmw_mm")]
    server = create_engine(secured.base.set(database="postgres"))
    with server.connect() as connection:
        hashes = connection.execute(text("SELECT rolpassword FROM pg_authid WHERE rolname = 'cm001'")).scalar()
    server.dispose()
    assert hashes.startswith("SCRAM-SHA-256$")


def test_an_upgrade_keeps_the_database_secured_and_a_login_can_be_taken_away(secured):
    upgrade(secured.owner_engine)
    policies = secured.sql(secured.owner, "SELECT count(*) FROM pg_policies WHERE policyname LIKE 'cmw_%'")[0][0]
    assert policies >= 15
    assert secured.sql("cm001", "SELECT count(*) FROM stores")[0][0] == 6
    grant_logins(secured.owner_engine, [Login("cm002", GROUPS[Role.CM], None)])
    assert revoke_login(secured.owner_engine, "cm002") is True
    with pytest.raises(DBAPIError):
        secured.engine("cm002").dispose() or secured.sql("cm002", "SELECT 1")
    grant_logins(secured.owner_engine, [Login("cm002", GROUPS[Role.CM], "pw-cm002", reset=True)])


def test_the_administrator_grants_logins_from_the_command_line(secured, tmp_path, monkeypatch, capsys):
    from addin import cli

    monkeypatch.setenv("CMW_DATABASE_URL", secured.url(secured.owner, "owner"))
    passwords = tmp_path / "初始密码.csv"
    assert cli.main(["users", "grant", "cm003", "mm02", "--reset-password", "--passwords", str(passwords)]) == 0
    out = capsys.readouterr().out
    assert "已开通或核对 2 个个人账号" in out and "已写入密码文件" in out
    lines = passwords.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "数据库账号,姓名,角色,初始密码" and [line.split(",")[:3] for line in lines[1:]] == [
        ["cm003", "周五", "客户经理"], ["mm02", "赵经理", "市场经理"]]
    # the password file is never overwritten; unknown users grant nothing
    assert cli.main(["users", "grant", "cm003", "--reset-password", "--passwords", str(passwords)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert cli.main(["users", "grant", "cm003", "nobody", "--passwords", str(tmp_path / "x.csv")]) == 2
    assert "这些用户编码不存在：nobody" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()
    # a person's own login is no administrator's: PostgreSQL refuses, in Chinese
    monkeypatch.setenv("CMW_DATABASE_URL", secured.url("admin"))
    assert cli.main(["users", "grant", "cm003", "--no-password"]) == 2
    assert "数据库拒绝了这次操作" in capsys.readouterr().err
    grant_logins(secured.owner_engine, [Login("cm003", GROUPS[Role.CM], "pw-cm003", reset=True)])
    grant_logins(secured.owner_engine, [Login("mm02", GROUPS[Role.MM], "pw-mm02", reset=True)])


def test_upgrading_a_secured_database_from_0011_renames_the_transition_columns(secured):
    """0012 on a database with personal logins: the state function of 0011 (parameter p_action, column action) is
    dropped by the migration and made again by the upgrade; the decisions keep their transitions, and people move
    documents through the new function with their own logins."""
    from alembic import command

    from storage.database import _alembic_config
    from storage.security import _postgresql_statements

    period = "2026-09"
    with secured.uow("cm003") as uow:
        before = open_document(uow, "summary", "cm003", period).id
        later = open_document(uow, "summary", "cm003", "2026-08").id
        uow.commit()
    transition_document(secured.uow("cm003"), actor=secured.app("cm003").actor(None), kind="summary",
                        owner_code="cm003", period=period, transition="submit")
    command.downgrade(_alembic_config(secured.owner_engine), "0011")
    try:
        with secured.owner_engine.begin() as connection:  # the database as 0011's `cmw db upgrade` left it
            schema = connection.scalar(text("SELECT current_schema()"))
            # tables made after 0012 (0013, §14) and the functions of the months' tables (0016, 0017)
            after_0012 = re.compile(r"\b(campaigns|campaign_skus|photos|photo_blobs|cmw_order_lines_\w+|"
                                    r"cmw_brand_months_\w+)\b")
            for statement in _postgresql_statements(schema, owner_groups=False):
                if after_0012.search(statement):
                    continue
                connection.execute(text(statement.replace("p_transition", "p_action")
                                        .replace("m.transition", "m.action")
                                        .replace("(document_id, transition,", "(document_id, action,")))
        fire = "SELECT state FROM cmw_fire(ARRAY[:id]::bigint[], :what, :who, :note)"
        assert secured.sql("mm02", fire, id=before, what="review", who="mm02", note="0011") == [("reviewed",)]
        assert secured.sql("cm003", fire, id=later, what="submit", who="cm003", note="") == [("submitted",)]
    finally:
        assert upgrade(secured.owner_engine) == ("0011", head_revision())  # 0012, and what came after it
    decisions = "SELECT transition, actor_code, reason FROM document_decisions WHERE document_id = :id ORDER BY id"
    assert secured.sql("cm003", decisions, id=before) == [("submit", "cm003", ""), ("review", "mm02", "0011")]
    assert secured.sql("mm02", "SELECT state FROM cmw_fire(ARRAY[:id]::bigint[], 'reject', 'mm02', '请补充')",
                       id=later) == [("rejected",)]
    assert secured.sql("cm003", decisions, id=later) == [("submit", "cm003", ""), ("reject", "mm02", "请补充")]
    refused_by_postgresql(lambda: secured.sql(  # the function is still the one way: a CM cannot review
        "cm003", "SELECT * FROM cmw_fire(ARRAY[:id]::bigint[], 'review', 'cm003', '')", id=later))


def _picture(color) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


def test_a_cm_reads_the_bytes_of_their_own_stores_photos_only(secured):
    """§14 photo_blobs: a picture's bytes are seen through the photos rows the login sees (a store's photos are its
    CM's); the same picture kept by two CMs is kept once, though neither sees the other's row."""
    from engine.photos import add_photos
    from tests.campaign_helpers import CODE, keep_campaign
    from tests.factories import store_code

    keep_campaign(App(secured.owner_engine, session_factory(secured.owner_engine)), MONTH)  # covers D01: cm001, cm002
    shared, theirs = _picture((200, 30, 30)), _picture((20, 120, 30))
    for cm, files in (("cm001", [(store_code(1, 1), "a.png", shared)]),
                      ("cm002", [(store_code(2, 1), "b.png", shared), (store_code(2, 1), "c.png", theirs)])):
        outcome = add_photos(secured.uow(cm), secured.app(cm).actor(None), campaign_code=CODE, files=files)
        assert outcome.changed == len(files), outcome
    [(own,)] = secured.sql("cm002", "SELECT p.sha256 FROM photos p WHERE p.filename = 'a.png' OR p.filename = 'b.png'")
    [(other,)] = secured.sql("cm002", "SELECT sha256 FROM photos WHERE filename = 'c.png'")
    blobs = "SELECT sha256 FROM photo_blobs ORDER BY sha256"
    assert secured.sql("cm001", blobs) == [(own,)]  # their own store's photo, not cm002's other picture
    assert secured.sql("cm002", blobs) == sorted([(own,), (other,)])
    assert secured.sql("cm001", "SELECT content FROM photo_blobs WHERE sha256 = :sha", sha=other) == []
    assert len(secured.sql("cm002", "SELECT content FROM photo_blobs WHERE sha256 = :sha", sha=other)) == 1
    assert [len(secured.sql(who, blobs)) for who in ("mm01", "mm02", "bm01", "admin")] == [2, 0, 2, 2]
    assert secured.sql("cm001", "SELECT count(*) FROM photo_blobs b JOIN photos p ON p.sha256 = b.sha256") == [(1,)]
