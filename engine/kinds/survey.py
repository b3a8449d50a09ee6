"""§8 客户需求调查表 (demand survey), declared: a questionnaire per store and month — entered by the CM for offline
stores, imported from the ordering platform for online ones — saved as 待确认 and locked by the CM's 确认.

Its state is each answer's (one store's questionnaire), and its workbook a row per store with a ✓ column per demand
item of the month's questionnaire (engine.questionnaire, engine.surveys, engine.survey_take_back, workbooks.survey),
not typed fields, so it has no parts and keeps its own commands (`cmw survey …`); §9's statistics read its answers.
"""
from __future__ import annotations

from engine.document_types import DocumentType, Step
from engine.workflows import DEMAND_SURVEY

TYPE = DocumentType(
    code="survey",
    title="客户需求调查表",
    section="§8",
    workflow=DEMAND_SURVEY,
    parts=(),
    steps={
        "draft": Step("待确认：可以修改或清空；核对无误后在“确认”列选“确认”（或“本次操作”选“确认”，确认全部已填写的问卷），确认后锁定。"),
        "confirmed": Step("已确认：已锁定，不能修改。"),
    },
    ribbon_group="需求调查",
    command="cmw survey export",
    workbooks=("survey",),
)
