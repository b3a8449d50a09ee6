"""The demo company's cigarette catalogue (卷烟规格): real brands, plausible specs and prices.

Prices are written per pack at suggested retail and turned into 元/条 the way the trade does:
retail ≈ wholesale × 1.12, wholesale ≈ transfer (pre-tax) × 1.13 × 1.05, so the price class
follows from the transfer price (engine.products.price_class).
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from engine.products import PRICE_CLASS_LABELS, price_class

#: brand | origin (省内/省外/进口) | spec:retail 元 per pack, comma separated.
#: Markers on a spec: * key brand (重点品牌), + backbone brand (骨干品牌), ! rationed (hot: 限量 below demand).
CATALOGUE = """
黄鹤楼|省内|硬1916*!:100,软蓝*:19,硬金砂*:20,天下名楼+:17,硬峡谷情!:50,软珍品:30,硬雅韵:28,软红:10,硬红:8
红金龙|省内|硬红+:5,软红+:3.5,硬神州+:8,晓楼*:12,硬爱你*:16,硬新版:6,软蓝:4.5,硬九州腾龙:7
中华|省外|硬*!:45,软!:65,金中支:50,双中支:100,细支:55
芙蓉王|省外|硬*:25,硬细支:30,软蓝:48,硬蓝:20,钻石:100
白沙|省外|硬+:5,软:3.5,精品:10,和天下!:100,硬精品二代:12,软红运:7
云烟|省外|软珍品*:22,紫:11,印象:60,小熊猫家园:15,软礼印象:25,硬红:5,软大重九:100
玉溪|省外|软*:23,硬:23,初心:25,和谐:50,庄园:55
红塔山|省外|硬经典+:7,软经典:7,经典100:10,大经典:20,新势力:5,硬恭贺新禧:12
利群|省外|新版*:14,软红长嘴!:35,阳光:18,休闲:25,硬红:7,西子阳光:23
南京|省外|炫赫门*:18,红:12,九五!:100,雨花石:50,十二钗烤烟:20,硬精品:9
双喜|省外|硬经典+:8,软经典:9,春天:20,莲香:28,硬世纪经典:15,软:4
红河|省外|硬+:5,软甲:3.5,道:12,硬88:10,小熊猫:13
大前门|省外|软+:4,短支:6,硬:5,软黄:3
红双喜|省外|硬:8,软:5,晶派:18,上海:6
七匹狼|省外|红:15,白:17,灰:25,通仙:35,锋芒:9
钻石|省外|荷花:36,硬红:7,一品荷花:60,软:4
苏烟|省外|五星红杉树:50,软金砂:100,铂晶:40
泰山|省外|红将军:16,华贵:40,心悦:25,硬红:6,白将军:10
娇子|省外|宽窄五粮浓香:22,X:10,蓝时代:13,软红:4,格调:20
贵烟|省外|跨越:30,国酒香:50,福:10,硬黄精品:7
黄山|省外|红方印:16,新一品:11,硬:10,天都:100,软:4
真龙|省外|起源:17,凌云:30,海韵:13,硬红:5
牡丹|省外|软:13,硬红:8,软蓝:6
中南海|省外|10mg:10,5mg:10,典8:15,软:6
黄金叶|省外|乐途:10,天叶:100,帝豪:11,硬红:5,软大金圆:6
长白山|省外|777:10,红:8,软:4,硬蓝:6
猴王|省外|硬:5,软:3
延安|省外|硬:13,软:9
兰州|省外|硬珍品:15,吉祥:18,硬:7
金圣|省外|圣地:20,滕王阁:10,硬红:5
红梅|省外|软黄:2,软:3,硬红:4.5
都宝|省外|软:2,硬:2.5
大丰收|省外|软:1.8
万宝路|进口|硬红:13,软白:15
爱喜|进口|薄荷:17,幻变:18
七星|进口|柔和:17
555|进口|金:15
登喜路|进口|红:20
"""

#: Spec words for the further SKUs a city catalogue needs beyond the hand-written ones.
EXTRA_SPECS = ["硬金", "软金", "细支", "中支", "精品", "典藏", "吉祥", "锦绣", "清香", "醇香", "如意", "祥瑞",
               "国色", "天成", "特醇", "醇和", "金典", "尚品", "逸品", "盛世", "和悦", "福禄", "凯旋", "硬银"]
RETAIL_PER_WHOLESALE = Decimal("1.12")
WHOLESALE_PER_TRANSFER = Decimal("1.13") * Decimal("1.05")


def _parse_catalogue() -> list[list[dict]]:
    brands = []
    for line in CATALOGUE.strip().splitlines():
        brand, origin, specs = line.split("|")
        entries = []
        for item in specs.split(","):
            spec, pack = item.rsplit(":", 1)
            flags = {c for c in spec if c in "*+!"}
            entries.append({"brand": brand, "origin": origin, "spec": spec.strip("*+!"), "pack": float(pack),
                            "is_key": "*" in flags, "is_backbone": "+" in flags, "hot": "!" in flags})
        brands.append(entries)
    return brands


def _round_robin(brands: list[list[dict]]) -> list[dict]:
    """Every brand's first spec, then every brand's second…, so that a short catalogue still spans brands and prices."""
    picked = []
    for depth in range(max(len(b) for b in brands)):
        picked.extend(b[depth] for b in brands if depth < len(b))
    return picked


def _extra(rng: np.random.Generator, brands: list[list[dict]], count: int) -> list[dict]:
    """Further specs of the same brands, priced around each brand's own price level."""
    taken = {(e["brand"], e["spec"]) for b in brands for e in b}
    extra = []
    for word in EXTRA_SPECS:
        for entries in brands:
            first = entries[0]
            if len(extra) == count:
                return extra
            if (first["brand"], word) in taken:
                continue
            level = float(np.median([e["pack"] for e in entries]))
            pack = level * float(np.exp(rng.normal(0.0, 0.35)))
            pack = round(pack * 2) / 2 if pack < 10 else float(round(pack))
            extra.append({**first, "spec": word, "pack": max(pack, 1.5), "is_key": False, "is_backbone": False,
                          "hot": False})
    return extra


