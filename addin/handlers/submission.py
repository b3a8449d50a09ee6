"""Taking back a filled-in workbook of any module: keep the file, read it, hand it to its module, record the outcome."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from addin.app import App, CheckingApp
from addin.handlers.capability import capability_layout_of, submit_capability_book
from addin.handlers.forms import layout_of, submit_form_book
from addin.handlers.campaigns import submit_campaign_book
from addin.handlers.key_brands import submit_key_brand_book
from addin.handlers.team_forms import submit_team_book, team_layout_of, team_modules
from addin.handlers.big_table import plan_layout_of, submit_plan_book
from addin.handlers.review import submit_review_book
from addin.handlers.stores import submit_store_list_book
from addin.handlers.survey import OPERATIONS as SURVEY_OPERATIONS, submit_survey_book, survey_layout_of
from engine.actors import Actor
from engine.document_types import document_types
from engine.errors import Refused
from engine.document_types import SAVE, SUBMIT
from engine.origin import check_same_database
from engine.records import PARTIAL, Outcome
from engine.submissions import archive_submission as archive, conclude_submission
from workbooks import big_table as plan_book, capability as capability_book, key_brands as key_brand_book, review as review_book
from workbooks import campaigns as campaign_book, stores as store_book, survey as survey_book
from workbooks.layout import BookLayout
from workbooks.meta import Meta
from workbooks.reader import SubmittedBook, read_book, read_meta


@dataclass(frozen=True)
class Submittable:
    """A module whose workbook comes back: how to find its layout (it may depend on a rubric), what to do with it,
    and the operations a user may name beside the file (cmw submit --operation), none for most modules."""

    layout: Callable[[App, Meta], BookLayout]
    submit: Callable[[App, Actor, SubmittedBook, int], Outcome]
    operations: tuple[str, ...] = ()


#: The workbooks with a hand-made module (their own layout and take-back), by the module code in _meta.
_OWN: dict[str, Submittable] = {
    store_book.LAYOUT.module: Submittable(lambda app, meta: store_book.LAYOUT, submit_store_list_book),
    capability_book.LAYOUT.module: Submittable(capability_layout_of, submit_capability_book),
    plan_book.MODULE: Submittable(plan_layout_of, submit_plan_book, (SAVE, SUBMIT)),
    review_book.MODULE: Submittable(lambda app, meta: review_book.LAYOUT, submit_review_book),
    key_brand_book.LAYOUT.module: Submittable(lambda app, meta: key_brand_book.LAYOUT, submit_key_brand_book),
    campaign_book.LAYOUT.module: Submittable(lambda app, meta: campaign_book.LAYOUT, submit_campaign_book),
    survey_book.MODULE: Submittable(survey_layout_of, submit_survey_book, SURVEY_OPERATIONS),
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


def _check_operation(entry: Submittable, title: str, operation: str | None) -> None:
    if operation is None or operation in entry.operations:
        return
    if not entry.operations:
        raise Refused(f"“{title}”工作簿没有可选的操作，不能使用 --operation。请去掉 --operation 后重新提交。")
    raise Refused(f"--operation 只能是：{'、'.join(entry.operations)}（您填写的是“{operation}”）。")


def _take(app: App, actor: Actor, content: bytes, meta: Meta, operation: str | None,
          submission_id: int | None) -> Outcome:
    """Check where a workbook comes from, read it, and hand it to its module."""
    check_same_database(meta.database, meta.company, *app.database_identity())
    entry = submittable().get(meta.module)
    if entry is None:
        raise Refused(f"“{meta.module}”工作簿只用于查看或打印，不需要提交；或它来自更新版本的加载项，请先升级。")
    layout = entry.layout(app, meta)
    _check_operation(entry, layout.title, operation)
    book = read_book(content, layout, meta)
    book.operation = operation
    outcome = entry.submit(app, actor, book, submission_id)
    if not book.ignored:
        return outcome
    said = (f"以下内容不属于{layout.title}，没有读取，也没有保存：{'；'.join(book.ignored)}。"
            "需要交给系统的内容请填在黄色单元格中。")
    return Outcome(outcome.message, (*outcome.details, said), outcome.changed, outcome.partial)


def submit_workbook(app: App, actor: Actor, filename: str, content: bytes, operation: str | None = None) -> Outcome:
    """Take a filled-in workbook of any module: archive it, read it, hand it to its module, record the outcome.

    operation (cmw submit --operation: 保存, 提交, 确认) overrides what the file says it asks for, where its module offers a choice."""
    submission_id = archive_submission(app, actor, filename, content)
    module = ""
    try:
        meta = read_meta(content)
        module = meta.module
        outcome = _take(app, actor, content, meta, operation, submission_id)
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


def check_workbook(app: App, actor: Actor, filename: str, content: bytes, operation: str | None = None) -> Outcome:
    """Run every check a submission of this workbook would (cmw check, 检查), and change nothing: no archive row, and
    the module's own unit of work is rolled back instead of committed."""
    checking = CheckingApp(app.engine, app.sessions, app.database_identity())
    try:
        outcome = _take(checking, actor, content, read_meta(content), operation, None)
    except Refused as refusal:
        raise type(refusal)(f"检查未通过（没有提交，数据库未作任何更改）：{refusal.message}", refusal.findings,
                            total=refusal.total) from None
    filename = readable_name(filename)
    return Outcome(f"检查通过（没有提交，数据库未作任何更改）。现在提交“{filename}”将会：{outcome.message}",
                   (*outcome.details, f"确认无误后提交：cmw submit {filename} --as {actor.code}"), outcome.changed)


