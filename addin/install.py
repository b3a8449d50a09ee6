"""`cmw addin install`: cmw.xlam into Excel's XLSTART folder and the user's settings into the add-in's config file.

Where the settings live: the add-in's own user config file, %USERPROFILE%\\.cmw\\cmw.conf (xlwings' custom-add-in
config file; the add-in's PROJECT_NAME is "cmw"). Not the add-in's config sheet, which outranks the file and is
replaced with every upgrade of the .xlam, and not ~/.xlwings/xlwings.conf, which belongs to the xlwings add-in.
The file holds the interpreter, PYTHONPATH, UDF Modules, and our own CMW_DATABASE_URL / CMW_USER / CMW_OUTPUT_DIR:
the add-in copies those into Excel's environment when it loads (CmwRibbon.CmwRibbonLoaded), so the ribbon's Python
and the worksheet functions' Python see them, and the dispatcher reads the file itself as well.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
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

    settings = {"INTERPRETER_WIN": str(interpreter()), "PYTHONPATH": str(code_folder()),
                "UDF MODULES": ";".join(udf_modules())}
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


def _dll_note() -> str | None:
    """On Windows, whether xlwings' DLL sits where the add-in's VBA loads it from (beside python.exe or the venv)."""
    import xlwings

    python = interpreter()
    dll = f"xlwings{64 if sys.maxsize > 2**32 else 32}-{xlwings.__version__}.dll"
    if any((folder / dll).is_file() for folder in (python.parent, python.parent.parent)):
        return None
    return f"注意：在 {python.parent} 及其上一级文件夹中没有找到 {dll}，工作表函数可能无法使用。请重新安装 xlwings：pip install --force-reinstall xlwings"


def install(*, target: Path | None, user: str | None, database_url: str | None, output: Path | None) -> Outcome:
    """Build cmw.xlam into XLSTART (or target) and write the config file (beside it with target, else in the profile)."""
    from addin.build import ADDIN_NAME, build_addin

    if target is None and sys.platform != "win32":
        raise Refused("只有 Windows 上的 Excel 能安装加载项。其他系统请用 --target 文件夹 生成加载项和设置文件。")
    folder = target if target is not None else xlstart_folder()
    config = target / CONFIG_NAME if target is not None else user_config_path()
    settings = {**read_config(config), **settings_for(user, database_url, output)}
    text = config_text(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="cmw-addin-") as staging:  # the old add-in stays until the new is whole
            build_addin(Path(staging))
            shutil.copyfile(Path(staging, ADDIN_NAME), folder / ADDIN_NAME)
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(text, encoding=encoding(), newline="")
    except PermissionError:
        raise Refused(f"无法写入 {folder / ADDIN_NAME}：Excel 可能正在使用它。请关闭所有 Excel 窗口后重新运行。") from None
    notes = [f"设置文件：{config}（Python：{settings['INTERPRETER_WIN']}）"]
    notes += [] if "CMW_USER" in settings else ["还没有设置用户：请加 --user 您的用户编码（例如 --user cm001）重新运行。"]
    if target is None:
        notes += [n for n in (_dll_note(),) if n]
    notes.append("重新打开 Excel 后，功能区上会出现“客户经理工作法”选项卡。" if target is None else
                 f"在 Windows 上把 {ADDIN_NAME} 复制到 %APPDATA%\\Microsoft\\Excel\\XLSTART，把 {CONFIG_NAME} 复制到 %USERPROFILE%\\.cmw\\。")
    return Outcome(f"已安装 Excel 加载项：{folder / ADDIN_NAME}", tuple(notes))
