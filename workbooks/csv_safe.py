"""CSV files as Excel opens them (UTF-8 with BOM), with user text that would start a formula defused."""
from __future__ import annotations

from pathlib import Path

from engine.formula_text import defused_frame


def write_csv(frame, target: Path, **options) -> None:
    """Write a pandas DataFrame as CSV without its index; text starting with = + - @ gets a leading apostrophe."""
    target.parent.mkdir(parents=True, exist_ok=True)
    defused_frame(frame).to_csv(target, index=False, encoding="utf-8-sig", **options)
