"""§10 经营能力评分 workbook on each database: export, fill in with openpyxl as a user would, submit, hostile edits."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from addin.app import App
from addin.handlers import submit_workbook
from addin.handlers.capability import export_capability
from engine.capability import DEFAULT_CAPABILITY_RUBRIC as RUBRIC, capability_rubric_to_dict
from engine.capability_scoring import NEW_STORE, NEW_STORE_STAGE, item_field, score_field
from engine.errors import Refused
from engine.operating_analysis import compute_effect, generate_strategies
from storage.schema import CapabilityScoreRow, DocumentRow, StoreRow, Submission
from tests.factories import STORES_PER_CM, make_company, make_orders, store_code
from workbooks.capability import LAYOUT, RUBRIC_SHEET, SHEET, range_field, table_name
from workbooks.meta import META_SHEET

MONTH = "2026-11"
SHEET_LAYOUT = LAYOUT.sheet(SHEET)
FIRST = SHEET_LAYOUT.first_data_row


@pytest.fixture
def app(db) -> App:
    make_company(db.sessions)
    make_orders(db.sessions, "2026-10")
    make_orders(db.sessions, "2026-09", scale=2)
    app = App(db.engine, db.sessions)
    compute_effect(app.uow(), app.actor("cm001"), month=MONTH)
    return app


def cell(key: str, store_index: int) -> str:
    """Address of a field of the n-th exported store (1-based)."""
    return SHEET_LAYOUT.cell(key, FIRST + store_index - 1)


def exported(app: App, tmp_path, user: str = "cm001", month: str = MONTH):
    path = tmp_path / f"{user}-{month}.xlsx"
    export_capability(app, app.actor(user), month, path)
    return path


def scores(store_index: int, *, new_stage: str | None = None, **overrides) -> dict[str, object]:
    """Edits that score a whole row: every indicator's middle item at its lowest score."""
    edits = {}
    for indicator in RUBRIC.indicators:
        edits[cell(item_field(indicator.code), store_index)] = indicator.items[1].label
        edits[cell(score_field(indicator.code), store_index)] = int(indicator.items[1].low)
    edits[cell(NEW_STORE, store_index)] = "是" if new_stage else "否"
    if new_stage:
        edits[cell(NEW_STORE_STAGE, store_index)] = new_stage
    edits.update({cell(key, store_index): value for key, value in overrides.items()})
    return edits


def edited(path, edits: dict[str, object], *, delete_rows=(), meta: dict[str, str] | None = None,
           insert_column: int | None = None) -> bytes:
    book = load_workbook(path)
    sheet = book[SHEET]
    for address, value in edits.items():
        sheet[address] = value
    for row in sorted(delete_rows, reverse=True):
        sheet.delete_rows(row)
    if insert_column:
        sheet.insert_cols(insert_column)
    for row in book[META_SHEET].iter_rows(max_col=2):
        if meta and row[0].value in meta:
            row[1].value = meta[row[0].value]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def submit(app: App, content: bytes, user: str = "cm001"):
    return submit_workbook(app, app.actor(user), "cap.xlsx", content)


def refusal(app: App, content: bytes, user: str = "cm001") -> Refused:
    with pytest.raises(Refused) as refused:
        submit(app, content, user)
    return refused.value


def scored_stores(app: App) -> set[int]:
    with app.sessions() as session:
        return set(session.scalars(select(CapabilityScoreRow.store_id).distinct()))


def last_submission(app: App) -> Submission:
    with app.sessions() as session:
        return session.scalars(select(Submission).order_by(Submission.id.desc())).first()


