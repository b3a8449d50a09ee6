"""What §4 and §7 share: the CM's two written texts (problems and causes, the focus) and the steps of an analysis the
CM saves (待确认) and then confirms (已确认: locked, the figures kept as confirmed)."""
from __future__ import annotations

from engine.document_types import Step
from engine.fields import Text

TEXTS = ("problems", "focus")


def written(problems: str, focus: str) -> tuple[Text, Text]:
    """The two texts the CM writes, under the labels of the kind."""
    return (Text("problems", problems, "对照上面的数据写清问题和原因", required=True, max_length=500, width=80, lines=5),
            Text("focus", focus, required=True, max_length=500, width=80, lines=5))


def confirm_steps(title: str, intro: str, problems: str, focus: str) -> dict[str, Step]:
    """待确认: the texts open, 提交 confirms; 已确认: locked."""
    return {"draft": Step(f"{intro}；填写{problems}、{focus}，“本次操作”选“保存”暂存，选“提交”即确认（确认后不能再修改）",
                          TEXTS, "confirm"),
            "confirmed": Step(f"{title}已确认：已锁定，仅供查看和打印")}
