"""Server databases run with connect, statement, lock and idle-in-transaction limits and keepalives (overridable),
and a database lost or timing out mid-command is answered in Chinese, exit 2, with nothing written; a submission
left "received" by a process that died reads as interrupted (issue 11, item 6c)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from addin.cli import main
from storage.database import CONNECTION_LOST, TIMED_OUT, make_engine
from storage.repositories import SqlSubmissions, now
from storage.schema import DocumentRow, EffectScoreRow, Submission
from tests.factories import make_company, make_orders

SETTINGS = {
    "postgresql": ("SELECT current_setting('statement_timeout'), current_setting('lock_timeout'), "
                   "current_setting('idle_in_transaction_session_timeout')", ("10min", "30s", "5min"), ("10min", "7s", "5min")),
    "mariadb": ("SELECT @@max_statement_time, @@innodb_lock_wait_timeout, @@idle_transaction_timeout",
                (600.0, 30, 300), (600.0, 7, 300)),
}


@pytest.fixture
def company(db, monkeypatch, tmp_path):
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    monkeypatch.setenv("CMW_DATABASE_URL", db.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return db


@pytest.mark.servers
def test_server_sessions_carry_the_limits_and_the_environment_overrides_them(db, monkeypatch):
    query, defaults, overridden = SETTINGS[db.name]
    for environment, expected in (({}, defaults), ({"CMW_DB_LOCK_TIMEOUT": "7"}, overridden)):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        engine = make_engine(db.url)
        try:
            with engine.connect() as connection:
                assert tuple(connection.execute(text(query)).one()) == expected
        finally:
            engine.dispose()


def _suicide(db) -> str:
    return {"postgresql": "SELECT pg_terminate_backend(pg_backend_pid())", "mariadb": "KILL CONNECTION_ID()"}[db.name]


@pytest.mark.servers
def test_a_connection_lost_mid_command_says_so_in_chinese_and_writes_nothing(company, monkeypatch, capsys):
    """The effect's own connection is cut after its documents were created in its transaction: exit 2, the one
    Chinese sentence, no "程序出错", no English driver line; nothing of the action is in the database."""
    from storage.analysis_repository import SqlAnalyses

    real = SqlAnalyses.totals

    def cut(self, *args):
        self.session.execute(text(_suicide(company)))  # the server ends this very session, as a cut link would
        return real(self, *args)

    monkeypatch.setattr(SqlAnalyses, "totals", cut)
    code = main(["analysis", "effect", "--as", "mm01", "--month", "2026-11"])
    out, err = capsys.readouterr()
    assert code == 2 and err.strip() == CONNECTION_LOST.strip()
    assert "程序出错" not in err and "Error" not in err
    with company.sessions() as session:
        assert session.scalar(select(func.count()).select_from(DocumentRow)) == 0
        assert session.scalar(select(func.count()).select_from(EffectScoreRow)) == 0


@pytest.mark.servers
def test_a_lock_held_by_another_user_times_out_in_chinese(company, monkeypatch, capsys):
    assert main(["analysis", "effect", "--as", "cm001", "--month", "2026-11"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("CMW_DB_LOCK_TIMEOUT", "1")
    with company.engine.connect() as holder:  # another user's transaction keeps the document's row locked
        holder.execute(select(DocumentRow.id).with_for_update())
        code = main(["analysis", "effect", "--as", "cm001", "--month", "2026-11"])
        holder.rollback()
    _, err = capsys.readouterr()
    assert code == 2 and err.strip() == TIMED_OUT.strip()


def test_an_unexpected_database_error_on_sqlite_is_still_a_logged_error(company, monkeypatch, capsys):
    """An embedded file's OperationalError is a bug (no such column…), not a lost link: exit 1, logged."""
    from addin.handlers import analysis

    def broken(*args, **kwargs):
        raise OperationalError("SELECT x", {}, __import__("sqlite3").OperationalError("no such column: x"))

    monkeypatch.setattr(analysis, "list_analyses", broken)
    code = main(["analysis", "list", "--as", "cm001"])
    err = capsys.readouterr().err
    assert code == 1 and CONNECTION_LOST not in err and "程序出错" in err


def test_a_submission_left_received_by_a_dead_process_reads_as_interrupted(company, capsys):
    with company.uow() as uow:
        submissions = SqlSubmissions(uow.session)
        dead = submissions.archive(actor_code="cm001", filename="大表.xlsx", content=b"x", sha256="0" * 64)
        live = submissions.archive(actor_code="cm001", filename="能力.xlsx", content=b"x", sha256="0" * 64)
        uow.session.execute(Submission.__table__.update().where(Submission.id == dead)
                            .values(received_at=now() - timedelta(hours=2)))
        uow.commit()
    assert main(["submissions", "list", "--as", "cm001"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}  # under the header and rule
    assert "中断" in lines[str(dead)] and "大表.xlsx" in lines[str(dead)]
    assert lines[str(live)].endswith("处理中")
    assert main(["submissions", "list", "--as", "cm002"]) == 0
    assert "还没有提交记录" in capsys.readouterr().out
