"""§14 campaigns and photos (engine.ports.Campaigns, Photos): a campaign row with its SKUs; a photo's bytes once by
hash, linked to a store of a campaign."""
from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from engine.campaigns import Campaign, CampaignSku
from storage.repositories import now
from storage.schema import CampaignRow, CampaignSkuRow, PhotoBlobRow, PhotoRow, ProductRow, StoreRow


class SqlCampaigns:
    """engine.ports.Campaigns."""

    def __init__(self, session: Session):
        self.session = session

    def _read(self, codes: list[str] | None) -> list[Campaign]:
        query = select(CampaignRow).order_by(CampaignRow.code)
        if codes is not None:
            query = query.where(CampaignRow.code.in_(codes))
        heads = list(self.session.scalars(query))
        skus: dict[str, list[CampaignSku]] = {row.code: [] for row in heads}
        lines = (select(CampaignSkuRow.campaign, CampaignSkuRow.sku, CampaignSkuRow.checks, ProductRow.name)
                 .join(ProductRow, ProductRow.sku == CampaignSkuRow.sku, isouter=True)
                 .where(CampaignSkuRow.campaign.in_(list(skus))).order_by(CampaignSkuRow.campaign, CampaignSkuRow.position))
        for campaign, sku, checks, name in self.session.execute(lines):
            skus[campaign].append(CampaignSku(sku, name or sku, tuple(c for c in checks.split(",") if c)))
        return [Campaign(row.code, row.name, row.first_month, row.last_month,
                         tuple(c for c in row.covers.split(",") if c), tuple(skus[row.code])) for row in heads]

    def all(self) -> list[Campaign]:
        return self._read(None)

    def get(self, code: str) -> Campaign | None:
        found = self._read([code])
        return found[0] if found else None

    def save(self, campaign: Campaign, actor_code: str) -> None:
        row = self.session.get(CampaignRow, campaign.code)
        if row is None:
            row = CampaignRow(code=campaign.code)
            self.session.add(row)
        row.name, row.first_month, row.last_month = campaign.name, campaign.first_month, campaign.last_month
        row.covers, row.updated_at, row.updated_by = ",".join(campaign.covers), now(), actor_code
        self.session.flush()
        self.session.execute(delete(CampaignSkuRow).where(CampaignSkuRow.campaign == campaign.code))
        self.session.execute(insert(CampaignSkuRow), [
            {"campaign": campaign.code, "sku": s.sku, "position": n, "checks": ",".join(s.checks)}
            for n, s in enumerate(campaign.skus, start=1)])


class SqlPhotos:
    """engine.ports.Photos."""

    def __init__(self, session: Session):
        self.session = session

    def known(self, hashes: list[str]) -> set[str]:
        if not hashes:
            return set()
        return set(self.session.scalars(select(PhotoBlobRow.sha256).where(PhotoBlobRow.sha256.in_(hashes))))

    def add_blob(self, photo) -> None:
        """Keep a picture's bytes unless they are kept already. known() sees only what the login may see: on
        PostgreSQL with personal logins another CM's photo of the same picture is kept where this CM cannot see it,
        so the insert (in a savepoint) meeting the key is the picture being there — not an error. (ON CONFLICT DO
        NOTHING cannot be used: naming the key makes PostgreSQL check the new row against the SELECT policy.)"""
        from sqlalchemy.exc import IntegrityError

        try:
            with self.session.begin_nested():
                self.session.execute(insert(PhotoBlobRow), [{
                    "sha256": photo.sha256, "media_type": photo.media_type, "width": photo.width,
                    "height": photo.height, "size": len(photo.content), "content": photo.content,
                    "thumbnail": photo.thumbnail}])
        except IntegrityError as exc:
            if not _duplicate_key(exc):
                raise

    def linked(self, campaign: str, store_ids: list[int]) -> set[tuple[int, str]]:
        if not store_ids:
            return set()
        rows = self.session.execute(select(PhotoRow.store_id, PhotoRow.sha256)
                                    .where(PhotoRow.campaign == campaign, PhotoRow.store_id.in_(store_ids)))
        return {(int(store), sha) for store, sha in rows}

    def link(self, rows: list[dict]) -> None:
        if rows:
            at = now()
            self.session.execute(insert(PhotoRow), [{**row, "added_at": at} for row in rows])

    def listing(self, campaign: str | None, store_ids: list[int]) -> list[dict]:
        if not store_ids:
            return []
        query = (select(PhotoRow.id, PhotoRow.campaign, StoreRow.code, StoreRow.name, PhotoRow.sku, PhotoRow.filename,
                        PhotoRow.sha256, PhotoRow.added_at, PhotoRow.actor_code, PhotoBlobRow.width,
                        PhotoBlobRow.height, PhotoBlobRow.size)
                 .join(StoreRow, StoreRow.id == PhotoRow.store_id).join(PhotoBlobRow, PhotoBlobRow.sha256 == PhotoRow.sha256)
                 .where(PhotoRow.store_id.in_(store_ids)).order_by(StoreRow.code, PhotoRow.id))
        if campaign is not None:
            query = query.where(PhotoRow.campaign == campaign)
        return [dict(row._mapping) for row in self.session.execute(query)]

    def thumbnails(self, hashes: list[str]) -> dict[str, bytes]:
        if not hashes:
            return {}
        return {sha: bytes(thumb) for sha, thumb in self.session.execute(
            select(PhotoBlobRow.sha256, PhotoBlobRow.thumbnail).where(PhotoBlobRow.sha256.in_(hashes)))}


def _duplicate_key(exc) -> bool:
    """Whether an IntegrityError is a unique key met (PostgreSQL 23505, MariaDB 1062, SQLite's UNIQUE/PRIMARY KEY)."""
    orig = getattr(exc, "orig", None)
    if getattr(getattr(orig, "diag", None), "sqlstate", None) == "23505" or getattr(orig, "sqlstate", None) == "23505":
        return True
    if orig is not None and getattr(orig, "args", None) and orig.args[0] == 1062:
        return True
    return "UNIQUE constraint failed" in str(orig)
