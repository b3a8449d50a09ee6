"""`cmw addin doctor` on this system: the report a Linux machine gives, against a real database (its Windows checks'
logic is in tests/unit/test_doctor.py)."""
from __future__ import annotations

import sys

import pytest

from addin.build import shipped_sha256
from addin.cli import main


@pytest.mark.skipif(sys.platform == "win32", reason="the Linux report")
def test_doctor_on_linux_says_what_it_skipped(sqlite_db, tmp_path, monkeypatch, capsys):
    from tests.factories import make_company

    make_company(sqlite_db.sessions)
    monkeypatch.setenv("CMW_DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CMW_USER", raising=False)
    assert main(["addin", "install", "--settings-only", "--user", "cm001"]) == 0
    capsys.readouterr()
    code = main(["addin", "doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "✓ Python：3.1" in out and "✓ 软件包：" in out and f"✓ cmw.conf：{tmp_path}" in out
    assert "✓ 数据库：sqlite:///" in out and "cm001" in out and f"SHA-256 {shipped_sha256()[:16]}" in out
    assert "－ 跳过（只在 Windows 上检查）：" in out and "Defender" in out and "全部通过" in out
    monkeypatch.setenv("CMW_DATABASE_URL", "postgresql+psycopg://cm001:secret@127.0.0.1:1/cmw?connect_timeout=2")
    code = main(["addin", "doctor"])
    out = capsys.readouterr().out
    assert code == 2 and "✗ 数据库：postgresql+psycopg://cm001:***@127.0.0.1:1/cmw" in out and "secret" not in out
