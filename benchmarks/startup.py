"""What a user waits for before anything happens (issue #18, target 1): `cmw --version`, `cmw --help`, the Python side
of a ribbon click (import, settings, connect, before its own work) and a worksheet function's first call in a fresh
process, each the median of fresh processes, beside the floor measured in the same run: a bare `python -c pass`.
Prints; asserts nothing.

    .venv/bin/python benchmarks/startup.py [--url DATABASE_URL] [--runs 10]

Without --url the click and the worksheet function are measured on a new empty SQLite file made for the run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what run_from_excel does before a button's own work: the dispatcher, the settings, the App and its connection
CLICK = ("from addin.dispatch import dispatch; from addin.app import open_app; from storage.settings import configured; "
         "app = open_app(configured('CMW_DATABASE_URL')); app.database_identity()")
UDF = "from udfs.analysis import CMW_SCORE_RANGE; print(CMW_SCORE_RANGE('店面形象', '好'))"


def seconds(command: list[str], runs: int, env: dict) -> float:
    """The median wall time of the command in fresh processes."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the database a click and a worksheet function connect to")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    python = sys.executable
    cmw = Path(python).with_name("cmw")
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        if args.url:
            env["CMW_DATABASE_URL"] = args.url
        else:
            env["CMW_DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'cmw.sqlite3'}"
            subprocess.run([str(cmw), "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
        floor = seconds([python, "-c", "pass"], args.runs, env)
        rows = [("cmw --version", [str(cmw), "--version"], 0.25), ("cmw --help", [str(cmw), "--help"], 0.25),
                ("按钮点击的 Python 部分（导入+设置+连接）", [python, "-c", CLICK], 0.5),
                ("工作表函数首次调用（新进程）", [python, "-c", UDF], 1.0)]
        print(f"启动时间（{args.runs} 次新进程的中位数；底线：python -c pass {floor * 1000:.0f} ms）")
        for label, command, target in rows:
            took = seconds(command, args.runs, env)
            print(f"  {label}：{took * 1000:.0f} ms（×{took / floor:.1f} 底线；目标 ≤ {target * 1000:.0f} ms）")


if __name__ == "__main__":
    main()