def _ean13(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _prices(pack: float) -> tuple[Decimal, Decimal, Decimal]:
    """(transfer, wholesale, retail) per 条 from the retail price of a pack."""
    retail = (Decimal(str(pack)) * 10).quantize(Decimal("0.01"))
    wholesale = (retail / RETAIL_PER_WHOLESALE).quantize(Decimal("0.01"))
    transfer = (wholesale / WHOLESALE_PER_TRANSFER).quantize(Decimal("0.01"))
    return transfer, wholesale, retail


def make_products(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """count SKUs with barcode, name, brand, prices per 条, class, flags, origin, popularity and rationing."""
    brands = _parse_catalogue()
    entries = _round_robin(brands)[:count]
    entries += _extra(rng, brands, count - len(entries))
    brand_index = {b[0]["brand"]: i for i, b in enumerate(brands)}
    rows, serial = [], {}
    for entry in entries:
        b = brand_index[entry["brand"]]
        serial[b] = serial.get(b, 0) + 1
        transfer, wholesale, retail = _prices(entry["pack"])
        rows.append({
            "sku": _ean13(f"690{1020 + 7 * b:04d}{serial[b] * 211 + 101:05d}"),
            "name": f"{entry['brand']}({entry['spec']})", "brand": entry["brand"], "transfer": transfer,
            "wholesale": wholesale, "retail": retail, "price_class": price_class(transfer),
            "is_key": entry["is_key"], "is_backbone": entry["is_backbone"], "origin": entry["origin"],
            "hot": entry["hot"],
        })
    products = pd.DataFrame(rows)
    products["wholesale_cents"] = [int(w * 100) for w in products["wholesale"]]
    # Cheap SKUs sell more cartons; promoted (key/backbone) ones get pushed; the rest is taste.
    boost = np.where(products["is_key"] | products["is_backbone"], 2.5, 1.0)
    products["popularity"] = (products["wholesale_cents"] / 100.0) ** -0.5 * boost * rng.lognormal(0, 0.6, count)
    return products.sort_values("sku", kind="stable").reset_index(drop=True)


def products_csv(products: pd.DataFrame) -> pd.DataFrame:
    """The products as products.csv shows them (canonical Chinese headers)."""
    yes_no = {True: "是", False: "否"}
    return pd.DataFrame({
        "卷烟编码": products["sku"], "卷烟名称": products["name"], "品牌": products["brand"],
        "调拨价": products["transfer"].map("{:.2f}".format), "批发价": products["wholesale"].map("{:.2f}".format),
        "建议零售价": products["retail"].map("{:.2f}".format),
        "价类": products["price_class"].map(PRICE_CLASS_LABELS), "重点品牌": products["is_key"].map(yes_no),
        "骨干品牌": products["is_backbone"].map(yes_no), "产地类型": products["origin"],
    })
