"""A submitted file: kept on arrival, concluded with its outcome, and that outcome as a user reads it (saved, partly
saved, refused, failed, or interrupted)."""
from __future__ import annotations

import hashlib
from datetime import datetime

from engine.ports import UnitOfWork

OUTCOMES = {"accepted": "已保存", "partial": "部分保存", "refused": "已拒绝（未保存）", "failed": "出错（未保存）",
            "received": "处理中"}
INTERRUPTED = "中断（处理未完成，没有保存任何内容，请重新提交）"


def outcome_label(outcome: str, received_at: datetime, now: datetime, limit_seconds: int) -> str:
    """The outcome in Chinese; a file still "received" longer than any statement may run was left by a process
    that died or lost the database (its action was rolled back), so it reads as interrupted, not received forever."""
    if outcome == "received" and (now - received_at).total_seconds() > limit_seconds:
        return INTERRUPTED
    return OUTCOMES.get(outcome, outcome)


def archive_submission(uow: UnitOfWork, *, actor_code: str, filename: str, content: bytes) -> int:
    """Keep a submitted file whole before anything is done with it, in its own transaction (so it is kept even when
    everything else is refused); its submission number."""
    with uow:
        submission_id = uow.submissions.archive(actor_code=actor_code, filename=filename, content=content,
                                                sha256=hashlib.sha256(content).hexdigest())
        uow.commit()
    return submission_id


def conclude_submission(uow: UnitOfWork, submission_id: int, outcome: str, lines: list[str], module: str = "") -> None:
    """Record what became of a submitted file (an outcome of OUTCOMES) and the lines its user saw, in its own
    transaction: for an outcome no use case recorded in its own (a refusal, a failure, a review's rows each decided
    on their own)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with uow:
        uow.submissions.conclude(submission_id, outcome, lines, module)
        uow.commit()
