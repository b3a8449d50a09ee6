"""Order lines carry their order's date; on PostgreSQL they are kept a table per month (declarative partitioning)

order_lines.order_date (订货日期) repeats the order's date on each line, filled in from orders here. On PostgreSQL,
order_lines becomes a table partitioned by range of order_date, one partition per calendar month named
order_lines_YYYY_MM, with the primary key (id, order_date) (a partitioned table's keys must hold its partition
key); the lines are copied into it month by month. A month of orders is then loaded into a table of its own and
attached (indexes built once, after the rows: storage/order_lines.py), and a month older than the kept window is
archived by dropping its table (`cmw archive orders`), not by deleting millions of rows.

People's logins do not own the tables, and only a table's owner may create, attach or drop its partitions: three
SECURITY DEFINER functions do it for them, and storage/security.py lets only the administrators' group run them
(EXECUTE is taken from PUBLIC here):
- cmw_order_lines_month(first_day, fresh): the name of the table to load the month's lines into — a new,
  unattached table of the month when fresh is asked and the month keeps no lines (the caller's login may insert
  into it until it is attached), else order_lines itself (its partition made when missing);
- cmw_order_lines_attach(first_day): the new table's keys and index built, then attached as the month's partition;
- cmw_order_lines_drop(first_day): the month's partition dropped (its rows archived first by the caller).

SQLite and MariaDB keep one order_lines table with the new column (their imports and archive work on rows).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

#: The columns of order_lines after the id, as 0001 made them, with order_date after order_id.
_COLUMNS = """
  id bigint NOT NULL,
  order_id bigint NOT NULL,
  order_date date NOT NULL,
  product_id integer NOT NULL,
  qty_demanded integer NOT NULL,
  qty_allowed integer NOT NULL,
  qty_ordered integer NOT NULL,
  price numeric(12, 2) NOT NULL,
  amount numeric(12, 2) NOT NULL
