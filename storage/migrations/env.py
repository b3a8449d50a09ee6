"""Alembic environment: runs on the engine handed over by storage.database (no alembic.ini)."""
from alembic import context

from storage.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
