"""The demo company: a deterministic, realistic organisation, stores, products and orders, as import files.

Everything is drawn from numpy generators seeded with (seed, purpose), so the same seed gives the same
files, and each part (stores, products, each month of orders) stays the same when another part changes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from addin.demo import names as demo_names
from addin.demo.orders import assortments, month_orders, write_orders_csv
from addin.demo.products import make_products, products_csv
from engine.periods import parse_month, previous_month
from engine.stores import VISIT_CYCLES, WEEKDAYS, StoreStatus, default_visit_cycle

COMPANY = ("C01", "江城市烟草公司")
CENTRES = ["城区营销中心", "城郊营销中心", "县域营销中心"]
#: A province's cities: each is a 营销中心 of the province company with the ten departments of DEPARTMENTS.
CITIES = ["江城", "临州", "青阳", "白河", "东湖", "云岭", "石门", "安平", "南川", "北原"]
#: Departments: short name, the area written in addresses, share of rural (乡村) stores.
DEPARTMENTS = [("东城", "东城区", 0.10), ("西城", "西城区", 0.12), ("南城", "南城区", 0.15), ("北城", "北城区", 0.15),
               ("开发区", "经济开发区", 0.30), ("高新区", "高新区", 0.30), ("临江", "临江区", 0.45),
               ("青山", "青山县", 0.70), ("白湖", "白湖县", 0.75), ("石桥", "石桥县", 0.80)]
NUMERALS = "一二三四五六七八九十"
#: 业态 shares in town and in the country (食杂店 and 便利店 lead, then 烟酒商店 and 超市).
FORMAT_SHARES = {"C": {"Z": .38, "B": .28, "Y": .13, "S": .09, "N": .015, "F": .05, "Q": .055},
                 "X": {"Z": .62, "B": .12, "Y": .08, "S": .08, "N": .005, "F": .03, "Q": .065}}
#: Typical tier of each 业态 (30 = largest).
FORMAT_TIER = {"Z": 14, "B": 16.5, "S": 19, "N": 22, "Y": 21, "F": 15, "Q": 13}
STORE_HEADERS = ["客户编码", "客户名称", "许可证号", "负责人", "联系人", "联系电话", "经营地址", "客户经理", "状态",
                 "网上订货", "综合分类", "档位", "订货日", "拜访频次", "拜访日", "备注"]
ORG_HEADERS = ["单位编码", "单位名称", "单位类型", "上级单位编码", "用户编码", "用户姓名", "角色"]


@dataclass(frozen=True)
class Size:
    """How big a demo company is."""

    name: str
    centres: int
    departments: tuple[int, ...]
    cms: int
    stores_per_cm: tuple[int, int]
    skus: int
    months: int
    stores_total: int | None = None
    #: A province (cities > 1): each centre is a city, its name and its departments' and districts' names lead with
    #: the city's (CITIES), so that ten 东城营销部 stay apart.
    cities: int = 1


SIZES = {
    "tiny": Size("tiny", 1, (0,), 2, (20, 20), 20, 1),
    "small": Size("small", 1, (0, 6), 6, (180, 230), 150, 3),
    "city": Size("city", 3, tuple(range(10)), 150, (170, 230), 400, 3, stores_total=30_000),
    # ten cities of 150 CMs: ~40M order lines a month (the province benchmark, run by hand: benchmarks/README.md)
    "province": Size("province", 10, tuple(range(10)) * 10, 1500, (170, 230), 600, 3, stores_total=300_000,
                     cities=10),
}


def _rng(seed: int, *purpose: int) -> np.random.Generator:
    return np.random.default_rng([seed, *purpose])


def _split(total: int, parts: int) -> list[int]:
    """total as evenly as possible into parts, larger parts first."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def make_org(size: Size, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, users): company → centres → departments → one district per CM; admin, bm01, one MM per department."""
    rng = _rng(seed, 1)
    units = [(COMPANY[0], COMPANY[1], "公司", "")]
    dept_of_cm = np.repeat(np.arange(len(size.departments)), _split(size.cms, len(size.departments)))
    centre_of_dept = np.repeat(np.arange(size.centres), _split(len(size.departments), size.centres))
    city = [CITIES[c] if size.cities > 1 else "" for c in centre_of_dept]  # per department, its city's name
    for c in range(size.centres):
        units.append((f"Z{c + 1:02d}", f"{CITIES[c]}市营销中心" if size.cities > 1 else CENTRES[c], "营销中心", COMPANY[0]))
    for d, key in enumerate(size.departments):
        units.append((f"D{d + 1:02d}", f"{city[d]}{DEPARTMENTS[key][0]}营销部", "营销部",
                      f"Z{centre_of_dept[d] + 1:02d}"))
    for i in range(size.cms):
        d = int(dept_of_cm[i])
        nth = int(i - np.flatnonzero(dept_of_cm == d)[0])
        name = f"{city[d]}{DEPARTMENTS[size.departments[d]][0]}{_numeral(nth + 1)}片区"
        units.append((f"P{i + 1:03d}", name, "片区", f"D{d + 1:02d}"))
    names = demo_names.people(rng, 2 + len(size.departments) + size.cms)
    users = [("admin", names[0], "管理员", COMPANY[0]), ("bm01", names[1], "品牌经理", COMPANY[0])]
    users += [(f"mm{d + 1:02d}", names[2 + d], "市场经理", f"D{d + 1:02d}") for d in range(len(size.departments))]
    users += [(f"cm{i + 1:03d}", names[2 + len(size.departments) + i], "客户经理", f"P{i + 1:03d}")
              for i in range(size.cms)]
    unit_frame = pd.DataFrame(units, columns=["code", "name", "kind", "parent"])
    user_frame = pd.DataFrame(users, columns=["code", "name", "role", "unit"])
    user_frame["department"] = [-1, -1, *range(len(size.departments)), *dept_of_cm.tolist()]
    return unit_frame, user_frame


