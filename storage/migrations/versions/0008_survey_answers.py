"""survey answers

§8 demand surveys: the questionnaire version each month is surveyed with (survey_months; the versions themselves
are kept in rubrics under the kind "survey"), and one row per store and month with its answer (survey_answers).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
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


def downgrade() -> None:
    op.drop_index("ix_survey_answers_cm_month", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_table("survey_months")