def test_export_lists_the_scope_with_native_dependent_validation(app, tmp_path):
    book = load_workbook(exported(app, tmp_path))
    sheet = book[SHEET]
    headers = [c.value for c in sheet[SHEET_LAYOUT.header_row]]
    assert headers[:8] == ["客户编码", "客户名称", "档位", "综合分类", "经营效果得分", "店面形象明细项目", "店面形象分数",
                           "店面形象分数范围"]
    assert headers[-2:] == ["是否新增客户", "新增阶段"]
    assert [sheet[cell("code", i)].value for i in range(1, 7)] == [store_code(1, i) for i in range(1, 7)]
    assert isinstance(sheet[cell("effect", 1)].value, (int, float))
    meta = dict(book[META_SHEET].iter_rows(max_col=2, values_only=True))
    with app.sessions() as session:
        document = session.scalars(select(DocumentRow)).one()
    assert (meta["module"], meta["owner"], meta["period"], meta["rubric_version"], meta["document_id"]) == (
        "capability", "cm001", MONTH, "1", str(document.id))
    assert book[RUBRIC_SHEET].sheet_state == "veryHidden" and book[META_SHEET].sheet_state == "veryHidden"
    names = {name: d.attr_text for name, d in book.defined_names.items()}
    assert names[table_name(1)].startswith(f"{RUBRIC_SHEET}!") or names[table_name(1)].startswith(f"'{RUBRIC_SHEET}'!")
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    item = rules[cell(item_field("store_image"), 1)]
    assert (item.type, item.formula1) == ("list", '"好,一般,差"')
    score = rules[cell(score_field("store_image"), 1)]
    lookup = f"VLOOKUP({cell(item_field('store_image'), 1)},{table_name(1)},"
    assert (score.type, score.formula1, score.formula2) == ("whole", f"{lookup}2,FALSE)", f"{lookup}3,FALSE)")
    halves = rules[cell(score_field("awareness"), 1)]  # step 0.5: a custom formula holds range and step
    assert halves.type == "custom" and f"{table_name(5)},2,FALSE" in halves.formula1 and "/0.5" in halves.formula1
    assert rules[cell(NEW_STORE_STAGE, 1)].formula1 == f'"{",".join(RUBRIC.new_store_stages)}"'
    assert sheet[cell(range_field("store_image"), 1)].value == f'=IFERROR({lookup}4,FALSE),"")'
    assert sheet.protection.sheet and sheet[cell(range_field("store_image"), 1)].protection.locked
    assert not sheet[cell(score_field("store_image"), 1)].protection.locked
    assert sheet[cell("effect", 1)].protection.locked
    assert len(sheet.conditional_formatting) > 0  # out-of-range scores are tinted


def test_round_trip_saves_every_store_and_the_same_file_again_changes_nothing(app, tmp_path):
    path = exported(app, tmp_path)
    edits = {}
    for n in range(1, STORES_PER_CM + 1):
        edits.update(scores(n, new_stage="开业1-3个月" if n == 6 else None))
    edits[cell(score_field("store_image"), 1)] = "８"      # full-width digit typed as text
    edits[cell(score_field("store_image"), 2)] = "5.0"     # a decimal typed as text
    edits[cell(score_field("store_image"), 3)] = 6.0       # a float, as Excel stores numbers
    edits[cell(item_field("store_image"), 1)] = "好"
    edits[cell(score_field("awareness"), 4)] = 6.5         # halves allowed here
    content = edited(path, edits)
    outcome = submit(app, content)
    assert f"已保存 {STORES_PER_CM} 户" in outcome.message and "有问题" not in outcome.message
    assert len(scored_stores(app)) == STORES_PER_CM
    kept = last_submission(app)
    assert kept.outcome == "accepted" and kept.content == content and kept.module == "capability"
    with app.sessions() as session:
        assert session.scalars(select(DocumentRow.state)).one() == "scored"
        rows = session.scalars(select(CapabilityScoreRow)).all()
    assert len(rows) == STORES_PER_CM * (len(RUBRIC.indicators) + 1)
    again = submit(app, content)
    assert again.changed == 0 and last_submission(app).outcome == "accepted"
    shown = load_workbook(exported(app, tmp_path))[SHEET]  # re-export shows the CM's work
    assert shown[cell(item_field("store_image"), 1)].value == "好"
    assert shown[cell(score_field("store_image"), 1)].value == 8
    assert shown[cell(score_field("awareness"), 4)].value == 6.5
    assert (shown[cell(NEW_STORE, 6)].value, shown[cell(NEW_STORE_STAGE, 6)].value) == ("是", "开业1-3个月")
    assert (shown[cell(NEW_STORE, 1)].value, shown[cell(NEW_STORE_STAGE, 1)].value) == ("否", None)
    assert submit(app, edited(exported(app, tmp_path), {})).changed == 0  # the re-export submits unchanged


