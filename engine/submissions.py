"""What became of a submitted file, as a user reads it: saved, partly saved, refused, failed, or interrupted."""
from __future__ import annotations

from datetime import datetime

OUTCOMES = {"accepted": "已保存", "partial": "部分保存", "refused": "已拒绝（未保存）", "failed": "出错（未保存）",
            "received": "处理中"}
INTERRUPTED = "中断（处理未完成，没有保存任何内容，请重新提交）"


def outcome_label(outcome: str, received_at: datetime, now: datetime, limit_seconds: int) -> str:
    """The outcome in Chinese; a file still "received" longer than any statement may run was left by a process
    that died or lost the database (its action was rolled back), so it reads as interrupted, not received forever."""
    if outcome == "received" and (now - received_at).total_seconds() > limit_seconds:
        return INTERRUPTED
    return OUTCOMES.get(outcome, outcome)
