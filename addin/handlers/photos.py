"""§14 照片维护: a CM's photos of a campaign's stores — given one store's files, or a folder whose file names start
with the store code (the folder beside a cultivation workbook, also kept when it is handed in) — and the list of photos kept."""
from __future__ import annotations

from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.errors import Refused
from engine.photos import add_photos, photo_listing
from engine.records import Outcome


def _files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file given; a path going up (..) or a missing file refused before anything is read."""
    for path in paths:
        if ".." in path.parts:
            raise Refused(f"照片路径“{path}”含有“..”，请直接给出照片文件所在的位置。")
        if not path.is_file():
            raise Refused(f"找不到照片文件 {path}。")
    return [(path.name, path.read_bytes()) for path in paths]


def add_store_photos(app: App, actor: Actor, campaign: str, store: str, paths: list[Path], sku: str = "") -> Outcome:
    """Keep photos of one store."""
    return add_photos(app.uow(), actor, campaign_code=campaign, sku=sku,
                      files=[(store.strip(), name, content) for name, content in _files(paths)])


def add_folder_photos(app: App, actor: Actor, campaign: str, folder: Path) -> Outcome:
    """Keep the photos of a folder, each of the store its file name starts with; a file naming no store of the
    actor's refuses the folder (nothing kept), naming the file."""
    if not folder.is_dir():
        raise Refused(f"找不到照片文件夹 {folder}。")
    files = [(None, p.name, p.read_bytes()) for p in sorted(folder.iterdir())
             if p.is_file() and not p.name.startswith((".", "~$"))]  # hidden files and Office's lock files left out
    return add_photos(app.uow(), actor, campaign_code=campaign, files=files, where=f"照片文件夹 {folder.name} ")


HEADERS = ("客户", "客户名称", "战役", "规格", "文件名", "像素", "大小(KB)", "上传时间", "上传人")


def photo_rows(app: App, actor: Actor, cm: str | None, campaign: str | None, store: str | None) -> list[tuple]:
    """The photos as table rows."""
    rows = photo_listing(app.uow(), actor, cm or actor.code, campaign, store)
    return [(r["code"], r["name"], r["campaign"], r["sku"] or "—", r["filename"], f"{r['width']}×{r['height']}",
             round(r["size"] / 1024), f"{r['added_at']:%Y-%m-%d %H:%M}", r["actor_code"]) for r in rows]
