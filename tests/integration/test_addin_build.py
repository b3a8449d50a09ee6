"""`cmw addin build` and `cmw addin install --target`: the .xlam is a package Excel can load (checked without Excel:
its parts, the ribbon XML, and its VBA project read back by olevba), and the install writes a config that points at
this interpreter, our code and the worksheet functions of udfs/."""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from xml.etree import ElementTree as ET

from addin.buttons import BUTTONS
from addin.build import PROJECT_NAME, SHIPPED, UDF_HELP, UDF_WRAPPERS, build_addin, udf_modules
from addin.cli import main
from storage.settings import read_config
from addin.ribbon import CALLBACK, ON_LOAD, VBA_MODULE, customui_xml, problems

oletools = pytest.importorskip("oletools.olevba", reason="oletools verifies the VBA project (pip install -e .[test])")
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The add-in, built once for this module."""
    folder = tmp_path_factory.mktemp("dist")
    build_addin(folder)
    return folder / "cmw.xlam"


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    """The VBA modules as olevba reads them: module name → source."""
    parser = oletools.VBA_Parser(str(built))
    try:
        assert parser.detect_vba_macros()
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_the_package_points_at_our_ribbon(built):
    with zipfile.ZipFile(built) as package:
        names = set(package.namelist())
        assert package.testzip() is None and "customUI/customUI.xml" not in names
        assert package.read("customUI/customUI14.xml") == customui_xml() and problems(customui_xml()) == []
        rels = package.read("_rels/.rels").decode()
        assert re.findall(r'Type="([^"]+)" Target="customUI/customUI14.xml"', rels) == [RIBBON_REL]
        assert "xl/vbaProject.bin" in names and "vbaProject" in package.read("[Content_Types].xml").decode()
        sheets = re.findall(r'<sheet name="([^"]+)"', package.read("xl/workbook.xml").decode())
        settings = _config_sheet(package)
    assert sheets == [f"{PROJECT_NAME}.conf"]
    assert settings["UDF Modules"] == ";".join(udf_modules()) == "udfs.analysis;udfs.brands"
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] is False and "Interpreter_Win" not in settings


def _config_sheet(package: zipfile.ZipFile) -> dict[str, object]:
    """The add-in's config sheet (A: key, B: value) read from its XML (openpyxl does not open .xlam packages)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    strings = [si.findtext("m:t", namespaces=ns) for si in ET.fromstring(package.read("xl/sharedStrings.xml"))]
    values = {}
    for cell in ET.fromstring(package.read("xl/worksheets/sheet1.xml")).iter(f"{{{ns['m']}}}c"):
        raw = cell.findtext("m:v", namespaces=ns)
        values[cell.get("r")] = strings[int(raw)] if cell.get("t") == "s" else raw == "1"
    return {values[f"A{n}"]: values.get(f"B{n}") for n in range(1, len(values)) if f"A{n}" in values}


def test_the_vba_project_holds_the_dispatcher(vba):
    assert set(vba) >= {"xlwings", VBA_MODULE, UDF_WRAPPERS, UDF_HELP, "ThisWorkbook"} and "RibbonMyAddin" not in vba
    ribbon = vba[VBA_MODULE]
    for name in (CALLBACK, ON_LOAD):
        assert re.search(rf"Public Sub {name.split('.')[1]}\(", ribbon)
    assert "RunPython \"import addin.dispatch; addin.dispatch.run_from_excel('\" & control.Tag & \"')\"" in ribbon
    assert f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"' in vba["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "myaddin"' not in vba["xlwings"]


def _chrw_text(expression: str) -> str:
    """The text a VBA expression of quoted runs and ChrW(n) builds."""
    return "".join(chr(int(n)) if n else s for s, n in re.findall(r'"([^"]*)"|ChrW\((\d+)\)', expression))


def _assigned(source: str, var: str, upto: int) -> str:
    """What var holds at position upto of a generated Sub (its last assignment run before that point)."""
    lines = [m for m in re.finditer(rf"^\s*{var} = (.*)$", source[:upto], re.M)]
    text = ""
    for match in lines:
        expression = match.group(1)
        text = (text if expression.startswith(f"{var} & ") else "") + _chrw_text(expression.removeprefix(f"{var} & "))
    return text


