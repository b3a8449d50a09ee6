"""§14 照片维护: a CM's photos of a campaign's stores — given one store's files, or a folder whose file names start
with the store code (the folder beside a cultivation workbook) — and the list of photos kept."""
from __future__ import annotations

from pathlib import Path

from addin.app import App
from engine.actors import Actor
from engine.errors import Finding, Refused
from engine.photos import add_photos, photo_listing, store_of_name
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


def folder_files(folder: Path, stores: list[str]) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    """The photos of a folder whose names start with a store code: (store, name, bytes), and the names that start
    with none."""
    files, strays = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))):
        store = store_of_name(path.name, stores)
        if store is None:
            strays.append(path.name)
        else:
            files.append((store, path.name, path.read_bytes()))
    return files, strays


def add_folder_photos(app: App, actor: Actor, campaign: str, folder: Path) -> Outcome:
    """Keep the photos of a folder, each of the store its file name starts with; a file naming no store of the
    actor's refuses the folder (nothing kept), naming the file."""
    if not folder.is_dir():
        raise Refused(f"找不到照片文件夹 {folder}。")
    with app.uow() as uow:
        from engine.ports import StoreFilter

        codes = [s.code for s in uow.stores.of_cm(actor.code, StoreFilter())]
    files, strays = folder_files(folder, codes)
    if strays:
        raise Refused(f"照片文件夹 {folder.name} 中有 {len(strays)} 个文件的文件名不是以您负责的客户编码开头，照片全部未保存。"
                      "请把文件改名为“客户编码-说明.jpg”（例如 440101000001-陈列.jpg）后重新上传：",
                      [Finding("STRAY", f"{folder.name}/{name}") for name in strays])
    if not files:
        raise Refused(f"照片文件夹 {folder.name} 中没有照片。")
    return add_photos(app.uow(), actor, campaign_code=campaign, files=files)


HEADERS = ("客户", "客户名称", "战役", "规格", "文件名", "像素", "大小(KB)", "上传时间", "上传人")


def photo_rows(app: App, actor: Actor, cm: str | None, campaign: str | None, store: str | None) -> list[tuple]:
    """The photos as table rows."""
    rows = photo_listing(app.uow(), actor, cm or actor.code, campaign, store)
    return [(r["code"], r["name"], r["campaign"], r["sku"] or "—", r["filename"], f"{r['width']}×{r['height']}",
             round(r["size"] / 1024), f"{r['added_at']:%Y-%m-%d %H:%M}", r["actor_code"]) for r in rows]
