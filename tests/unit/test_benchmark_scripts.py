"""Every benchmark script's command line, in-process and without a database: `benchmarks/*.py` are run by hand
only, so a rename elsewhere (a function, a module, a keyword argument) broke them unnoticed until someone ran one.

Each script with a main() is loaded as a module (every module it imports is imported, so a renamed or removed name
fails here), its main() run with --help (argparse exits 0 and its usage names every option the script declares),
and each call it makes to a function or class of ours named at its top level is bound against that callee's
signature (a renamed keyword argument — submit_workbook's action= → operation= — or a required argument added or
dropped fails here rather than an hour into a benchmark). What the scripts run in other processes (startup.py's
command strings) is not checked.
"""
from __future__ import annotations

import ast
import inspect
import runpy
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
OURS = ("addin", "engine", "storage", "templates", "udfs", "workbooks")


def _tree(script: Path) -> ast.Module:
    return ast.parse(script.read_text(encoding="utf-8"), filename=str(script))


def _has_main(script: Path) -> bool:
    return any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in _tree(script).body)


SCRIPTS = sorted(script for script in BENCHMARKS.glob("*.py") if _has_main(script))


def _options(script: Path) -> list[str]:
    """The option strings of every parser.add_argument(...) in the script (a positional: its name)."""
    return [arg.value for node in ast.walk(_tree(script))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"
            for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]


@pytest.fixture
def loaded(monkeypatch):
    """Load a script as a module the way `python benchmarks/X.py` finds its neighbours (benchmarks/ on the path),
    then put sys.path, sys.argv and sys.modules back: a sibling loaded as `month` or `floors` stays out of the suite."""
    monkeypatch.setattr(sys, "path", [str(BENCHMARKS), *sys.path])
    before = set(sys.modules)
    yield lambda script: runpy.run_path(str(script), run_name=f"benchmark_{script.stem}")
    for name in set(sys.modules) - before:
        if str(BENCHMARKS) in str(getattr(sys.modules[name], "__file__", "") or ""):
            del sys.modules[name]


def test_the_scripts_are_found():
    assert {"run.py", "month.py", "documents.py", "startup.py"} <= {script.name for script in SCRIPTS}
    assert all(_options(script) for script in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.stem)
def test_help_names_every_option(script: Path, loaded, monkeypatch, capsys):
    main = loaded(script)["main"]
    monkeypatch.setattr(sys, "argv", [str(script), "--help"])
    with pytest.raises(SystemExit) as exit:
        main()
    assert exit.value.code == 0
    usage = capsys.readouterr().out
    missing = [option for option in _options(script) if option not in usage]
    assert not missing, f"{script.name} --help does not name {missing}:\n{usage}"


def _callee(node: ast.expr, names: dict):
    """The function or class of ours a call names at the script's top level (f(...) or module.f(...)), else None."""
    if isinstance(node, ast.Name):
        found = names.get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and isinstance(names.get(node.value.id), ModuleType):
        found = getattr(names[node.value.id], node.attr, None)
    else:
        return None
    module = getattr(found, "__module__", None) or ""
    return found if callable(found) and module.split(".")[0] in OURS else None


def _locals(tree: ast.Module) -> set[str]:
    """Names bound inside the script's functions (parameters, assignments, loops): a call through one of them is
    not necessarily the top-level name's, so it is left alone."""
    bound = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = function.args
            bound |= {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
            bound |= {node.id for node in ast.walk(function) if isinstance(node, ast.Name)
                      and isinstance(node.ctx, ast.Store)}
    return bound


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.stem)
def test_calls_of_ours_fit_their_signatures(script: Path, loaded):
    names = loaded(script)
    tree = _tree(script)
    shadowed = _locals(tree)
    wrong = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or isinstance(node.func, ast.Name) and node.func.id in shadowed:
            continue
        callee = _callee(node.func, names)
        if callee is None or any(isinstance(a, ast.Starred) for a in node.args) \
                or any(k.arg is None for k in node.keywords):
            continue  # not ours, or *args / **kwargs: what is passed is not known here
        try:
            signature = inspect.signature(callee)
        except (TypeError, ValueError):
            continue
        try:
            signature.bind(*node.args, **{k.arg: k.value for k in node.keywords})
        except TypeError as error:
            wrong.append(f"{script.name}:{node.lineno} {ast.unparse(node.func)}(…): {error}")
    assert not wrong, "\n".join(wrong)