"""
_NAMES = "id, order_id, order_date, product_id, qty_demanded, qty_allowed, qty_ordered, price, amount"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION cmw_order_lines_month(p_first date, p_fresh boolean) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  v_name text := 'order_lines_' || to_char(p_first, 'YYYY_MM');
  v_has_rows boolean;
BEGIN
  IF p_first IS NULL OR p_first <> date_trunc('month', p_first)::date THEN
    RAISE EXCEPTION 'cmw_order_lines_month: % is not the first day of a month', p_first;
  END IF;
  IF to_regclass(v_name) IS NOT NULL THEN
    IF NOT p_fresh THEN
      RETURN 'order_lines';
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', v_name) INTO v_has_rows;
    IF v_has_rows THEN
      RETURN 'order_lines';
    END IF;
    EXECUTE format('DROP TABLE %I', v_name);  -- an empty month's partition: the month is loaded afresh
  ELSIF NOT p_fresh THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF order_lines FOR VALUES FROM (%L) TO (%L)', v_name, p_first,
                   (p_first + interval '1 month')::date);
    RETURN 'order_lines';
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE order_lines)', v_name);
  IF session_user <> current_user THEN
    EXECUTE format('GRANT INSERT ON %I TO %I', v_name, session_user);
  END IF;
  RETURN v_name;
END
$$;

CREATE OR REPLACE FUNCTION cmw_order_lines_attach(p_first date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  v_name text := 'order_lines_' || to_char(p_first, 'YYYY_MM');
  v_next date := (p_first + interval '1 month')::date;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(v_name)) THEN
    RAISE EXCEPTION 'cmw_order_lines_attach: % is already attached', v_name;
  END IF;
  IF session_user <> current_user THEN
    EXECUTE format('REVOKE ALL ON %I FROM %I', v_name, session_user);
  END IF;
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, order_date)', v_name, v_name || '_pkey');
  EXECUTE format('CREATE INDEX %I ON %I (order_id)', v_name || '_order_id_idx', v_name);
  -- the bounds as a constraint first: ATTACH then trusts it instead of reading the rows again
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (order_date >= %L AND order_date < %L)', v_name,
                 v_name || '_month', p_first, v_next);
  EXECUTE format('ALTER TABLE order_lines ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', v_name, p_first, v_next);
END
$$;

CREATE OR REPLACE FUNCTION cmw_order_lines_drop(p_first date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  v_name text := 'order_lines_' || to_char(p_first, 'YYYY_MM');
BEGIN
  IF to_regclass(v_name) IS NOT NULL THEN
    EXECUTE format('DROP TABLE %I', v_name);
  END IF;
END
$$;

REVOKE ALL ON FUNCTION cmw_order_lines_month(date, boolean), cmw_order_lines_attach(date), cmw_order_lines_drop(date)
  FROM PUBLIC;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _partition(bind)
        return
    with op.batch_alter_table('order_lines') as batch_op:
        batch_op.add_column(sa.Column('order_date', sa.Date(), nullable=True))
    op.execute("UPDATE order_lines SET order_date = (SELECT o.order_date FROM orders o WHERE o.id = order_lines.order_id)"
               if bind.dialect.name == "sqlite" else
               "UPDATE order_lines l JOIN orders o ON o.id = l.order_id SET l.order_date = o.order_date")
    op.execute("DELETE FROM order_lines WHERE order_date IS NULL")  # a line of no order (never written): no month
    with op.batch_alter_table('order_lines') as batch_op:
        batch_op.alter_column('order_date', existing_type=sa.Date(), nullable=False)


def _partition(bind) -> None:
    """order_lines as a table partitioned by month, its rows copied in month by month (a city's three months: about a
    minute), its id sequence kept."""
    schema = bind.scalar(sa.text("SELECT current_schema()"))
    op.execute("ALTER TABLE order_lines RENAME TO order_lines_0015")
    op.execute("ALTER TABLE order_lines_0015 RENAME CONSTRAINT order_lines_pkey TO order_lines_0015_pkey")
    op.execute("DROP INDEX ix_order_lines_order_id")
    op.execute(f"CREATE TABLE order_lines ({_COLUMNS}, CONSTRAINT order_lines_pkey PRIMARY KEY (id, order_date)) "
               "PARTITION BY RANGE (order_date)")
    op.execute("ALTER TABLE order_lines ALTER COLUMN id SET DEFAULT nextval('order_lines_id_seq')")
    op.execute("ALTER SEQUENCE order_lines_id_seq OWNED BY order_lines.id")
    op.execute("CREATE INDEX ix_order_lines_order_id ON order_lines (order_id)")
    op.execute(FUNCTIONS.format(schema=schema))
    months = bind.execute(sa.text("SELECT DISTINCT date_trunc('month', order_date)::date FROM orders ORDER BY 1")).scalars()
    for first in months:  # a line of no order (never written) has no month: it is not copied
        name = bind.scalar(sa.text("SELECT cmw_order_lines_month(:first, true)"), {"first": first})
        bind.execute(sa.text(f"INSERT INTO {name} ({_NAMES}) SELECT l.id, l.order_id, o.order_date, l.product_id, "
                             "l.qty_demanded, l.qty_allowed, l.qty_ordered, l.price, l.amount FROM order_lines_0015 l "
                             "JOIN orders o ON o.id = l.order_id "
                             "WHERE o.order_date >= :first AND o.order_date < :first + interval '1 month'"),
                     {"first": first})
        bind.execute(sa.text("SELECT cmw_order_lines_attach(:first)"), {"first": first})
    op.execute("DROP TABLE order_lines_0015")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("CREATE TABLE order_lines_0016 AS SELECT * FROM order_lines")
        op.execute("ALTER SEQUENCE order_lines_id_seq OWNED BY NONE")
        op.execute("DROP TABLE order_lines")
        op.execute("DROP FUNCTION cmw_order_lines_month(date, boolean), cmw_order_lines_attach(date), "
                   "cmw_order_lines_drop(date)")
        op.execute("ALTER TABLE order_lines_0016 RENAME TO order_lines")
        op.execute("ALTER TABLE order_lines DROP COLUMN order_date")
        op.execute("ALTER TABLE order_lines ADD CONSTRAINT order_lines_pkey PRIMARY KEY (id)")
        op.execute("ALTER TABLE order_lines ALTER COLUMN id SET DEFAULT nextval('order_lines_id_seq')")
        op.execute("ALTER SEQUENCE order_lines_id_seq OWNED BY order_lines.id")
        op.execute("CREATE INDEX ix_order_lines_order_id ON order_lines (order_id)")
        return
    with op.batch_alter_table('order_lines') as batch_op:
        batch_op.drop_column('order_date')
