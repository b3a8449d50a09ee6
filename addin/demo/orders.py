"""The demo company's weekly orders, made with numpy for a whole city month at once, and their CSV file.

Each active store orders once a week on its order weekday. A store keeps a ranked assortment of SKUs
(its regulars, chosen by popularity and by how its tier and market sit with each SKU's price), and each
week orders a varying selection from it; the number of lines grows with the tier. Rationed (hot) SKUs get
an allowed quantity (限量) by tier, which may fall below demand; ordered = min(demanded, allowed).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from engine.periods import month_days

ORDER_HEADERS = ["订单号", "客户编码", "订货日期", "卷烟编码", "需求量", "限量", "订购量", "单价", "金额"]
#: Longest assortment a store keeps; also the most lines an order can have.
ASSORTMENT = 60
_CHUNK = 500_000


@dataclass
class MonthOrders:
    """One month of order lines as parallel arrays (one entry per line), plus the per-order arrays."""

    month: str
    order_store: np.ndarray
    order_day: np.ndarray
    line_order: np.ndarray
    sku: np.ndarray
    demanded: np.ndarray
    allowed: np.ndarray
    ordered: np.ndarray
    price_cents: np.ndarray

    @property
    def orders(self) -> int:
        """How many orders."""
        return len(self.order_store)

    @property
    def lines(self) -> int:
        """How many order lines."""
        return len(self.line_order)

    @property
    def cartons(self) -> int:
        """条 ordered in total."""
        return int(self.ordered.sum())

    @property
    def amount(self) -> float:
        """元 ordered in total."""
        return float((self.ordered * self.price_cents).sum()) / 100


def effective_tier(stores: pd.DataFrame) -> np.ndarray:
    """The tier as a number for the formulas; untiered (ZZ, stored as 0) stores behave like tier 5."""
    tier = stores["tier"].to_numpy()
    return np.where(tier > 0, tier, 5).astype(np.float64)


def assortments(rng: np.random.Generator, stores: pd.DataFrame, products: pd.DataFrame) -> np.ndarray:
    """Each store's regular SKUs, best first (stores × depth, product indices), by Gumbel top-k sampling."""
    depth = min(ASSORTMENT, len(products))
    tier = effective_tier(stores)
    # Higher tiers and town stores sell dearer cigarettes: the preferred price (log 元/条) moves with them.
    liking = np.log(48.0) + 0.05 * (tier - 15) - 0.25 * stores["rural"].to_numpy() + rng.normal(0, 0.2, len(tier))
    log_price = np.log(products["wholesale_cents"].to_numpy() / 100.0)
    # Famous (hot) SKUs are wanted on every shelf whatever the shop's customers usually pay.
    spread = np.where(products["hot"].to_numpy(), 1.6, 0.7)
    logits = (np.log(products["popularity"].to_numpy())[None, :]
              - (log_price[None, :] - liking[:, None]) ** 2 / (2 * spread[None, :] ** 2)).astype(np.float32)
    noise = rng.random(logits.shape, dtype=np.float32)
    logits -= np.log(-np.log(noise + np.float32(1e-12)))
    top = np.argpartition(-logits, depth - 1, axis=1)[:, :depth]
    ranked = np.argsort(-np.take_along_axis(logits, top, axis=1), axis=1)
    return np.take_along_axis(top, ranked, axis=1)


def _order_days(stores: pd.DataFrame, month: str) -> tuple[np.ndarray, np.ndarray]:
    """(store index, day index in the month) of every order: active stores, each week on their weekday."""
    days = month_days(month)
    active = np.flatnonzero(stores["status"].to_numpy() == "active")
    weekday = stores["order_weekday"].to_numpy()[active]
    store_parts, day_parts = [], []
    for wd in range(1, 8):
        due_days = np.array([i for i, d in enumerate(days) if d.isoweekday() == wd])
        who = active[weekday == wd]
        store_parts.append(np.repeat(who, len(due_days)))
        day_parts.append(np.tile(due_days, len(who)))
    store_idx, day_idx = np.concatenate(store_parts), np.concatenate(day_parts)
    order = np.lexsort((store_idx, day_idx))
    return store_idx[order], day_idx[order]


