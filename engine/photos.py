"""§14 照片维护: a CM's photos of a campaign's stores. Every file is checked before anything is kept — its name (no
path parts), its size, that it really is a JPEG, PNG or HEIC picture (decoded whole with Pillow: a renamed program, a
truncated JPEG or a picture of more than MAX_PIXELS is refused) —, then re-encoded without its EXIF data (location,
device, time: only the orientation is applied first), kept once by the SHA-256 of what is kept, with a thumbnail for
the prints. All the files of one action are kept together or, when any is refused, none."""
from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from engine.actors import Actor
from engine.campaigns import campaign_of
from engine.errors import Finding, Refused
from engine.ports import UnitOfWork
from engine.records import Outcome

#: The largest file taken (bytes) and the most pixels a picture may have (a 200-megapixel "bomb" is refused).
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000
#: Kept pictures are at most this many pixels on their longer side (a phone's 4000 px photo is scaled down).
KEPT_SIDE = 2048
THUMB_SIDE = 240
_KINDS = {"JPEG": "image/jpeg", "PNG": "image/png", "HEIF": "image/heic"}
_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif")
_BAD_NAME = re.compile(r"[\x00-\x1f<>:\"|?*]")


@dataclass(frozen=True)
class Photo:
    """A picture as kept: its hash, type, size in pixels, the re-encoded bytes and a JPEG thumbnail."""

    name: str
    sha256: str
    media_type: str
    width: int
    height: int
    content: bytes
    thumbnail: bytes


def heic_supported() -> bool:
    """Whether HEIC pictures (iPhone) can be read here: pillow-heif installed."""
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


def _open_heic() -> None:
    if heic_supported():
        import pillow_heif

        pillow_heif.register_heif_opener()


def check_name(name: str) -> str | None:
    """What is wrong with a photo's file name (None: nothing): no folder parts, no .., a picture's suffix."""
    if not name or name != PurePosixPath(name).name or name != PureWindowsPath(name).name or name in (".", "..") \
            or ".." in name.split("/") or _BAD_NAME.search(name):
        return "文件名不能含有路径（/、\\、..）或特殊字符，请只给照片文件本身的名字。"
    if not name.lower().endswith(_SUFFIXES):
        return "只接受 JPEG（.jpg/.jpeg）、PNG（.png）或 HEIC（.heic）照片。"
    if name.lower().endswith((".heic", ".heif")) and not heic_supported():
        return "本机不能读取 HEIC 照片（未安装 pillow-heif）。请在手机上把照片导出为 JPEG 后再上传。"
    return None


