"""§9 counted from answers (no database): coverage, per item the stores and their share, the most urgent ranked
3/2/1, the change against last month (an item not asked last month has none), and subtotals per department."""
from __future__ import annotations

from datetime import date

from engine.questionnaire import DEFAULT, Questionnaire, SurveyItem
from engine.survey_stats import StatsData, survey_pages
from engine.surveys import Answer


def _answer(cm: str, n: int, items: tuple, urgent: tuple = (), state: str = "draft", channel: str = "offline"):
    return Answer(n, f"S{n:03d}", f"店{n}", cm, channel, date(2026, 11, 2), items, urgent, "", state)


def _table(pages, page: str, title: str):
    found = next(p for p in pages if p.name == page)
    return next(t for t in found.tables if t.title.startswith(title))


def test_shares_ranking_change_and_departments():
    now = (_answer("cm001", 1, ("D01", "D05"), ("D05", "D01")), _answer("cm001", 2, ("D01",), ("D01",), "confirmed"),
           _answer("cm002", 3, ("D02",), ("D02",), channel="online"), _answer("cm003", 4, (), ()))
    last = (_answer("cm001", 1, ("D05",), ("D05",)), _answer("cm001", 2, ("D05",)))
    newer = Questionnaire(2, (*DEFAULT.items, SurveyItem("D12", "烟草制品回收", "其他服务", "2026-11")))
    data = StatsData("城区营销中心", "2026-11", "2026-10", (("cm001", "张三", "东区"), ("cm002", "李四", "东区"),
                                                      ("cm003", "周五", "西区")),
                     {"cm001": 5, "cm002": 5, "cm003": 10}, now, last, newer, DEFAULT)
    pages = survey_pages(data)
    assert [p.name for p in pages] == ["需求统计", "按客户经理", "客户明细"]
    cover = _table(pages, "需求统计", "调查覆盖情况")
    assert cover.rows[1][1:3] == (4, 2) and cover.rows[4][1] == 1  # surveyed now / last month; confirmed
    assert cover.rows[5][1].value == 4 / 20 and round(cover.rows[5][3], 4) == round(4 / 20 - 2 / 20, 4)
    items = {row[0]: row for row in _table(pages, "需求统计", "各需求项目").rows}
    assert items["货源供应"][2:4] == (2, 0.5) and items["货源供应"][4] == 0.0 and items["货源供应"][5] == 0.5
    assert items["陈列指导"][3] == 0.25 and items["陈列指导"][4] == 1.0 and items["陈列指导"][5] == -0.75
    assert items["烟草制品回收"][4] is None and items["烟草制品回收"][5] is None  # not asked last month
    # urgent: 货源供应 2 + 3 = 5; 陈列指导 3; 新品引进 3 (ties keep the questionnaire's order)
    assert items["货源供应"][6:] == (5, 1) and items["新品引进"][6:] == (3, 2) and items["陈列指导"][6:] == (3, 3)
    ranking = _table(pages, "需求统计", "最急需").rows
    assert [r[1] for r in ranking] == ["货源供应", "新品引进", "陈列指导"] and ranking[0][2:] == (1, 1, 0, 5)
    by_cm = _table(pages, "按客户经理", "按客户经理").rows
    assert by_cm[0][:5] == ("东区", "张三（cm001）", 5, 2, 0.4)
    assert [r[:4] for r in by_cm[3:]] == [("东区", "合计", 10, 3), ("西区", "合计", 10, 1)]
    detail = _table(pages, "客户明细", "每户问卷").rows
    assert detail[2][3] == "网上" and detail[0][5] == "货源供应、陈列指导" and detail[0][6] == "陈列指导、货源供应"
