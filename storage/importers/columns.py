"""The columns of each import file: the Chinese header, its English and marketing-system aliases."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from engine.errors import Finding, Refused

from storage.importers.reading import Table


@dataclass(frozen=True)
class Column:
    """One column an import understands: field name, canonical Chinese header, other accepted headers."""

    field: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every header text that names this column (the field name itself included)."""
        return (self.label, self.field, *self.aliases)

    def describe(self) -> str:
        """E.g. 客户编码（或 code、cust_id）."""
        others = [h for h in self.accepted if h != self.label]
        return f"{self.label}（或 {'、'.join(others)}）" if others else self.label


ORG = (
    Column("unit_code", "单位编码", required=True),
    Column("unit_name", "单位名称", required=True),
    Column("unit_kind", "单位类型", ("kind",), required=True),
    Column("parent_code", "上级单位编码", ("parent",)),
    Column("user_code", "用户编码"),
    Column("user_name", "用户姓名"),
    Column("role", "角色"),
)

STORES = (
    Column("code", "客户编码", ("store_code", "cust_id"), required=True),
    Column("name", "客户名称", ("store_name", "cust_name"), required=True),
    Column("licence", "许可证号", ("license", "license_code", "licence_no")),
    Column("owner", "负责人"),
    Column("contact", "联系人"),
    Column("phone", "联系电话", ("order_tel", "tel")),
    Column("address", "经营地址", ("busi_addr",)),
    Column("cm_code", "客户经理", ("cm", "manager"), required=True),
    Column("status", "状态"),
    Column("online_ordering", "网上订货", ("online",)),
    Column("category", "综合分类"),
    Column("market", "城乡"),
    Column("format", "业态"),
    Column("scale", "规模"),
    Column("tier", "档位", ("cust_seg",)),
    Column("order_weekday", "订货日"),
    Column("visit_cycle", "拜访频次"),
    Column("visit_weekday", "拜访日"),
    Column("notes", "备注", ("note", "remark")),
)

PRODUCTS = (
    Column("sku", "卷烟编码", ("item_id", "code"), required=True),
    Column("name", "卷烟名称", ("item_name",), required=True),
    Column("brand", "品牌", ("brand_name",)),
    Column("transfer_price", "调拨价"),
    Column("wholesale_price", "批发价", ("pri1", "pri_wholesale")),
    Column("retail_price", "建议零售价", ("pri_wsale", "pri_retail")),
    Column("price_class", "价类", ("kind",)),
    Column("is_key", "重点品牌", ("key_brand",)),
    Column("is_backbone", "骨干品牌", ("backbone_brand",)),
    Column("origin", "产地类型", ("yieldly_type",)),
    Column("on_sale", "状态", ("status", "在销状态")),
)

ORDERS = (
    Column("order_no", "订单号", ("co_num",), required=True),
    Column("store_code", "客户编码", ("cust_id",), required=True),
    Column("order_date", "订货日期", ("born_date",), required=True),
    Column("sku", "卷烟编码", ("item_id",), required=True),
    Column("qty_demanded", "需求量", ("qty_need", "qty_req")),
    Column("qty_allowed", "限量", ("qty_rsn",)),
    Column("qty_ordered", "订购量", ("qty_ord",), required=True),
    Column("price", "单价", ("pri1",), required=True),
    Column("amount", "金额", ("amt", "amt_ord")),
)

#: The columns of each kind of import.
COLUMNS = {"org": ORG, "stores": STORES, "products": PRODUCTS, "orders": ORDERS}

_HINT = re.compile(r"[（(][^（）()]*[）)]$")


def header_key(text: object) -> str:
    """How headers are compared: full-width folded, case and spaces ignored, a trailing （说明） dropped."""
    key = unicodedata.normalize("NFKC", str(text)).strip().lower()
    key = _HINT.sub("", key).strip()
    return re.sub(r"\s+", "", key)


def locate(table: Table, columns: tuple[Column, ...], what: str) -> dict[str, str]:
    """Map each field found to the header text in the file; Refused on missing or repeated columns."""
    by_key = {header_key(h): c for c in columns for h in c.accepted}
    found: dict[str, list[str]] = {}
    for header in table.headers:
        column = by_key.get(header_key(header))
        if column is not None:
            found.setdefault(column.field, []).append(header)
    repeated = [Finding("repeated_column", f"“{'”和“'.join(h)}”是同一列（{c.label}），请只保留一列。", column=h[1])
                for c in columns if len(h := found.get(c.field, [])) > 1]
    missing = [Finding("missing_column", f"缺少必填列“{c.label}”。可用的列名：{c.describe()}。", column=c.label)
               for c in columns if c.required and c.field not in found]
    if repeated or missing:
        known = Finding("known_columns", f"{what}文件可用的列：{'、'.join(c.label for c in columns)}"
                                         "（英文列名和营销系统列名见 docs/import-formats.md）。")
        raise Refused(f"{what}文件 {table.filename} 的列名有误，没有导入任何数据。第 1 行应是列名。",
                      [*missing, *repeated, known])
    return {field: headers[0] for field, headers in found.items()}
