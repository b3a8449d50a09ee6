"""MariaDB's share of storage/security.py: an account per person in roles cmw_cm … cmw_admin with the same GRANTS
(column privileges included), and the cmw_fire procedure (SQL SECURITY DEFINER) as the one way a document's state
changes. MariaDB has no row-level security: an account reads every row of the tables its role may read, and may
change rows outside its scope in the tables its role may write; the program's checks are the only ones there.
README ("公司部署") says so."""
from __future__ import annotations

from sqlalchemy import Engine, bindparam, text

from engine.errors import Refused
from storage.logins import Login, check_name
from storage.security import GRANTS, GROUPS, SECURED, sync_workflows

#: Where a person's account may connect from (any host: the company's network decides who reaches the server).
HOST = "%"

_PROCEDURE = """
CREATE DEFINER = CURRENT_USER PROCEDURE cmw_fire(IN p_id BIGINT, IN p_transition VARCHAR(32), IN p_actor VARCHAR(32),
                                                 IN p_note TEXT)
SQL SECURITY DEFINER
BEGIN
  DECLARE v_login VARCHAR(80) DEFAULT SUBSTRING_INDEX(SESSION_USER(), '@', 1);
  DECLARE v_me, v_unit, v_owner, v_owner_unit, v_version INT DEFAULT NULL;
  DECLARE v_code, v_owner_code VARCHAR(32) DEFAULT NULL;
  DECLARE v_role VARCHAR(8) DEFAULT NULL;
  DECLARE v_kind, v_state, v_target VARCHAR(24) DEFAULT NULL;
  DECLARE v_period VARCHAR(10) DEFAULT NULL;
  DECLARE v_relation VARCHAR(12) DEFAULT NULL;
  DECLARE v_message VARCHAR(200);
  DECLARE v_proxy VARCHAR(120) DEFAULT NULL;
  DECLARE v_at DATETIME DEFAULT NOW();
  SELECT id, code, role, unit_id INTO v_me, v_code, v_role, v_unit FROM users WHERE code = v_login;
  IF v_me IS NULL THEN  -- an account that is no person (the owner setting things up) names the actor
    SELECT id, code, role, unit_id INTO v_me, v_code, v_role, v_unit FROM users WHERE code = p_actor;
    SET v_proxy = CONCAT('（由数据库账号 ', v_login, ' 代为操作）');
  ELSEIF p_actor <> v_code THEN
    SET v_message = CONCAT('cmw: login ', v_login, ' may not act as ', p_actor);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
  END IF;
  IF v_me IS NULL THEN
    SET v_message = CONCAT('cmw: no user ', p_actor);
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
  END IF;
  SELECT d.kind, d.state, d.period, d.owner_id, o.code, o.unit_id
    INTO v_kind, v_state, v_period, v_owner, v_owner_code, v_owner_unit
    FROM documents d JOIN users o ON o.id = d.owner_id WHERE d.id = p_id FOR UPDATE;
  IF v_owner = v_me THEN
    SET v_relation = 'owner';
  ELSEIF v_role IN ('mm', 'admin') AND v_owner_unit IN (
      WITH RECURSIVE scope(id) AS (SELECT v_unit UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id)
      SELECT id FROM scope) THEN
    SET v_relation = 'supervisor';
  END IF;
  SELECT m.target INTO v_target FROM workflow_moves m
   WHERE m.kind = v_kind AND m.transition = p_transition AND m.source = v_state AND m.role = v_role
     AND m.relation = v_relation;
  IF v_target IS NULL THEN
    SET v_message = CONCAT('cmw: ', v_code, ' (', v_role, ') may not fire ', p_transition, ' on ', IFNULL(v_kind, '?'),
                           ' ', IFNULL(v_period, ''), ' of ', IFNULL(v_owner_code, '?'), ' (state ',
                           IFNULL(v_state, '?'), ')');
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_message;
  END IF;
  UPDATE documents SET state = v_target, version = version + 1, updated_at = v_at WHERE id = p_id;
  SELECT version INTO v_version FROM documents WHERE id = p_id;
  INSERT INTO document_decisions (document_id, transition, actor_code, at, source, target, version, reason)
    VALUES (p_id, p_transition, v_code, v_at, v_state, v_target, v_version, IFNULL(p_note, ''));
  INSERT INTO audit_log (at, actor_code, action, entity, entity_key, field, old_value, new_value, note)
    VALUES (v_at, v_code, p_transition, v_kind, CONCAT(v_owner_code, '/', v_period), 'state', v_state, v_target,
            NULLIF(CONCAT_WS(' ', NULLIF(p_note, ''), v_proxy), ''));
END
"""


