"""Which database a workbook came from: a file is taken back only by the database that exported it."""
from __future__ import annotations

from engine.errors import Refused
from engine.ports import UnitOfWork


def database_identity(uow: UnitOfWork) -> tuple[str, str]:
    """This database's identity and its company's name, in a unit of work of its own that keeps an identity made
    again (one removed since the migration made it: the tests empty every table)."""
    with uow:
        identity = uow.settings.database_identity()
        uow.commit()
    return identity


def check_same_database(file_identity: str, file_company: str, identity: str, company: str) -> None:
    """Refuse a workbook without a database identity (exported before identities existed) or of another database,
    naming both: export ids and snapshots of two databases can be alike, so nothing else tells them apart."""
    if not file_identity:
        raise Refused("此工作簿由旧版本导出，没有记录来自哪个数据库，不能提交。请从当前数据库重新导出，"
                      "把内容填入新表后再提交。")
    if file_identity != identity:
        raise Refused(f"此工作簿来自另一个数据库：{file_company or '（未知公司）'}（数据库标识 {file_identity}），"
                      f"不是当前的数据库：{company or '（未知公司）'}（数据库标识 {identity}）。不同数据库的导出编号"
                      "可能相同，不能混用，本次提交未保存。请从当前数据库重新导出，把内容填入新表后再提交；"
                      "或检查 CMW_DATABASE_URL 是否指向了正确的数据库。")
