"""The unit of work: one user action = one transaction; rolls back unless the use case commits.

Only an engine use case enters it (`with uow: … uow.commit()`), once: entering it again while it is open raises
NestedUnitOfWork instead of opening a second session in its place (a helper that needs the action's transaction
takes the open unit of work, it does not enter it)."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from engine.ports import NestedUnitOfWork, UnitOfWork
from storage.analysis_repository import SqlAnalyses, SqlRubrics
from storage.big_table_repository import SqlBigTables
from storage.brand_repository import SqlBrandMonths, SqlKeyBrands, SqlProducts
from storage.importers import SqlImports
from storage.survey_repository import SqlSurveys
from storage.visit_repository import SqlVisits
from storage.repositories import (SqlAuditLog, SqlDecisions, SqlDocuments, SqlDocumentValues, SqlExports, SqlSettings,
                                  SqlSnapshots, SqlStores, SqlSubmissions, SqlUsers)


class SqlUnitOfWork:
    """engine.ports.UnitOfWork over a SQLAlchemy session."""

    session: Session

    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions
        self._open = False

    def __enter__(self) -> "SqlUnitOfWork":
        if self._open:
            raise NestedUnitOfWork("unit of work entered while open: a use case enters it once; a helper takes the open one")
        self._open = True
        self.session = self._sessions()
        self.session.begin()
        self.stores = SqlStores(self.session)
        self.users = SqlUsers(self.session)
        self.audit = SqlAuditLog(self.session)
        self.exports = SqlExports(self.session)
        self.documents = SqlDocuments(self.session)
        self.decisions = SqlDecisions(self.session)
        self.snapshots = SqlSnapshots(self.session)
        self.values = SqlDocumentValues(self.session)
        self.products = SqlProducts(self.session)
        self.key_brands = SqlKeyBrands(self.session)
        self.brand_months = SqlBrandMonths(self.session)
        self.submissions = SqlSubmissions(self.session)
        self.analyses = SqlAnalyses(self.session)
        self.rubrics = SqlRubrics(self.session)
        self.big_tables = SqlBigTables(self.session)
        self.visits = SqlVisits(self.session)
        self.settings = SqlSettings(self.session)
        self.imports = SqlImports(self.session)
        self.surveys = SqlSurveys(self.session)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.session.in_transaction():
                self.session.rollback()
        finally:
            self.session.close()
            self._open = False

    def commit(self) -> None:
        """Commit the action's changes."""
        self.session.commit()


class CheckingUnitOfWork(SqlUnitOfWork):
    """A unit of work that runs every check and statement of an action but never commits (cmw check): its "commit"
    only sends the statements, so that what they would do is checked too, and leaving it rolls everything back."""

    def commit(self) -> None:
        """Send the action's statements, keep nothing."""
        self.session.flush()


def _is_the_port(sessions: sessionmaker[Session]) -> tuple[UnitOfWork, UnitOfWork]:
    """Never called: mypy (in `make test`) checks these returns, i.e. that both units of work keep satisfying
    engine.ports.UnitOfWork — every repository the engine's use cases may ask for, with the methods they call."""
    return SqlUnitOfWork(sessions), CheckingUnitOfWork(sessions)
