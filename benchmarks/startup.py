"""What a user waits for before anything happens (issue #18, target 1): `cmw --version`, `cmw --help`, the Python side
of a ribbon click (import, settings, connect, who is acting, before its own work) and a worksheet function's first
call in a fresh process, each the median of fresh processes, beside the floor measured in the same run: a bare
`python -c pass`. Wall time and the processor time the process used (user + system: what a quiet machine would wait,
less blurred by the other programs of a busy one), each also as a multiple of the floor's; each command once untimed
first, so that its modules' bytecode is compiled as an installed cmw's is (PYTHONDONTWRITEBYTECODE is ignored). Then a worksheet function
called again in the same process (warm), the median of --calls. Prints; asserts nothing.

    .venv/bin/python benchmarks/startup.py [--url DATABASE_URL] [--runs 10] [--calls 200] [--store CODE --month YYYY-MM]

Without --url the click and the worksheet function are measured on a new empty SQLite file made for the run. With
--store and --month (a store of a database where that month's strategies are generated, e.g. the demo's), the
store's effect score and weak indicators are measured too.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what run_from_excel does before a button's own work: the dispatcher, the settings, the App and its connection, who
CLICK = ("from addin.dispatch import dispatch; from addin.app import open_app; from storage.settings import configured; "
         "app = open_app(configured('CMW_DATABASE_URL')); app.database_identity(); app.actor('{user}')")
SCORE_RANGE = "CMW_SCORE_RANGE('店面形象', '好')"
# a worksheet function called again and again in one process (Excel's UDF server keeps it): the median call
WARM = """
import statistics, sys, time
from udfs.analysis import CMW_EFFECT_SCORE, CMW_SCORE_RANGE, CMW_WEAK_INDICATORS
first = {call}
times = []
for _ in range({calls}):
    started = time.perf_counter(); again = {call}; times.append(time.perf_counter() - started)
assert again == first, (first, again)
print(statistics.median(times), first)
"""


def seconds(command: list[str], runs: int, env: dict) -> tuple[float, float]:
    """The median wall time and the median processor time (user + system) of the command in fresh processes."""
    walls, cpus = [], []
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):  # after one untimed run that leaves the bytecode compiled
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def warm(call: str, calls: int, env: dict) -> tuple[float, str]:
    """The median time of a worksheet function called again in one process, and its answer."""
    out = subprocess.run([sys.executable, "-c", WARM.format(call=call, calls=calls)], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip().split(" ", 1)
    return float(out[0]), out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the database a click and a worksheet function connect to")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200, help="warm calls of a worksheet function")
    parser.add_argument("--user", default="admin", help="who clicks (a user of --url's database)")
    parser.add_argument("--store", help="a store whose month's strategies are generated (with --month)")
    parser.add_argument("--month")
    args = parser.parse_args()
    python = sys.executable
    cmw = Path(python).with_name("cmw")
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed cmw runs from compiled bytecode (pip compiles it)
        if args.url:
            env["CMW_DATABASE_URL"] = args.url
        else:
            env["CMW_DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'cmw.sqlite3'}"
            subprocess.run([str(cmw), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
            env["CMW_USER"] = "admin"  # an empty database knows nobody: the click asks the database and is refused
        user = args.user if args.url else ""
        click = CLICK.format(user=user) if user else CLICK.replace("; app.actor('{user}')", "")
        floor, floor_cpu = seconds([python, "-c", "pass"], args.runs, env)
        udf = f"from udfs.analysis import CMW_SCORE_RANGE; print({SCORE_RANGE})"
        rows = [("cmw --version", [str(cmw), "--version"], 0.25), ("cmw --help", [str(cmw), "--help"], 0.25),
                ("按钮点击的 Python 部分（导入+设置+连接" + ("+操作人）" if user else "）"), [python, "-c", click], 0.5),
                ("工作表函数首次调用（新进程）", [python, "-c", udf], 1.0)]
        print(f"启动时间（{args.runs} 次新进程的中位数；底线：python -c pass 墙钟 {floor * 1000:.0f} ms，"
              f"处理器 {floor_cpu * 1000:.0f} ms）")
        for label, command, target in rows:
            took, cpu = seconds(command, args.runs, env)
            print(f"  {label}：墙钟 {took * 1000:.0f} ms（×{took / floor:.1f} 底线），"
                  f"处理器 {cpu * 1000:.0f} ms（×{cpu / max(floor_cpu, 1e-3):.1f} 底线）；目标 ≤ {target * 1000:.0f} ms")
        calls = [("CMW_SCORE_RANGE", SCORE_RANGE)]
        if args.store and args.month:
            calls += [("CMW_EFFECT_SCORE", f"CMW_EFFECT_SCORE('{args.store}', '{args.month}')"),
                      ("CMW_WEAK_INDICATORS", f"CMW_WEAK_INDICATORS('{args.store}', '{args.month}')")]
        print(f"工作表函数再次调用（同一进程，{args.calls} 次的中位数；目标 ≤ 5 ms）")
        for name, call in calls:
            took, answer = warm(call, args.calls, env)
            print(f"  {name}：{took * 1000:.2f} ms（结果：{answer}）")


if __name__ == "__main__":
    main()