def _numeral(n: int) -> str:
    """1-99 in Chinese numerals (十一, 二十三)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return NUMERALS[ones - 1]
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + ("" if ones == 0 else NUMERALS[ones - 1])


def org_csv(units: pd.DataFrame, users: pd.DataFrame) -> pd.DataFrame:
    """org.csv: one row per user on their unit, and one bare row for each unit nobody sits on (parents first)."""
    rows = []
    for unit in units.itertuples():
        staff = users[users["unit"] == unit.code]
        for user in staff.itertuples() if len(staff) else [None]:
            rows.append((unit.code, unit.name, unit.kind, unit.parent, user.code if user else "",
                         user.name if user else "", user.role if user else ""))
    return pd.DataFrame(rows, columns=ORG_HEADERS)


def store_counts(rng: np.random.Generator, size: Size) -> np.ndarray:
    """Stores per CM, drawn in the size's range (scaled to the size's total when it has one)."""
    low, high = size.stores_per_cm
    counts = rng.integers(low, high + 1, size.cms)
    if size.stores_total is not None:
        scaled = np.floor(counts * size.stores_total / counts.sum()).astype(np.int64)
        scaled[: size.stores_total - scaled.sum()] += 1
        counts = scaled
    return counts


def _categories(rng: np.random.Generator, rural: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(业态, tier) per store: the format by market, the tier around the format's typical one (0 = ZZ)."""
    n = len(rural)
    formats = np.empty(n, dtype=object)
    for market, is_rural in (("C", False), ("X", True)):
        where = np.flatnonzero(rural == is_rural)
        shares = FORMAT_SHARES[market]
        p = np.array(list(shares.values()))
        formats[where] = np.array(list(shares))[rng.choice(len(p), len(where), p=p / p.sum())]
    mean = np.array([FORMAT_TIER[f] for f in formats]) + np.where(rural, -1.5, 1.0)
    raw = rng.normal(mean, 5.5)
    for _ in range(4):  # redraw the tails rather than clip them, so tiers 1 and 30 stay as rare as their neighbours
        out = np.flatnonzero((raw < 0.5) | (raw >= 30.5))
        raw[out] = rng.normal(mean[out], 5.5)
    tier = np.clip(np.rint(raw), 1, 30).astype(np.int64)
    tier[rng.random(n) < 0.03] = 0
    return formats, tier


