"""`cmw addin install`: the shipped cmw.xlam into Excel's XLSTART folder and the user's settings into the add-in's
config file.

The add-in is built once per release (`cmw addin build --release`, addin/xlam/cmw.xlam with its SHA-256) and shipped
in the package: install checks the hash and copies the file, so every PC runs the same tested bytes and a file IT has
signed stays signed (nothing is rebuilt on the PC). The settings live in the add-in's own user config file,
%USERPROFILE%\\.cmw\\cmw.conf (xlwings' custom-add-in config file; the add-in's PROJECT_NAME is "cmw"): the interpreter,
PYTHONPATH, UDF Modules, and our own CMW_DATABASE_URL / CMW_USER / CMW_OUTPUT_DIR, which every Python that Excel
starts reads itself (storage/settings.py). Not the add-in's config sheet, which outranks the file and is replaced
with every upgrade, and not ~/.xlwings/xlwings.conf, which belongs to the xlwings add-in. The interpreter's path is
written only on Windows: a file made with --target elsewhere must not send a Windows Excel to a Linux Python.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from storage.settings import CONFIG_NAME, config_text, encoding, read_config, user_config_path
from engine.errors import Refused
from engine.records import Outcome

OUR_KEYS = ("CMW_DATABASE_URL", "CMW_USER", "CMW_OUTPUT_DIR")


def interpreter() -> Path:
    """The Python that runs this install: pythonw.exe beside it on Windows (no console window for the UDF server)."""
    running = Path(sys.executable)
    windowless = running.with_name("pythonw.exe")
    return windowless if sys.platform == "win32" and windowless.is_file() else running


def code_folder() -> Path:
    """The folder that holds our packages (site-packages, or the source tree of a development install)."""
    return Path(__file__).resolve().parents[1]


def settings_for(user: str | None, database_url: str | None, output: Path | None) -> dict[str, str]:
    """What the add-in needs to find Python, our code and UDFs, and what our code needs to find its data."""
    from addin.build import udf_modules

    settings = {"UDF MODULES": ";".join(udf_modules())}
    if sys.platform == "win32":  # paths of this PC; written elsewhere (--target on Linux) they would mislead Windows
        settings.update({"INTERPRETER_WIN": str(interpreter()), "PYTHONPATH": str(code_folder())})
    for key, value in zip(OUR_KEYS, (database_url, user, str(output) if output else None)):
        if value:
            settings[key] = value
    return settings


def xlstart_folder() -> Path:
    """The user's Excel startup folder: every workbook in it opens when Excel starts."""
    appdata = os.environ.get("APPDATA")
    if not appdata:
        raise Refused("找不到 %APPDATA%，无法确定 Excel 的启动文件夹。请用 --target 指定安装文件夹。")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def shipped_addin() -> Path:
    """The add-in file shipped in the package, checked against the SHA-256 recorded when it was built."""
    from addin.build import SHIPPED, file_sha256, shipped_sha256

    recorded = shipped_sha256()
    if recorded is None or not SHIPPED.is_file():
        raise Refused(f"软件包中没有发布的加载项 {SHIPPED.name}（或它的校验值）。请安装正式发布的 cmw；"
                      "管理员：在源代码中运行 cmw addin build --release 后重新打包。")
    if file_sha256(SHIPPED) != recorded:
        raise Refused(f"{SHIPPED} 与发布时记录的 SHA-256 不符（文件被改动或损坏），没有安装。请重新安装 cmw。")
    return SHIPPED


def install(*, target: Path | None, user: str | None, database_url: str | None, output: Path | None,
            settings_only: bool = False) -> Outcome:
    """Copy the shipped cmw.xlam into XLSTART (or target) and write the config file (beside it with target, else in
    the profile); settings_only: the config file alone, on any system (WPS users and the launcher need no add-in)."""
    from addin.build import ADDIN_NAME

    if settings_only:
        return _write_settings(target / CONFIG_NAME if target is not None else user_config_path(), user, database_url,
                               output)
    if target is None and sys.platform != "win32":
        raise Refused("只有 Windows 上的 Excel 能安装加载项。其他系统请用 --target 文件夹 生成加载项和设置文件。")
    folder = target if target is not None else xlstart_folder()
    config = target / CONFIG_NAME if target is not None else user_config_path()
    shipped = shipped_addin()
    settings, text = _settings(config, user, database_url, output)  # refused before anything is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = folder / f".{ADDIN_NAME}.new"  # the old add-in stays until the new one is whole
        shutil.copyfile(shipped, staging)
        os.replace(staging, folder / ADDIN_NAME)
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(text, encoding=encoding(), newline="")
    except PermissionError:
        raise Refused(f"无法写入 {folder / ADDIN_NAME}：Excel 可能正在使用它。请关闭所有 Excel 窗口后重新运行。") from None
    python = settings.get("INTERPRETER_WIN")
    notes = [f"设置文件：{config}" + (f"（Python：{python}）" if python else ""), *_no_user(settings)]
    if "INTERPRETER_WIN" not in settings:
        notes.append("不是在 Windows 上安装的，设置文件中没有写 Python 的路径：请在使用它的 Windows 电脑上运行一次 "
                     "cmw addin install（或 --settings-only），由它写入那台电脑的 Python。")
    notes.append("重新打开 Excel 后，功能区上会出现“客户经理工作法”选项卡。运行 cmw addin doctor 可检查本机的设置。"
                 if target is None else
                 f"在 Windows 上把 {ADDIN_NAME} 复制到 Excel 的启动文件夹（XLSTART），把 {CONFIG_NAME} 复制到 %USERPROFILE%\\.cmw\\。")
    return Outcome(f"已安装 Excel 加载项：{folder / ADDIN_NAME}", tuple(notes))


def _settings(config: Path, user: str | None, database_url: str | None, output: Path | None) -> tuple[dict, str]:
    """The config file's settings (those not given again kept) and its text; Refused for a value VBA cannot read."""
    settings = {**read_config(config), **settings_for(user, database_url, output)}
    return settings, config_text(settings)


def _no_user(settings: dict[str, str]) -> list[str]:
    return [] if "CMW_USER" in settings else ["还没有设置用户：请加 --user 您的用户编码（例如 --user cm001）重新运行。"]


def _write_settings(config: Path, user: str | None, database_url: str | None, output: Path | None) -> Outcome:
    """cmw.conf alone."""
    settings, text = _settings(config, user, database_url, output)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding=encoding(), newline="")
    return Outcome(f"已写入设置文件：{config}（未安装 Excel 加载项）",
                   (*_no_user(settings), "双击 cmw-launcher（或运行 cmw launcher）打开“客户经理工作法”窗口。"))
