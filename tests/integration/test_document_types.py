"""The registration of declared document types: each kind of engine/kinds/ is complete — every state has its step,
its reviews fire from states it has, its print template exists, and (when its workbook is made from its fields) it
has a LibreOffice sample, is taken back by cmw submit and has its 导出 and 打印 buttons; a kind with a workbook of its
own names a command that exists. Nothing here is listed by hand: a new kind is checked by being declared."""
from __future__ import annotations

import pytest

from addin.buttons import BUTTONS
from addin.cli import build_parser
from addin.handlers.submission import submittable
from engine.document_types import document_types
from templates.render import HERE
from tests.integration.workbook_samples import PRODUCERS

KINDS = sorted(document_types())


def test_the_kinds_of_the_manual_are_declared():
    assert {"bigtable", "workplan", "summary"} <= set(KINDS)
    sections = [int(kind.section.lstrip("§")) for kind in document_types().values()]
    assert sections == sorted(sections), "document_types() lists the kinds in the manual's order"


@pytest.mark.parametrize("code", KINDS)
def test_every_state_has_its_step_and_every_review_a_state(code):
    kind = document_types()[code]
    assert set(kind.steps) == set(kind.workflow.states), f"{code}: a step per state of its workflow"
    for state, review in kind.reviews.items():
        assert state in kind.workflow.transition(review.approve).sources
        assert state in kind.workflow.transition(review.reject).sources


@pytest.mark.parametrize("code", KINDS)
def test_every_kind_prints_is_taken_back_and_has_its_buttons(code):
    kind = document_types()[code]
    assert (HERE / kind.template).is_file() or not kind.parts, f"{code}: no print template {kind.template}"
    missing = [m for m in kind.modules if m not in PRODUCERS]
    assert not missing, f"{code}: add a LibreOffice sample of {missing} (workbook_samples.PRODUCERS)"
    assert set(kind.modules) & set(submittable()), f"{code}: cmw submit takes none of its workbooks back"
    if kind.parts:
        assert {f"{code}_export", f"{code}_print"} <= set(BUTTONS)
        assert BUTTONS[f"{code}_export"].group == kind.ribbon_group
    else:
        words = kind.command.split()
        sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
        assert words[0] == "cmw" and words[1] in sub.choices, f"{code}: {kind.command} is not a command"
