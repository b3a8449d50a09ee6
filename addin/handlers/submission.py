"""Taking back a filled-in workbook of any module: keep the file, read it, hand it to its module, record the outcome."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from addin.app import App, CheckingApp
from addin.handlers.capability import capability_layout_of, submit_capability_book
from addin.handlers.forms import layout_of, submit_form_book
from addin.handlers.key_brands import submit_key_brand_book
from addin.handlers.team_forms import submit_team_book, team_layout_of, team_modules
from addin.handlers.big_table import plan_layout_of, submit_plan_book
from addin.handlers.review import submit_review_book
from addin.handlers.stores import submit_store_list_book
from addin.handlers.survey import ACTIONS as SURVEY_ACTIONS, submit_survey_book, survey_layout_of
from engine.actors import Actor
from engine.document_types import document_types
from engine.errors import Refused
from engine.document_types import SAVE, SUBMIT
from engine.origin import check_same_database
from engine.records import Outcome
from engine.submissions import archive_submission as archive, conclude_submission
from workbooks import big_table as plan_book, capability as capability_book, key_brands as key_brand_book, review as review_book
from workbooks import stores as store_book, survey as survey_book
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook, read_book, read_meta


@dataclass(frozen=True)
class Submittable:
    """A module whose workbook comes back: how to find its layout (it may depend on a rubric), what to do with it,
    and the actions a user may name beside the file (cmw submit --action), none for most modules."""

    layout: Callable[[App, Meta], BookLayout]
    submit: Callable[[App, Actor, SubmittedBook, int], Outcome]
    actions: tuple[str, ...] = ()


#: The workbooks with a hand-made module (their own layout and take-back), by the module code in _meta.
_OWN: dict[str, Submittable] = {
    store_book.LAYOUT.module: Submittable(lambda app, meta: store_book.LAYOUT, submit_store_list_book),
    capability_book.LAYOUT.module: Submittable(capability_layout_of, submit_capability_book),
    plan_book.MODULE: Submittable(plan_layout_of, submit_plan_book, (SAVE, SUBMIT)),
    review_book.MODULE: Submittable(lambda app, meta: review_book.LAYOUT, submit_review_book),
    key_brand_book.LAYOUT.module: Submittable(lambda app, meta: key_brand_book.LAYOUT, submit_key_brand_book),
    survey_book.MODULE: Submittable(survey_layout_of, submit_survey_book, SURVEY_ACTIONS),
}


#: The longest file name the archive keeps (its column).
NAME_LIMIT = 255


def readable_name(name: str) -> str:
    """A file name as best it can be shown and kept, never an obstacle to a submission: a name whose bytes are not
    UTF-8 (a Chinese name in GBK, as unzipped from a Windows archive) is read as GB18030 where it is that, else its
    undecodable bytes become �; cut to NAME_LIMIT characters."""
    try:
        name.encode("utf-8")
        return name[:NAME_LIMIT]
    except UnicodeEncodeError:
        pass
    if all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in name):
        raw = name.encode("utf-8", "surrogateescape")  # the bytes the system could not decode, given back
        try:
            return raw.decode("gb18030")[:NAME_LIMIT]
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")[:NAME_LIMIT]
    return name.encode("utf-8", "replace").decode("utf-8")[:NAME_LIMIT]


def submittable() -> dict[str, Submittable]:
    """Every module whose workbook a user hands back: the hand-made ones, and every declared document type."""
    return {**_OWN, **{code: Submittable(layout_of, submit_form_book, (SAVE, SUBMIT))
                       for code, kind in document_types().items() if kind.parts},
            **{module: Submittable(team_layout_of, submit_team_book) for module in team_modules()}}


def archive_submission(app: App, actor: Actor, filename: str, content: bytes) -> int:
    """Keep the submitted file before anything else happens to it (its own transaction)."""
    return archive(app.uow(), actor_code=actor.code, filename=readable_name(filename), content=content)


def _check_action(entry: Submittable, title: str, action: str | None) -> None:
    if action is None or action in entry.actions:
        return
    if not entry.actions:
        raise Refused(f"“{title}”工作簿没有可选的操作，不能使用 --action。请去掉 --action 后重新提交。")
    raise Refused(f"--action 只能是：{'、'.join(entry.actions)}（您填写的是“{action}”）。")


def _take(app: App, actor: Actor, content: bytes, meta: Meta, action: str | None,
          submission_id: int | None) -> Outcome:
    """Check where a workbook comes from, read it, and hand it to its module."""
    check_same_database(meta.database, meta.company, *app.database_identity())
    entry = submittable().get(meta.module)
    if entry is None:
        raise Refused(f"“{meta.module}”工作簿只用于查看或打印，不需要提交；或它来自更新版本的加载项，请先升级。")
    layout = entry.layout(app, meta)
    _check_action(entry, layout.title, action)
    book = read_book(content, layout, meta)
    book.action = action
    outcome = entry.submit(app, actor, book, submission_id)
    if not book.ignored:
        return outcome
    said = (f"以下内容不属于{layout.title}，没有读取，也没有保存：{'；'.join(book.ignored)}。"
            "需要交给系统的内容请填在黄色单元格中。")
    return Outcome(outcome.message, (*outcome.details, said), outcome.changed, outcome.partial)


def submit_workbook(app: App, actor: Actor, filename: str, content: bytes, action: str | None = None) -> Outcome:
    """Take a filled-in workbook of any module: archive it, read it, hand it to its module, record the outcome.

    action (cmw submit --action) overrides what the file says it asks for, where its module offers a choice."""
    submission_id = archive_submission(app, actor, filename, content)
    module = ""
    try:
        meta = read_meta(content)
        module = meta.module
        outcome = _take(app, actor, content, meta, action, submission_id)
    except Refused as refusal:
        conclude_submission(app.uow(), submission_id, "refused", refusal.lines(), module)
        raise type(refusal)(f"{refusal.message}（您提交的文件已保存，提交编号 {submission_id}。）", refusal.findings,
                            total=refusal.total) from None  # a refusal of the policy stays one
    except Exception as exc:
        try:
            conclude_submission(app.uow(), submission_id, "failed", [f"{type(exc).__name__}: {exc}"], module)
        except Exception:  # the database itself is gone: the archive row stays "received", later shown as 中断
            pass
        raise
    return Outcome(outcome.message, (*outcome.details, f"提交编号 {submission_id}。"), outcome.changed, outcome.partial)


def check_workbook(app: App, actor: Actor, filename: str, content: bytes, action: str | None = None) -> Outcome:
    """Run every check a submission of this workbook would (cmw check, 检查), and change nothing: no archive row, and
    the module's own unit of work is rolled back instead of committed."""
    checking = CheckingApp(app.engine, app.sessions, app.database_identity())
    try:
        outcome = _take(checking, actor, content, read_meta(content), action, None)
    except Refused as refusal:
        raise type(refusal)(f"检查未通过（没有提交，数据库未作任何更改）：{refusal.message}", refusal.findings,
                            total=refusal.total) from None
    filename = readable_name(filename)
    return Outcome(f"检查通过（没有提交，数据库未作任何更改）。现在提交“{filename}”将会：{outcome.message}",
                   (*outcome.details, f"确认无误后提交：cmw submit {filename} --as {actor.code}"), outcome.changed)
