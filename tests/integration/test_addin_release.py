"""The one tested add-in file (issue 17, item 2): the shipped addin/xlam/cmw.xlam is exactly what this source builds,
its SHA-256 is recorded beside it, and its VBA project and ribbon pass the checks Excel cannot be asked about here —
read back with olefile (the compound file), pyOpenVBA (the dir stream's records) and lxml (Microsoft's customUI14.xsd,
from github.com/OfficeDev/office-custom-ui-editor, MIT, in tests/schemas/)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from addin.build import (PROJECT_NAME, SHIPPED, UNUSED_REFERENCE, VBA_PROJECT_GUID, build_addin, file_sha256,
                         shipped_sha256)
from addin.ribbon import customui_xml
from addin.vba_project import decrypted, project_key, project_name_of

olefile = pytest.importorskip("olefile", reason="olefile comes with oletools (pip install -e .[test])")
etree = pytest.importorskip("lxml.etree", reason="lxml validates the ribbon XML (pip install -e .[test])")
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "customUI14.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
REBUILD = "The shipped add-in is not what this source builds: run `cmw addin build --release` and commit addin/xlam/."


@pytest.fixture(scope="module")
def fresh_file(tmp_path_factory) -> Path:
    """The add-in as this source builds it now."""
    target = tmp_path_factory.mktemp("fresh") / "cmw.xlam"
    build_addin(target)
    return target


@pytest.fixture(scope="module")
def fresh(fresh_file) -> bytes:
    return fresh_file.read_bytes()


@pytest.fixture(scope="module")
def ole(fresh):
    with zipfile.ZipFile(io.BytesIO(fresh)) as package:
        data = package.read("xl/vbaProject.bin")
    opened = olefile.OleFileIO(io.BytesIO(data))
    yield opened
    opened.close()


def test_the_shipped_file_is_what_this_source_builds(fresh):
    assert SHIPPED.read_bytes() == fresh, REBUILD
    assert shipped_sha256() == file_sha256(SHIPPED)


def test_the_vba_project_is_ours_and_recompiles(ole, fresh_file):
    from pyopenvba import ExcelFile
    from pyopenvba.vba import decompress

    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")  # version 0xFFFF: recompile
    streams = ["/".join(path) for path in ole.listdir()]
    assert not [s for s in streams if "__SRP_" in s]
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert re.search(r'^ID="(\{[^}]+\})"', project, re.M)[1] == VBA_PROJECT_GUID
    assert re.search(r'^Name="([^"]*)"', project, re.M)[1] == PROJECT_NAME
    assert project_name_of(decompress(ole.openstream("VBA/dir").read())) == PROJECT_NAME
    workspace = project.split("[Workspace]\r\n", 1)[1]
    assert workspace.endswith("\r\n") and "\r\n\r\n" not in workspace, repr(workspace)
    for field in ("CMG", "DPB", "GC"):  # the protection fields stay readable under our ID's key
        key, _ = decrypted(re.search(rf'^{field}="([0-9A-F]+)"', project, re.M)[1])
        assert key == project_key(VBA_PROJECT_GUID)
    assert decrypted(re.search(r'^DPB="([0-9A-F]+)"', project, re.M)[1])[1] == b"\0"  # no password
    with ExcelFile(fresh_file) as book:
        vba = book.vba_project()
        names = [m.name for m in vba.modules]
        assert [m.stream_name for m in vba.modules] == names
        assert all(re.match(rf'Attribute VB_Name = "{m.name}"', m.source) for m in vba.modules)
        assert {m.cookie for m in vba.modules} == {0xFFFF}
        assert [r.name for r in vba.references] == ["Office"] and UNUSED_REFERENCE not in names
        assert vba.name == PROJECT_NAME and book.validate() == []
    assert streams.count("PROJECTwm") == 1 and {f"VBA/{n}" for n in names} <= set(streams)


def _schema():
    """Microsoft's customUI14.xsd as libxml2 accepts it: it repeats, in ten extensions, attributes their base type
    already declares (.NET's validator allows that, libxml2 does not); each repeat is dropped, nothing else."""
    tree = etree.parse(str(SCHEMA))
    root = tree.getroot()
    groups = {g.get("name"): {a.get("name") for a in g.iter(f"{XS}attribute")} for g in root.findall(f"{XS}attributeGroup")}
    dropped = 0
    while True:
        try:
            return etree.XMLSchema(tree), dropped
        except etree.XMLSchemaParseError as exc:
            found = re.search(r"complex type '(\w+)': Duplicate attribute use '(\w+)'", str(exc))
            assert found and dropped < 20, exc
            extension = root.find(f"{XS}complexType[@name='{found[1]}']").find(f".//{XS}extension")
            repeat = next((a for a in extension.findall(f"{XS}attribute") if a.get("name") == found[2]), None)
            if repeat is None:
                repeat = next(g for g in extension.findall(f"{XS}attributeGroup") if found[2] in groups[g.get("ref")])
            extension.remove(repeat)
            dropped += 1


def test_the_ribbon_validates_against_microsofts_schema(fresh):
    schema, dropped = _schema()
    assert dropped == 10
    with zipfile.ZipFile(io.BytesIO(fresh)) as package:
        shipped = package.read("customUI/customUI14.xml")
    assert shipped == customui_xml()
    assert schema.validate(etree.fromstring(shipped)), schema.error_log
    wrong = shipped.replace(b'onAction="', b'onClick="', 1)  # an attribute Office does not know: refused
    assert not schema.validate(etree.fromstring(wrong))
