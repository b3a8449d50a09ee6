"""§1 the month's stages derived from the declarations, as a pure function of what was read (engine.navigation)."""
from dataclasses import replace
from datetime import date

from engine.document_types import document_types
from engine.navigation import (BLOCKED, CYCLE, DONE, LATER, NOT_BUILT, OPEN, WAITING, CmMonth, Facts, Stage,
                               main_path, mondays, stages_of)
from engine.ports import DocumentState

MONTH = "2026-11"


def facts(docs=(), *, reasons=None, scoring=None, ordered=("cm001",), marks=None, unmet=None, surveys=None,
          today=date(2026, 11, 30)):
    return Facts(MONTH, today, {(d.kind, d.owner_code, d.period): d for d in docs}, reasons or {}, scoring or {},
                 set(ordered), marks or {}, unmet or {}, surveys or {})


def doc(kind, state, period=MONTH, id_=1, owner="cm001"):
    return DocumentState(id_, kind, owner, period, state, 3)


def of(stages, function_section, name=None):
    found = [s for s in stages if s.section == function_section and (name is None or s.name == name)]
    assert found, f"no stage {function_section} {name}"
    return found[0] if name else found


def test_the_main_path_of_each_declared_workflow_goes_forward_only():
    kinds = document_types()
    assert [t.label for t in main_path(kinds["bigtable"].workflow)] == ["计划提交", "计划审核", "结果提交", "结果审核"]
    assert [t.name for t in main_path(kinds["analysis"].workflow)] == [
        "compute_effect", "finish_scoring", "generate_strategies"]  # never the reopening moves
    for kind in kinds.values():
        path = main_path(kind.workflow)
        assert len({t.target for t in path}) == len(path)
        assert all(kind.workflow.transition(r.reject) not in path for r in kind.reviews.values())


def test_every_function_of_the_cycle_is_shown_declared_or_not_and_in_order():
    stages = stages_of(facts(), "cm001", document_types())
    sections = list(dict.fromkeys(s.section for s in stages))
    assert sections[:len(CYCLE)] == [section for section, _ in CYCLE]
    declared = {k.section for k in document_types().values()}
    for section, title in CYCLE:
        if section not in declared:
            assert of(stages, section)[0].status == NOT_BUILT and of(stages, section)[0].function == title


def test_a_kind_declared_later_appears_without_a_change_here():
    kinds = document_types()
    declared = {k.section for k in kinds.values()}
    section, title = next((s, t) for s, t in (*CYCLE, ("§9", "客户需求调查统计表")) if s not in declared)
    later = replace(kinds["summary"], code="later_x", title=title, section=section,
                    workflow=replace(kinds["summary"].workflow, kind="later_x"))  # a kind's workflow is its own
    stages = stages_of(facts(), "cm001", {**kinds, "later_x": later})
    assert [s.status for s in of(stages, section)] == [OPEN, LATER]
    assert of(stages, section)[0].command == "cmw form export later_x"


def test_the_analysis_waits_on_last_months_orders_and_then_on_every_score():
    kinds = document_types()
    stages = stages_of(facts(ordered=()), "cm001", kinds)
    effect = of(stages, "§10", "计算经营效果")
    assert effect.status == BLOCKED and "上月（2026-10）订单尚未导入" in effect.detail
    assert of(stages, "§3", "计划新增").status == BLOCKED
    computed = facts([doc("analysis", "computed")], scoring={"cm001": (200, 188)})
    stages = stages_of(computed, "cm001", kinds)
    assert of(stages, "§10", "计算经营效果").status == DONE
    scoring = of(stages, "§10", "完成经营能力评分")
    assert scoring.status == OPEN and "还有 12 户未评分" in scoring.detail
    assert scoring.command == "cmw analysis capability export"
    strategies = of(stages, "§10", "生成策略")
    assert (strategies.status, strategies.detail) == (BLOCKED, "还有 12 户未评分")
    all_scored = stages_of(facts([doc("analysis", "computed")], scoring={"cm001": (200, 200)}), "cm001", kinds)
    assert of(all_scored, "§10", "完成经营能力评分").status == DONE
    assert of(all_scored, "§10", "生成策略").status == OPEN


def test_the_big_table_opens_after_the_strategies_and_shows_a_rejection_with_its_reason():
    kinds = document_types()
    ready = stages_of(facts([doc("analysis", "strategies")]), "cm001", kinds)
    assert of(ready, "§3", "计划新增").status == OPEN and of(ready, "§3", "计划提交").status == LATER
    rejected = facts([doc("analysis", "strategies"), doc("bigtable", "rejected", id_=7)], reasons={7: "☆ 太少"})
    stages = stages_of(rejected, "cm001", kinds)
    submit = of(stages, "§3", "计划提交")
    assert submit.status == OPEN and submit.detail == "计划驳回：☆ 太少" and submit.command == "cmw plan export"
    waiting = stages_of(facts([doc("analysis", "strategies"), doc("bigtable", "submitted")]), "cm001", kinds)
    review = of(waiting, "§3", "计划审核")
    assert review.status == WAITING and review.command == "cmw review export"
    marking = stages_of(facts([doc("bigtable", "approved", id_=7)], marks={7: {"★": 5, "☆": 20}}), "cm001", kinds)
    assert "已完成 ★ 5，未完成 ☆ 20" in of(marking, "§3", "结果提交").detail


