"""The add-in's settings file, %USERPROFILE%\\.cmw\\cmw.conf: where it is, how it is read and written, what it says.

`cmw addin install` writes it; every Python process Excel starts reads it itself — the ribbon's dispatcher and the
worksheet functions' UDF server alike. Nothing is handed over through Excel's environment: the add-in's VBA used to
copy the settings there when the ribbon loaded, through xlwings' GetConfig, which fails when Excel starts with no
workbook active, and every =CMW_* cell then silently read an empty local database (issue 17, item 1). It lives in
storage/ because the worksheet functions (udfs/) may not import the add-in.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from engine.errors import Refused

CONFIG_NAME = "cmw.conf"


def encoding() -> str:
    """VBA reads the config file in the system's ANSI code page (cp936 on Chinese Windows)."""
    return "mbcs" if sys.platform == "win32" else "utf-8"


def user_config_path() -> Path:
    """%USERPROFILE%\\.cmw\\cmw.conf, where the add-in's xlwings code looks for its settings."""
    home = os.environ.get("USERPROFILE") if sys.platform == "win32" else None
    return Path(home or Path.home()) / ".cmw" / CONFIG_NAME


def read_config(path: Path) -> dict[str, str]:
    """A config file's settings, keys upper-cased ("KEY","value" per line, as xlwings writes and reads it)."""
    if not path.is_file():
        return {}
    settings = {}
    for line in path.read_text(encoding=encoding(), errors="replace").splitlines():
        parts = [p.strip().strip('"') for p in line.split('","', 1)] if line.startswith('"') else []
        if len(parts) == 2 and parts[0]:
            settings[parts[0].upper()] = parts[1]
    return settings


def config_text(settings: dict[str, str]) -> str:
    """The config file's lines; Refused for a value VBA cannot read back (a double quote in it)."""
    for key, value in settings.items():
        if '"' in value:
            raise Refused(f"设置 {key} 的值不能含英文双引号（\"）：{value}")
    return "".join(f'"{key}","{value}"\r\n' for key, value in settings.items())


def configured(key: str) -> str | None:
    """A setting from the environment, else from the add-in's user config file (cmw addin install writes it)."""
    value = os.environ.get(key, "").strip()
    return value or read_config(user_config_path()).get(key.upper()) or None


def default_sqlite_path() -> Path:
    """The embedded database: %LOCALAPPDATA%\\cmw\\cmw.sqlite3 on Windows, else $XDG_DATA_HOME/cmw or ~/.local/share/cmw."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "cmw" / "cmw.sqlite3"


def database_url() -> str:
    """CMW_DATABASE_URL, or the embedded SQLite file."""
    url = os.environ.get("CMW_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{default_sqlite_path()}"