def secure_mariadb(engine: Engine) -> None:
    """Roles with the declared grants and the cmw_fire procedure, on the connected database; idempotent."""
    with engine.begin() as connection:
        database = connection.scalar(text("SELECT DATABASE()"))
        for group in GROUPS.values():
            connection.execute(text(f"CREATE ROLE IF NOT EXISTS {group}"))
            connection.execute(text(f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM {group}"))
        connection.execute(text("DROP PROCEDURE IF EXISTS cmw_fire"))
        connection.execute(text(_PROCEDURE))
        for group, tables in GRANTS.items():
            connection.execute(text(f"GRANT EXECUTE ON PROCEDURE `{database}`.cmw_fire TO {group}"))
            for table, privileges in tables.items():
                connection.execute(text(f"GRANT {privileges} ON `{database}`.`{table}` TO {group}"))
        sync_workflows(connection)
        connection.execute(text("DELETE FROM cmw_settings WHERE `key` = :key"), {"key": SECURED})
        connection.execute(text("INSERT INTO cmw_settings (`key`, value) VALUES (:key, 'yes')"), {"key": SECURED})


def grant_mariadb_logins(engine: Engine, logins: list[Login]) -> list[str]:
    """An account per person (password, or none where the company signs in otherwise) holding exactly their role
    as its default; the codes whose account is new."""
    if any(login.password is None for login in logins):
        raise Refused("MariaDB 的个人账号必须有密码（--no-password 只用于 PostgreSQL 的证书或 Kerberos 登录），"
                      "没有开通任何账号。请去掉 --no-password 后重新运行。")
    created = []
    with engine.begin() as connection:
        for login in logins:
            check_name(login.code)
            account = f"'{login.code}'@'{HOST}'"
            exists = connection.scalar(text("SELECT 1 FROM mysql.user WHERE User = :user AND Host = :host"),
                                       {"user": login.code, "host": HOST})
            if not exists:
                connection.execute(text(f"CREATE USER {account}"))
                created.append(login.code)
            if not exists or login.reset:
                connection.execute(text(f"ALTER USER {account} IDENTIFIED BY :password"),
                                   {"password": login.password})
            held = {row[0] for row in connection.execute(
                text("SELECT Role FROM mysql.roles_mapping WHERE User = :user AND Host = :host AND Role IN :groups")
                .bindparams(bindparam("groups", expanding=True)),
                {"user": login.code, "host": HOST, "groups": list(GROUPS.values())})}
            for group in held - {login.group}:
                connection.execute(text(f"REVOKE {group} FROM {account}"))
            if login.group not in held:
                connection.execute(text(f"GRANT {login.group} TO {account}"))
            connection.execute(text(f"SET DEFAULT ROLE {login.group} FOR {account}"))
    return created


def revoke_mariadb_login(engine: Engine, code: str) -> bool:
    """Drop a person's account; whether there was one."""
    with engine.begin() as connection:
        if not connection.scalar(text("SELECT 1 FROM mysql.user WHERE User = :user AND Host = :host"),
                                 {"user": code, "host": HOST}):
            return False
        connection.execute(text(f"DROP USER '{code}'@'{HOST}'"))
        return True
