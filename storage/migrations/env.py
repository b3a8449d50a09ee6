"""Alembic environment: runs on the engine handed over by storage.database (no alembic.ini)."""
from alembic import context

from storage.order_lines import compared
from storage.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    # PostgreSQL's month tables of order lines are made by the program, not declared: never compared
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      include_name=compared)
    context.run_migrations()