def _scales(rng: np.random.Generator, formats: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """规模 1 large / 2 medium / 3 small, following the tier (supermarkets and malls lean larger)."""
    level = np.where(tier > 0, tier, 4) + rng.normal(0, 3, len(tier)) + np.isin(formats, ["S", "N"]) * 4
    return np.where(level >= 22, "1", np.where(level >= 13, "2", "3"))


def make_stores(size: Size, seed: int, users: pd.DataFrame) -> pd.DataFrame:
    """Every store with its fields, plus the numbers the orders are made from (rural, tier 0 = ZZ)."""
    rng = _rng(seed, 2)
    cms = users[users["role"] == "客户经理"].reset_index(drop=True)
    counts = store_counts(rng, size)
    cm = np.repeat(np.arange(len(cms)), counts)
    dept = cms["department"].to_numpy()[cm]
    n = len(cm)
    rural = rng.random(n) < np.array([DEPARTMENTS[k][2] for k in size.departments])[dept]
    formats, tier = _categories(rng, rural)
    order_weekday = rng.integers(1, 6, n)
    visit_weekday = np.where(rng.random(n) < 0.75, order_weekday, rng.integers(1, 6, n))
    status = rng.choice(["active", "suspended", "closed"], n, p=[0.92, 0.05, 0.03])
    online = rng.random(n) < np.clip(0.5 + 0.15 * ~rural + 0.01 * (np.where(tier > 0, tier, 5) - 15), 0.05, 0.95)
    owners = demo_names.people(rng, n)
    others = demo_names.people(rng, n)
    pick = rng.random(n)
    stores = pd.DataFrame({
        "code": _store_codes(rng, dept), "name": demo_names.store_names(rng, formats),
        "licence": _licences(rng, dept), "owner": owners,
        "contact": np.where(pick < 0.7, owners, np.where(pick < 0.9, others, "")),
        "phone": demo_names.phones(rng, n),
        "address": demo_names.addresses(rng, np.array([DEPARTMENTS[size.departments[d]][1] for d in dept]), rural),
        "cm": cms["code"].to_numpy()[cm], "status": status, "online": online, "rural": rural,
        "format": formats, "scale": _scales(rng, formats, tier), "tier": tier,
        "order_weekday": order_weekday, "visit_weekday": visit_weekday,
        "visit_cycle": [default_visit_cycle(int(t) if t else None) for t in tier],
        "notes": demo_names.notes(rng, n),
    })
    return stores


def _store_codes(rng: np.random.Generator, dept: np.ndarray) -> list[str]:
    """12 digits: 4201 + department + a serial with gaps (stores come and go), rising in list order."""
    codes = []
    for d in np.unique(dept):
        serials = 100_000 + np.cumsum(rng.integers(1, 30, int((dept == d).sum())))
        codes += [f"4201{d + 1:02d}{s:06d}" for s in serials]
    return codes


def _licences(rng: np.random.Generator, dept: np.ndarray) -> list[str]:
    """12-digit licence numbers, unique: 4201 + department + a random serial."""
    out = np.empty(len(dept), dtype=object)
    for d in np.unique(dept):
        where = np.flatnonzero(dept == d)
        serials = rng.choice(900_000, len(where), replace=False) + 100_000
        out[where] = [f"4201{d + 1:02d}{s:06d}" for s in serials]
    return out.tolist()


def stores_csv(stores: pd.DataFrame) -> pd.DataFrame:
    """The stores as stores.csv shows them (canonical Chinese headers)."""
    market = np.where(stores["rural"], "X", "C")
    return pd.DataFrame(dict(zip(STORE_HEADERS, [
        stores["code"], stores["name"], stores["licence"], stores["owner"], stores["contact"], stores["phone"],
        stores["address"], stores["cm"], stores["status"].map(lambda s: StoreStatus(s).label),
        np.where(stores["online"], "是", "否"), market + stores["format"] + stores["scale"],
        [str(t) if t else "ZZ" for t in stores["tier"]], [WEEKDAYS[d - 1] for d in stores["order_weekday"]],
        [VISIT_CYCLES[c] for c in stores["visit_cycle"]], [WEEKDAYS[d - 1] for d in stores["visit_weekday"]],
        stores["notes"],
    ])))


def order_months(month: str, count: int) -> list[str]:
    """The count full months before month, oldest first."""
    parse_month(month)
    months = [previous_month(month)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A CSV file as Excel opens it: UTF-8 with BOM, every value as text."""
    frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


@dataclass
class MonthFigures:
    """What one month of generated orders amounts to."""

    month: str
    path: Path
    orders: int
    lines: int
    cartons: int
    amount: float


@dataclass
class DemoFiles:
    """The import files written for a demo company, with row counts and timings."""

    folder: Path
    org: Path
    stores: Path
    products: Path
    counts: dict[str, int] = field(default_factory=dict)
    months: list[MonthFigures] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def order_files(self) -> list[Path]:
        """orders-YYYY-MM.csv, oldest first."""
        return [m.path for m in self.months]


def write_reference_files(size: Size, seed: int, folder: Path) -> tuple[DemoFiles, pd.DataFrame, pd.DataFrame]:
    """Write org.csv, stores.csv and products.csv; return what was written and the stores and products."""
    folder.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(folder, folder / "org.csv", folder / "stores.csv", folder / "products.csv")
    started = time.perf_counter()
    units, users = make_org(size, seed)
    stores = make_stores(size, seed, users)
    products = make_products(_rng(seed, 3), size.skus)
    write_csv(org_csv(units, users), files.org)
    write_csv(stores_csv(stores), files.stores)
    write_csv(products_csv(products), files.products)
    files.counts = {"units": len(units), "users": len(users), "stores": len(stores), "products": len(products)}
    files.seconds["reference"] = time.perf_counter() - started
    return files, stores, products


def generate(size: Size | str, seed: int, month: str, folder: Path) -> DemoFiles:
    """Write the whole demo company as import files into folder (orders for the full months before month)."""
    size = SIZES[size] if isinstance(size, str) else size
    months = order_months(month, size.months)
    files, stores, products = write_reference_files(size, seed, folder)
    for stale in folder.glob("orders-*.csv"):  # a previous run for another month must not linger
        stale.unlink()
    prefs = assortments(_rng(seed, 4), stores, products)
    for month_text in months:
        started = time.perf_counter()
        year, mon = parse_month(month_text)
        lines = month_orders(_rng(seed, 5, year, mon), stores, products, prefs, month_text)
        path = folder / f"orders-{month_text}.csv"
        write_orders_csv(path, lines, stores, products)
        files.months.append(MonthFigures(month_text, path, lines.orders, lines.lines, lines.cartons, lines.amount))
        files.seconds[f"orders {month_text}"] = time.perf_counter() - started
    return files
