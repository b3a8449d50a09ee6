"""The Windows checks of `cmw addin doctor`: what stands between the add-in and a company PC, read from the registry,
Excel's files and Excel itself — never changed.

Each check is a function of a Probe (what Windows answers), so that its logic runs against a fake here and against
WindowsProbe (winreg, and Excel through COM) on a PC. What the add-in needs, and where that is looked up:
- xlwings' DLL where the add-in's VBA loads it (xlwings' Main.bas XLPyLoadDLL): `xlwings64-<version>.dll` for a 64-bit
  Excel, `xlwings32-…` for a 32-bit one, beside INTERPRETER_WIN or one folder above it (a venv); pip puts both there
  as data files of the xlwings wheel, except with `pip install --user`, which puts them under %APPDATA%\\Python.
- Excel's bitness: the machine field of EXCEL.EXE's PE header (the path from App Paths in the registry).
- XLSTART: Application.StartupPath, asked of Excel (started without a window, never when WPS answers for Excel).
- Macro policies (HKCU\\Software\\Policies\\Microsoft\\Office\\16.0): trusted locations turned off, add-ins or
  always-loaded macros required to be signed by a trusted publisher, the macro setting (VBAWarnings), and Excel's list
  of disabled items.
- WPS installed, and whether it is registered as Excel.Application (then COM and xlwings reach WPS, which xlwings does
  not support).
- Defender's attack-surface rules "Block all Office applications from creating child processes" and "Block Win32 API
  calls from Office macros": either stops xlwings (RunPython starts python.exe; the VBA declares the DLL's functions).
"""
from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Protocol

HKLM, HKCU, HKCR = "HKLM", "HKCU", "HKCR"
OFFICE_POLICY = r"Software\Policies\Microsoft\Office\16.0"
OFFICE_USER = r"Software\Microsoft\Office\16.0"
EXCEL_PATH_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe"
EXCEL_CLSID = "{00024500-0000-0000-C000-000000000046}"
ASR_KEYS = (r"SOFTWARE\Policies\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules",
            r"SOFTWARE\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules")
ASR_RULES = {"D4F940AB-401B-4EFC-AADC-AD5F3C50688A": "阻止所有 Office 应用程序创建子进程",
             "92E97FA1-2EDF-4476-BDD6-9DD0B4DDDC7B": "阻止 Office 宏调用 Win32 API"}
ASR_STATES = {"1": "阻止", "6": "警告", "2": "审核（只记录）", "0": "关闭"}
VBA_WARNINGS = {1: "启用所有宏", 2: "禁用所有宏，并发出通知（默认）", 3: "禁用无数字签署的所有宏", 4: "禁用所有宏，并且不通知"}
PE_MACHINES = {0x8664: 64, 0xAA64: 64, 0x14C: 32}
LAUNCHER = "或改用不需要宏的 cmw launcher 窗口。"


@dataclass(frozen=True)
class Line:
    """One line of the report: ok True ✓, False ✗ (detail says the fix), None skipped on this system."""

    ok: bool | None
    what: str
    detail: str

    def text(self) -> str:
        """The line as printed."""
        mark = {True: "✓", False: "✗", None: "－"}[self.ok]
        return f"{mark} {self.what}：{self.detail}"


class Probe(Protocol):
    """What Windows answers, read-only."""

    def value(self, hive: str, key: str, name: str = "") -> object | None:
        """A registry value ("" the key's default), None when the key or value is missing."""

    def values(self, hive: str, key: str) -> dict[str, object]:
        """Every value of a registry key ({} when missing)."""

    def head(self, path: PureWindowsPath, size: int) -> bytes | None:
        """The first bytes of a file, None when it cannot be read."""

    def startup_path(self) -> str | None:
        """Excel's Application.StartupPath (Excel started through COM without a window), None when Excel will not start."""


def pe_bits(head: bytes | None) -> int | None:
    """32 or 64 from a Windows executable's first bytes (its PE header's machine field), None when it is not one."""
    if not head or head[:2] != b"MZ" or len(head) < 0x40:
        return None
    offset = struct.unpack_from("<I", head, 0x3C)[0]
    if len(head) < offset + 6 or head[offset:offset + 4] != b"PE\0\0":
        return None
    return PE_MACHINES.get(struct.unpack_from("<H", head, offset + 4)[0])


