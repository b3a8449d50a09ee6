"""The add-in's VBA project finished as our own ([MS-OVBA]): what pyOpenVBA writes from xlwings' quickstart template
still carries the template's project name (MyAddin), its project GUID and a stray blank line in the PROJECT stream's
[Workspace] section, which pyOpenVBA has no call to change. They are two streams of vbaProject.bin, rewritten here
with pyOpenVBA's own compound-file and compression code:

- PROJECT (plain text, code page 1252): `ID="{…}"` → our GUID, `Name="…"` → cmw, no blank line inside [Workspace];
- VBA/dir (compressed records): PROJECTNAME (record 0x0004), which [MS-OVBA] 2.3.1.1 requires to equal PROJECT's Name.

The project's compiled cache (_VBA_PROJECT) is already invalidated by pyOpenVBA (version 0xFFFF), so Excel compiles
the project from its source on first open and no cached copy of the old name remains.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

VBA_PART = "xl/vbaProject.bin"
PROJECT_NAME_RECORD = 0x0004
PROJECT_VERSION_RECORD = 0x0009  # its size field says 4, but 6 bytes follow ([MS-OVBA] 2.3.4.2.1.11)


def _crypt(data: bytes, key: int, enc1: int, enc2: int, *, decrypt: bool) -> bytes:
    """[MS-OVBA] 2.4.3's byte chain: each byte XORed with (the encrypted byte two back + the plain byte before)."""
    out, plain_before = bytearray(), key
    for byte in data:
        result = byte ^ ((enc2 + plain_before) & 0xFF)
        out.append(result)
        encrypted, plain_before = (byte, result) if decrypt else (result, byte)
        enc2, enc1 = enc1, encrypted
    return bytes(out)


def project_key(guid: str) -> int:
    """The key of the protection fields: the sum of the project ID's bytes, modulo 256 ([MS-OVBA] 2.4.3.2)."""
    return sum(guid.encode("ascii")) & 0xFF


def reencrypted(hex_text: str, guid: str) -> str:
    """A CMG/DPB/GC value decrypted and encrypted again, same seed, under the key of the new project ID: the
    protection fields stay readable with our GUID (no password either way)."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[:3]
    plain = _crypt(raw[3:], seed ^ key_enc, key_enc, version_enc, decrypt=True)
    key = project_key(guid)
    return (bytes([seed, version_enc, seed ^ key]) + _crypt(plain, key, seed ^ key, version_enc, decrypt=False)).hex().upper()


def decrypted(hex_text: str) -> tuple[int, bytes]:
    """A protection field's project key and its data (after the ignored bytes and the length), for the tests."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[:3]
    plain = _crypt(raw[3:], seed ^ key_enc, key_enc, version_enc, decrypt=True)[(seed & 6) // 2:]
    return seed ^ key_enc, plain[4:4 + struct.unpack_from("<I", plain)[0]]


def project_text(text: str, name: str, guid: str) -> str:
    """The PROJECT stream's text with our ID and Name, its protection fields under the new ID's key, and no blank
    line inside [Workspace]."""
    text = re.sub(r'^ID="\{[0-9A-Fa-f-]+\}"', f'ID="{guid}"', text, count=1, flags=re.M)
    text = re.sub(r'^(CMG|DPB|GC)="([0-9A-Fa-f]+)"', lambda m: f'{m[1]}="{reencrypted(m[2], guid)}"', text, flags=re.M)
    text = re.sub(r'^Name="[^"]*"', f'Name="{name}"', text, count=1, flags=re.M)
    head, marker, workspace = text.partition("[Workspace]\r\n")
    if marker:
        workspace = "".join(line + "\r\n" for line in workspace.split("\r\n") if line)
    return head + marker + workspace


def renamed_dir(raw: bytes, name: str) -> bytes:
    """The decompressed dir stream with its PROJECTNAME record holding name (the records before it kept)."""
    offset = 0
    while offset + 6 <= len(raw):
        record, size = struct.unpack_from("<HI", raw, offset)
        if record == PROJECT_NAME_RECORD:
            encoded = name.encode("cp1252")
            return raw[:offset] + struct.pack("<HI", record, len(encoded)) + encoded + raw[offset + 6 + size:]
        offset += 6 + size + (2 if record == PROJECT_VERSION_RECORD else 0)
    raise ValueError("the VBA project's dir stream has no PROJECTNAME record")


def project_name_of(raw: bytes) -> str:
    """The PROJECTNAME record's text (for the tests and the build's own check)."""
    offset = 0
    while offset + 6 <= len(raw):
        record, size = struct.unpack_from("<HI", raw, offset)
        if record == PROJECT_NAME_RECORD:
            return raw[offset + 6:offset + 6 + size].decode("cp1252")
        offset += 6 + size + (2 if record == PROJECT_VERSION_RECORD else 0)
    raise ValueError("no PROJECTNAME record")


def finish_project(vba_bin: bytes, name: str, guid: str) -> bytes:
    """vbaProject.bin with our project name and GUID and a clean [Workspace]."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_bin)
    text = cfb.get_stream("PROJECT").decode("cp1252")
    cfb.write_stream("PROJECT", project_text(text, name, guid).encode("cp1252"))
    raw = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="VBA/dir")
    cfb.write_stream_in_storage("VBA", "dir", compress(renamed_dir(raw, name)))
    return cfb.to_bytes()


def finish_package(package: bytes, name: str, guid: str) -> bytes:
    """The .xlam with its vbaProject.bin finished; every other part, and every part's zip entry, as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, finish_project(data, name, guid) if item.filename == VBA_PART else data)
    return out.getvalue()
