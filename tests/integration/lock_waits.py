"""Two users at once, for the tests that check what the second one meets: the second one's action runs in a thread
while the first one's transaction is open, and the test waits until the second is seen waiting for a lock."""
from __future__ import annotations

import threading
from typing import Callable

from sqlalchemy import text


def waiting(db) -> int:
    """How many transactions wait for a lock now (PostgreSQL: pg_stat_activity; MariaDB: INNODB_TRX)."""
    query = {"postgresql": "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()",
             "mariadb": "SELECT count(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'"}[db.name]
    with db.engine.connect() as connection:
        return connection.scalar(text(query))


def second_user(db, action: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Start action (the second user's) in a thread and return once it waits for a lock (at most a minute): the
    thread, and the list that gets what action returned or raised."""
    outcome: list[object] = []

    def run():
        try:
            outcome.append(action())
        except Exception as exc:  # noqa: BLE001 — the test says what it was
            outcome.append(exc)

    waiter = threading.Thread(target=run)
    waiter.start()
    for _ in range(600):
        if waiting(db):
            break
        waiter.join(0.1)
    assert waiter.is_alive() and waiting(db) == 1, f"the second user did not wait for the first one's lock: {outcome}"
    return waiter, outcome
