"""The command modules of `cmw`: every module here has register(subparsers) and an ORDER for the help listing."""
from __future__ import annotations

import importlib
import pkgutil


def command_modules() -> list:
    """Every command module of this package, in help order (found when the parser is built, not on import)."""
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted((m for m in modules if hasattr(m, "register")), key=lambda m: (getattr(m, "ORDER", 50), m.__name__))
