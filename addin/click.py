"""One ribbon button click as the action runners see it: who, on which workbook, where new files go, whose month.

It sits below both the action registry (addin/buttons.py, whose runners take a Click) and the dispatcher
(addin/dispatch.py, which makes one), so that neither of the two has to import the other for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from engine.actors import Actor
from engine.document_types import document_types
from engine.errors import Refused
from engine.periods import kind_of_period, previous_month, quarter_months, quarter_of
from engine.policy import owns_documents
from workbooks.meta import Meta

CM_BOOKS = ("capability", "district", "bigtable")  # one CM's month (and every declared document type's)
MONTH_BOOKS = (*CM_BOOKS, "review", "navigation")  # workbooks of one month


@dataclass
class Click:
    """One button click: who, on which workbook (and its _meta), and where new files go."""

    app: object
    actor: Actor
    book: object
    meta: Meta | None
    folder: Path

    @property
    def module(self) -> str | None:
        """The module of the workbook in front (None for a blank or foreign workbook)."""
        return self.meta.module if self.meta else None

    def month(self) -> str:
        """The month (YYYY-MM) of a CM's workbook in front, else this month: a week's or a campaign's document its
        month; a quarter's, this month when it lies in the quarter, else the quarter's last month."""
        today = f"{date.today():%Y-%m}"
        if self.meta and (self.module in MONTH_BOOKS or self.module in document_types()) and self.meta.period:
            if kind_of_period(self.meta.period) == "quarter":
                months = quarter_months(self.meta.period)
                return today if today in months else months[-1]
            return self.meta.period[:7]
        return today

    def period(self, code: str) -> str:
        """The period of a declared kind's document: the workbook in front's when it is one of that kind (a contract
        kept by quarter: its quarter), else this month — or, for a kind kept by week by default, this week's Monday;
        by quarter, this quarter; for a kind that analyses a month that is over (§4, §7), last month."""
        if self.meta and self.module == code and self.meta.period:
            return self.meta.period
        kind = document_types()[code]
        if kind.period == "campaign":  # §14: the first campaign of the month covering the CM (none: the engine says)
            from engine.cultivation import campaigns_covering

            month = self.month()
            cms = self.cms()
            codes = campaigns_covering(self.app.uow(), cms[0], month) if cms else []  # type: ignore[attr-defined]
            return f"{month}/{codes[0]}" if codes else month
        if kind.period == "week":
            return (date.today() - timedelta(days=date.today().weekday())).isoformat()
        if kind.period == "quarter":
            return quarter_of(self.month())
        return previous_month(self.month()) if kind.looks_back else self.month()

    def cm(self) -> str:
        """Whose month: the owner of the CM workbook in front, else the acting CM; Refused for others without one."""
        cms = self.cms()
        if cms is None:
            raise Refused(f"{self.actor.label}请先打开要处理的客户经理的工作簿（经营能力评分表、片区统计或大表），再点这个按钮。")
        return cms[0]

    def cms(self) -> list[str] | None:
        """Whose month a button for many works on: the owner of the CM workbook in front, else the acting CM; for a
        market manager (or admin) without one, None — every CM in their scope."""
        if self.meta and (self.module in CM_BOOKS or self.module in document_types()):
            return [self.meta.owner]
        if owns_documents(self.actor):
            return [self.actor.code]
        return None

    def output(self, title: str, suffix: str = ".xlsx", who: str | None = None) -> Path:
        """A new file in the output folder, named by title, whose, and the time (never overwrites an open file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{title}-{who or self.actor.code}-{datetime.now():%Y%m%d-%H%M%S}"
        target, n = self.folder / f"{stem}{suffix}", 1
        while target.exists():
            n += 1
            target = self.folder / f"{stem}-{n}{suffix}"
        return target