def test_a_requirement_of_a_declared_kind_blocks_its_first_step_with_its_own_words():
    stages = stages_of(facts(unmet={("summary", "cm001"): "本月的重点品牌尚未维护"}), "cm001", document_types())
    first = of(stages, "§16")[0]
    assert (first.status, first.detail) == (BLOCKED, "本月的重点品牌尚未维护")


def test_the_survey_counts_its_stores_answers():
    kinds = document_types()
    if "survey" not in kinds:
        return
    [entered] = of(stages_of(facts(surveys={"cm001": (10, 4, 2)}), "cm001", kinds), "§8")
    assert (entered.status, entered.detail, entered.command) == (OPEN, "已录入 4 户，已确认 2 / 10 户", "cmw survey export")
    [done] = of(stages_of(facts(surveys={"cm001": (10, 10, 10)}), "cm001", kinds), "§8")
    assert (done.status, done.detail) == (DONE, "全部 10 户已确认")


def test_a_weekly_kind_counts_the_weeks_begun():
    # a weekly kind with a review (the declared §15 `weekly` is confirmed only): it stands in for §15 here
    kinds = {code: kind for code, kind in document_types().items() if kind.section != "§15"}
    weekly = replace(kinds["summary"], code="weekly_x", section="§15", title="客户经理周自我评估", period="week",
                     workflow=replace(kinds["summary"].workflow, kind="weekly_x"))
    weeks = mondays(MONTH)
    assert weeks[0] == "2026-10-26" and len(weeks) == 6
    docs = [doc("weekly_x", "reviewed", w, id_=10 + n) for n, w in enumerate(weeks[:2])]
    docs.append(doc("weekly_x", "submitted", weeks[2], id_=20))
    stages = stages_of(facts(docs, today=date(2026, 11, 12)), "cm001", {**kinds, "weekly_x": weekly})
    submit, review = of(stages, "§15")
    assert submit.status == DONE and submit.detail.startswith("3 / 3 周已完成")
    assert review.status == WAITING and review.detail.startswith("2 / 3 周已完成") and "2026-11-09" in review.detail
    before = stages_of(facts(today=date(2026, 10, 1)), "cm001", {**kinds, "weekly_x": weekly})
    assert {s.status for s in of(before, "§15")} == {LATER}


def test_the_market_managers_rows_put_the_blocked_first():
    stage = Stage("§3", "大表", "计划新增", OPEN)
    rows = [CmMonth("cm001", "甲", (stage,)), CmMonth("cm002", "乙", (replace(stage, status=BLOCKED),)),
            CmMonth("cm003", "丙", (replace(stage, status=DONE),))]
    assert [m.code for m in sorted(rows, key=CmMonth.rank)] == ["cm002", "cm001", "cm003"]


def test_a_contract_kept_by_quarter_shows_in_each_month_of_its_quarter():
    """§18 kept by quarter (also_by): the quarter's contract shows in each of the quarter's months, its steps named by
    the quarter and its commands with --quarter; the month's shows beside it only where the CM has one too; a company
    that keeps none by quarter sees the month's alone."""
    kinds = document_types()
    alone = [s for s in stages_of(facts(), "cm001", kinds) if s.kind == "contract"]
    assert [s.name for s in alone] == ["提交", "市场经理确认", "自评提交", "市场经理考评"] and alone[0].detail == "未开始"
    quarter = doc("contract", "confirmed", period="2026Q4", id_=7)
    for month in ("2026-10", MONTH, "2026-12"):
        shown = [s for s in stages_of(replace(facts([quarter]), month=month), "cm001", kinds) if s.kind == "contract"]
        assert [s.name for s in shown] == [f"{name}（2026Q4 季度）" for name in ("提交", "市场经理确认", "自评提交", "市场经理考评")]
        assert [s.status for s in shown] == [DONE, DONE, OPEN, LATER]
        assert shown[2].command == "cmw form export contract --quarter 2026Q4"
    assert [s for s in stages_of(replace(facts([quarter]), month="2027-01"), "cm001", kinds)
            if s.kind == "contract"][0].name == "提交"  # another quarter: not shown
    both = [s for s in stages_of(facts([quarter, doc("contract", "submitted", id_=8)]), "cm001", kinds)
            if s.kind == "contract"]
    assert [(s.name, s.status) for s in both][:2] == [("提交", DONE), ("市场经理确认", WAITING)]
    assert both[1].command == "cmw review export" and len(both) == 8
    assert CmMonth("cm001", "张三", tuple(both)).current("§18", "绩效合约书").name == "市场经理确认"


def test_the_overview_has_a_column_for_every_cms_campaign_and_a_dash_where_a_cm_has_none():
    """§14: campaigns cover different CMs, so the CMs' functions differ; the overview takes every CM's."""
    from engine.navigation_report import overview_page

    covered = CmMonth("cm001", "张三", (Stage("§14", "月度片区品牌培育执行表（CX2611）", "提交", OPEN),))
    other = CmMonth("cm002", "李四", (Stage("§14", "月度片区品牌培育执行表", "提交", LATER),))
    [table] = overview_page([covered, other]).tables
    assert [f.header for f in table.fields][2:] == ["§14\n月度片区品牌培育执行表（CX2611）", "§14\n月度片区品牌培育执行表"]
    assert [row[2:] for row in table.rows] == [("提交：待办理", "—"), ("—", "提交：未到")]
