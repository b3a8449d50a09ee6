"""§3 the big table through the add-in's handlers (an App) or on a test database: its sheet's layout, a CM's month
made ready and the table generated, and its transitions fired directly."""
from __future__ import annotations

from engine.capability import DEFAULT_CAPABILITY_RUBRIC as RUBRIC
from engine.capability_scoring import NEW_STORE, item_field, score_field, submit_capability
from engine.documents import transition_document
from engine.operating_analysis import compute_effect, generate_strategies
from engine.big_table import generate
from engine.records import Record
from storage.repositories import SqlSubmissions
from tests.analysis_helpers import MONTH
from tests.factories import STORES_PER_CM, store_code
from workbooks import big_table as book_

LAYOUT = book_.LAYOUT.sheet(book_.SHEET)
FIRST = LAYOUT.first_data_row
LAST = FIRST + STORES_PER_CM - 1
[OPERATION] = LAYOUT.inputs


def actor_of(where, code: str):
    """The user as an actor (where: anything with uow(), e.g. the db fixture or an App)."""
    with where.uow() as uow:
        return uow.users.actor(code)


def archived(where, who: str) -> int:
    """An archived (empty) submission, for use cases that record which file they came from."""
    with where.uow() as uow:
        sid = SqlSubmissions(uow.session).archive(actor_code=who, filename="x.xlsx", content=b"x", sha256="0" * 64)
        uow.commit()
    return sid


def _scores(code: str, n: int) -> Record:
    """A store's capability row: items vary by store and indicator, so that some stores lie below average."""
    values: dict[str, object] = {"code": code, NEW_STORE: "否"}
    for k, indicator in enumerate(RUBRIC.indicators):
        item = indicator.items[(n + k) % len(indicator.items)]
        values[item_field(indicator.code)], values[score_field(indicator.code)] = item.label, str(item.low)
    return Record("经营能力评分", n + FIRST, values, {key: f"{key}{n}" for key in values})


def ready(where, cm: str, month: str = MONTH) -> None:
    """Effect, capability scores and strategies for a CM's month (engine use cases; the CLI test drives its own)."""
    compute_effect(where.uow(), actor_of(where, cm), month=month)
    cm_index = int(cm[-1])
    records = [_scores(store_code(cm_index, i + 1), i) for i in range(STORES_PER_CM)]
    submit_capability(where.uow(), actor_of(where, cm), owner_code=cm, month=month, rubric_version=1,
                      records=records, shape_findings=[], submission_id=archived(where, cm))
    generate_strategies(where.uow(), actor_of(where, cm), cm_codes=[cm], month=month)


def generate_plan(where, cm: str, month: str = MONTH) -> None:
    """A CM's big table generated for the month."""
    ready(where, cm, month)
    generate(where.uow(), actor_of(where, cm), cm_codes=[cm], month=month)


def move(where, who: str, cm: str, transition: str, month: str = MONTH, note: str = "") -> None:
    """Fire a big-table transition directly (submit_plan, approve_plan, reject_plan, …)."""
    transition_document(where.uow(), actor=actor_of(where, who), kind="bigtable", owner_code=cm, period=month,
                        transition=transition, note=note)
