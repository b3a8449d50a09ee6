"""The per-brand monthly totals are kept a table per month on PostgreSQL (declarative partitioning, by list of month)

store_brand_months takes ~1M rows a city month and ~9.4M a province month. Written into one table, each row went
through the primary key of every month before it (a province month's totals: 19 s of its import); loaded into a
table of its own and keyed once after the rows, the same rows take about half. So, as order lines (0016): on
PostgreSQL store_brand_months becomes a table partitioned by list of month, one partition per month named
store_brand_months_YYYY_MM; the rows are copied in month by month here. Whoever writes a month's rows first asks for
its table (storage/store_months.py month_table): a month without a partition gets a new table, keyed and attached
after its rows. No DEFAULT partition: attaching beside one locks it against every reader until the commit. A month's
partition, once made, is never dropped (a dropped partition locks the whole table against readers until the commit).

People's logins do not own the tables; two SECURITY DEFINER functions do what only the owner may, and only the
administrators' group may run them (storage/security.py FUNCTIONS; EXECUTE is taken from PUBLIC here):
- cmw_brand_months_fresh(month): the name of the table to load the month's rows into — a new, unattached table when
  the month has no partition (the caller's login may insert into it until it is attached), else store_brand_months;
- cmw_brand_months_attach(month): the new table's primary key built and a CHECK of its month added (so that ATTACH
  trusts it instead of reading the rows again), then attached as the month's partition.

SQLite and MariaDB keep one table.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_COLUMNS = """
  month character varying(7) NOT NULL,
  store_id integer NOT NULL,
  brand character varying(32) NOT NULL,
  price_class smallint NOT NULL,
  volume bigint NOT NULL,
  amount numeric(14, 2) NOT NULL
"""
_KEY = "month, store_id, brand, price_class"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION cmw_brand_months_fresh(p_month text) RETURNS text
{head_fresh}
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN 'store_brand_months';  -- never dropped: that would lock every reader of the totals out until the commit
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE store_brand_months)', v_name);
  IF session_user <> current_user THEN
    EXECUTE format('GRANT INSERT ON %I TO %I', v_name, session_user);
  END IF;
  RETURN v_name;
END
$$;

CREATE OR REPLACE FUNCTION cmw_brand_months_attach(p_month text) RETURNS void
{head_attach}
  IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(v_name)) THEN
    RAISE EXCEPTION 'cmw_brand_months_attach: % is already attached', v_name;
  END IF;
  IF session_user <> current_user THEN
    EXECUTE format('REVOKE ALL ON %I FROM %I', v_name, session_user);
  END IF;
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY ({key})', v_name, v_name || '_pkey');
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (month = %L)', v_name, v_name || '_month', p_month);
  EXECUTE format('ALTER TABLE store_brand_months ATTACH PARTITION %I FOR VALUES IN (%L)', v_name, p_month);
END
$$;

REVOKE ALL ON FUNCTION cmw_brand_months_fresh(text), cmw_brand_months_attach(text) FROM PUBLIC;
"""
#: Both functions' start: run as the owner, the month's table named, a month that is not one refused.
_HEAD = """LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  v_name text := 'store_brand_months_' || replace(p_month, '-', '_');
BEGIN
  IF p_month IS NULL OR p_month !~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$' THEN
    RAISE EXCEPTION '{function}: % is not a month (YYYY-MM)', p_month;
  END IF;"""


def functions(schema: str) -> str:
    """The two functions' SQL for the database's schema."""
    return FUNCTIONS.format(key=_KEY, **{f"head_{what}": _HEAD.format(schema=schema, function=f"cmw_brand_months_{what}")
                                         for what in ("fresh", "attach")})


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.scalar(sa.text("SELECT current_schema()"))
    op.execute("ALTER TABLE store_brand_months RENAME TO store_brand_months_0016")
    op.execute("ALTER TABLE store_brand_months_0016 RENAME CONSTRAINT store_brand_months_pkey "
               "TO store_brand_months_0016_pkey")
    op.execute(f"CREATE TABLE store_brand_months ({_COLUMNS}, CONSTRAINT store_brand_months_pkey PRIMARY KEY ({_KEY})) "
               "PARTITION BY LIST (month)")
    op.execute(functions(schema))
    months = bind.execute(sa.text("SELECT DISTINCT month FROM store_brand_months_0016 ORDER BY 1")).scalars().all()
    for month in months:
        name = bind.scalar(sa.text("SELECT cmw_brand_months_fresh(:month)"), {"month": month})
        bind.execute(sa.text(f"INSERT INTO {name} ({_KEY}, volume, amount) SELECT {_KEY}, volume, amount "
                             f"FROM store_brand_months_0016 WHERE month = :month ORDER BY {_KEY}"), {"month": month})
        bind.execute(sa.text("SELECT cmw_brand_months_attach(:month)"), {"month": month})
    op.execute("DROP TABLE store_brand_months_0016")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE store_brand_months_0017 AS SELECT * FROM store_brand_months")
    op.execute("DROP TABLE store_brand_months")
    op.execute("DROP FUNCTION cmw_brand_months_fresh(text), cmw_brand_months_attach(text)")
    op.execute("ALTER TABLE store_brand_months_0017 RENAME TO store_brand_months")
    for column in ("month", "store_id", "brand", "price_class", "volume", "amount"):
        op.execute(f"ALTER TABLE store_brand_months ALTER COLUMN {column} SET NOT NULL")
    op.execute(f"ALTER TABLE store_brand_months ADD CONSTRAINT store_brand_months_pkey PRIMARY KEY ({_KEY})")
