"""What the import tests share: the acting administrator, writing a CSV as Excel would, importing it in one transaction."""
from __future__ import annotations

import csv

from engine.actors import Actor, Role
from storage.importers import import_file

ADMIN = Actor("admin", "系统管理员", Role.ADMIN, ("C01",))


def write_csv(path, header, rows, encoding: str = "utf-8"):
    """A CSV file of a header and rows; returns the path."""
    with open(path, "w", newline="", encoding=encoding) as stream:
        csv.writer(stream).writerows([header, *rows])
    return path


def run_import(db, kind: str, path, actor: Actor = ADMIN):
    """Import one file as the caller would: one transaction."""
    with db.sessions.begin() as session:
        return import_file(session, kind, path, actor)
