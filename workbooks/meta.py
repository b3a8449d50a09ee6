"""The very-hidden _meta sheet: which module, template version, owner, period, document id and version."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from engine.numbers import read_int

META_SHEET = "_meta"


@dataclass(frozen=True)
class Meta:
    """What a generated workbook says about itself."""

    module: str
    template_version: int
    owner: str
    owner_name: str
    period: str
    document_id: int
    document_version: int
    exported_by: str
    exported_at: str
    company: str = ""
    rubric_version: int = 0
    database: str = ""  # the identity of the database that exported it (storage/migrations 0007)
    sheets: str = ""  # the sheets it was made with, "|"-separated (written by the builder): others are the user's

    def pairs(self) -> list[tuple[str, str]]:
        """Key/value rows as written to the sheet."""
        return [(k, str(v)) for k, v in asdict(self).items()]

    @classmethod
    def from_pairs(cls, pairs: dict[str, object]) -> "Meta":
        """Read back; ValueError (Chinese) when keys are missing or not whole numbers where they must be."""
        values = {k: ("" if pairs.get(k) is None else str(pairs.get(k)).strip()) for k in cls.__dataclass_fields__}
        missing = [k for k in ("module", "template_version", "owner", "document_id") if not values[k]]
        if missing:
            raise ValueError(f"_meta 缺少 {'、'.join(missing)}")
        for key in ("template_version", "document_id", "document_version", "rubric_version"):
            values[key] = read_int(values[key] or 0, f"{key} ", low=0)
        return cls(**values)


def exported_meta(layout, *, owner: str, owner_name: str, period: str, export_id: int, actor_code: str, company: str,
                  database: str, version: int = 1) -> Meta:
    """The _meta of a workbook exported now from layout (a workbooks.layout.BookLayout), recorded as export_id."""
    from datetime import datetime

    return Meta(module=layout.module, template_version=layout.template_version, owner=owner, owner_name=owner_name,
                period=period, document_id=export_id, document_version=version, exported_by=actor_code,
                exported_at=f"{datetime.now():%Y-%m-%d %H:%M:%S}", company=company, database=database)