def excel(probe: Probe) -> tuple[Line, int | None]:
    """Where Excel is and its bitness."""
    path = probe.value(HKLM, EXCEL_PATH_KEY)
    if not path:
        return Line(False, "Excel", "没有找到 Excel（注册表 App Paths 中没有 excel.exe）。请安装 Excel 2016 或更新版本，" + LAUNCHER), None
    bits = pe_bits(probe.head(PureWindowsPath(str(path)), 4096))
    if bits is None:
        return Line(False, "Excel", f"无法读出 {path} 的位数。请确认 Excel 已正确安装。"), None
    return Line(True, "Excel", f"{bits} 位，{path}"), bits


def dll(probe: Probe, interpreter: str | None, bits: int | None, version: str) -> Line:
    """xlwings' DLL for Excel's bitness where the add-in's VBA loads it from (beside the interpreter, or one up)."""
    if not interpreter:
        return Line(False, "xlwings DLL", "cmw.conf 中没有 INTERPRETER_WIN。请运行 cmw addin install。")
    if bits is None:
        return Line(False, "xlwings DLL", "不知道 Excel 的位数，无法确定需要哪个 DLL（见上一行）。")
    name = f"xlwings{bits}-{version}.dll"
    folders = [PureWindowsPath(interpreter).parent, PureWindowsPath(interpreter).parent.parent]
    if any(probe.head(folder / name, 2) for folder in folders):
        return Line(True, "xlwings DLL", f"{name} 在 {' 或 '.join(map(str, folders))} 中找到")
    return Line(False, "xlwings DLL",
                f"{' 和 '.join(map(str, folders))} 中都没有 {name}，加载项的按钮和工作表函数都不能用。"
                "如果是用 pip install --user 安装的，DLL 被装到了 %APPDATA%\\Python 下：请改装到虚拟环境："
                "py -3.11 -m venv C:\\cmw\\venv，C:\\cmw\\venv\\Scripts\\pip install cmw-….whl，"
                "再用 C:\\cmw\\venv\\Scripts\\cmw addin install … 重新安装。")


def wps(probe: Probe) -> tuple[Line, bool]:
    """Whether WPS is installed, and whether it answers for Excel.Application (then xlwings cannot work)."""
    clsid = probe.value(HKCR, r"Excel.Application\CLSID") or EXCEL_CLSID
    server = str(probe.value(HKCR, rf"CLSID\{clsid}\LocalServer32") or "")
    installed = any(probe.values(hive, r"Software\Kingsoft\Office") for hive in (HKCU, HKLM))
    if any(word in server.lower() for word in ("wps", "kingsoft", "\\et.exe")):
        return Line(False, "WPS", f"WPS 已注册为 Excel.Application（{server}），Excel 加载项无法工作。请在 WPS 的"
                    "“配置工具 → 高级 → 兼容设置”中取消与 Microsoft Office 的兼容关联，" + LAUNCHER), True
    if installed:
        return Line(True, "WPS", "已安装 WPS，但 Excel.Application 仍是 Excel。用 WPS 打开的工作簿请用 cmw launcher 窗口提交。"), False
    return Line(True, "WPS", "未安装"), False


def xlstart(probe: Probe, expected: Path) -> tuple[Line, Path | None]:
    """Excel's own startup folder (Application.StartupPath), compared with where cmw addin install puts the add-in."""
    found = probe.startup_path()
    if not found:
        return Line(False, "XLSTART", "无法启动 Excel 询问启动文件夹（Application.StartupPath）。请确认 Excel 能正常打开。"), None
    if PureWindowsPath(found) != PureWindowsPath(expected):
        return Line(False, "XLSTART", f"Excel 的启动文件夹是 {found}，而 cmw addin install 装到 {expected}。"
                    f"请把 {expected}\\cmw.xlam 复制到 {found}。"), Path(found)
    return Line(True, "XLSTART", found), Path(found)