def read_photo(name: str, content: bytes) -> Photo:
    """The picture of a file as it will be kept; ValueError (Chinese, saying what to do) when it is not one."""
    from PIL import Image, ImageFile, ImageOps

    wrong = check_name(name)
    if wrong:
        raise ValueError(wrong)
    if len(content) > MAX_BYTES:
        raise ValueError(f"文件太大（{len(content) / 1048576:.1f} MB），每张照片不能超过 {MAX_BYTES // 1048576} MB。")
    if not content:
        raise ValueError("文件是空的。")
    _open_heic()
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint turns this on for the whole process when a print is made
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # a cut-short file must fail to load here, whatever was printed before
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in _KINDS:
                    raise ValueError(f"这是 {image.format} 图片，只接受 JPEG、PNG 或 HEIC 照片。")
                if image.width * image.height > MAX_PIXELS:
                    raise ValueError(f"图片太大（{image.width}×{image.height} 像素），不能超过 {MAX_PIXELS // 1_000_000} 百万像素。")
                image.load()  # decodes it whole: a truncated or damaged file fails here
                media_type = _KINDS[image.format]
                picture = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"图片像素过多（超过 {MAX_PIXELS // 1_000_000} 百万像素），可能是恶意文件，不能上传。") from None
    except ValueError:
        raise
    except Exception:  # Pillow's errors for what is not a picture or is cut short (UnidentifiedImageError, OSError…)
        raise ValueError("不是有效的图片，或文件已损坏（不完整）。请重新拍照或从手机重新导出。") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    picture.thumbnail((KEPT_SIDE, KEPT_SIDE))
    kept = io.BytesIO()
    if media_type == "image/png":
        picture.save(kept, "PNG", optimize=True)  # no text chunks, no EXIF: a new file of the pixels
    else:
        picture.convert("RGB").save(kept, "JPEG", quality=85, optimize=True)  # HEIC is kept as JPEG
        media_type = "image/jpeg"
    thumb = picture.convert("RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=80)
    data = kept.getvalue()
    return Photo(name, hashlib.sha256(data).hexdigest(), media_type, picture.width, picture.height, data,
                 small.getvalue())


def store_of_name(name: str, codes: list[str]) -> str | None:
    """The store a photo of a workbook's folder is of: the longest store code its file name starts with."""
    found = [code for code in codes if name.startswith(code)]
    return max(found, key=len) if found else None


def add_photos(uow: UnitOfWork, actor: Actor, *, campaign_code: str, files: list[tuple[str | None, str, bytes]],
               sku: str = "", submission_id: int | None = None, where: str = "") -> Outcome:
    """Keep a CM's photos: files are (store code, file name, bytes) — store None: the store whose code the file name
    starts with (a folder of photos; where names the folder). Every file checked first; any refused: none kept. A
    picture already kept for the same store and campaign (or twice in the files) is kept once and said so."""
    from engine.policy import require

    with uow:
        require(actor, "photos")
        campaign = campaign_of(uow, campaign_code)
        if not files:
            raise Refused(f"{where or '上传的文件'}中没有照片。")
        stores = {s.code: s for s in uow.analyses.scope([actor.code])}  # the CM's own stores
        findings: list[Finding] = []
        named = [(store or store_of_name(name, list(stores)), name, content) for store, name, content in files]
        for store, name, _ in named:
            if store is None:
                findings.append(Finding("NAME", f"照片“{name}”的文件名不是以您负责的客户编码开头，不知道是哪户客户的。"
                                        "请改名为“客户编码-说明.jpg”（例如 440101000001-陈列.jpg）。"))
        found = [(store, name, content) for store, name, content in named if store is not None]
        codes = sorted({store for store, _, _ in found})
        owner = uow.users.owner(actor.code)
        path = owner.unit_path if owner else ()
        for code in codes:
            if code not in stores:
                findings.append(Finding("SCOPE", f"客户 {code} 不是您负责的客户（或不存在），只能为本人负责的客户上传照片。"))
            elif not campaign.covers_store(code, path):
                findings.append(Finding("CAMPAIGN", f"客户 {code} 不在促销战役 {campaign.code}（{campaign.name}）的覆盖范围内。"))
        if sku and sku not in {s.sku for s in campaign.skus}:
            findings.append(Finding("SKU", f"规格 {sku} 不是促销战役 {campaign.code} 的培育规格（"
                                    f"{'、'.join(s.sku for s in campaign.skus)}）。"))
        photos: list[tuple[str, Photo]] = []
        for store, name, content in found:
            try:
                photos.append((store, read_photo(name, content)))
            except ValueError as exc:
                findings.append(Finding("PHOTO", f"照片“{name}”：{exc}"))
        if findings:
            raise Refused(f"有 {len(findings)} 处问题，照片全部未保存。请改正后重新上传：", findings)
        ids = {code: stores[code].id for code in codes}
        linked = uow.photos.linked(campaign.code, list(ids.values()))
        known = uow.photos.known([p.sha256 for _, p in photos])
        rows, same, added = [], [], []
        for store, photo in photos:
            if (ids[store], photo.sha256) in linked:
                same.append(f"{photo.name}（客户 {store} 已有这张照片，只保留一份）")
                continue
            linked.add((ids[store], photo.sha256))
            added.append((store, photo))
            if photo.sha256 not in known:
                uow.photos.add_blob(photo)
                known.add(photo.sha256)
            rows.append({"campaign": campaign.code, "store_id": ids[store], "sku": sku, "sha256": photo.sha256,
                         "filename": photo.name, "actor_code": actor.code, "submission_id": submission_id})
        uow.photos.link(rows)
        uow.audit.record_many([dict(actor=actor.code, action="add_photo", entity="photos", key=store,
                                    field=campaign.code, new=photo.name[:200], submission_id=submission_id)
                               for store, photo in added])
        uow.commit()
    message = f"已保存 {len(rows)} 张照片（促销战役 {campaign.code}，{len({store for store, _ in added})} 户客户）。" if rows else \
        "没有新的照片：这些照片都已保存过。"
    return Outcome(message, tuple(f"重复：{s}" for s in same), len(rows))


def photo_listing(uow: UnitOfWork, actor: Actor, cm_code: str, campaign_code: str | None, store: str | None) -> list[dict]:
    """The photos of a CM's stores (of one campaign, one store), for the CM, their market manager or the brand
    manager."""
    from engine.policy import require

    with uow:
        owner = uow.users.owner(cm_code)
        if owner is None:
            raise Refused(f"没有编码为 {cm_code} 的客户经理。")
        require(actor, "photos.view", owner)
        code = campaign_of(uow, campaign_code).code if campaign_code else None
        stores = [s for s in uow.analyses.scope([cm_code]) if store is None or s.code == store]
        if store and not stores:
            raise Refused(f"客户 {store} 不是 {cm_code} 负责的客户。")
        return uow.photos.listing(code, [s.id for s in stores])
