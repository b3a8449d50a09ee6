"""The layers of ARCHITECTURE.md hold: import-linter's contracts pass, and importing our code does no work."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "storage", "workbooks", "udfs", "templates", "addin")

# Runs in a fresh interpreter: imports every module of our packages while an audit hook records each
# network or SQLite connection, each file opened for writing, and each of our own non-code files read.
IMPORT_EVERYTHING = r"""
import importlib, json, os, pkgutil, sys

root, packages = sys.argv[1], sys.argv[2].split(",")
own = tuple(os.path.join(root, package, "") for package in packages)
writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
work = []

def record(event, args):
    if event in ("socket.connect", "sqlite3.connect"):
        work.append(f"{event} {args[1:] if event == 'socket.connect' else args}")
    elif event == "open":
        path, mode, flags = str(args[0]), args[1], args[2]
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & writing)
        ours = path.startswith(own) and not path.endswith((".py", ".pyc"))
        if writes or ours:
            work.append(f"open {path} mode={mode} flags={flags}")

sys.addaudithook(record)
imported = []
for package in packages:
    module = importlib.import_module(package)
    imported.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"imported": imported, "work": work}))
"""


def _tool(name: str) -> str:
    """A console script of the running environment (the venv's bin), else from PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def test_import_contracts_hold():
    """lint-imports passes with the contracts in pyproject.toml."""
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout, result.stdout


def test_importing_every_module_does_no_work(tmp_path):
    """No database connection, no file written, none of our data files read, while importing every module."""
    env = {**os.environ, "CMW_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/unreachable",
           "XDG_DATA_HOME": str(tmp_path / "data"), "LOCALAPPDATA": str(tmp_path / "data"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, str(ROOT), ",".join(PACKAGES)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"addin.cli", "addin.commands.db", "storage.database", "workbooks.builder"} <= set(report["imported"])
    assert report["work"] == [], "work done at import time:\n" + "\n".join(report["work"])
    assert not (tmp_path / "data").exists(), "importing created the embedded database folder"
    assert elapsed < 30, f"importing every module took {elapsed:.1f} s"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module in an import graph (each one is an import cycle)."""
    order, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in edges.get(module, ()):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(edges):
        if module not in order:
            visit(module)
    return found


def _room(module: str) -> str:
    """The room of addin/ a module is in: addin.commands.plan is in addin.commands."""
    return ".".join(module.split(".")[:2])


def test_the_addin_has_no_import_cycle():
    """No import cycle inside addin/, between its modules nor between its rooms (a package counted as one room,
    since cmw's parser imports every command module of addin.commands): the layers contract names the rooms it
    knows; this catches a cycle through any other module too (the demo, a new helper)."""
    graph = grimp.build_graph("addin")
    modules = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules if m.startswith("addin")}
    rooms: dict[str, set[str]] = {}
    for module, imported in modules.items():
        rooms.setdefault(_room(module), set()).update(
            _room(i) for i in imported if i.startswith("addin.") and _room(i) != _room(module))
    assert _cycles(modules) == []
    assert _cycles(rooms) == []