def macro_policies(probe: Probe, signed: bool) -> list[Line]:
    """The Trust Center's settings and IT's policies that decide whether the add-in's macros run at all."""
    excel_policy, lines = rf"{OFFICE_POLICY}\Excel\Security", []
    if probe.value(HKCU, rf"{excel_policy}\Trusted Locations", "AllLocationsDisabled") == 1:
        lines.append(Line(False, "受信任位置", "IT 的策略关闭了所有受信任位置，XLSTART 中的加载项不再被信任。请 IT 用公司的"
                          "代码签名证书签署 cmw.xlam 并把证书设为受信任的发布者（docs/addin.md“签名”），" + LAUNCHER))
    for name, key, what in (("RequireAddinSig", excel_policy, "加载项须由受信任的发布者签名"),
                            ("RequireAlwaysOnMacroSig", rf"{OFFICE_POLICY}\Common\Security", "始终加载的宏须由受信任的发布者签名")):
        if probe.value(HKCU, key, name) == 1:
            lines.append(Line(True, what, "策略已开启；cmw.xlam 已签名，请确认签名证书是受信任的发布者。") if signed else
                         Line(False, what, "策略已开启，而 cmw.xlam 没有签名，Excel 会停用它。请 IT 签署后再发放"
                              "（docs/addin.md“签名”），" + LAUNCHER))
    setting = probe.value(HKCU, excel_policy, "VBAWarnings") or probe.value(HKCU, rf"{OFFICE_USER}\Excel\Security",
                                                                               "VBAWarnings") or 2
    lines.append(Line(True, "宏设置", f"{VBA_WARNINGS.get(int(setting), f'值 {setting}')}"
                      "（XLSTART 是受信任位置，其中的加载项不受此设置影响，除非上面说受信任位置已被关闭）"))
    disabled = [v for v in probe.values(HKCU, rf"{OFFICE_USER}\Excel\Resiliency\DisabledItems").values()
                if isinstance(v, bytes) and "cmw.xlam" in v.decode("utf-16-le", errors="ignore").lower()]
    lines.append(Line(False, "已禁用项目", "Excel 停用了 cmw.xlam。请在 Excel：文件 → 选项 → 加载项 → 管理“禁用项目” → "
                      "转到…，选中 cmw.xlam 并启用。") if disabled else Line(True, "已禁用项目", "cmw.xlam 不在其中"))
    return lines


def defender(probe: Probe) -> list[Line]:
    """The two attack-surface rules that stop xlwings, as the registry (policy or local setting) says."""
    states: dict[str, str] = {}
    for key in ASR_KEYS:
        for name, value in probe.values(HKLM, key).items():
            states.setdefault(name.upper(), str(value))
    lines = []
    for guid, rule in ASR_RULES.items():
        state = states.get(guid, "0")
        if state in ("1", "6"):
            lines.append(Line(False, f"Defender 规则“{rule}”", f"{ASR_STATES[state]}：xlwings 无法运行。请 IT 为本机的"
                              " python.exe / pythonw.exe 路径添加该规则的排除项（或关闭该规则），" + LAUNCHER))
        else:
            lines.append(Line(True, f"Defender 规则“{rule}”", ASR_STATES.get(state, f"值 {state}")))
    return lines


class WindowsProbe:
    """The real answers: winreg (the 64-bit view) and Excel through COM."""

    def __init__(self):
        import winreg

        self._winreg = winreg
        self._hives = {HKLM: winreg.HKEY_LOCAL_MACHINE, HKCU: winreg.HKEY_CURRENT_USER, HKCR: winreg.HKEY_CLASSES_ROOT}

    def _open(self, hive: str, key: str):
        return self._winreg.OpenKey(self._hives[hive], key, 0, self._winreg.KEY_READ | self._winreg.KEY_WOW64_64KEY)

    def value(self, hive: str, key: str, name: str = "") -> object | None:
        """A registry value, None when missing."""
        try:
            with self._open(hive, key) as opened:
                return self._winreg.QueryValueEx(opened, name)[0]
        except OSError:
            return None

    def values(self, hive: str, key: str) -> dict[str, object]:
        """Every value of a key."""
        found = {}
        try:
            with self._open(hive, key) as opened:
                for n in range(self._winreg.QueryInfoKey(opened)[1]):
                    name, value, _ = self._winreg.EnumValue(opened, n)
                    found[name] = value
        except OSError:
            pass
        return found

    def head(self, path: PureWindowsPath, size: int) -> bytes | None:
        """A file's first bytes."""
        try:
            with open(path, "rb") as file:
                return file.read(size)
        except OSError:
            return None

    def startup_path(self) -> str | None:
        """Application.StartupPath of a new, windowless Excel, closed again."""
        try:
            import win32com.client  # pywin32, installed with xlwings on Windows

            app = win32com.client.DispatchEx("Excel.Application")
            try:
                return str(app.StartupPath)
            finally:
                app.Quit()
        except Exception:  # Excel missing, broken or refusing automation: said on the report's line
            return None


def probe() -> Probe:
    """The probe of this PC (Windows only)."""
    assert sys.platform == "win32"
    return WindowsProbe()
