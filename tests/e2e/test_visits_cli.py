"""§13 / §12 from the command line: refused until the plan is approved, then the day and the week."""
from addin.cli import main
from engine.documents import transition_document
from engine.big_table import SUBMIT
from storage.visit_plans import plan_visits
from tests.analysis_helpers import actor
from tests.plan_helpers import back, exported


def test_day_and_week_lists(planned, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CMW_DATABASE_URL", planned.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with planned.sessions.begin() as session:
        plan_visits(session, "2026-11", actor(planned, "admin"))
    day = tmp_path / "日拜访.html"
    assert main(["visits", "day", "--as", "cm001", "--date", "2026-11-03", "-o", str(day)]) == 2
    assert "审批通过后才能生成拜访记录表" in capsys.readouterr().err
    export_id, cells = exported(planned)
    back(planned, export_id, cells, SUBMIT)
    transition_document(planned.uow(), actor=actor(planned, "mm01"), kind="bigtable", owner_code="cm001",
                        period="2026-11", transition="approve_plan")
    assert main(["visits", "day", "--as", "cm001", "--date", "2026-11-03", "-o", str(day)]) == 0
    assert "日拜访记录表" in capsys.readouterr().out and "日拜访记录表" in day.read_text(encoding="utf-8")
    week = tmp_path / "周安排.xlsx"
    assert main(["visits", "week", "--as", "mm01", "--cm", "cm001", "--week-start", "2026-11-02", "-o", str(week)]) == 0
    assert "起一周" in capsys.readouterr().out and week.is_file()
    assert main(["visits", "week", "--as", "cm001", "--week-start", "2026-11-31", "-o", str(week)]) == 2
    assert "日期“2026-11-31”格式不对" in capsys.readouterr().err


def test_another_cms_list_is_refused_naming_the_list(planned, monkeypatch, tmp_path, capsys):
    """print day --as cm001 --cm cm003 names the daily visit list, not 经营状态分析 (issue #11, item 13)."""
    monkeypatch.setenv("CMW_DATABASE_URL", planned.url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for kind, name in (("day", "日拜访记录表"), ("week", "周工作安排表")):
        assert main(["print", kind, "--as", "cm001", "--cm", "cm003", "-o", str(tmp_path / "x.pdf")]) == 2
        err = capsys.readouterr().err
        assert f"无权查看 cm003 的日拜访记录表和周工作安排表" in err and "经营状态分析" not in err
