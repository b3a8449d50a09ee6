"""Keeping a §14 campaign for tests (what the brand manager's workbook does, without the workbook)."""
from __future__ import annotations

from engine.campaigns import Campaign, CampaignSku

CODE = "CX2611"
#: The factory's first two SKUs: 示例烟1 (上柜、陈列), 示例烟2 (上柜、价签正确、海报张贴).
SKUS = (CampaignSku("6901000000000", "示例烟1", ("shelf", "display")),
        CampaignSku("6901000000001", "示例烟2", ("shelf", "price_tag", "poster")))


def keep_campaign(app, month: str, code: str = CODE, covers: tuple[str, ...] = ("D01",)) -> Campaign:
    """A campaign of the month covering D01 (cm001's and cm002's stores), kept as the brand manager would."""
    campaign = Campaign(code, "冬季品牌培育", month, month, covers, SKUS)
    with app.uow() as uow:
        if uow.campaigns.get(code) is None:
            uow.campaigns.save(campaign, "bm01")
            uow.commit()
    return campaign
