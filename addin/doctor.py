"""`cmw addin doctor`: a read-only report, in Chinese, of what the add-in needs on this PC — each line ✓ or ✗ with
the fix. On any system: Python, the installed packages against cmw's pinned requirements, cmw.conf, the configured
database answering for the configured user, the shipped add-in file's SHA-256. On Windows also the checks of
addin/doctor_windows.py (Excel's bitness and xlwings' DLL, XLSTART from Application.StartupPath, the installed add-in
being the shipped file, macro policies, WPS, Defender's attack-surface rules); elsewhere the report names them as
skipped. Nothing is written, nothing is installed.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from addin.doctor_windows import Line
from storage.settings import read_config, user_config_path

WINDOWS_ONLY = ("Excel 的位数与 xlwings DLL", "XLSTART（Application.StartupPath）", "已安装的加载项是否为发布的文件",
                "宏设置与 IT 策略", "WPS 是否注册为 Excel.Application", "Defender 攻击面减少规则")
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*(==|>=|<=|~=|!=|<|>)?\s*([^,;\s]*)")


def python_line() -> Line:
    """The running Python: 3.11 or newer, its bitness and where it is."""
    bits = 64 if sys.maxsize > 2**32 else 32
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 11):
        return Line(False, "Python", f"{version} 太旧：请安装 Python 3.11（python.org）。")
    return Line(True, "Python", f"{version}（{bits} 位），{sys.executable}")


def package_lines(distribution: str = "cmw") -> list[Line]:
    """Every requirement of cmw (extras left out) installed, pinned ones at exactly their version."""
    try:
        requirements = metadata.requires(distribution) or []
    except metadata.PackageNotFoundError:
        return [Line(False, "软件包", f"没有安装 {distribution}。请运行 pip install cmw-….whl。")]
    missing, wrong, found = [], [], 0
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        name, operator, wanted = REQUIREMENT.match(requirement).groups()
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        found += 1
        if operator == "==" and installed != wanted:
            wrong.append(f"{name} {installed}（应为 {wanted}）")
    if missing or wrong:
        said = "；".join(([f"缺少 {'、'.join(missing)}"] if missing else []) + ([f"版本不对：{'、'.join(wrong)}"] if wrong else []))
        return [Line(False, "软件包", f"{said}。请重新安装 cmw：pip install --force-reinstall cmw-….whl。")]
    return [Line(True, "软件包", f"cmw {metadata.version(distribution)} 的 {found} 个依赖都已安装，固定版本相符")]


def config_lines(path: Path) -> tuple[list[Line], dict[str, str]]:
    """cmw.conf present and readable, with a user; its interpreter a Windows path when read on Windows."""
    if not path.is_file():
        return [Line(False, "cmw.conf", f"没有 {path}。请运行 cmw addin install --user 您的用户编码"
                     "（WPS 或不用宏：加 --settings-only）。")], {}
    try:
        settings = read_config(path)
    except OSError as exc:
        return [Line(False, "cmw.conf", f"无法读取 {path}（{exc.strerror}）。请检查文件权限。")], {}
    lines = [Line(True, "cmw.conf", str(path))]
    lines.append(Line(True, "用户", settings["CMW_USER"]) if settings.get("CMW_USER") else
                 Line(False, "用户", "cmw.conf 中没有 CMW_USER。请运行 cmw addin install --user 您的用户编码。"))
    if not settings.get("CMW_DATABASE_URL"):
        lines.append(Line(True, "数据库地址", "未设置：使用本机内置数据库（单人使用）。公司共用数据库请加 --database-url 重新安装。"))
    interpreter = settings.get("INTERPRETER_WIN", "")
    if sys.platform == "win32" and interpreter and not Path(interpreter).is_file():
        lines.append(Line(False, "INTERPRETER_WIN", f"{interpreter} 不存在（设置文件是在别的电脑上生成的？）。"
                          "请在本机运行 cmw addin install 重新生成。"))
    return lines, settings


def database_line(url: str | None, user: str | None) -> Line:
    """The configured database answers, its tables are current, and it knows the configured user."""
    from addin.app import open_app
    from engine.errors import Refused
    from storage.database import database_url

    shown = _hidden_password(url or database_url())
    try:
        app = open_app(url)
        actor = app.actor(user) if user else None
    except Refused as refusal:
        return Line(False, "数据库", f"{shown}：{refusal.message}")
    except Exception as exc:  # the server is down, the address or password is wrong: said, not raised
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Line(False, "数据库", f"{shown} 无法连接（{first}）。请检查网络，或请管理员核对 cmw.conf 中的数据库地址和密码。")
    return Line(True, "数据库", f"{shown} 可连接" + (f"，用户 {actor.label}" if actor else ""))


def _hidden_password(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: said as given, minus anything after a colon and before an @
        return re.sub(r":[^:@/]*@", ":***@", url)


def shipped_line() -> tuple[Line, str | None]:
    """The add-in file shipped in this package matches the SHA-256 recorded when it was built."""
    from addin.build import SHIPPED, file_sha256, shipped_sha256

    recorded = shipped_sha256()
    if recorded is None or not SHIPPED.is_file():
        return Line(False, "发布的加载项", f"软件包中没有 {SHIPPED.name} 或它的校验值。请安装正式发布的 cmw（管理员："
                    "cmw addin build --release 后重新打包）。"), None
    if file_sha256(SHIPPED) != recorded:
        return Line(False, "发布的加载项", f"{SHIPPED} 与发布时的 SHA-256 不符（文件被改动或损坏）。请重新安装 cmw。"), None
    return Line(True, "发布的加载项", f"{SHIPPED}，SHA-256 {recorded[:16]}…"), recorded


def windows_lines(settings: dict[str, str], shipped: str | None, probe) -> list[Line]:
    """The checks only a Windows PC can answer (addin/doctor_windows.py), in the order they matter."""
    import xlwings

    from addin import doctor_windows as win
    from addin.build import ADDIN_NAME, file_sha256, is_signed
    from addin.install import xlstart_folder

    wps, wps_is_excel = win.wps(probe)
    excel, bits = win.excel(probe)
    lines = [wps, excel, win.dll(probe, settings.get("INTERPRETER_WIN"), bits, xlwings.__version__)]
    if wps_is_excel:
        lines.append(Line(False, "XLSTART", "WPS 代替 Excel 响应自动化，无法询问 Excel 的启动文件夹（见 WPS 一行）。"))
        folder = None
    else:
        line, folder = win.xlstart(probe, xlstart_folder())
        lines.append(line)
    installed = (folder or xlstart_folder()) / ADDIN_NAME
    signed = installed.is_file() and is_signed(installed)
    if not installed.is_file():
        lines.append(Line(False, "已安装的加载项", f"没有 {installed}。请关闭 Excel 后运行 cmw addin install。"))
    elif shipped and file_sha256(installed) != shipped and not signed:
        lines.append(Line(False, "已安装的加载项", f"{installed} 不是本版本发布的文件。请关闭 Excel 后运行 cmw addin install。"))
    else:
        lines.append(Line(True, "已安装的加载项", f"{installed}" + ("（已签名）" if signed else "，与发布的文件相同")))
    return [*lines, *win.macro_policies(probe, signed), *win.defender(probe)]


def report(config: Path | None = None, probe=None) -> list[Line]:
    """Every check this system can answer; on other systems than Windows, one line naming those skipped."""
    from storage.settings import configured

    lines = [python_line(), *package_lines()]
    conf, settings = config_lines(config or user_config_path())
    lines += conf
    lines.append(database_line(configured("CMW_DATABASE_URL") or settings.get("CMW_DATABASE_URL"),
                               configured("CMW_USER") or settings.get("CMW_USER")))
    shipped, digest = shipped_line()
    lines.append(shipped)
    if sys.platform == "win32" or probe is not None:
        from addin.doctor_windows import probe as windows_probe

        lines += windows_lines(settings, digest, probe or windows_probe())
    else:
        lines.append(Line(None, "跳过（只在 Windows 上检查）", "、".join(WINDOWS_ONLY)))
    return lines