def submit_kept_file(app: App, actor: Actor, path, *, module: str, what: str, export_command: str, act: str,
                     month: str | None = None) -> Outcome:
    """`cmw brands import`, `cmw campaigns import`: hand in a workbook a manager keeps (the key-brand list, the
    campaigns) through the submission path, archived like every submitted file — refused first when the file is
    another kind of workbook (what: its name, export_command: how to get one), of another month than the one named,
    or the actor may not keep it (act)."""
    from engine.policy import require

    if not path.is_file():
        raise Refused(f"找不到文件 {path}。")
    content = path.read_bytes()
    try:
        meta = read_meta(content)
    except Refused:
        meta = None
    if meta is not None and meta.module != module:
        raise Refused(f"{path.name} 不是{what}（{export_command} 导出的文件）。其他工作簿请用 cmw submit 提交。")
    if meta is not None and month and month != meta.period:
        raise Refused(f"{path.name} 是 {meta.period} 的{what}，不是 {month} 的。"
                      f"请去掉 --month，或导出 {month} 的表：{export_command} --month {month}。")
    require(actor, act)  # before the file is read: a list only its keepers hand in
    return submit_workbook(app, actor, path.name, content)


def attach_beside(app: App, actor: Actor, path, content: bytes) -> Outcome | None:
    """After a workbook of a kind that takes attachments was handed in: the files of the folder beside it
    (NAME_照片 for §14's photos) kept with its document; None when it has no such folder."""
    try:
        meta = read_meta(content)
    except Refused:
        return None
    kind = document_types().get(meta.module)
    if kind is None or kind.draft.attach is None or path is None:
        return None
    folder = path.with_name(f"{path.stem}_{kind.attachments}")
    if not folder.is_dir():
        return None
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith((".", "~$"))]
    try:
        return kind.draft.attach(app.uow(), actor, meta.period, files, f"文件夹 {folder.name} ")
    except Refused as refusal:  # the workbook is saved: say that, then why none of the files was kept
        again = (f"改正文件夹 {folder.name} 中的文件后，把这份工作簿再交一次、本次操作选“{SAVE}”（cmw submit {path.name} "
                 f"--operation {SAVE}）即可只上传{kind.attachments}；表中已保存的内容不受影响。")
        return Outcome(f"{PARTIAL}：{kind.title}已保存，但文件夹 {folder.name} 中的文件全部未保存。{refusal.message}",
                       (*(f.text() for f in refusal.findings), again), partial=True)
