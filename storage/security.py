"""The database's half of "who may do what": the declared workflows copied in, and, on PostgreSQL, the group roles a
person's login belongs to (the logins themselves: storage/logins.py), row-level security by the person's place in the
organisation, and one SECURITY DEFINER function that moves documents' states (MariaDB: storage/security_mariadb.py).

Declared here once, generated into SQL: which group may do what to each table (GRANTS), which rows each table
shows a person (SCOPES). The program's own checks (engine/workflow.py, engine/policy.py) stay the first answer a
user gets; these make the same rules hold for anyone who connects with their own login and a SQL client.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine, delete, insert, select, text

from engine.actors import Role
from engine.errors import Refused
from storage.schema import Setting, WorkflowMoveRow, WorkflowRow

#: The group role of each role of the manual (a person's login is a member of exactly one).
GROUPS = {Role.CM: "cmw_cm", Role.MM: "cmw_mm", Role.BM: "cmw_bm", Role.ADMIN: "cmw_admin"}
#: cmw_settings key set once the database has personal logins (then `cmw db upgrade` re-applies what follows).
SECURED = "secured"


def sync_workflows(connection: Connection) -> None:
    """Copy the declared workflows (engine/kinds) into workflows and workflow_moves, replacing what was there: who may
    fire each move is the policy's rule for it (engine/policy.py), the same pairs of role and relation the program
    checks."""
    from engine.document_types import document_types
    from engine.policy import move_grants

    connection.execute(delete(WorkflowMoveRow))
    connection.execute(delete(WorkflowRow))
    kinds, moves = [], []
    for kind in document_types().values():
        workflow = kind.workflow
        kinds.append({"kind": workflow.kind, "initial": workflow.initial})
        for t in workflow.transitions:
            moves += [{"kind": workflow.kind, "transition": t.name, "source": source, "target": t.target,
                       "role": role.value, "relation": relation.value}
                      for source in t.sources for role, relation in move_grants(workflow.kind, t.name)]
    connection.execute(insert(WorkflowRow), kinds)
    if moves:
        connection.execute(insert(WorkflowMoveRow), moves)


def is_secured(connection: Connection) -> bool:
    """Whether personal logins were granted on this database (`cmw users grant`)."""
    return connection.scalar(select(Setting.value).where(Setting.key == SECURED)) == "yes"


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

#: Which rows of a table a person sees and may write, as a PostgreSQL expression (None: every row). An
#: administrator sees every row; an MM or BM the people of their unit and the units under it; a CM themself.
#: Tables keyed by a store, document or analysis see through the ids of those the person sees, found once per
#: statement by an indexed read (not by that table's own policy, which scanned every store for each statement: a
#: market manager's single-row write cost 1.4 ms more on the small company, about 30 ms on the city).
_ALL = "(SELECT cmw_sees_all())"
_BY_PERSON = f"{_ALL} OR {{column}} IN (SELECT cmw_visible_users())"
_BY_CODE = f"{_ALL} OR {{column}} IN (SELECT cmw_visible_codes())"
_THROUGH = f"{_ALL} OR {{column}} IN (SELECT cmw_visible_{{table}}())"
SCOPES: dict[str, str] = {
    "stores": _BY_PERSON.format(column="cm_id"),
    "orders": _THROUGH.format(column="store_id", table="stores"),
    "store_months": _THROUGH.format(column="store_id", table="stores"),
    "store_brand_months": _THROUGH.format(column="store_id", table="stores"),
    "visit_plans": _THROUGH.format(column="store_id", table="stores"),
    "photos": _THROUGH.format(column="store_id", table="stores"),  # §14: a store's photos are its CM's
    # a photo's bytes are seen through the photos rows the person sees (that table's own policy applies inside)
    "photo_blobs": f"{_ALL} OR sha256 IN (SELECT sha256 FROM photos)",
    "documents": _BY_PERSON.format(column="owner_id"),
    "document_values": _THROUGH.format(column="document_id", table="documents"),
    "document_decisions": _THROUGH.format(column="document_id", table="documents"),
    "document_snapshots": _THROUGH.format(column="document_id", table="documents"),
    "plan_cells": _THROUGH.format(column="document_id", table="documents"),
    "analyses": _THROUGH.format(column="document_id", table="documents"),
    "effect_scores": _THROUGH.format(column="analysis_id", table="analyses"),
    "capability_scores": _THROUGH.format(column="analysis_id", table="analyses"),
    "strategies": _THROUGH.format(column="analysis_id", table="analyses"),
    "survey_answers": _BY_PERSON.format(column="cm_id"),  # §8: a store's answer is its CM's (who it was then)
    "submissions": _BY_CODE.format(column="actor_code"),
    "workbook_exports": f"{_BY_CODE.format(column='owner_code')} OR actor_code = session_user::text",
    # a document's rows are keyed owner/period[/…], a store's by its code
    "audit_log": f"{_BY_CODE.format(column='actor_code')} OR split_part(entity_key, '/', 1) IN "
                 f"(SELECT cmw_visible_codes()) OR entity_key IN (SELECT code FROM stores)",
}
#: What a person may write into a table beyond its scope: the rows they add must be theirs, and a document must
#: start in its workflow's initial state (its state changes only through cmw_fire).
WRITE_CHECKS: dict[str, str] = {
    "audit_log": "actor_code = session_user::text",
    "submissions": "actor_code = session_user::text",
    "workbook_exports": "actor_code = session_user::text",
    "documents": f"({SCOPES['documents']}) AND state = (SELECT w.initial FROM workflows w WHERE w.kind = documents.kind)",
    # a CM keeps a picture's bytes before the photos row that links them to a store (and so shows them) is written
    "photo_blobs": "true",
}
#: … and what a row they change must still be: theirs (a document's state is not theirs to change: no privilege).
CHANGE_CHECKS: dict[str, str] = {**WRITE_CHECKS, "documents": SCOPES["documents"]}

_READ = "SELECT"
_WRITE = "SELECT, INSERT, UPDATE, DELETE"
#: Company-wide reference data: every person reads all of it (who added a rubric version is no secret).
REFERENCE = ("units", "users", "products", "rubrics", "cmw_settings", "alembic_version", "workflows",
              "workflow_moves", "key_brands", "campaigns", "campaign_skus")
_WORK = ("document_values", "plan_cells", "analyses", "effect_scores", "capability_scores", "strategies",
         "visit_plans", "survey_answers")
_EVERYONE = {
    **{table: _READ for table in REFERENCE},
    **{table: _WRITE for table in _WORK},
    "stores": "SELECT, UPDATE",
    "orders": _READ,
    "store_months": _READ,
    "store_brand_months": _READ,
    # a document's state and the decisions move only through cmw_fire; its version moves with its content
    "documents": "SELECT, INSERT, UPDATE (version, updated_at)",
    "document_decisions": _READ,
    # a document as it stood after each move: kept once, never changed
    "document_snapshots": "SELECT, INSERT",
    # the audit log is append-only for everyone
    "audit_log": "SELECT, INSERT",
    "submissions": "SELECT, INSERT, UPDATE (outcome, messages, module)",
    "workbook_exports": "SELECT, INSERT, UPDATE (snapshot)",
    # §8: the questionnaire version of a month is pinned by whoever first uses the month (a CM's export)
    "survey_months": "SELECT, INSERT",
    # §14: a photo of a store in scope is added by its CM; the bytes are kept once by hash and never changed (a
    # photo's bytes are seen through its rows: a CM sees the bytes of their own stores' photos only)
    "photos": "SELECT, INSERT",
    "photo_blobs": "SELECT, INSERT",
}
#: Privileges of each group role, by table (the database's half of engine/policy.py).
GRANTS: dict[str, dict[str, str]] = {
    "cmw_cm": _EVERYONE,
    "cmw_mm": {**_EVERYONE, "rubrics": "SELECT, INSERT"},
    # the brand manager keeps the month's key brands and the campaigns (§14)
    "cmw_bm": {**_EVERYONE, "key_brands": _WRITE, "campaigns": _WRITE, "campaign_skus": _WRITE},
    "cmw_admin": {**_EVERYONE, **{table: _WRITE for table in
                                  ("units", "users", "products", "rubrics", "cmw_settings", "stores", "orders",
                                   "order_lines", "store_months", "store_brand_months", "key_brands",
                                   "campaigns", "campaign_skus")}},
}

#: Sequences a group may move on (setval), beyond drawing from every sequence: the orders importer reserves the ids
#: of a file's new orders and lines in one step, then loads them in bulk (storage/importers/bulk.py reserve_ids).
SEQUENCES: dict[str, tuple[str, ...]] = {"cmw_admin": ("orders", "order_lines")}
#: Functions a group may run beyond cmw_fire and the visibility functions: the administrators load a month of order
#: lines or of per-brand totals into a table of its own and attach it, and archive a month of lines by dropping its
#: table (migrations 0016 and 0017: only a table's owner may change its partitions; these functions do it for them
#: and nothing else).
FUNCTIONS: dict[str, tuple[str, ...]] = {"cmw_admin": ("cmw_order_lines_month(date, boolean)",
                                                       "cmw_order_lines_attach(date)", "cmw_order_lines_drop(date)",
                                                       "cmw_brand_months_fresh(text)", "cmw_brand_months_attach(text)")}

_FUNCTIONS = """
-- plpgsql, not sql: a plpgsql function keeps its plans for the session, where a sql function is planned again at
-- every call — once per statement, which made a market manager's single-row write cost 1.5 ms more
CREATE OR REPLACE FUNCTION cmw_sees_all() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN coalesce((SELECT role = 'admin' FROM users WHERE code = session_user::text), false);
END
$$;

