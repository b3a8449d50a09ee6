"""What the command modules share to read their arguments: the month, date, CM and output-file checks, and one way
to add the options most subcommands have (--as, --month, --cm, -o), each with the help text its command gives it.

Every check refuses in Chinese with an example of what to type (never a traceback); nothing here is built on import.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from engine.policy import owns_documents
from engine.errors import Refused
from engine.periods import parse_month, parse_quarter

USER_HELP = "操作人，默认取 CMW_USER"


def this_month() -> str:
    """Today's month as YYYY-MM, the default of --month."""
    return f"{date.today():%Y-%m}"


def month_arg(text: str) -> str:
    """A month given on the command line as YYYY-MM (full-width digits and dash read as typed: ２０２６－０７, and
    2026-7), as YYYY-MM; Refused in Chinese when malformed."""
    try:
        year, mon = parse_month(unicodedata.normalize("NFKC", text))
    except ValueError as exc:
        raise Refused(str(exc)) from None
    return f"{year}-{mon:02d}"


def period_arg(kind, month: str, week: str | None = None, quarter: str | None = None,
               campaign: str | None = None) -> str:
    """A declared kind's document period from --month, --week, --quarter or --campaign, as the kind may be kept: a
    month (YYYY-MM), the Monday of a week, a quarter (YYYYQn), a month's campaign (YYYY-MM/CODE); Refused in Chinese
    with what to type when the option does not fit the kind or is malformed."""
    from datetime import timedelta

    from engine.stores import WEEKDAYS

    if kind.period == "campaign":
        if not campaign:
            raise Refused(f"{kind.title}按月、按促销战役填写：请加 --campaign 战役编号（cmw campaigns list 列出本月的战役）。")
        return f"{month_arg(month)}/{campaign.strip().upper()}"
    if campaign:
        raise Refused(f"{kind.title}不按促销战役填写，请去掉 --campaign。")
    ways = {"month": "--month YYYY-MM", "week": "--week 那一周周一的日期", "quarter": "--quarter YYYYQn（如 2026Q4）"}
    allowed = " 或 ".join(ways[p] for p in kind.periods)
    kept = f"{kind.title}按{'或'.join({'month': '月', 'week': '周', 'quarter': '季度'}[p] for p in kind.periods)}填写"
    if week and quarter:
        raise Refused(f"--week 和 --quarter 只能用一个。{kept}，请用 {allowed}。")
    if quarter:
        if "quarter" not in kind.periods:
            raise Refused(f"{kept}，请用 {allowed}，不用 --quarter。")
        try:
            year, number = parse_quarter(quarter)
        except ValueError as exc:
            raise Refused(str(exc)) from None
        return f"{year}Q{number}"
    if "week" not in kind.periods:
        if week:
            raise Refused(f"{kept}，请用 {allowed}，不用 --week。")
        return month_arg(month)
    if not week:
        raise Refused(f"{kind.title}按周填写，请用 --week 给出那一周周一的日期，例如 --week 2026-11-30。")
    day = date_arg(week)
    if day.weekday():
        raise Refused(f"--week 应为周一的日期：{day} 是{WEEKDAYS[day.weekday()]}，那一周的周一是 "
                      f"{day - timedelta(days=day.weekday())}。")
    return day.isoformat()


def date_arg(text: str) -> date:
    """A date given on the command line as YYYY-MM-DD; Refused in Chinese when malformed."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"日期“{text}”格式不对，请写成 YYYY-MM-DD，例如 2026-11-02。") from None


def cm_of(actor, args) -> str:
    """Whose table: the named CM, else the actor when a CM; a market manager must name one."""
    if args.cm:
        return args.cm
    if not owns_documents(actor):
        raise Refused(f"{actor.label}请用 --cm 指定客户经理，例如 --cm cm001。")
    return actor.code


def require_suffix(path: Path, allowed: tuple[str, ...], what: str) -> Path:
    """The output path when its extension is one the kind writes; Refused otherwise (never an .xlsx named .csv)."""
    if Path(path).suffix.lower() not in allowed:
        raise Refused(f"{what}只能写成 {'、'.join(allowed)} 文件，“{Path(path).name}”的扩展名不对。"
                      f"请把 -o 改为以 {allowed[0]} 结尾，例如 -o {Path(path).stem or '输出'}{allowed[0]}。")
    return path


def is_folder(output: str) -> bool:
    """-o names a folder: it ends with a separator, is an existing folder, or has no extension."""
    return output.endswith(("/", "\\")) or Path(output).is_dir() or not Path(output).suffix


def subcommand(actions, name: str, help_text: str, run, *, month: str | None = None, cm: str | None = None,
               cms: str | None = None, output: str | None = None, **defaults):
    """A subcommand with --as and, when their help text is given, --month (default this month), --cm (one CM, or
    cms: repeatable) and a required -o, in that order; defaults go to set_defaults with run."""
    parser = actions.add_parser(name, help=help_text)
    parser.add_argument("--as", dest="user", help=USER_HELP)
    if month:
        parser.add_argument("--month", default=this_month(), help=month)
    if cm:
        parser.add_argument("--cm", help=cm)
    if cms:
        parser.add_argument("--cm", action="append", help=cms)
    if output:
        parser.add_argument("-o", "--output", required=True, type=Path, help=output)
    parser.set_defaults(run=run, **defaults)
    return parser
