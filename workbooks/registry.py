"""Every module's workbook layout, by module code (the key written in _meta)."""
from __future__ import annotations

from workbooks import big_table, capability, key_brands, review, stores
from workbooks.layout import BookLayout

LAYOUTS: dict[str, BookLayout] = {layout.module: layout for layout in (stores.LAYOUT, capability.LAYOUT, big_table.LAYOUT,
                                                                       review.LAYOUT, key_brands.LAYOUT)}