def _pick_lines(rng, tier: np.ndarray, prefs: np.ndarray, order_store: np.ndarray):
    """Line counts per order and, per line, the order and the assortment position chosen."""
    depth = prefs.shape[1]
    base = 12 + (tier[order_store] - 1) * 40 / 29
    counts = np.clip(np.rint(base * rng.lognormal(0, 0.15, len(order_store))), 3, depth).astype(np.int64)
    keys = -0.05 * np.arange(depth, dtype=np.float32)[None, :] - np.log(
        -np.log(rng.random((len(order_store), depth), dtype=np.float32) + np.float32(1e-12)))
    chosen = np.argsort(-keys, axis=1)
    line_order = np.repeat(np.arange(len(order_store)), counts)
    within = np.arange(len(line_order)) - np.repeat(np.cumsum(counts) - counts, counts)
    return line_order, chosen[line_order, within]


def month_orders(rng: np.random.Generator, stores: pd.DataFrame, products: pd.DataFrame,
                 prefs: np.ndarray, month: str) -> MonthOrders:
    """All order lines of one month."""
    tier = effective_tier(stores)
    order_store, order_day = _order_days(stores, month)
    line_order, position = _pick_lines(rng, tier, prefs, order_store)
    store = order_store[line_order]
    sku = prefs[store, position]
    # Lines kept in SKU order inside each order, as the ordering platform prints them.
    tidy = np.lexsort((sku, line_order))
    line_order, position, store, sku = line_order[tidy], position[tidy], store[tidy], sku[tidy]
    price_cents = products["wholesale_cents"].to_numpy()[sku]
    # Cheap SKUs and a store's top regulars go by the several cartons; bigger stores order more of each.
    hot = products["hot"].to_numpy()[sku]
    # Hot SKUs are wanted beyond what the company can supply: demand runs higher, the quota is small.
    lam = ((0.25 + 0.06 * tier[store]) * (7000 / price_cents) ** 0.6 * np.where(position < 8, 1.6, 1.0)
           * np.where(hot, 2.5, 1.0))
    demanded = 1 + rng.poisson(lam)
    quota = np.maximum(1, tier[store] // 8).astype(np.int64)
    allowed = np.where(hot, quota, demanded)
    ordered = np.minimum(demanded, allowed)
    return MonthOrders(month, order_store, order_day, line_order, sku, demanded, allowed, ordered, price_cents)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _coded_text(keys: np.ndarray, render) -> tuple[np.ndarray, np.ndarray]:
    """Render each distinct key once (there are few), then index: far faster than formatting every line."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return np.array([render(int(k)) for k in unique], dtype=object), inverse


def write_orders_csv(path: Path, lines: MonthOrders, stores: pd.DataFrame, products: pd.DataFrame) -> None:
    """orders-YYYY-MM.csv: flat lines with the order header repeated, UTF-8 with BOM."""
    days = [d.isoformat() for d in month_days(lines.month)]
    codes = stores["code"].to_numpy()
    prefix = np.array([f"{days[d].replace('-', '')}{codes[s]},{codes[s]},{days[d]},"
                       for s, d in zip(lines.order_store.tolist(), lines.order_day.tolist())], dtype=object)
    skus = products["sku"].to_numpy()
    top = int(max(lines.demanded.max(), lines.allowed.max())) + 1
    qty_text, qty_code = _coded_text(
        (lines.sku * top + lines.demanded) * top * top + lines.allowed * top + lines.ordered,
        lambda k: f"{skus[k // top ** 3]},{k // top ** 2 % top},{k // top % top},{k % top},")
    money_text, money_code = _coded_text(
        lines.price_cents.astype(np.int64) * top + lines.ordered,
        lambda k: f"{_money(k // top)},{_money(k // top * (k % top))}")
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(",".join(ORDER_HEADERS) + "\n")
        for start in range(0, lines.lines, _CHUNK):
            part = slice(start, start + _CHUNK)
            text = prefix[lines.line_order[part]] + qty_text[qty_code[part]] + money_text[money_code[part]]
            out.write("\n".join(text.tolist()))
            out.write("\n")

