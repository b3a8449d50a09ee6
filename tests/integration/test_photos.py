"""§14 照片维护 on each database: photos checked whole before anything is kept, EXIF stripped, kept once by hash,
refused with a Chinese sentence per file (a renamed program, a truncated JPEG, a 200-megapixel bomb, a name with a
path, a store outside the CM's scope or the campaign) — and then nothing kept at all."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from addin.handlers.photos import add_folder_photos, add_store_photos, photo_rows
from engine.errors import NotAllowed, Refused
from engine.photos import add_photos, heic_supported, read_photo
from storage.schema import PhotoBlobRow, PhotoRow
from tests.campaign_helpers import CODE, keep_campaign
from tests.factories import store_code
from tests.integration.big_table_helpers import actor_of

MONTH = "2026-11"
STORE = store_code(1, 1)


def jpeg(color=(200, 30, 30), size=(800, 600), gps=True) -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"  # make, model
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 18.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(color=(20, 120, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


def counts(app) -> tuple[int, int]:
    with app.uow() as uow:
        return (uow.session.scalar(select(func.count()).select_from(PhotoRow)),
                uow.session.scalar(select(func.count()).select_from(PhotoBlobRow)))


def test_photos_are_kept_once_without_their_exif(app, tmp_path):
    keep_campaign(app, MONTH)
    (tmp_path / "a.jpg").write_bytes(jpeg())
    (tmp_path / "b.png").write_bytes(png())
    (tmp_path / "a-copy.jpg").write_bytes(jpeg())
    outcome = add_store_photos(app, actor_of(app, "cm001"), CODE, STORE,
                               [tmp_path / "a.jpg", tmp_path / "b.png", tmp_path / "a-copy.jpg"])
    assert outcome.message == f"已保存 2 张照片（促销战役 {CODE}，1 户客户）。"
    assert outcome.details == (f"重复：a-copy.jpg（客户 {STORE} 已有这张照片，只保留一份）",)
    assert counts(app) == (2, 2)
    with app.uow() as uow:
        kept = uow.session.scalars(select(PhotoBlobRow.content).where(PhotoBlobRow.media_type == "image/jpeg")).one()
    with Image.open(io.BytesIO(kept)) as image:
        assert not image.getexif() and "exif" not in image.info  # location and device gone
    assert add_store_photos(app, actor_of(app, "cm001"), CODE, STORE, [tmp_path / "a.jpg"]).message == \
        "没有新的照片：这些照片都已保存过。"
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / f"{store_code(1, 2)}-陈列.jpg").write_bytes(jpeg())  # the same picture for another store: bytes once
    assert add_folder_photos(app, actor_of(app, "cm001"), CODE, folder).changed == 1
    assert counts(app) == (3, 2)
    rows = photo_rows(app, actor_of(app, "mm01"), "cm001", CODE, None)
    assert [r[0] for r in rows] == [STORE, STORE, store_code(1, 2)] and rows[0][5] == "800×600"
    with pytest.raises(NotAllowed, match="无权查看 cm001 的门店照片"):
        photo_rows(app, actor_of(app, "mm02"), "cm001", None, None)


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20000, 10000)).save(out, "PNG")  # 200 megapixels, a few hundred KB
    return out.getvalue()


@pytest.mark.parametrize("name, content, said", [
    ("setup.jpg", b"MZ\x90\x00" + bytes(4000), "不是有效的图片"),
    ("cut.jpg", jpeg(size=(1600, 1200))[:1500], "不是有效的图片，或文件已损坏"),
    ("bomb.png", _bomb(), "百万像素"),
    ("../../etc/x.jpg", jpeg(), "文件名不能含有路径"),
    ("a.gif", jpeg(), "只接受 JPEG"),
])
def test_what_is_not_a_photo_is_refused_and_nothing_is_kept(app, name, content, said):
    import weasyprint  # noqa: F401  # a print made earlier in the same process turns on Pillow's LOAD_TRUNCATED_IMAGES

    keep_campaign(app, MONTH)
    with pytest.raises(Refused) as refused:
        add_photos(app.uow(), actor_of(app, "cm001"), campaign_code=CODE,
                   files=[(STORE, "good.jpg", jpeg()), (STORE, name, content)])
    assert said in refused.value.findings[0].message and "全部未保存" in refused.value.message
    assert counts(app) == (0, 0)  # the good one was not kept either


def test_a_store_outside_the_cms_scope_or_the_campaign_is_refused(app):
    keep_campaign(app, MONTH)
    with pytest.raises(Refused) as refused:
        add_photos(app.uow(), actor_of(app, "cm001"), campaign_code=CODE, files=[(store_code(3, 1), "a.jpg", jpeg())])
    assert "不是您负责的客户" in refused.value.findings[0].message
    keep_campaign(app, MONTH, code="ONLYD2", covers=("D02",))
    with pytest.raises(Refused) as refused:
        add_photos(app.uow(), actor_of(app, "cm001"), campaign_code="ONLYD2", files=[(STORE, "a.jpg", jpeg())])
    assert "不在促销战役 ONLYD2" in refused.value.findings[0].message
    with pytest.raises(NotAllowed):
        add_photos(app.uow(), actor_of(app, "mm01"), campaign_code=CODE, files=[(STORE, "a.jpg", jpeg())])
    assert counts(app) == (0, 0)


@pytest.mark.skipif(not heic_supported(), reason="pillow-heif is not installed")
def test_a_heic_photo_is_kept_as_jpeg():
    from pillow_heif import from_pillow

    out = io.BytesIO()
    from_pillow(Image.new("RGB", (320, 240), (10, 10, 200))).save(out, quality=60)
    photo = read_photo("IMG_0001.HEIC", out.getvalue())
    assert photo.media_type == "image/jpeg" and (photo.width, photo.height) == (320, 240)