CREATE OR REPLACE FUNCTION cmw_visible_users() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN QUERY WITH RECURSIVE me AS (SELECT id, role, unit_id FROM users WHERE code = session_user::text),
  scope(id) AS (SELECT unit_id FROM me WHERE role IN ('mm', 'bm', 'admin')
                UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)
  SELECT id FROM me
  UNION SELECT u.id FROM users u JOIN scope s ON u.unit_id = s.id;
END
$$;

CREATE OR REPLACE FUNCTION cmw_visible_stores() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT s.id FROM stores s WHERE s.cm_id = ANY (ARRAY(SELECT cmw_visible_users()));
END
$$;

CREATE OR REPLACE FUNCTION cmw_visible_documents() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT d.id FROM documents d WHERE d.owner_id = ANY (ARRAY(SELECT cmw_visible_users()));
END
$$;

CREATE OR REPLACE FUNCTION cmw_visible_analyses() RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT a.id FROM analyses a WHERE a.document_id IN (SELECT cmw_visible_documents());
END
$$;

CREATE OR REPLACE FUNCTION cmw_visible_codes() RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  RETURN QUERY SELECT code::text FROM users WHERE id IN (SELECT cmw_visible_users());
END
$$;

-- The one way a document's state changes: each listed document moves by the transition, if the declared workflow
-- (workflow_moves) lets the acting person (their role, their relation to the owner) fire it from its state; the
-- decision row and the audit row are written with the move. A person's login acts as itself; only the owner of
-- the tables (migrations, set-up) may name another actor. Refusals are SQLSTATE 42501.
CREATE OR REPLACE FUNCTION cmw_fire(p_ids bigint[], p_transition text, p_actor text, p_note text)
RETURNS TABLE (document_id bigint, state text, version integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  me users;
  doc record;
  rel text;
  moved text;
  proxy text;  -- the owner's login acting in someone's name: said in the audit row
  at timestamp := localtimestamp(0);
BEGIN
  SELECT * INTO me FROM users u WHERE u.code = session_user::text;
  IF me.id IS NULL THEN
    IF NOT pg_has_role(session_user, (SELECT tableowner FROM pg_tables
                                      WHERE tablename = 'documents' AND schemaname = '{schema}'), 'MEMBER') THEN
      RAISE EXCEPTION 'cmw: login % is no user of this database', session_user USING ERRCODE = '42501';
    END IF;
    SELECT * INTO me FROM users u WHERE u.code = p_actor;
    IF me.id IS NULL THEN
      RAISE EXCEPTION 'cmw: no user %', p_actor USING ERRCODE = '42501';
    END IF;
    proxy := '（由数据库账号 ' || session_user || ' 代为操作）';
  ELSIF p_actor IS DISTINCT FROM me.code THEN
    RAISE EXCEPTION 'cmw: login % may not act as %', session_user, p_actor USING ERRCODE = '42501';
  END IF;
  FOR doc IN SELECT d.id, d.kind, d.state, d.period, d.owner_id, o.code AS owner_code, o.unit_id AS owner_unit
             FROM documents d JOIN users o ON o.id = d.owner_id
             WHERE d.id = ANY (p_ids) ORDER BY d.id FOR UPDATE OF d
  LOOP
    rel := CASE
      WHEN doc.owner_id = me.id THEN 'owner'
      WHEN me.role IN ('mm', 'admin') AND doc.owner_unit IN (
        WITH RECURSIVE scope(id) AS (SELECT me.unit_id UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)
        SELECT id FROM scope) THEN 'supervisor'
    END;
    SELECT m.target INTO moved FROM workflow_moves m
     WHERE m.kind = doc.kind AND m.transition = p_transition AND m.source = doc.state AND m.role = me.role
       AND m.relation = rel;
    IF moved IS NULL THEN
      RAISE EXCEPTION 'cmw: % (%) may not fire % on % % of % (state %)', me.code, me.role, p_transition, doc.kind,
        doc.period, doc.owner_code, doc.state USING ERRCODE = '42501';
    END IF;
    UPDATE documents d SET state = moved, version = d.version + 1, updated_at = at WHERE d.id = doc.id;
    INSERT INTO document_decisions (document_id, transition, actor_code, at, source, target, version, reason)
      SELECT doc.id, p_transition, me.code, at, doc.state, moved, d.version, coalesce(p_note, '')
      FROM documents d WHERE d.id = doc.id;
    INSERT INTO audit_log (at, actor_code, action, entity, entity_key, field, old_value, new_value, note)
      VALUES (at, me.code, p_transition, doc.kind, doc.owner_code || '/' || doc.period, 'state', doc.state, moved,
              nullif(concat_ws(' ', nullif(p_note, ''), proxy), ''));
    RETURN QUERY SELECT d.id::bigint, d.state::text, d.version FROM documents d WHERE d.id = doc.id;
  END LOOP;
END
$$;
"""


def _postgresql_statements(schema: str, owner_groups: bool) -> list[str]:
    """The SQL that makes a PostgreSQL database enforce GRANTS, SCOPES and cmw_fire (idempotent)."""
    statements = []
    if owner_groups:
        for group in GROUPS.values():
            statements.append(f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN; "
                              f"EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    statements.append(_FUNCTIONS.format(schema=schema))
    groups = ", ".join(GROUPS.values())
    statements += [f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {groups}",
                   f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}",
                   f"REVOKE ALL ON FUNCTION cmw_fire(bigint[], text, text, text) FROM PUBLIC",
                   f"GRANT USAGE ON SCHEMA {schema} TO {groups}",
                   f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {groups}",
                   f"GRANT EXECUTE ON FUNCTION cmw_fire(bigint[], text, text, text), cmw_sees_all(), "
                   f"cmw_visible_users(), cmw_visible_codes(), cmw_visible_stores(), cmw_visible_documents(), "
                   f"cmw_visible_analyses() TO {groups}"]
    for group, tables in GRANTS.items():
        statements += [f"GRANT {privileges} ON {table} TO {group}" for table, privileges in tables.items()]
    for group, owners in SEQUENCES.items():
        statements += [f"GRANT UPDATE ON SEQUENCE {table}_id_seq TO {group}" for table in owners]
    for group, functions in FUNCTIONS.items():
        statements += [f"GRANT EXECUTE ON FUNCTION {function} TO {group}" for function in functions]
    for table, scope in SCOPES.items():
        check = WRITE_CHECKS.get(table)
        statements += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                       f"DROP POLICY IF EXISTS cmw_scope ON {table}",
                       f"DROP POLICY IF EXISTS cmw_write ON {table}"]
        if check is None:
            statements.append(f"CREATE POLICY cmw_scope ON {table} USING ({scope}) WITH CHECK ({scope})")
        else:  # reading by scope; writing only what the check allows
            statements += [f"CREATE POLICY cmw_scope ON {table} FOR SELECT USING ({scope})",
                           f"CREATE POLICY cmw_write ON {table} FOR INSERT WITH CHECK ({check})",
                           f"DROP POLICY IF EXISTS cmw_change ON {table}",
                           f"CREATE POLICY cmw_change ON {table} FOR UPDATE USING ({scope}) "
                           f"WITH CHECK ({CHANGE_CHECKS[table]})"]
        if check is None:
            statements.append(f"DROP POLICY IF EXISTS cmw_change ON {table}")
    return statements


def secure(engine: Engine) -> None:
    """Make the database enforce who may do what (group roles, grants, row-level security, the state function) and
    remember that it does; idempotent, so `cmw db upgrade` re-applies it after every migration."""
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        raise Refused("SQLite 是单人使用的本地数据库，没有数据库账号：操作人由 --as 指定。多人使用请改用 PostgreSQL 或 MariaDB。")
    if backend in ("mysql", "mariadb"):
        from storage.security_mariadb import secure_mariadb

        secure_mariadb(engine)
        return
    with engine.begin() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
        for statement in _postgresql_statements(schema, owner_groups=True):
            connection.execute(text(statement))
        sync_workflows(connection)
        _remember_secured(connection)


def drop_database_objects(engine: Engine) -> None:
    """Drop the functions (PostgreSQL) or procedure (MariaDB) that secure() made, with the tables they serve."""
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        return
    with engine.begin() as connection:
        if backend == "postgresql":
            for table in SCOPES:  # the policies name each other's tables: they go before any table does
                if connection.scalar(text("SELECT to_regclass(:name)"), {"name": table}):
                    for policy in ("cmw_scope", "cmw_write", "cmw_change"):
                        connection.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table}"))
            connection.execute(text("DROP FUNCTION IF EXISTS cmw_fire(bigint[], text, text, text), cmw_sees_all(), "
                                    "cmw_visible_codes(), cmw_visible_analyses(), cmw_visible_documents(), "
                                    "cmw_visible_stores(), cmw_visible_users()"))
        else:
            connection.execute(text("DROP PROCEDURE IF EXISTS cmw_fire"))


def _remember_secured(connection: Connection) -> None:
    if not is_secured(connection):
        connection.execute(delete(Setting).where(Setting.key == SECURED))
        connection.execute(insert(Setting).values(key=SECURED, value="yes"))


def fire_in_database(session, ids: list[int], transition: str, actor_code: str, note: str) -> dict[int, tuple[str, int]]:
    """Move documents by the database's own function (the one way a state changes once logins are granted); the new
    (state, version) by document id. A move the database refuses is Refused, with nothing written."""
    from sqlalchemy.exc import DBAPIError

    try:
        if session.get_bind().dialect.name == "postgresql":
            rows = session.execute(text("SELECT document_id, state, version FROM "
                                        "cmw_fire(CAST(:ids AS bigint[]), :transition, :actor, :note)"),
                                   {"ids": ids, "transition": transition, "actor": actor_code, "note": note}).all()
            return {row[0]: (row[1], row[2]) for row in rows}
        answers = {}
        for document_id in sorted(ids):
            session.execute(text("CALL cmw_fire(:id, :transition, :actor, :note)"),
                            {"id": document_id, "transition": transition, "actor": actor_code, "note": note})
            answers[document_id] = tuple(session.execute(
                text("SELECT state, version FROM documents WHERE id = :id"), {"id": document_id}).one())
        return answers
    except DBAPIError as exc:
        if not refused_by_database(exc):
            raise
        raise Refused(f"数据库拒绝了这次状态变更，没有写入任何内容：{database_words(exc)}。"
                      "如果您确实应当可以这样操作，请把这段话发给管理员。") from exc


def refused_by_database(exc) -> bool:
    """Whether a database error is our function's refusal (PostgreSQL SQLSTATE 42501; MariaDB's SIGNAL 45000 or a
    missing privilege, 1142/1143/1370)."""
    orig = getattr(exc, "orig", None)
    state = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None)
    if state == "42501":
        return True
    code = orig.args[0] if orig is not None and getattr(orig, "args", None) else None
    return code in (1142, 1143, 1370, 1644)


def database_words(exc) -> str:
    """The database's own message, first line, without the driver's wrapping."""
    orig = getattr(exc, "orig", exc)
    words = orig.args[1] if len(getattr(orig, "args", ())) > 1 else str(orig)
    return str(words).strip().splitlines()[0]
