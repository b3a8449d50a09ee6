"""§9 客户需求调查统计表: a month's answers counted by department, CM and store — coverage (stores surveyed of the
stores in scope), per demand item the stores that ticked it and their share, the most urgent demands ranked with
weights 3/2/1, and the change against last month — as engine.report pages (a workbook with a native bar chart of the
items' shares, and an A4 print with the tables' headers repeated). Pure: the caller reads the answers."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from engine.questionnaire import Questionnaire
from engine.report import Chart, Field, Measure, Page, Table
from engine.surveys import CHANNELS, CONFIRMED, ONLINE, Answer

WEIGHTS = (3, 2, 1)
TITLE = "客户需求调查统计表"
STATES = {"draft": "待确认", CONFIRMED: "已确认"}


@dataclass(frozen=True)
class StatsData:
    """What §9 counts: the scope's CMs (code, name, department), their active stores, this month's and last
    month's answers, and the questionnaire each month was surveyed with; stores: whether to list every answer."""

    scope_label: str
    month: str
    last_month: str
    cms: tuple[tuple[str, str, str], ...]
    stores: dict[str, int]
    answers: tuple[Answer, ...]
    last: tuple[Answer, ...]
    questionnaire: Questionnaire
    last_questionnaire: Questionnaire | None
    detail: bool = True


@dataclass(frozen=True)
class _Counts:
    stores: int
    surveyed: int
    online: int
    confirmed: int
    ticked: Counter
    urgent: tuple[Counter, Counter, Counter]

    @property
    def coverage(self) -> float | None:
        return self.surveyed / self.stores if self.stores else None

    def share(self, code: str) -> float | None:
        return self.ticked[code] / self.surveyed if self.surveyed else None

    def weighted(self, code: str) -> int:
        return sum(w * c[code] for w, c in zip(WEIGHTS, self.urgent))


def _count(answers, stores: int) -> _Counts:
    ticked: Counter[str] = Counter()
    urgent: tuple[Counter[str], Counter[str], Counter[str]] = (Counter(), Counter(), Counter())
    surveyed = online = confirmed = 0
    for a in answers:
        surveyed += 1
        online += a.channel == ONLINE
        confirmed += a.state == CONFIRMED
        ticked.update(a.items)
        for n, code in enumerate(a.urgent[:3]):
            urgent[n][code] += 1
    return _Counts(stores, surveyed, online, confirmed, ticked, urgent)


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _coverage(data: StatsData, now: _Counts, last: _Counts) -> Table:
    rows = (("在册客户数（户）", now.stores, None, None),
            ("已调查客户数（户）", now.surveyed, last.surveyed if data.last else None, None),
            ("　其中网上问卷", now.online, last.online if data.last else None, None),
            ("　其中线下问卷", now.surveyed - now.online, last.surveyed - last.online if data.last else None, None),
            ("　其中已确认", now.confirmed, last.confirmed if data.last else None, None))
    cover = ("调查覆盖率", now.coverage, last.coverage if data.last else None,
             _change(now.coverage, last.coverage) if data.last else None)
    fields = (Field("指标", width=22), Field("本月", "count", 12), Field(f"上月（{data.last_month}）", "count", 14),
              Field("变化", "share", 10))
    shaped = tuple((label, v, b, c) for label, v, b, c in rows) + \
        ((cover[0], Measure(cover[1], "share"), Measure(cover[2], "share"), cover[3]),)
    return Table("调查覆盖情况", fields, shaped, note="覆盖率 = 已调查客户数 ÷ 在册客户数（有效客户）；待确认的问卷也计入已调查。")


def _items(data: StatsData, now: _Counts, last: _Counts) -> tuple[Table, Table]:
    items = data.questionnaire.of_month(data.month)
    weighted = {i.code: now.weighted(i.code) for i in items}
    ranked = sorted(items, key=lambda i: (-weighted[i.code], items.index(i)))
    rank = {i.code: n for n, i in enumerate(ranked, start=1) if weighted[i.code]}
    asked_before = {i.code for i in data.last_questionnaire.of_month(data.last_month)} if data.last_questionnaire else set()
    rows = tuple((i.name, i.group, now.ticked[i.code], now.share(i.code),
                  last.share(i.code) if i.code in asked_before and data.last else None,
                  _change(now.share(i.code), last.share(i.code)) if i.code in asked_before and data.last else None,
                  weighted[i.code], rank.get(i.code)) for i in items)
    fields = (Field("需求项目", width=16), Field("分组", width=12), Field("选择户数", "count", 10),
              Field("占比", "share", 10), Field("上月占比", "share", 10), Field("变化（百分点）", "share", 12),
              Field("急需加权分", "count", 11), Field("急需排名", "count", 9))
    shares = Table("各需求项目选择情况", fields, rows, Chart("bar", 3, "各需求项目选择占比"),
                   note="占比 = 选择该项目的客户数 ÷ 已调查客户数；急需加权分 = 最急需一 ×3 + 最急需二 ×2 + 最急需三 ×1。")
    urgent_rows = tuple((n, i.name, now.urgent[0][i.code], now.urgent[1][i.code], now.urgent[2][i.code],
                         weighted[i.code]) for n, i in enumerate(ranked, start=1) if weighted[i.code])
    urgent = Table("最急需的需求排名（3/2/1 加权）", (
        Field("排名", "count", 7), Field("需求项目", width=16), Field("最急需一（户）", "count", 12),
        Field("最急需二（户）", "count", 12), Field("最急需三（户）", "count", 12), Field("加权分", "count", 10)),
        urgent_rows or (("—", "本月尚无最急需的需求", None, None, None, None),))
    return shares, urgent


