"""The demo company's generator: deterministic files with the canonical headers and realistic distributions."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from addin.demo.company import ORG_HEADERS, SIZES, STORE_HEADERS, generate, make_org, store_counts
from addin.demo.orders import ORDER_HEADERS
from engine.products import PRICE_CLASS_LABELS, price_class
from engine.stores import VISIT_CYCLES, WEEKDAYS, Category, clean_edit, default_visit_cycle

MONTH = "2026-11"
PRODUCT_HEADERS = ["卷烟编码", "卷烟名称", "品牌", "调拨价", "批发价", "建议零售价", "价类", "重点品牌", "骨干品牌", "产地类型"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small company of seed 1, generated once for this module."""
    return generate("small", 1, MONTH, tmp_path_factory.mktemp("small"))


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def stores(small) -> pd.DataFrame:
    return read(small.stores)


@pytest.fixture(scope="module")
def orders(small) -> pd.DataFrame:
    frame = pd.concat([read(p) for p in small.order_files], ignore_index=True)
    for column in ("需求量", "限量", "订购量"):
        frame[column] = frame[column].astype(int)
    return frame


def test_same_seed_same_files_other_seed_other_files(small, tmp_path):
    again = generate("small", 1, MONTH, tmp_path / "again")
    for mine, theirs in zip([small.org, small.stores, small.products, *small.order_files],
                            [again.org, again.stores, again.products, *again.order_files]):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
    one, two = (generate("tiny", seed, MONTH, tmp_path / f"seed{seed}") for seed in (1, 2))
    for mine, theirs in zip([one.org, one.stores, *one.order_files], [two.org, two.stores, *two.order_files]):
        assert mine.read_bytes() != theirs.read_bytes(), mine.name
    # the catalogue is the same real brands whatever the seed
    assert one.products.read_bytes() == two.products.read_bytes()


def test_files_are_utf8_with_bom_and_canonical_headers(small):
    headers = {small.org: ORG_HEADERS, small.stores: STORE_HEADERS, small.products: PRODUCT_HEADERS,
               small.order_files[0]: ORDER_HEADERS}
    for path, expected in headers.items():
        first_line = path.read_bytes().split(b"\n", 1)[0]
        assert first_line.startswith(b"\xef\xbb\xbf"), path.name
        assert first_line[3:].decode().split(",") == expected
    assert [p.name for p in small.order_files] == ["orders-2026-08.csv", "orders-2026-09.csv", "orders-2026-10.csv"]


def test_a_month_of_orders_does_not_depend_on_the_current_month(small, tmp_path):
    later = generate("small", 1, "2026-12", tmp_path / "later")
    assert [p.name for p in later.order_files] == ["orders-2026-09.csv", "orders-2026-10.csv", "orders-2026-11.csv"]
    assert later.order_files[0].read_bytes() == small.order_files[1].read_bytes()
    assert later.stores.read_bytes() == small.stores.read_bytes()


def test_small_org_has_the_named_people_in_their_places(small):
    org = read(small.org)
    users = org[org["用户编码"] != ""].set_index("用户编码")
    assert sorted(users.index) == ["admin", "bm01", *(f"cm00{i}" for i in range(1, 7)), "mm01", "mm02"]
    units = org.drop_duplicates("单位编码").set_index("单位编码")
    assert list(units["单位类型"].value_counts().sort_index().items()) == [
        ("公司", 1), ("片区", 6), ("营销中心", 1), ("营销部", 2)]
    parent = units["上级单位编码"]
    for cm in ("cm001", "cm002", "cm003", "cm004", "cm005", "cm006"):
        department = parent[users.loc[cm, "单位编码"]]
        manager = "mm01" if cm <= "cm003" else "mm02"
        assert users.loc[manager, "单位编码"] == department and users.loc[cm, "角色"] == "客户经理"
    assert users.loc["admin", "角色"] == "管理员" and units.loc[users.loc["admin", "单位编码"], "单位类型"] == "公司"
    assert users.loc["bm01", "角色"] == "品牌经理"


def test_city_org_and_store_counts():
    size = SIZES["city"]
    units, users = make_org(size, 1)
    assert (users["role"] == "客户经理").sum() == 150 and (units["kind"] == "营销部").sum() == 10
    assert (units["kind"] == "营销中心").sum() == 3 and units["code"].is_unique
    per_department = users[users["role"] == "客户经理"].groupby("department").size()
    assert per_department.between(5, 15).all()
    counts = store_counts(np.random.default_rng([1, 2]), size)
    assert counts.sum() == 30_000 and counts.min() >= 150 and counts.max() <= 250


def test_province_org_is_ten_cities_of_the_city_shape():
    size = SIZES["province"]
    units, users = make_org(size, 1)
    cms = users[users["role"] == "客户经理"]
    assert len(cms) == 1500 and (units["kind"] == "营销部").sum() == 100 and (units["kind"] == "营销中心").sum() == 10
    assert units["code"].is_unique and users["code"].is_unique
    for kind in ("营销中心", "营销部", "片区"):  # ten 东城营销部 stay apart by their city's name
        assert units.loc[units["kind"] == kind, "name"].is_unique, kind
    assert units.loc[units["code"] == "D11", "name"].item() == "临州东城营销部"
    assert units.loc[units["code"] == "D11", "parent"].item() == "Z02"
    assert cms.groupby("department").size().eq(15).all()
    counts = store_counts(np.random.default_rng([1, 2]), size)
    assert counts.sum() == 300_000 and size.skus == 600


