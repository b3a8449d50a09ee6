"""The launcher's window (tkinter, in Python's standard library): the ribbon's buttons for one user, the workbook in
front, and the answer of the last click. Its logic is addin/launcher.py; this draws it and runs each click on a
worker thread, so that the window keeps answering (and says what it is doing) during a long action.

`cmw launcher` and the windowless `cmw-launcher` (pip makes cmw-launcher.exe on Windows: a double-click, or drop a
workbook on it) start it.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path

from addin.launcher import SAVE_FIRST, WORKBOOKS, Answer, Launcher, open_file
from engine.errors import Refused

TITLE = "客户经理工作法"
PER_ROW = 4
POLL_MS = 100


class LauncherWindow:
    """The window over a Launcher: header (who, the workbook in front), a frame of buttons per ribbon group, answer."""

    def __init__(self, launcher: Launcher, root=None):
        import tkinter as tk
        from tkinter import ttk

        self.launcher = launcher
        self.root = root or tk.Tk()
        self.root.title(TITLE)
        self.buttons: dict[str, ttk.Button] = {}
        self.busy = False
        self._done: queue.Queue = queue.Queue()
        self._links: dict[str, Path] = {}
        frame = ttk.Frame(self.root, padding=8)
        frame.grid(sticky="nsew")
        self.root.columnconfigure(0, weight=1)
        self.root.rowconfigure(0, weight=1)
        frame.columnconfigure(0, weight=1)
        self.who = tk.StringVar(value=f"用户：{launcher.who()}")
        ttk.Label(frame, textvariable=self.who).grid(row=0, column=0, sticky="w")
        chosen = ttk.Frame(frame)
        chosen.grid(row=1, column=0, sticky="ew", pady=4)
        chosen.columnconfigure(0, weight=1)
        self.book = tk.StringVar(value=f"当前工作簿：{launcher.describe()}")
        ttk.Label(chosen, textvariable=self.book, wraplength=640).grid(row=0, column=0, sticky="w")
        self.pick = ttk.Button(chosen, text="选择工作簿…", command=self.choose)
        self.pick.grid(row=0, column=1, padx=2)
        ttk.Button(chosen, text="打开工作簿", command=self.open_current).grid(row=0, column=2, padx=2)
        ttk.Button(chosen, text="输出文件夹", command=self.open_folder).grid(row=0, column=3, padx=2)
        ttk.Label(frame, text=SAVE_FIRST, foreground="#555").grid(row=2, column=0, sticky="w")
        row = 3
        for group, buttons in launcher.buttons().items():
            box = ttk.LabelFrame(frame, text=group, padding=4)
            box.grid(row=row, column=0, sticky="ew", pady=2)
            row += 1
            for n, button in enumerate(buttons):
                widget = ttk.Button(box, text=button.label, command=lambda tag=button.tag: self.click(tag))
                widget.grid(row=n // PER_ROW, column=n % PER_ROW, sticky="ew", padx=2, pady=2)
                self.buttons[button.tag] = widget
        self.answer = tk.Text(frame, height=14, width=90, wrap="word", state="disabled")
        self.answer.grid(row=row, column=0, sticky="nsew", pady=4)
        frame.rowconfigure(row, weight=1)
        self.answer.tag_configure("ok", foreground="#1a7f37")
        self.answer.tag_configure("refused", foreground="#c62828")
        self.answer.tag_configure("note", foreground="#555")
        self.answer.tag_configure("link", foreground="#0645ad", underline=True)
        self.status = tk.StringVar(value="")
        ttk.Label(frame, textvariable=self.status).grid(row=row + 1, column=0, sticky="w")

    def choose(self, path: Path | None = None) -> None:
        """The file picker (or a path given, as a file dropped on the launcher's icon) → the workbook in front."""
        if path is None:
            from tkinter import filedialog

            picked = filedialog.askopenfilename(title="选择工作簿", initialdir=str(self.launcher.folder),
                                                filetypes=[("Excel 工作簿", " ".join(f"*{s}" for s in WORKBOOKS))])
            if not picked:
                return
            path = Path(picked)
        try:
            self.book.set(f"当前工作簿：{self.launcher.choose(path)}")
        except Refused as refusal:
            self._show_lines([(refusal.message, "refused")])

    def open_current(self) -> None:
        """Open the workbook in front in WPS or Excel."""
        if self.launcher.current is None:
            self._show_lines([("还没有选择工作簿：请点“选择工作簿…”。", "refused")])
            return
        open_file(self.launcher.current)

    def open_folder(self) -> None:
        """Open the output folder, where every exported workbook and print-out goes."""
        self.launcher.folder.mkdir(parents=True, exist_ok=True)
        open_file(self.launcher.folder)

    def click(self, tag: str) -> None:
        """A button: run it on a worker thread, the other buttons greyed until its answer is shown."""
        if self.busy:
            return
        self.busy = True
        for widget in (*self.buttons.values(), self.pick):
            widget.state(["disabled"])
        label = self.buttons[tag].cget("text")
        self.status.set(f"正在运行“{label}”，请稍候……")
        threading.Thread(target=self._run, args=(tag, label), daemon=True).start()
        self.root.after(POLL_MS, self._poll)

    def _run(self, tag: str, label: str) -> None:
        try:
            self._done.put(self.launcher.click(tag))
        except Exception:  # the dispatcher answers everything; this is for the launcher's own bugs: said, logged
            from addin.dispatch import Reply
            from addin.failure_log import log_failure

            where = log_failure(f"launcher {tag}", "请把操作和时间告诉管理员。")
            self._done.put(Answer(Reply(False, (f"程序出错，“{label}”未完成。", where))))

    def _poll(self) -> None:
        try:
            answer = self._done.get_nowait()
        except queue.Empty:
            self.root.after(POLL_MS, self._poll)
            return
        self.show(answer)
        for widget in (*self.buttons.values(), self.pick):
            widget.state(["!disabled"])
        self.status.set("")
        self.busy = False

    def show(self, answer: Answer) -> None:
        """The answer: the reply's lines (green accepted, red refused), the files it opened as links, the notes."""
        tone = "ok" if answer.reply.ok and not answer.reply.partial else "refused"
        lines = [(line, tone) for line in answer.reply.lines]
        lines += [(f"已打开：{path}", "link") for path in answer.opened]
        lines += [(note, "note") for note in answer.notes]
        self._show_lines(lines)
        self.book.set(f"当前工作簿：{self.launcher.describe()}")

    def _show_lines(self, lines: list[tuple[str, str]]) -> None:
        self.answer.configure(state="normal")
        self.answer.delete("1.0", "end")
        self._links.clear()
        for n, (line, tone) in enumerate(lines):
            tags: tuple[str, ...] = (tone,)
            if tone == "link":
                name = f"link{n}"
                self._links[name] = Path(line.split("：", 1)[1])
                self.answer.tag_bind(name, "<Button-1>", lambda _e, path=self._links[name]: open_file(path))
                tags = (tone, name)
            self.answer.insert("end", line + "\n", tags)
        self.answer.configure(state="disabled")

    def text(self) -> str:
        """What the answer area shows (for the tests)."""
        return self.answer.get("1.0", "end").strip()

    def wait(self, timeout: float = 120.0) -> None:
        """Let the window run until the click in progress has shown its answer (the tests drive the window so)."""
        import time

        deadline = time.monotonic() + timeout
        while self.busy:
            if time.monotonic() > deadline:
                raise TimeoutError("the launcher's click did not finish")
            self.root.update()
            time.sleep(0.02)


def run(launcher: Launcher, file: Path | None = None) -> None:
    """Open the window (on file, when one was given or dropped on the icon) until the user closes it."""
    window = LauncherWindow(launcher)
    if file is not None:
        window.choose(file)
    window.root.mainloop()


def main() -> None:
    """The windowless entry point (cmw-launcher): the first argument, if any, is a workbook dropped on the icon."""
    import sys

    run(Launcher(), Path(sys.argv[1]) if len(sys.argv) > 1 else None)