def _by_cm(data: StatsData, by_cm: dict, last_by_cm: dict) -> Table:
    items = data.questionnaire.of_month(data.month)
    fields = (Field("营销部", width=12), Field("客户经理", width=14), Field("在册客户", "count", 9),
              Field("已调查", "count", 8), Field("覆盖率", "share", 9), Field("上月覆盖率", "share", 10),
              Field("已确认", "count", 8), Field("最急需第一位", width=12),
              *(Field(i.name, "count", 7) for i in items))
    rows: list[tuple] = []
    departments: dict[str, list[_Counts]] = {}
    for code, name, department in data.cms:
        counts, before = by_cm[code], last_by_cm[code]
        top = max(items, key=lambda i: (counts.weighted(i.code), -items.index(i)), default=None)
        rows.append((department, f"{name}（{code}）", counts.stores, counts.surveyed, counts.coverage,
                     before.coverage if data.last else None, counts.confirmed,
                     top.name if top and counts.weighted(top.code) else "—", *(counts.ticked[i.code] for i in items)))
        departments.setdefault(department, []).append(counts)
    if len(departments) > 1 or len(data.cms) > 1:
        for department, counts in departments.items():
            stores, surveyed = sum(c.stores for c in counts), sum(c.surveyed for c in counts)
            rows.append((department, "合计", stores, surveyed, surveyed / stores if stores else None, None,
                         sum(c.confirmed for c in counts), "",
                         *(sum(c.ticked[i.code] for c in counts) for i in items)))
    return Table("按客户经理（营销部 → 客户经理）", fields, tuple(rows),
                 note="每个需求项目列为选择该项目的客户数；每户的问卷见“客户明细”。")


def _detail(data: StatsData, names: dict[str, str]) -> Table:
    items = {i.code: i.name for i in data.questionnaire.items}
    rows = tuple((names.get(a.cm_code, a.cm_code), a.store_code, a.store_name, CHANNELS[a.channel],
                  a.answered_on.isoformat() if a.answered_on else "", "、".join(items.get(c, c) for c in a.items) or "无",
                  "、".join(items.get(c, c) for c in a.urgent) or "—", a.suggestion or "—", STATES.get(a.state, a.state))
                 for a in sorted(data.answers, key=lambda a: (a.cm_code, a.store_code)))
    return Table("每户问卷", (Field("客户经理", width=10), Field("客户编码", width=14), Field("客户名称", width=20),
                            Field("类型", width=6), Field("日期", width=11), Field("需求项目", width=30),
                            Field("最急需（依次）", width=22), Field("建议意见", width=30), Field("状态", width=8)),
                 rows or (("—", "", "本月尚无问卷", "", "", "", "", "", ""),))


def survey_pages(data: StatsData) -> tuple[Page, ...]:
    """The statistics as pages: 需求统计 (coverage, items with their chart, urgent ranking), 按客户经理, 客户明细."""
    mine: dict[str, list[Answer]] = {}
    before: dict[str, list[Answer]] = {}
    for a in data.answers:
        mine.setdefault(a.cm_code, []).append(a)
    for a in data.last:
        before.setdefault(a.cm_code, []).append(a)
    by_cm = {code: _count(mine.get(code, ()), data.stores.get(code, 0)) for code, _, _ in data.cms}
    last_by_cm = {code: _count(before.get(code, ()), data.stores.get(code, 0)) for code, _, _ in data.cms}
    stores = sum(data.stores.get(code, 0) for code, _, _ in data.cms)
    now, last = _count(data.answers, stores), _count(data.last, stores)
    shares, urgent = _items(data, now, last)
    pages = [Page("需求统计", (_coverage(data, now, last), shares, urgent)),
             Page("按客户经理", (_by_cm(data, by_cm, last_by_cm),), frozen_columns=2)]
    if data.detail:
        pages.append(Page("客户明细", (_detail(data, {code: name for code, name, _ in data.cms}),), frozen_columns=3))
    return tuple(pages)