def test_every_worksheet_function_is_registered_with_its_chinese_help(vba):
    """The UDFs of udfs/ (found by their @xw.func decorators) are exactly the add-in's wrappers and descriptions."""
    udfs = [u for found in udf_modules().values() for u in found]
    wrapped = re.findall(r'^Function (\w+)\(([^)]*)\)', vba[UDF_WRAPPERS], re.M)
    assert wrapped == [(u.name, ", ".join(a for a, _ in u.args)) for u in udfs]
    for udf in udfs:
        assert f'XLPy.CallUDF("{udf.module}", "{udf.name}", Array(' in vba[UDF_WRAPPERS]
        at = vba[UDF_HELP].index(f"'!{udf.name}\"")
        assert _assigned(vba[UDF_HELP], "described", at) == udf.doc and re.search(r"[\u4e00-\u9fff]", udf.doc)
        for n, (_, doc) in enumerate(udf.args, start=1):
            assert _assigned(vba[UDF_HELP], f"a{n}", at) == doc and doc
    assert _assigned(vba[UDF_HELP], "category", len(vba[UDF_HELP])) == "客户经理工作法"


def test_pyopenvba_finds_the_package_consistent(built):
    from pyopenvba import check_file

    assert check_file(built).issues == ()


def test_build_command(tmp_path, capsys):
    assert main(["addin", "build", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "cmw.xlam").is_file() and f"{len(BUTTONS)} 个按钮" in out and "CMW_EFFECT_SCORE" in out
    assert main(["addin", "build", "-o", str(tmp_path / "sub" / "mine.xlam")]) == 0  # -o takes a file path too
    assert (tmp_path / "sub" / "mine.xlam").read_bytes() == (tmp_path / "cmw.xlam").read_bytes()


def test_install_into_a_folder_writes_a_working_config(tmp_path, capsys):
    target = tmp_path / "addin"
    argv = ["addin", "install", "--target", str(target), "--user", "cm001", "--database-url",
            "postgresql+psycopg://u:p@db:5432/cmw"]
    assert main(argv) == 0 and "已安装 Excel 加载项" in capsys.readouterr().out
    assert (target / "cmw.xlam").read_bytes() == SHIPPED.read_bytes()  # the shipped file, copied, not rebuilt
    config = read_config(target / "cmw.conf")
    if sys.platform == "win32":
        assert Path(config["INTERPRETER_WIN"]) == Path(sys.executable).with_name("pythonw.exe")
        assert (Path(config["PYTHONPATH"]) / "addin" / "dispatch.py").is_file()
    else:  # issue 17, item 7: this Linux Python would send a Windows Excel nowhere
        assert "INTERPRETER_WIN" not in config and "PYTHONPATH" not in config
    assert config["UDF MODULES"] == "udfs.analysis;udfs.brands" and config["CMW_USER"] == "cm001"
    assert config["CMW_DATABASE_URL"] == "postgresql+psycopg://u:p@db:5432/cmw"
    assert all(re.fullmatch(r'"[^"]+","[^"]*"', line) for line in (target / "cmw.conf").read_text().splitlines())
    assert main(["addin", "install", "--target", str(target)]) == 0  # again, without the user: kept
    assert read_config(target / "cmw.conf")["CMW_USER"] == "cm001"


def test_install_refusals(tmp_path, capsys):
    assert main(["addin", "install", "--target", str(tmp_path), "--user", 'cm"1']) == 2
    assert "双引号" in capsys.readouterr().err
    if sys.platform != "win32":
        assert main(["addin", "install"]) == 2 and "--target" in capsys.readouterr().err


def test_install_of_the_settings_alone_for_the_launcher(tmp_path, capsys):
    target = tmp_path / "conf"
    assert main(["addin", "install", "--settings-only", "--target", str(target), "--user", "cm001"]) == 0
    assert "未安装 Excel 加载项" in capsys.readouterr().out and not (target / "cmw.xlam").exists()
    assert read_config(target / "cmw.conf")["CMW_USER"] == "cm001"


def test_install_refuses_a_shipped_file_that_is_not_the_one_built(tmp_path, monkeypatch, capsys):
    changed = tmp_path / "cmw.xlam"
    changed.write_bytes(SHIPPED.read_bytes() + b"\0")
    monkeypatch.setattr("addin.build.SHIPPED", changed)
    monkeypatch.setattr("addin.build.SHIPPED_SHA", SHIPPED.with_name("cmw.xlam.sha256"))
    assert main(["addin", "install", "--target", str(tmp_path / "out"), "--user", "cm001"]) == 2
    assert "SHA-256 不符" in capsys.readouterr().err and not (tmp_path / "out").exists()