def test_hostile_edits_refuse_their_rows_name_the_cells_and_keep_the_valid_rows(app, tmp_path):
    path = exported(app, tmp_path)
    edits = {address: value for n in range(2, 8) for address, value in scores(n).items()}
    edits[cell(score_field("store_image"), 2)] = 11                 # outside 一般 5-7
    edits[cell(item_field("display"), 3)] = "好"                    # an item of another indicator
    edits[cell(score_field("location"), 4)] = 5.5                   # step 1: halves not allowed
    edits[cell(score_field("integrity"), 5)] = "=8+1"               # a formula typed into a score
    edits[cell("code", 7)] = store_code(2, 1)                       # a row added for another CM's store
    content = edited(path, edits, delete_rows=(FIRST,))             # store 1 deleted: stays unscored
    outcome = submit(app, content)
    assert "已保存 1 户" in outcome.message and "5 行有问题" in outcome.message
    for key, n, value, allowed in [(score_field("store_image"), 2, "11", "5-7"),
                                   (item_field("display"), 3, "好", "规范整洁、基本规范、杂乱"),
                                   (score_field("location"), 4, "5.5", "整数（5-7）"),
                                   (score_field("integrity"), 5, "=8+1", "8-15")]:
        lines = "\n".join(d for d in outcome.details if f"【{SHEET}!{cell(key, n - 1)}】" in d)  # rows moved up by one
        assert f"（填写的值：{value}）" in lines and allowed in lines, outcome.details
    foreign = next(d for d in outcome.details if f"【{SHEET}!{cell('code', 6)}】" in d)
    assert store_code(2, 1) in foreign and "不在您本月的分析范围内" in foreign
    with app.sessions() as session:
        sixth = session.scalar(select(StoreRow.id).where(StoreRow.code == store_code(1, 6)))
    assert scored_stores(app) == {sixth}
    kept = last_submission(app)
    assert kept.outcome == "partial" and kept.content == content


def test_valid_rows_are_saved_while_refused_rows_are_listed(app, tmp_path):
    path = exported(app, tmp_path)
    edits = {**scores(1), **scores(2), **scores(3, **{score_field("store_image"): 11})}
    edits[cell(NEW_STORE, 2)] = "是"  # a new store must pick its stage
    outcome = submit(app, edited(path, edits))
    assert "已保存 1 户" in outcome.message and "2 行有问题" in outcome.message
    assert any(f"{SHEET}!{cell(NEW_STORE_STAGE, 2)}" in d and "开业不足1个月" in d for d in outcome.details)
    assert any(f"{SHEET}!{cell(score_field('store_image'), 3)}" in d and "（填写的值：11）" in d and "5-7" in d
               for d in outcome.details)
    assert len(scored_stores(app)) == 1
    kept = last_submission(app)
    assert kept.outcome == "partial" and any(cell(NEW_STORE_STAGE, 2) in line for line in json.loads(kept.messages))
    with app.sessions() as session:
        assert session.scalars(select(DocumentRow.state)).one() == "computed"


def test_a_file_whose_rows_are_all_wrong_is_refused_and_kept(app, tmp_path):
    content = edited(exported(app, tmp_path), scores(1, **{score_field("store_image"): "=A1"}))
    refused = refusal(app, content)
    assert "全部未保存" in refused.message and "提交编号" in refused.message
    assert {f.code for f in refused.findings} >= {"FORMULA"}
    assert all(f.sheet == SHEET for f in refused.findings) and scored_stores(app) == set()
    kept = last_submission(app)
    assert kept.outcome == "refused" and kept.content == content


