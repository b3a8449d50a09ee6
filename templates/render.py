"""Render a print template to self-contained HTML (autoescape on, undefined names are errors)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Built on first use, not at import: Excel imports our modules when it starts.
    return Environment(loader=FileSystemLoader(HERE), autoescape=select_autoescape(["j2", "html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(template: str, **context) -> str:
    """The named template (e.g. "store_sheet.html.j2") filled with context, with the shared print CSS inlined."""
    # Ours, not user text: escaped, its quotes would become &#34; inside <style>, where entities are not decoded.
    css = Markup((HERE / "print.css").read_text(encoding="utf-8"))
    return _environment().get_template(template).render(print_css=css, **context)


def data_uri(jpeg: bytes) -> str:
    """A JPEG picture inline in a print page (a photo's thumbnail), so that the page is one file."""
    import base64

    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
