"""survey answers

§8 demand surveys: the questionnaire version each month is surveyed with (survey_months; the versions themselves
are kept in rubrics under the kind "survey"), and one row per store and month with its answer (survey_answers).
The default questionnaire is stored as version 1 here, so that a customer manager's first export (whose login may
not add rubric versions on a secured database) finds one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import json
from datetime import datetime

from alembic import op
import sqlalchemy as sa

#: The default questionnaire (engine/questionnaire.py DEFAULT as of this migration), version 1.
_ITEMS = [("D01", "货源供应", "货源与订货"), ("D02", "新品引进", "货源与订货"), ("D03", "网上订货帮助", "货源与订货"),
          ("D04", "送货服务", "货源与订货"), ("D05", "陈列指导", "经营指导"), ("D06", "价格咨询", "经营指导"),
          ("D07", "经营培训", "经营指导"), ("D08", "店面形象提升", "经营指导"), ("D09", "金融服务", "其他服务"),
          ("D10", "政策法规咨询", "其他服务"), ("D11", "其他需求", "其他服务")]


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_months",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("pinned_by", sa.String(32), nullable=False),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("cm_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("items", sa.String(400), nullable=False),
        sa.Column("urgent1", sa.String(8), nullable=False),
        sa.Column("urgent2", sa.String(8), nullable=False),
        sa.Column("urgent3", sa.String(8), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("entered_by", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("month", "store_id", name="uq_survey_answers_month_store"),
    )
    op.create_index("ix_survey_answers_cm_month", "survey_answers", ["cm_id", "month"])
    rubrics = sa.table("rubrics", sa.column("kind", sa.String), sa.column("version", sa.Integer),
                       sa.column("body", sa.Text), sa.column("created_at", sa.DateTime),
                       sa.column("actor_code", sa.String))
    bind = op.get_bind()
    if bind.execute(sa.select(rubrics.c.version).where(rubrics.c.kind == "survey")).first() is None:
        body = {"version": 1, "items": [{"code": c, "name": n, "group": g, "active_from": ""} for c, n, g in _ITEMS]}
        bind.execute(rubrics.insert().values(kind="survey", version=1, body=json.dumps(body, ensure_ascii=False),
                                             created_at=datetime.now().replace(microsecond=0), actor_code="cmw"))


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM rubrics WHERE kind = 'survey'"))
    op.drop_index("ix_survey_answers_cm_month", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_table("survey_months")
