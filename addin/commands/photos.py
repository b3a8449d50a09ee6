"""cmw photos add | list: §14 照片维护, a CM's photos of a campaign's stores."""
from __future__ import annotations

from pathlib import Path

from addin.app import open_app
from addin.arguments import subcommand
from addin.terminal import say, table_lines

ORDER = 49


def register(sub) -> None:
    """Add `cmw photos`."""
    parser = sub.add_parser("photos", help="§14 照片维护：客户经理上传促销战役客户的照片（JPEG/PNG/HEIC），查看已有照片")
    actions = parser.add_subparsers(dest="photos_command", metavar="操作", required=True)
    adding = subcommand(actions, "add", "上传照片：--store 一户客户的照片文件；或 --folder 一个文件夹（文件名以客户编码开头）",
                        run_add, act="photos")
    adding.add_argument("--campaign", required=True, help="促销战役编号（cmw campaigns list 列出）")
    adding.add_argument("--store", help="客户编码（给出照片文件时必填）")
    adding.add_argument("--sku", default="", help="卷烟编码：照片拍的是这个规格（可省略）")
    adding.add_argument("--folder", type=Path, help="照片文件夹：每个文件名以客户编码开头，例如 440101000001-陈列.jpg")
    adding.add_argument("files", nargs="*", type=Path, help="照片文件（JPEG/PNG/HEIC）")
    listing = subcommand(actions, "list", "查看照片（客户经理本人、其市场经理或品牌经理）", run_list, act="photos.view",
                         cm="客户经理编码（市场经理、品牌经理用；默认本人）")
    listing.add_argument("--campaign", help="促销战役编号")
    listing.add_argument("--store", help="客户编码")


def run_add(args) -> int:
    """Keep one store's photos, or a folder's."""
    from addin.handlers.photos import add_folder_photos, add_store_photos
    from engine.errors import Refused

    if bool(args.folder) == bool(args.files):
        raise Refused("请给出照片文件（加 --store 客户编码），或用 --folder 给出照片文件夹，二选一。")
    if args.files and not args.store:
        raise Refused("给出照片文件时请用 --store 写明是哪户客户的照片。")
    app = open_app()
    actor = app.actor(args.user)
    outcome = add_folder_photos(app, actor, args.campaign, args.folder) if args.folder else \
        add_store_photos(app, actor, args.campaign, args.store, args.files, args.sku.strip())
    say(outcome.lines())
    return 0


def run_list(args) -> int:
    """The photos kept."""
    from addin.handlers.photos import HEADERS, photo_rows

    app = open_app()
    rows = photo_rows(app, app.actor(args.user), args.cm, args.campaign, args.store)
    say(table_lines(HEADERS, rows, numeric=(6,)) if rows else ["没有照片。"])
    return 0
