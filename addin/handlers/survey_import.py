"""§8 网上问卷 import handler (command line and ribbon): the ordering platform's answers file is kept as a submission
before it is read (refused or not), then loaded all or nothing for a month."""
from __future__ import annotations

from pathlib import Path

from addin.app import App
from addin.handlers.submission import archive_submission
from engine.actors import Actor
from engine.errors import Refused, os_reason
from engine.records import Outcome
from engine.submissions import conclude_submission
from engine.survey_import import import_answers
from storage.importers.surveys import read_platform_file

MODULE = "survey_import"


def import_survey(app: App, actor: Actor, path: Path, month: str) -> Outcome:
    """Load a month's platform answers file; the file is archived first, and the outcome recorded with it."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise Refused(f"无法打开文件 {path}：{os_reason(exc)}。") from None
    submission_id = archive_submission(app, actor, Path(path).name, content)
    try:
        outcome = import_answers(app.uow(), actor, month=month, read=lambda: read_platform_file(Path(path)),
                                 filename=Path(path).name, submission_id=submission_id)
    except Refused as refusal:
        conclude_submission(app.uow(), submission_id, "refused", refusal.lines(), MODULE)
        raise type(refusal)(f"{refusal.message}（文件已保存，提交编号 {submission_id}。）", refusal.findings,
                            total=refusal.total) from None  # a refusal of the policy stays one
    except Exception as exc:
        try:
            conclude_submission(app.uow(), submission_id, "failed", [f"{type(exc).__name__}: {exc}"], MODULE)
        except Exception:  # the database itself is gone: the archive row stays "received", later shown as 中断
            pass
        raise
    return Outcome(outcome.message, (*outcome.details, f"提交编号 {submission_id}。"), outcome.changed)