def test_a_moved_column_refuses_the_whole_file(app, tmp_path):
    content = edited(exported(app, tmp_path), scores(1), insert_column=SHEET_LAYOUT.index("effect") + 1)
    refused = refusal(app, content)
    assert "结构被改动" in refused.message and any(f.code == "HEADER_CHANGED" for f in refused.findings)
    assert scored_stores(app) == set() and last_submission(app).outcome == "refused"


def test_another_cms_file_is_refused(app, tmp_path):
    content = edited(exported(app, tmp_path), scores(1))
    assert "cm001 的经营能力评分表" in refusal(app, content, user="cm002").message
    assert scored_stores(app) == set()


def test_a_file_made_with_another_rubric_version_is_refused(app, tmp_path):
    old_file = exported(app, tmp_path)
    stricter = capability_rubric_to_dict(RUBRIC)
    stricter["indicators"][0]["items"][0] = ["好", "9", "10"]
    with app.uow() as uow:
        assert uow.rubrics.add("capability", stricter, "admin") == 2
        uow.commit()
    make_orders(app.sessions, "2026-11")
    compute_effect(app.uow(), app.actor("cm001"), month="2026-12")
    book = load_workbook(exported(app, tmp_path, month="2026-12"))
    assert dict(book[META_SHEET].iter_rows(max_col=2, values_only=True))["rubric_version"] == "2"
    assert [c.value for c in book[RUBRIC_SHEET]["B"] if c.value is not None][1] == 9  # the stricter range
    moved = edited(old_file, scores(1), meta={"period": "2026-12"})
    message = refusal(app, moved).message
    assert "第 1 版评分标准" in message and "第 2 版" in message and "重新导出" in message
    unknown = edited(old_file, scores(1), meta={"rubric_version": "9"})
    assert "找不到第 9 版" in refusal(app, unknown).message
    assert scored_stores(app) == set()


def test_export_is_refused_before_the_effect_and_after_the_strategies(app, tmp_path):
    with pytest.raises(Refused, match="尚未计算"):
        exported(app, tmp_path, user="cm002")
    with pytest.raises(Refused, match="客户经理本人"):
        exported(app, tmp_path, user="mm01")
    path = exported(app, tmp_path)
    edits = {}
    for n in range(1, STORES_PER_CM + 1):
        edits.update(scores(n))
    content = edited(path, edits)
    submit(app, content)
    generate_strategies(app.uow(), app.actor("cm001"), cm_codes=["cm001"], month=MONTH)
    with pytest.raises(Refused, match="已锁定"):
        exported(app, tmp_path)
    assert "已锁定" in refusal(app, content).message
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 2


@pytest.mark.parametrize("score", ["NaN", "sNaN", "-nan", "inf", "Infinity", "1e999", "9" * 5000, True, "1e-999999999"])
def test_a_score_that_is_no_finite_number_is_refused_on_its_row(app, tmp_path, score):
    """Never an unexpected error: the score's cell is named, in Chinese, and the valid row is saved (issue #11, item 7);
    the answer is a partial save (item 8)."""
    path = exported(app, tmp_path)
    content = edited(path, {**scores(1), **scores(2, **{score_field("store_image"): score})})
    outcome = submit(app, content)
    assert outcome.partial and outcome.message.startswith("部分保存：已保存 1 户")
    line, number = outcome.details
    assert number.startswith("提交编号")
    assert f"{SHEET}!{cell(score_field('store_image'), 2)}" in line and "分数" in line
    assert len(scored_stores(app)) == 1


def test_a_full_width_score_is_read_and_the_answer_says_so(app, tmp_path):
    """The full-width ８ is a documented substitute for 8, said where it was converted (issue #11, item 9)."""
    indicator = RUBRIC.indicators[0]
    typed = str(int(indicator.items[1].low)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    outcome = submit(app, edited(exported(app, tmp_path), scores(1, **{score_field(indicator.code): typed})))
    plain = str(int(indicator.items[1].low))
    assert f"已将 {SHEET}!{cell(score_field(indicator.code), 1)} 的“{typed}”按“{plain}”处理。" in outcome.details
    assert not outcome.partial and "已保存 1 户" in outcome.message
