"""Insert-or-update of reference rows by natural key; only fields the file gives are compared and written."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from storage.repositories import now


def existing(session: Session, row_class, key: str, fields: list[str]) -> pd.DataFrame:
    """The stored rows' id, key and fields, one row per key."""
    table = row_class.__table__
    result = session.execute(select(table.c.id, table.c[key], *(table.c[f] for f in fields)))
    # plain tuples: pandas probes each Row object's attributes otherwise, which costs more than the query
    return pd.DataFrame([tuple(row) for row in result], columns=["id", key, *fields], dtype=object)


def upsert(session: Session, row_class, key: str, given: pd.DataFrame, fill: pd.DataFrame,
           versioned: bool = False) -> tuple[int, int]:
    """Write the file's rows (one per key): new keys inserted with `fill` for the fields the file lacks,
    known keys updated where a given field differs; return (inserted, updated).

    `versioned` rows (stores) get version + 1 and updated_at when they change, which is what the
    stale-file check of the §2 workbook compares.
    """
    fields = [f for f in given.columns if f != key]
    old = existing(session, row_class, key, fields + (["version"] if versioned else []))
    merged = given.merge(old, on=key, how="left", suffixes=("", "_old"))
    new = merged["id"].isna().to_numpy()
    differs = np.zeros(len(merged), dtype=bool)
    for field in fields:
        differs |= ~_same(merged[field], merged[f"{field}_old"])
    changed = ~new & differs
    stamp = now()
    table = row_class.__table__
    if new.any():
        rows = pd.concat([given.loc[new], fill.loc[new, [f for f in fill.columns if f not in given.columns]]], axis=1)
        if versioned:
            rows = rows.assign(version=1, updated_at=stamp)
        session.execute(insert(table), _records(rows))
    if changed.any():
        rows = merged.loc[changed, ["id", *fields]]
        if versioned:
            rows = rows.assign(version=merged.loc[changed, "version"].astype(int) + 1, updated_at=stamp)
        # Core executemany by primary key; the parameters are named apart from the columns they set
        names = [c for c in rows.columns if c != "id"]
        statement = update(table).where(table.c.id == bindparam("key_id")).values(
            {name: bindparam(f"new_{name}") for name in names})
        session.execute(statement, _records(rows.rename(columns={"id": "key_id", **{n: f"new_{n}" for n in names}})))
    return int(new.sum()), int(changed.sum())


def _same(new: pd.Series, old: pd.Series) -> np.ndarray:
    """Equal values, or both blank (None / NaN)."""
    both_blank = new.isna().to_numpy() & old.isna().to_numpy()
    equal = np.asarray(new.to_numpy(dtype=object) == old.to_numpy(dtype=object), dtype=bool)
    return both_blank | equal


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (None for blanks, int for numpy integers)."""
    keys = list(frame.columns)
    columns = [_plain(frame[k]) for k in keys]
    return [dict(zip(keys, row)) for row in zip(*columns)]


def _plain(column: pd.Series) -> list:
    if column.dtype.kind in "iub":
        return column.tolist()
    values = column.astype(object)
    return values.where(values.notna(), None).tolist()
