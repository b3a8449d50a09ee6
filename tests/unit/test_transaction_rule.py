"""The transaction rule (docs/architecture.md, Transactions), enforced: only an engine use case commits, and a unit of
work entered while it is open raises instead of opening a second session in its place."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from engine.ports import NestedUnitOfWork
from storage.unit_of_work import SqlUnitOfWork
from tests.fakes import FakeUnitOfWork

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("engine", "storage", "workbooks", "udfs", "templates", "addin")
#: Who may end a transaction outside engine/, and why: the unit of work's own commit, and what is no user's action on
#: the business's data but the making and securing of a database, run as the tables' owner (the schema's migrations
#: and the workflows' copy, roles, grants, row-level security and the definer function, the demo's reset).
ALLOWED = {
    "storage/unit_of_work.py": "the unit of work's commit, called by the engine's use cases",
    "storage/migrations/env.py": "Alembic runs each migration in a transaction of its own",
    "storage/database.py:upgrade": "cmw db upgrade copies the declared workflows in after the migrations",
    "storage/security.py": "PostgreSQL roles, grants, policies and cmw_fire (cmw db upgrade, cmw users grant)",
    "storage/logins.py": "PostgreSQL login roles (cmw users grant|revoke)",
    "storage/security_mariadb.py": "MariaDB accounts, grants and the cmw_fire procedure (the same commands)",
    "addin/demo/run.py:prepare_database": "cmw demo marks the database it has just wiped and rebuilt as its own",
}


def _functions(tree: ast.AST):
    """Each node with the name of the function (or module) it is in."""
    def walk(node, where):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and where is None else where
            yield child, name
            yield from walk(child, name)
    yield from walk(tree, None)


def transaction_ends(path: Path) -> list[tuple[int, str | None, str]]:
    """Where a module ends a transaction: each x.commit() call and each `with x.begin()` (which commits on leaving),
    with its line, its top-level function and what was called."""
    found = []
    for node, function in _functions(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit":
            found.append((node.lineno, function, "commit()"))
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "begin":
                    found.append((node.lineno, function, "with ….begin()"))
    return found


def violations(root: Path) -> list[str]:
    """Every transaction end outside engine/ that ALLOWED does not name."""
    wrong = []
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name.startswith("engine/"):
                continue
            for line, function, what in transaction_ends(path):
                if name not in ALLOWED and f"{name}:{function}" not in ALLOWED:
                    wrong.append(f"{name}:{line} ({function or 'module'}): {what}")
    return wrong


def test_only_engine_use_cases_end_a_transaction():
    wrong = violations(ROOT)
    assert not wrong, ("a handler, command or storage function ends a transaction; move it into an engine use case "
                       "that owns `with uow: … uow.commit()`:\n" + "\n".join(wrong))


def test_the_scan_finds_a_commit_and_a_begin_outside_the_engine(tmp_path):
    handler = tmp_path / "addin" / "handlers" / "thing.py"
    handler.parent.mkdir(parents=True)
    handler.write_text("def save(app):\n    with app.uow() as uow:\n        uow.commit()\n"
                       "def load(app):\n    with app.sessions.begin() as session:\n        pass\n", encoding="utf-8")
    rule = tmp_path / "engine" / "thing.py"
    rule.parent.mkdir()
    rule.write_text("def use_case(uow):\n    with uow:\n        uow.commit()\n", encoding="utf-8")
    assert violations(tmp_path) == ["addin/handlers/thing.py:3 (save): commit()",
                                    "addin/handlers/thing.py:5 (load): with ….begin()"]


def test_every_allowed_place_still_ends_a_transaction():
    """An entry of ALLOWED that no longer commits is stale: it would let a new commit there pass unseen."""
    for place in ALLOWED:
        name, _, function = place.partition(":")
        ends = transaction_ends(ROOT / name)
        assert any(function in ("", f) for _, f, _ in ends), f"{place} no longer ends a transaction: remove it"


@pytest.fixture
def sql_uow():
    engine = create_engine("sqlite://")
    yield SqlUnitOfWork(sessionmaker(engine))
    engine.dispose()


def test_a_nested_sql_unit_of_work_raises_and_keeps_the_open_one(sql_uow):
    with sql_uow:
        session = sql_uow.session
        with pytest.raises(NestedUnitOfWork):
            with sql_uow:
                pass
        assert sql_uow.session is session and session.in_transaction()
        assert session.execute(text("SELECT 1")).scalar() == 1


def test_a_sql_unit_of_work_can_be_entered_again_once_left(sql_uow):
    with sql_uow:
        first = sql_uow.session
    with sql_uow:
        assert sql_uow.session is not first and sql_uow.session.in_transaction()


def test_a_nested_fake_unit_of_work_raises_too():
    uow = FakeUnitOfWork()
    with uow:
        with pytest.raises(NestedUnitOfWork):
            with uow:
                pass
