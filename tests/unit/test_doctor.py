"""`cmw addin doctor`: the checks that run here, and the Windows checks' logic against a fake Windows (registry values,
files, Excel's answer) — the real winreg and COM calls are only the probe's, confirmed on a PC (docs/addin.md)."""
from __future__ import annotations

import struct
from pathlib import Path, PureWindowsPath


from addin import doctor, doctor_windows as win
from addin.build import SHIPPED

ASR = win.ASR_KEYS[0]
CHILD, WIN32 = win.ASR_RULES


def pe(machine: int) -> bytes:
    """The first bytes of a Windows executable for a machine type (0x8664 x64, 0x14C x86)."""
    head = bytearray(0x100)
    head[:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x80)
    head[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", head, 0x84, machine)
    return bytes(head)


class FakeWindows:
    """A PC as the probe sees it: registry keys → values, files → first bytes, Excel's StartupPath."""

    def __init__(self, registry=None, files=None, startup=None):
        self.registry = registry or {}
        self.files = {PureWindowsPath(k): v for k, v in (files or {}).items()}
        self.startup = startup

    def value(self, hive, key, name=""):
        return self.registry.get((hive, key), {}).get(name)

    def values(self, hive, key):
        return dict(self.registry.get((hive, key), {}))

    def head(self, path, size):
        found = self.files.get(PureWindowsPath(path))
        return found[:size] if found is not None else None

    def startup_path(self):
        return self.startup


EXCEL_EXE = r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE"
PYTHON = r"C:\cmw\venv\Scripts\pythonw.exe"


def a_pc(bits=64, **extra) -> FakeWindows:
    """A PC with Excel of that bitness, xlwings' DLLs at the venv's root (where pip puts data files)."""
    import xlwings

    registry = {(win.HKLM, win.EXCEL_PATH_KEY): {"": EXCEL_EXE}, **extra.pop("registry", {})}
    files = {EXCEL_EXE: pe(0x8664 if bits == 64 else 0x14C),
             rf"C:\cmw\venv\xlwings64-{xlwings.__version__}.dll": b"MZ",
             rf"C:\cmw\venv\xlwings32-{xlwings.__version__}.dll": b"MZ", **extra.pop("files", {})}
    return FakeWindows(registry, files, **extra)


def test_excel_bitness_from_its_executable():
    assert win.pe_bits(pe(0x8664)) == 64 and win.pe_bits(pe(0x14C)) == 32
    assert win.pe_bits(b"not an exe") is None and win.pe_bits(None) is None
    line, bits = win.excel(a_pc(32))
    assert line.ok and bits == 32 and "32 位" in line.detail
    line, bits = win.excel(FakeWindows())
    assert not line.ok and bits is None and "没有找到 Excel" in line.detail


def test_the_dll_is_looked_for_where_the_vba_loads_it():
    import xlwings

    assert win.dll(a_pc(), PYTHON, 64, xlwings.__version__).ok  # the venv: one folder above Scripts
    user_install = FakeWindows(files={EXCEL_EXE: pe(0x8664)})  # pip install --user put the DLLs under %APPDATA%
    line = win.dll(user_install, r"C:\Python311\pythonw.exe", 64, xlwings.__version__)
    assert not line.ok and f"xlwings64-{xlwings.__version__}.dll" in line.detail and "pip install --user" in line.detail
    assert "venv" in line.detail
    assert not win.dll(a_pc(), None, 64, "0.37.8").ok and "cmw addin install" in win.dll(a_pc(), None, 64, "x").detail


def test_wps_installed_and_wps_answering_for_excel():
    assert win.wps(FakeWindows()) == (win.Line(True, "WPS", "未安装"), False)
    installed = FakeWindows({(win.HKCU, r"Software\Kingsoft\Office"): {"Version": "12.1"}})
    line, is_excel = win.wps(installed)
    assert line.ok and not is_excel and "cmw launcher" in line.detail
    hijacked = FakeWindows({(win.HKCR, r"Excel.Application\CLSID"): {"": win.EXCEL_CLSID},
                            (win.HKCR, rf"CLSID\{win.EXCEL_CLSID}\LocalServer32"):
                                {"": r"C:\Users\zhang\AppData\Local\Kingsoft\WPS Office\12.1\office6\et.exe /Automation"}})
    line, is_excel = win.wps(hijacked)
    assert not line.ok and is_excel and "et.exe" in line.detail and "cmw launcher" in line.detail


def test_xlstart_is_asked_of_excel():
    expected = Path(r"C:\Users\zhang\AppData\Roaming\Microsoft\Excel\XLSTART")
    line, found = win.xlstart(FakeWindows(startup=str(expected)), expected)
    assert line.ok and found == expected
    moved = r"D:\Roaming\Microsoft\Excel\XLSTART"  # a redirected profile
    line, found = win.xlstart(FakeWindows(startup=moved), expected)
    assert not line.ok and moved in line.detail and found == Path(moved)
    line, found = win.xlstart(FakeWindows(), expected)
    assert not line.ok and found is None and "StartupPath" in line.detail


def test_macro_policies():
    policy = (win.HKCU, rf"{win.OFFICE_POLICY}\Excel\Security")
    calm = win.macro_policies(FakeWindows(), signed=False)
    assert all(line.ok for line in calm) and "默认" in calm[0].detail
    strict = FakeWindows({policy: {"RequireAddinSig": 1, "VBAWarnings": 4},
                          (win.HKCU, rf"{win.OFFICE_POLICY}\Excel\Security\Trusted Locations"): {"AllLocationsDisabled": 1}})
    lines = win.macro_policies(strict, signed=False)
    failed = [line.what for line in lines if not line.ok]
    assert failed == ["受信任位置", "加载项须由受信任的发布者签名"], lines
    assert any("不通知" in line.detail for line in lines)
    assert [line.ok for line in win.macro_policies(strict, signed=True)][1] is True
    disabled = FakeWindows({(win.HKCU, rf"{win.OFFICE_USER}\Excel\Resiliency\DisabledItems"):
                            {"5A7B": "C:\\Users\\zhang\\XLSTART\\cmw.xlam".encode("utf-16-le")}})
    [*_, line] = win.macro_policies(disabled, signed=False)
    assert not line.ok and "禁用项目" in line.detail


def test_defender_rules_that_stop_xlwings():
    assert all(line.ok for line in win.defender(FakeWindows()))
    on = FakeWindows({(win.HKLM, ASR): {CHILD.lower(): "1", WIN32: "2"}})
    child, api = win.defender(on)
    assert not child.ok and "阻止" in child.detail and "python.exe" in child.detail
    assert api.ok and "审核" in api.detail
    warned = FakeWindows({(win.HKLM, win.ASR_KEYS[1]): {WIN32: 6}})
    assert [line.ok for line in win.defender(warned)] == [True, False]


def test_the_report_on_a_fake_windows_pc(tmp_path, monkeypatch):
    appdata = tmp_path / "Roaming"
    xlstart = appdata / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    (xlstart / "cmw.xlam").write_bytes(SHIPPED.read_bytes())
    monkeypatch.setenv("APPDATA", str(appdata))
    monkeypatch.setenv("CMW_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    config = tmp_path / "cmw.conf"
    config.write_text(f'"INTERPRETER_WIN","{PYTHON}"\r\n"CMW_USER","cm001"\r\n', encoding="utf-8")
    lines = doctor.report(config, probe=a_pc(startup=str(xlstart)))
    said = {line.what: line for line in lines}
    assert said["已安装的加载项"].ok and "与发布的文件相同" in said["已安装的加载项"].detail
    assert said["XLSTART"].ok and said["xlwings DLL"].ok and said["Excel"].ok
    assert not said["数据库"].ok and "cmw db upgrade" in said["数据库"].detail  # an empty file: said, not raised
    (xlstart / "cmw.xlam").write_bytes(b"an older add-in")
    said = {line.what: line for line in doctor.report(config, probe=a_pc(startup=str(xlstart)))}
    assert not said["已安装的加载项"].ok and "cmw addin install" in said["已安装的加载项"].detail
