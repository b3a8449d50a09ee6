"""The unit of work: one user action = one transaction; rolls back unless the use case commits.

Only an engine use case enters it (`with uow: … uow.commit()`), once: entering it again while it is open raises
NestedUnitOfWork instead of opening a second session in its place (a helper that needs the action's transaction
takes the open unit of work, it does not enter it)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from engine.ports import NestedUnitOfWork, UnitOfWork
from storage.kept import Kept

if TYPE_CHECKING:  # each repository's module is imported when an action first asks for it (pandas and numpy with the
    # analyses' and surveys' ones): a ribbon click pays only for what it uses (benchmarks/startup.py)
    from sqlalchemy.orm import Session, sessionmaker

    from storage.analysis_repository import SqlAnalyses, SqlRubrics
    from storage.big_table_repository import SqlBigTables
    from storage.brand_repository import SqlBrandMonths, SqlKeyBrands, SqlProducts
    from storage.campaign_repository import SqlCampaigns, SqlPhotos
    from storage.document_repository import SqlDecisions, SqlDocuments, SqlDocumentValues, SqlSnapshots
    from storage.importers import SqlImports
    from storage.repositories import SqlAuditLog, SqlExports, SqlSettings, SqlStores, SqlSubmissions, SqlUsers
    from storage.survey_repository import SqlSurveys
    from storage.visit_repository import SqlVisits

R = TypeVar("R")


class Repository(Generic[R]):
    """A unit of work's repository, made over its session on first use in each transaction (its module imported then)."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, uow: None, owner: type) -> "Repository[R]": ...
    @overload
    def __get__(self, uow: "SqlUnitOfWork", owner: type) -> R: ...

    def __get__(self, uow: "SqlUnitOfWork | None", owner: type) -> "R | Repository[R]":
        if uow is None:
            return self
        made = uow.repositories.get(self.attribute)
        if made is None:
            made = uow.repositories[self.attribute] = getattr(import_module(self.module), self.name)(uow.session)
        return made


class SqlUnitOfWork:
    """engine.ports.UnitOfWork over a SQLAlchemy session."""

    session: Session
    repositories: dict[str, Any]

    stores: Repository[SqlStores] = Repository("storage.repositories", "SqlStores")
    users: Repository[SqlUsers] = Repository("storage.repositories", "SqlUsers")
    audit: Repository[SqlAuditLog] = Repository("storage.repositories", "SqlAuditLog")
    exports: Repository[SqlExports] = Repository("storage.repositories", "SqlExports")
    documents: Repository[SqlDocuments] = Repository("storage.document_repository", "SqlDocuments")
    decisions: Repository[SqlDecisions] = Repository("storage.document_repository", "SqlDecisions")
    snapshots: Repository[SqlSnapshots] = Repository("storage.document_repository", "SqlSnapshots")
    values: Repository[SqlDocumentValues] = Repository("storage.document_repository", "SqlDocumentValues")
    products: Repository[SqlProducts] = Repository("storage.brand_repository", "SqlProducts")
    key_brands: Repository[SqlKeyBrands] = Repository("storage.brand_repository", "SqlKeyBrands")
    campaigns: Repository[SqlCampaigns] = Repository("storage.campaign_repository", "SqlCampaigns")
    photos: Repository[SqlPhotos] = Repository("storage.campaign_repository", "SqlPhotos")
    brand_months: Repository[SqlBrandMonths] = Repository("storage.brand_repository", "SqlBrandMonths")
    submissions: Repository[SqlSubmissions] = Repository("storage.repositories", "SqlSubmissions")
    analyses: Repository[SqlAnalyses] = Repository("storage.analysis_repository", "SqlAnalyses")
    rubrics: Repository[SqlRubrics] = Repository("storage.analysis_repository", "SqlRubrics")
    big_tables: Repository[SqlBigTables] = Repository("storage.big_table_repository", "SqlBigTables")
    visits: Repository[SqlVisits] = Repository("storage.visit_repository", "SqlVisits")
    settings: Repository[SqlSettings] = Repository("storage.repositories", "SqlSettings")
    imports: Repository[SqlImports] = Repository("storage.importers", "SqlImports")
    surveys: Repository[SqlSurveys] = Repository("storage.survey_repository", "SqlSurveys")

    def __init__(self, sessions: sessionmaker[Session], kept: Kept | None = None, *, wait_for_disk: bool = True):
        self._sessions = sessions
        self._kept = Kept() if kept is None else kept  # what the App's units of work read once (storage/kept.py)
        self._wait_for_disk = wait_for_disk
        self._open = False

    def __enter__(self) -> "SqlUnitOfWork":
        if self._open:
            raise NestedUnitOfWork("unit of work entered while open: a use case enters it once; a helper takes the open one")
        self._open = True
        self.session = self._sessions(info={"kept": self._kept})
        self.session.begin()
        if not self._wait_for_disk and self.session.get_bind().dialect.name == "postgresql":
            # its commit returns once the log is written, before it is on disk (asynchronous commit): all or nothing
            # still, seen by everyone at once; on disk with the next commit that waits (addin.app.App.uow says when)
            from sqlalchemy import text

            self.session.execute(text("SET LOCAL synchronous_commit = off"))
        self.repositories = {}
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