def test_stores_fields_are_well_formed(stores):
    assert stores["客户编码"].str.fullmatch(r"\d{12}").all() and stores["客户编码"].is_unique
    assert stores["许可证号"].str.fullmatch(r"\d{12}").all() and stores["许可证号"].is_unique
    for phone in stores["联系电话"]:
        assert clean_edit("phone", phone) == phone
    for category in stores["综合分类"].unique():
        Category.parse(category)
    assert set(stores["订货日"]) <= set(WEEKDAYS) and set(stores["拜访日"]) <= set(WEEKDAYS)
    assert (stores["客户名称"].str.len() > 2).all() and (stores["经营地址"] != "").all()
    per_cm = stores.groupby("客户经理").size()
    assert sorted(per_cm.index) == [f"cm00{i}" for i in range(1, 7)] and per_cm.between(180, 230).all()


def test_store_distributions_follow_the_domain(stores):
    share = lambda column: stores[column].value_counts(normalize=True)  # noqa: E731
    status = share("状态")
    assert 0.88 < status["有效"] < 0.96 and 0.02 < status["暂停"] < 0.08 and 0.01 < status["注销"] < 0.06
    assert 0.5 < share("网上订货")["是"] < 0.7
    formats = stores["综合分类"].str[1].value_counts(normalize=True)
    assert formats.index[0] == "Z" and formats["Z"] + formats["B"] > 0.55 and set(formats.index) == set("ZBSNYFQ")
    rural = (stores["综合分类"].str[0] == "X").mean()
    assert 0.15 < rural < 0.5
    assert 0.01 < (stores["档位"] == "ZZ").mean() < 0.06
    tiers = pd.to_numeric(stores["档位"], errors="coerce").dropna()
    assert 12 < tiers.mean() < 19 and tiers.between(1, 30).all() and (tiers >= 25).mean() < 0.15
    assert (tiers == 30).sum() < (tiers == 18).sum()  # few at the top
    for tier, cycle in zip(stores["档位"], stores["拜访频次"]):
        assert cycle == VISIT_CYCLES[default_visit_cycle(None if tier == "ZZ" else int(tier))]


def test_products_prices_classes_and_flags(small):
    products = read(small.products)
    assert len(products) == 150 and products["卷烟编码"].is_unique
    for code in products["卷烟编码"]:
        digits = [int(d) for d in code]
        assert len(code) == 13 and code.startswith("69")
        assert (sum(digits[0:12:2]) + 3 * sum(digits[1:12:2]) + digits[12]) % 10 == 0  # EAN-13 check digit
    flagged = ((products["重点品牌"] == "是") | (products["骨干品牌"] == "是")).sum()
    assert 15 <= flagged <= 25
    for row in products.itertuples():
        transfer, wholesale, retail = Decimal(row.调拨价), Decimal(row.批发价), Decimal(row.建议零售价)
        assert row.价类 == PRICE_CLASS_LABELS[price_class(transfer)]
        assert abs(wholesale / transfer - Decimal("1.1865")) < Decimal("0.01")
        assert abs(retail / wholesale - Decimal("1.12")) < Decimal("0.01")
    assert set(products["价类"]) == set(PRICE_CLASS_LABELS.values())
    assert products["品牌"].nunique() >= 30 and set(products["产地类型"]) == {"省内", "省外", "进口"}


def test_orders_are_weekly_on_the_order_day_of_active_stores(stores, orders):
    heads = orders.drop_duplicates("订单号")
    assert not heads.duplicated(["客户编码", "订货日期"]).any()
    store = stores.set_index("客户编码")
    assert (store.loc[heads["客户编码"], "状态"] == "有效").all()
    weekdays = pd.to_datetime(heads["订货日期"]).dt.day_of_week + 1
    assert (weekdays.to_numpy() == store.loc[heads["客户编码"], "订货日"].map(WEEKDAYS.index).to_numpy() + 1).all()
    dates = pd.to_datetime(heads["订货日期"])
    assert date(2026, 8, 1) <= dates.min().date() <= date(2026, 8, 7)
    assert date(2026, 10, 25) <= dates.max().date() <= date(2026, 10, 31)
    active = (stores["状态"] == "有效").sum()
    assert heads.groupby("客户编码").size().between(12, 14).all() and heads["客户编码"].nunique() == active


def test_order_lines_quantities_and_amounts(orders, stores):
    assert (orders["订购量"] == np.minimum(orders["需求量"], orders["限量"])).all()
    assert (orders["订购量"] >= 1).all()
    for column in ("单价", "金额"):
        assert orders[column].drop_duplicates().str.fullmatch(r"\d+\.\d\d").all()
    cents = {c: orders[c].str.replace(".", "", regex=False).astype(np.int64) for c in ("单价", "金额")}
    assert (orders["订购量"] * cents["单价"] == cents["金额"]).all()
    rationed = (orders["限量"] < orders["需求量"]).mean()
    assert 0 < rationed < 0.05  # rationing of hot SKUs happens, but seldom
    assert not orders.duplicated(["订单号", "卷烟编码"]).any()


def test_lines_per_order_grow_with_tier_and_value_per_carton_is_about_70(orders, stores):
    lines = orders.groupby("订单号").agg(store=("客户编码", "first"), lines=("卷烟编码", "size"))
    tier = stores.set_index("客户编码")["档位"]
    lines["tier"] = pd.to_numeric(tier.loc[lines["store"]].to_numpy(), errors="coerce")
    assert 25 < lines["lines"].mean() < 40
    assert lines[lines["tier"] >= 25]["lines"].mean() > 40 > 20 > lines[lines["tier"] <= 5]["lines"].mean()
    per_carton = float((orders["金额"].astype(float)).sum() / orders["订购量"].sum())
    assert 60 < per_carton < 80
